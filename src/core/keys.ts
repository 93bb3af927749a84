// The master key (MASTER_KEY, or a generated file in DATA_DIR/keys) and the purpose keys derived
// from it. Derivation means one secret to back up and rotate per deployment.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import { createCrypto } from './crypto/index.js';

export interface DataKeys {
  /** Field encryption at rest (ID numbers, phones, addresses). */
  field: Buffer;
  /** Blind index for lookups over encrypted fields. */
  blindIndex: Buffer;
  /** Webhook secrets at rest. */
  secrets: Buffer;
}

export function loadMasterKey(config: Pick<Config, 'masterKey' | 'dataDir'>): Buffer {
  if (config.masterKey) return Buffer.from(config.masterKey, 'hex');
  const file = path.join(config.dataDir, 'keys', 'master.key');
  if (fs.existsSync(file)) {
    const hex = fs.readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} is not a 64-hex-character key`);
    return Buffer.from(hex, 'hex');
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

export function deriveDataKeys(master: Buffer, profile: Config['cryptoProfile']): DataKeys {
  const c = createCrypto(profile);
  return {
    field: c.deriveKey(master, 'yunling/field-encryption/v1'),
    blindIndex: c.deriveKey(master, 'yunling/blind-index/v1'),
    secrets: c.deriveKey(master, 'yunling/secrets/v1'),
  };
}
