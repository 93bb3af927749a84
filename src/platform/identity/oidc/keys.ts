// JWT signing keys for ID tokens (and any JWT the provider issues). RSA 2048 / RS256: JOSE has no
// registered SM2 algorithm and every relying party's OIDC library verifies RS256. Private keys are
// stored as JWKs encrypted with the core crypto facade (SM4-GCM under the `sm` profile, AES-256-GCM
// under `intl`) and the secrets key derived from the master key.
//
// Rotation: the new key becomes `current` (it signs); the old current becomes `previous` and stays
// published in the JWKS so tokens it signed still verify; `retire` removes a previous key from
// the JWKS once no unexpired token can carry it (ID tokens live 1 h).
import { generateKeyPairSync, createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Core } from '../../../core/index.js';
import type { Actor } from '../../../core/audit/record.js';
import type { Tx } from '../../../core/db/types.js';
import { recordChange } from '../../../core/audit/record.js';
import './tables.js';

export const SIGNING_ALG = 'RS256';
export const KEYS_ROTATED_EVENT = 'identity.oidc.signing-keys-changed';
const AAD = (kid: string) => Buffer.from(`oidc-signing-key:${kid}`);

export interface SigningKeyInfo {
  kid: string;
  alg: string;
  status: 'current' | 'previous' | 'retired';
  createdAt: string;
  rotatedAt: string | null;
  retiredAt: string | null;
}

type Jwk = Record<string, unknown> & { kid: string };

function newKey(): { kid: string; publicJwk: Jwk; privateJwk: Jwk } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  // RFC 7638 thumbprint: stable, unique per key.
  const kid = createHash('sha256').update(JSON.stringify({ e: pub.e, kty: pub.kty, n: pub.n })).digest('base64url');
  const common = { kid, alg: SIGNING_ALG, use: 'sig' };
  return { kid, publicJwk: { ...pub, ...common }, privateJwk: { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), ...common } };
}

async function insertCurrent(core: Core, tx: Tx, actor: Actor, reason: 'initial' | 'rotate'): Promise<string> {
  const k = newKey();
  const now = core.clock.now();
  await tx.updateTable('oidc_signing_key').set({ status: 'previous', rotated_at: now }).where('status', '=', 'current').execute();
  await tx.insertInto('oidc_signing_key').values({
    kid: k.kid, alg: SIGNING_ALG, public_jwk: JSON.stringify(k.publicJwk),
    private_jwk_enc: core.crypto.encrypt(core.keys.secrets, JSON.stringify(k.privateJwk), AAD(k.kid)), status: 'current', created_at: now,
  }).execute();
  await recordChange(tx, actor, { action: 'identity.oidc.key.rotate', object: { type: 'oidc_signing_key', id: k.kid }, detail: { alg: SIGNING_ALG, reason } },
    { type: KEYS_ROTATED_EVENT, payload: { kid: k.kid, reason } });
  return k.kid;
}

const lock = (tx: Tx) => sql`SELECT pg_advisory_xact_lock(hashtext('yunling.oidc.signing-keys'))`.execute(tx);

/** Creates the first signing key when there is none (safe when several nodes start at once). */
export async function ensureSigningKey(core: Core): Promise<void> {
  const has = await core.db.selectFrom('oidc_signing_key').select('kid').where('status', '=', 'current').executeTakeFirst();
  if (has) return;
  await core.db.transaction().execute(async (tx) => {
    await lock(tx);
    const again = await tx.selectFrom('oidc_signing_key').select('kid').where('status', '=', 'current').executeTakeFirst();
    if (!again) await insertCurrent(core, tx, { id: 'system:oidc' }, 'initial');
  });
}

/** A new current key; the old one stays published. Returns the new key id. */
export async function rotateSigningKey(core: Core, actor: Actor): Promise<string> {
  return core.db.transaction().execute(async (tx) => {
    await lock(tx);
    return insertCurrent(core, tx, actor, 'rotate');
  });
}

/**
 * Takes previous keys out of the JWKS: the one named, or (without a kid) every previous key that
 * stopped signing more than `olderThanSeconds` ago (default 1 day). Never the current key.
 */
export async function retireSigningKeys(core: Core, actor: Actor, opts: { kid?: string; olderThanSeconds?: number } = {}): Promise<string[]> {
  return core.db.transaction().execute(async (tx) => {
    await lock(tx);
    const now = core.clock.now();
    let q = tx.updateTable('oidc_signing_key').set({ status: 'retired', retired_at: now }).where('status', '=', 'previous');
    if (opts.kid) q = q.where('kid', '=', opts.kid);
    else q = q.where('rotated_at', '<', new Date(now.getTime() - (opts.olderThanSeconds ?? 86_400) * 1000));
    const rows = await q.returning('kid').execute();
    for (const r of rows) {
      await recordChange(tx, actor, { action: 'identity.oidc.key.retire', object: { type: 'oidc_signing_key', id: r.kid } },
        { type: KEYS_ROTATED_EVENT, payload: { kid: r.kid, retired: true } });
    }
    return rows.map((r) => r.kid);
  });
}

export async function listSigningKeys(core: Core): Promise<SigningKeyInfo[]> {
  const rows = await core.db.selectFrom('oidc_signing_key').select(['kid', 'alg', 'status', 'created_at', 'rotated_at', 'retired_at']).orderBy('created_at', 'desc').execute();
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return rows.map((r) => ({ kid: r.kid, alg: r.alg, status: r.status, createdAt: iso(r.created_at)!, rotatedAt: iso(r.rotated_at), retiredAt: iso(r.retired_at) }));
}

/** The provider's JWKS (private): the current key first (it signs), then the previous ones. */
export async function loadSigningJwks(core: Core): Promise<{ keys: Jwk[] }> {
  const rows = await core.db.selectFrom('oidc_signing_key').select(['kid', 'private_jwk_enc', 'status', 'created_at'])
    .where('status', 'in', ['current', 'previous']).orderBy(sql`status = 'current'`, 'desc').orderBy('created_at', 'desc').execute();
  return { keys: rows.map((r) => JSON.parse(core.crypto.decrypt(core.keys.secrets, r.private_jwk_enc, AAD(r.kid)).toString('utf8')) as Jwk) };
}

/** A cheap fingerprint of the published key set, to notice a rotation made by another process. */
export async function keySetVersion(core: Core): Promise<string> {
  const r = await sql<{ v: string | null }>`SELECT string_agg(kid || ':' || status, ',' ORDER BY kid) AS v FROM oidc_signing_key WHERE status <> 'retired'`.execute(core.db);
  return r.rows[0]?.v ?? '';
}
