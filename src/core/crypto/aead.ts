// Authenticated encryption with a self-describing envelope:
//
//   byte 0      version / algorithm  (0x01 SM4-GCM v1, 0x02 AES-256-GCM v1)
//   bytes 1-12  random 96-bit nonce
//   …           ciphertext (same length as the plaintext)
//   last 16     GCM tag
//
// The GCM associated data is the version byte followed by the caller's aad, so the header is bound
// too. The 32-byte caller key is never used directly: each algorithm gets its own subkey through
// HKDF (SM3 for SM4, SHA-256 for AES), so one master key can safely serve both profiles.
import * as nodeCrypto from 'node:crypto';
import { sm4 as sm4Lib } from 'sm-crypto-v2';
import { hkdf, type BinaryLike } from './hash.js';

export const AEAD_SM4_GCM_V1 = 0x01;
export const AEAD_AES_256_GCM_V1 = 0x02;
const NONCE_LEN = 12;
const TAG_LEN = 16;
const HEADER_LEN = 1 + NONCE_LEN;

export class DecryptionError extends Error {
  constructor(message = 'Decryption failed: the ciphertext was tampered with, or the key or associated data is wrong') {
    super(message);
    this.name = 'DecryptionError';
  }
}

function bytes(data: BinaryLike | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== 32) throw new RangeError('encryption key must be 32 bytes');
}

// ---- SM4-GCM primitive (sm-crypto-v2; matches RFC 8998 Appendix A.1, see aead.test.ts) ----

export function sm4GcmSeal(key16: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) {
  const r = sm4Lib.encrypt(plaintext, key16, {
    mode: 'gcm', iv: nonce, associatedData: aad, output: 'array', outputTag: true, padding: 'none',
  });
  if (!r.tag || r.tag.length !== TAG_LEN) throw new Error('SM4-GCM produced no tag');
  return { ciphertext: Buffer.from(r.output), tag: Buffer.from(r.tag) };
}

/** Throws DecryptionError when the tag does not verify. */
export function sm4GcmOpen(key16: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Buffer {
  if (tag.length !== TAG_LEN) throw new DecryptionError();
  try {
    const out = sm4Lib.decrypt(ciphertext, key16, {
      mode: 'gcm', iv: nonce, associatedData: aad, tag, output: 'array', padding: 'none',
    });
    return Buffer.from(out);
  } catch {
    throw new DecryptionError();
  }
}

// ---- envelope ----

function subkey(version: number, key: Uint8Array): Buffer {
  return version === AEAD_SM4_GCM_V1
    ? hkdf('sm3', key, '', 'yunling/aead/sm4-gcm/v1', 16)
    : hkdf('sha256', key, '', 'yunling/aead/aes-256-gcm/v1', 32);
}

export function aeadEncrypt(version: number, key: Uint8Array, plaintext: BinaryLike, aad?: BinaryLike): Buffer {
  checkKey(key);
  const nonce = nodeCrypto.randomBytes(NONCE_LEN);
  const header = Buffer.from([version]);
  const fullAad = Buffer.concat([header, bytes(aad)]);
  const pt = bytes(plaintext);
  const k = subkey(version, key);
  if (version === AEAD_SM4_GCM_V1) {
    const { ciphertext, tag } = sm4GcmSeal(k, nonce, pt, fullAad);
    return Buffer.concat([header, nonce, ciphertext, tag]);
  }
  if (version === AEAD_AES_256_GCM_V1) {
    const c = nodeCrypto.createCipheriv('aes-256-gcm', k, nonce, { authTagLength: TAG_LEN });
    c.setAAD(fullAad);
    const ct = Buffer.concat([c.update(pt), c.final()]);
    return Buffer.concat([header, nonce, ct, c.getAuthTag()]);
  }
  throw new RangeError(`unknown AEAD version ${version}`);
}

/** Decrypts any known envelope version. Throws DecryptionError on tampering, wrong key or aad. */
export function aeadDecrypt(key: Uint8Array, envelope: Uint8Array, aad?: BinaryLike): Buffer {
  checkKey(key);
  if (!(envelope instanceof Uint8Array) || envelope.length < HEADER_LEN + TAG_LEN) {
    throw new DecryptionError('Decryption failed: the ciphertext is truncated');
  }
  const buf = bytes(envelope);
  const version = buf[0];
  if (version !== AEAD_SM4_GCM_V1 && version !== AEAD_AES_256_GCM_V1) {
    throw new DecryptionError(`Decryption failed: unknown ciphertext version 0x${version.toString(16).padStart(2, '0')}`);
  }
  const nonce = buf.subarray(1, HEADER_LEN);
  const ct = buf.subarray(HEADER_LEN, buf.length - TAG_LEN);
  const tag = buf.subarray(buf.length - TAG_LEN);
  const fullAad = Buffer.concat([buf.subarray(0, 1), bytes(aad)]);
  const k = subkey(version, key);
  if (version === AEAD_SM4_GCM_V1) return sm4GcmOpen(k, nonce, ct, tag, fullAad);
  try {
    const d = nodeCrypto.createDecipheriv('aes-256-gcm', k, nonce, { authTagLength: TAG_LEN });
    d.setAAD(fullAad);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(ct), d.final()]);
  } catch {
    throw new DecryptionError();
  }
}
