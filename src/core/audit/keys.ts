// The audit checkpoint signing key: a JSON file (mode 0600) outside the database, so that someone
// who can rewrite tables still cannot re-sign a forged chain. Retired keys stay trusted for
// verification ("previous"). The public keys are also published in audit_key and over HTTP.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { createCrypto, type CryptoProfile } from '../crypto/index.js';

export interface AuditSigner {
  algorithm: string;
  keyId: string;
  publicKeyPem: string;
  sign(data: Buffer): Buffer;
}

export interface TrustedKey {
  algorithm: string;
  keyId: string;
  publicKeyPem: string;
  verify(data: Buffer, signature: Buffer): boolean;
}

interface KeyFile {
  profile: CryptoProfile;
  algorithm: string;
  keyId: string;
  publicKey: string;
  privateKey: string;
  publicKeyPem: string;
  createdAt: string;
  previous: Array<{ profile: CryptoProfile; algorithm: string; keyId: string; publicKey: string; publicKeyPem: string }>;
}

function writeKeyFile(file: string, content: KeyFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(content, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function newKey(profile: CryptoProfile): Omit<KeyFile, 'previous'> {
  const c = createCrypto(profile);
  const pair = c.generateSigningKey();
  const publicKeyPem = c.publicKeyPem(pair);
  return { profile, algorithm: c.signatureAlgorithm, keyId: c.keyId(pair.publicKey), publicKey: pair.publicKey, privateKey: pair.privateKey, publicKeyPem, createdAt: new Date().toISOString() };
}

/** Loads the key file, creating it (with a fresh key pair) when it does not exist. */
export function loadAuditKeys(file: string, profile: CryptoProfile): { signer: AuditSigner; trusted: TrustedKey[]; created: boolean } {
  let created = false;
  let kf: KeyFile;
  if (fs.existsSync(file)) {
    kf = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
    if (kf.profile !== profile) throw new Error(`audit key file ${file} holds a ${kf.profile} key but CRYPTO_PROFILE=${profile}; set AUDIT_KEY_FILE to a ${profile} key file`);
  } else {
    kf = { ...newKey(profile), previous: [] };
    writeKeyFile(file, kf);
    created = true;
  }
  const c = createCrypto(profile);
  const signer: AuditSigner = {
    algorithm: kf.algorithm,
    keyId: kf.keyId,
    publicKeyPem: kf.publicKeyPem,
    sign: (data) => c.sign(kf.privateKey, data),
  };
  const trusted: TrustedKey[] = [kf, ...kf.previous].map((k) => {
    const kc = createCrypto(k.profile);
    return { algorithm: k.algorithm, keyId: k.keyId, publicKeyPem: k.publicKeyPem, verify: (d: Buffer, s: Buffer) => kc.verify(k.publicKey, d, s) };
  });
  return { signer, trusted, created };
}

/** Replaces the signing key; the old public key stays trusted. */
export function rotateAuditKey(file: string, profile: CryptoProfile): string {
  const old = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  const next = newKey(profile);
  writeKeyFile(file, {
    ...next,
    previous: [{ profile: old.profile, algorithm: old.algorithm, keyId: old.keyId, publicKey: old.publicKey, publicKeyPem: old.publicKeyPem }, ...old.previous],
  });
  return next.keyId;
}

export async function publishAuditKeys(db: Db, trusted: TrustedKey[]): Promise<void> {
  for (const k of trusted) {
    await sql`INSERT INTO audit_key (key_id, algorithm, public_key_pem) VALUES (${k.keyId}, ${k.algorithm}, ${k.publicKeyPem}) ON CONFLICT (key_id) DO NOTHING`.execute(db);
  }
}
