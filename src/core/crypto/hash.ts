// Hashes, HMAC and HKDF on Node's OpenSSL (SM3 and SHA-256 are both native there).
import * as nodeCrypto from 'node:crypto';

export type NodeHashName = 'sm3' | 'sha256';
export type BinaryLike = string | Uint8Array;

// `crypto.hash` (Node ≥ 20.12 / 21.7) is a one-shot digest without a Hash object: ~25% faster
// for short inputs. Fall back to createHash on older runtimes.
type OneShot = (alg: string, data: BinaryLike, enc: 'buffer' | 'hex') => Buffer | string;
const oneShot: OneShot | undefined =
  typeof (nodeCrypto as { hash?: unknown }).hash === 'function'
    ? ((nodeCrypto as unknown as { hash: OneShot }).hash)
    : undefined;

export function digest(alg: NodeHashName, data: BinaryLike): Buffer {
  if (oneShot) return oneShot(alg, data, 'buffer') as Buffer;
  return nodeCrypto.createHash(alg).update(data).digest();
}

export function digestHex(alg: NodeHashName, data: BinaryLike): string {
  if (oneShot) return oneShot(alg, data, 'hex') as string;
  return nodeCrypto.createHash(alg).update(data).digest('hex');
}

/** Hash of several parts fed in order, without concatenating them first. */
export function digestParts(alg: NodeHashName, parts: Iterable<BinaryLike>): Buffer {
  const h = nodeCrypto.createHash(alg);
  for (const p of parts) h.update(p);
  return h.digest();
}

export function sm3(data: BinaryLike): Buffer {
  return digest('sm3', data);
}

export function sha256(data: BinaryLike): Buffer {
  return digest('sha256', data);
}

export function hmac(alg: NodeHashName, key: Uint8Array, data: BinaryLike): Buffer {
  return nodeCrypto.createHmac(alg, key).update(data).digest();
}

/**
 * HKDF (RFC 5869). Node's `hkdfSync` accepts 'sm3' on the OpenSSL 3 it bundles (checked against
 * an independent RFC 5869 implementation and sm-crypto-v2's hkdf in the tests); a hand-written
 * extract-and-expand is kept as the fallback for runtimes whose OpenSSL lacks SM3 in HKDF.
 */
export function hkdf(
  alg: NodeHashName,
  ikm: Uint8Array,
  salt: BinaryLike,
  info: BinaryLike,
  length: number,
): Buffer {
  const hashLen = 32; // both SM3 and SHA-256
  if (!Number.isInteger(length) || length <= 0 || length > 255 * hashLen) {
    throw new RangeError(`HKDF length must be 1…${255 * hashLen}`);
  }
  try {
    return Buffer.from(nodeCrypto.hkdfSync(alg, ikm, salt, info, length));
  } catch {
    return hkdfManual(alg, ikm, salt, info, length);
  }
}

export function hkdfManual(
  alg: NodeHashName,
  ikm: Uint8Array,
  salt: BinaryLike,
  info: BinaryLike,
  length: number,
): Buffer {
  const saltBytes = typeof salt === 'string' ? Buffer.from(salt, 'utf8') : salt;
  const prk = hmac(alg, saltBytes.length > 0 ? saltBytes : Buffer.alloc(32), ikm);
  const infoBytes = typeof info === 'string' ? Buffer.from(info, 'utf8') : Buffer.from(info);
  const blocks: Buffer[] = [];
  let prev: Buffer = Buffer.alloc(0);
  for (let i = 1, got = 0; got < length; i++) {
    prev = hmac(alg, prk, Buffer.concat([prev, infoBytes, Buffer.from([i])]));
    blocks.push(prev);
    got += prev.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}
