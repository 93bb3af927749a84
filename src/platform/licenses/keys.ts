// Per-issuer signing keys. Each issuing body (by its credit code) gets its own key pair for the
// deployment's signature algorithm, created on first issuance; the private key is stored
// encrypted (SM4-GCM / AES-GCM, key derived from the master key, AAD binds it to its issuer), the
// public key is published at GET /api/licenses/keys so that anyone can verify offline.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { createCrypto, type SignatureAlgorithm, type SigningKeyPair } from '../../core/crypto/index.js';

const aad = (issuerCode: string) => Buffer.from(`license_issuer_key:${issuerCode}`);
const wrapKey = (core: Core) => core.crypto.deriveKey(core.keys.secrets, 'yunling/licenses/issuer-key/v1');

export interface IssuerKey {
  keyId: string;
  issuerCode: string;
  pair: SigningKeyPair;
}

/** The crypto facade for a stored algorithm, whatever the deployment's current profile. */
export const cryptoFor = (algorithm: string) => createCrypto(algorithm === 'Ed25519' ? 'intl' : 'sm');

/** The issuer's active key for the current profile, created (race-free) if it has none. */
export async function issuerKey(core: Core, tx: Executor, issuerCode: string): Promise<IssuerKey> {
  const algorithm: SignatureAlgorithm = core.crypto.signatureAlgorithm;
  let row = await tx.selectFrom('license_issuer_key').selectAll().where('issuer_code', '=', issuerCode).where('algorithm', '=', algorithm).where('retired_at', 'is', null).executeTakeFirst();
  if (!row) {
    const pair = core.crypto.generateSigningKey();
    const keyId = core.crypto.keyId(pair);
    // Two first issuances for one issuer at once: the partial unique index keeps one key.
    await tx.insertInto('license_issuer_key')
      .values({ issuer_code: issuerCode, algorithm, key_id: keyId, public_key: pair.publicKey, public_key_pem: pair.publicKeyPem, private_key_enc: core.crypto.encrypt(wrapKey(core), pair.privateKey, aad(issuerCode)) })
      .onConflict((oc) => oc.columns(['issuer_code', 'algorithm']).where('retired_at', 'is', null).doNothing())
      .execute();
    row = await tx.selectFrom('license_issuer_key').selectAll().where('issuer_code', '=', issuerCode).where('algorithm', '=', algorithm).where('retired_at', 'is', null).executeTakeFirstOrThrow();
  }
  const privateKey = core.crypto.decrypt(wrapKey(core), row.private_key_enc, aad(issuerCode)).toString('utf8');
  return { keyId: row.key_id, issuerCode, pair: { algorithm: row.algorithm as SignatureAlgorithm, publicKey: row.public_key, privateKey, publicKeyPem: row.public_key_pem } };
}

export interface PublishedKey {
  keyId: string;
  issuerCode: string;
  algorithm: string;
  publicKeyPem: string;
  createdAt: string;
  retiredAt: string | null;
}

export async function publishedKeys(ex: Executor, issuerCode?: string): Promise<PublishedKey[]> {
  let q = ex.selectFrom('license_issuer_key').select(['key_id', 'issuer_code', 'algorithm', 'public_key_pem', 'created_at', 'retired_at']).orderBy('issuer_code').orderBy('created_at');
  if (issuerCode) q = q.where('issuer_code', '=', issuerCode);
  const rows = await q.execute();
  return rows.map((r) => ({ keyId: r.key_id, issuerCode: r.issuer_code, algorithm: r.algorithm, publicKeyPem: r.public_key_pem, createdAt: new Date(r.created_at).toISOString(), retiredAt: r.retired_at ? new Date(r.retired_at).toISOString() : null }));
}

export async function publicKeyOf(ex: Executor, keyId: string): Promise<{ algorithm: string; publicKey: string; issuerCode: string } | null> {
  const r = await ex.selectFrom('license_issuer_key').select(['algorithm', 'public_key', 'issuer_code']).where('key_id', '=', keyId).executeTakeFirst();
  return r ? { algorithm: r.algorithm, publicKey: r.public_key, issuerCode: r.issuer_code } : null;
}
