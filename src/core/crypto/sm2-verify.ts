// Fast SM2-with-SM3 verification (GB/T 32918.2 §7). Public verification of licenses and bills and
// the audit checkpoints verify with a FEW keys over and over, so this keeps, per public key, the
// parsed point, its Z value (SM3 of ENTL‖ID‖a‖b‖Gx‖Gy‖Px‖Py) and — from the third use — a
// precomputed wNAF window table, then computes (x1, y1) = [s]G + [t]P with noble-curves'
// non-constant-time multiplication (verification handles public data only) and both SM3 digests
// with Node's native SM3. sm-crypto-v2 (the signer) is the cross-check in the tests, and the
// OpenSSL CLI (`pkeyutl -verify -digest sm3 -pkeyopt distid:1234567812345678`) the oracle.
// Node's own OpenSSL is NOT usable: it verifies SM2 with an empty distinguishing ID (see README).
import { createHash } from 'node:crypto';
import { weierstrassN, type ProjPointType } from '@noble/curves/abstract/weierstrass.js';

const hex = (s: string) => BigInt(`0x${s}`);
/** GB/T 32918.5 recommended curve (sm2p256v1). */
export const SM2_CURVE = Object.freeze({
  p: hex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF'),
  a: hex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC'),
  b: hex('28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93'),
  n: hex('FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123'),
  Gx: hex('32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7'),
  Gy: hex('BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0'),
  h: 1n,
});

let PointClass: ReturnType<typeof weierstrassN<bigint>> | undefined;
/** The point class, with the generator's 8-bit window table built on first use (~20–80 ms once). */
function points() {
  if (!PointClass) {
    PointClass = weierstrassN<bigint>(SM2_CURVE);
    PointClass.BASE.precompute(8, false);
  }
  return PointClass;
}

const be32 = (v: bigint) => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ xA ‖ yA) for the ID `1234567812345678`. */
export function sm2Z(publicKeyHex: string, userId = '1234567812345678'): Buffer {
  const id = Buffer.from(userId, 'utf8');
  const entl = Buffer.from([(id.length * 8) >> 8, (id.length * 8) & 0xff]);
  return createHash('sm3')
    .update(entl).update(id)
    .update(be32(SM2_CURVE.a)).update(be32(SM2_CURVE.b)).update(be32(SM2_CURVE.Gx)).update(be32(SM2_CURVE.Gy))
    .update(Buffer.from(publicKeyHex.slice(2), 'hex'))
    .digest();
}

interface KeyEntry {
  point: ProjPointType<bigint>;
  z: Buffer;
  uses: number;
  precomputed: boolean;
}

/** Keys with a window table cost ~0.6 MB each; the cache keeps the most recently used ones. */
export const SM2_VERIFY_CACHE = { entries: 64, precomputeAfterUses: 3, window: 8 };
const cache = new Map<string, KeyEntry>();

/**
 * The cached entry of a public key (04‖x‖y lowercase hex, already normalised by the caller).
 * Throws if the point is not on the curve.
 */
function entryOf(publicKeyHex: string): KeyEntry {
  let e = cache.get(publicKeyHex);
  if (e) {
    cache.delete(publicKeyHex); // re-insert: Map order is the LRU order
  } else {
    const point = points().fromHex(publicKeyHex); // checks that the point is on the curve
    e = { point, z: sm2Z(publicKeyHex), uses: 0, precomputed: false };
    if (cache.size >= SM2_VERIFY_CACHE.entries) cache.delete(cache.keys().next().value!);
  }
  cache.set(publicKeyHex, e);
  e.uses++;
  if (!e.precomputed && e.uses >= SM2_VERIFY_CACHE.precomputeAfterUses) {
    e.point.precompute(SM2_VERIFY_CACHE.window, false);
    e.precomputed = true;
  }
  return e;
}

/** True when `publicKeyHex` (04‖x‖y) is cached as a valid point (skips re-validation). */
export const sm2KeyCached = (publicKeyHex: string): boolean => cache.has(publicKeyHex);

/**
 * GB/T 32918.2 verification of (r, s) over `data` with Z of the ID 1234567812345678. The caller
 * has checked the DER encoding and 1 ≤ r, s < n. Returns false for t = 0 or R = O; throws only
 * for a public key that is not a curve point.
 */
export function sm2VerifyRS(publicKeyHex: string, data: Uint8Array, r: bigint, s: bigint): boolean {
  const { n } = SM2_CURVE;
  const key = entryOf(publicKeyHex);
  const e = BigInt(`0x${createHash('sm3').update(key.z).update(data).digest('hex')}`);
  const t = (r + s) % n;
  if (t === 0n) return false;
  const P = points();
  const sum = P.BASE.multiplyUnsafe(s).add(key.point.multiplyUnsafe(t));
  if (sum.is0()) return false;
  return (e + sum.toAffine().x) % n === r;
}
