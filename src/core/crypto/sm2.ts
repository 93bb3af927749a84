// SM2 signatures (GB/T 32918, SM2-with-SM3) through sm-crypto-v2, plus the key encodings that
// OpenSSL understands. Never use Node's crypto for SM2 signing: see /work/shared/STACK.md (国密).
import { sm2 as smLib } from 'sm-crypto-v2';
import { fromPem, isPem, oid, readChildren, readDer, tlv, toPem } from './der.js';
import { sm3 } from './hash.js';
import { sm2KeyCached, sm2VerifyRS } from './sm2-verify.js';

/** The GM/T 0009 default distinguishing ID; CAs, seal systems and OpenSSL `distid:` use it. */
export const SM2_USER_ID = '1234567812345678';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_SM2_CURVE = '1.2.156.10197.1.301';

/** Curve order n; r and s of a valid signature are in [1, n-1]. */
const SM2_N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');
const SIGN_OPTIONS = { hash: true, der: true, userId: SM2_USER_ID } as const;

const ALG_ID = tlv(0x30, oid(OID_EC_PUBLIC_KEY), oid(OID_SM2_CURVE));

export interface Sm2KeyPairHex {
  /** 32-byte scalar d, 64 lowercase hex chars. */
  privateKey: string;
  /** Uncompressed point 04||x||y, 130 lowercase hex chars. */
  publicKey: string;
}

export function generateSm2KeyPair(): Sm2KeyPairHex {
  const kp = smLib.generateKeyPairHex();
  return { privateKey: kp.privateKey.toLowerCase().padStart(64, '0'), publicKey: normaliseSm2PublicKey(kp.publicKey) };
}

export function sm2PublicKeyFromPrivate(privateKeyHex: string): string {
  return normaliseSm2PublicKey(smLib.getPublicKeyFromPrivateKey(normaliseSm2PrivateKey(privateKeyHex)));
}

/**
 * Accepts `04||x||y` hex, bare `x||y` hex (128 chars) or an SPKI PEM; returns `04||x||y` lowercase hex.
 * Throws on anything that is not a point on the curve.
 */
export function normaliseSm2PublicKey(key: string): string {
  let hex = isPem(key) ? sm2PublicKeyFromPem(key) : key.trim().toLowerCase();
  if (/^[0-9a-f]{128}$/.test(hex)) hex = `04${hex}`;
  if (!/^04[0-9a-f]{128}$/.test(hex)) throw new Error('SM2 public key must be 04||x||y hex or an SPKI PEM');
  let onCurve = false;
  try {
    onCurve = smLib.verifyPublicKey(hex);
  } catch {
    onCurve = false;
  }
  if (!onCurve) throw new Error('SM2 public key is not a point on the SM2 curve');
  return hex;
}

/** Accepts 64-hex (or shorter, left-padded) or a PKCS#8 / SEC1 PEM; returns 64 lowercase hex chars. */
export function normaliseSm2PrivateKey(key: string): string {
  const hex = isPem(key) ? sm2PrivateKeyFromPem(key).privateKey : key.trim().toLowerCase();
  if (!/^[0-9a-f]{1,64}$/.test(hex)) throw new Error('SM2 private key must be 64 hex chars or a PEM');
  const d = BigInt(`0x${hex}`);
  if (d <= 0n || d >= SM2_N - 1n) throw new Error('SM2 private key is out of range');
  return hex.padStart(64, '0');
}

/** DER SubjectPublicKeyInfo: id-ecPublicKey with the SM2 curve OID, as OpenSSL writes it. */
export function sm2PublicKeyToSpki(publicKey: string): Buffer {
  const point = Buffer.from(normaliseSm2PublicKey(publicKey), 'hex');
  return tlv(0x30, ALG_ID, tlv(0x03, Buffer.from([0]), point));
}

/** Renders an SM2 public key (04||x||y hex) as a `PUBLIC KEY` PEM usable by `openssl pkeyutl -pubin`. */
export function sm2PublicKeyToPem(publicKey: string): string {
  return toPem('PUBLIC KEY', sm2PublicKeyToSpki(publicKey));
}

function assertSm2AlgorithmId(node: Buffer): void {
  // Algorithm identifiers are compared byte for byte: id-ecPublicKey + SM2 curve, nothing else.
  if (!node.equals(ALG_ID)) throw new Error('not an SM2 key (expected id-ecPublicKey with curve 1.2.156.10197.1.301)');
}

/** Parses an SPKI (`PUBLIC KEY`) PEM or DER holding an SM2 key; returns 04||x||y hex. */
export function sm2PublicKeyFromPem(pem: string | Uint8Array): string {
  const der = typeof pem === 'string' ? fromPem(pem).der : Buffer.from(pem);
  const spki = readDer(der);
  if (spki.tag !== 0x30 || spki.end !== der.length) throw new Error('SPKI: not a SEQUENCE');
  const [alg, bits] = readChildren(spki, der);
  if (!alg || !bits || bits.tag !== 0x03) throw new Error('SPKI: malformed');
  assertSm2AlgorithmId(der.subarray(alg.offset, alg.end));
  if (bits.value[0] !== 0 || bits.value.length !== 66 || bits.value[1] !== 0x04) {
    throw new Error('SPKI: expected an uncompressed SM2 point');
  }
  return bits.value.subarray(1).toString('hex');
}

/** PKCS#8 `PRIVATE KEY` PEM (the layout `openssl genpkey -algorithm SM2` writes). */
export function sm2PrivateKeyToPem(privateKey: string, publicKey?: string): string {
  const d = Buffer.from(normaliseSm2PrivateKey(privateKey), 'hex');
  const pub = Buffer.from(normaliseSm2PublicKey(publicKey ?? sm2PublicKeyFromPrivate(privateKey)), 'hex');
  const ecPrivateKey = tlv(0x30, tlv(0x02, Buffer.from([1])), tlv(0x04, d), tlv(0xa1, tlv(0x03, Buffer.from([0]), pub)));
  return toPem('PRIVATE KEY', tlv(0x30, tlv(0x02, Buffer.from([0])), ALG_ID, tlv(0x04, ecPrivateKey)));
}

/** Reads an SM2 private key from a PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY` / `SM2 PRIVATE KEY` PEM. */
export function sm2PrivateKeyFromPem(pem: string): Sm2KeyPairHex {
  const { label, der } = fromPem(pem);
  let sec1 = der;
  if (label === 'PRIVATE KEY') {
    const top = readDer(der);
    const [version, alg, octets] = readChildren(top, der);
    if (!version || version.tag !== 0x02 || !alg || !octets || octets.tag !== 0x04) throw new Error('PKCS#8: malformed');
    assertSm2AlgorithmId(der.subarray(alg.offset, alg.end));
    sec1 = octets.value;
  } else if (label !== 'EC PRIVATE KEY' && label !== 'SM2 PRIVATE KEY') {
    // OpenSSL 3.0 `openssl ec` labels SEC1 SM2 keys "SM2 PRIVATE KEY".
    throw new Error(`unsupported PEM label ${label}`);
  }
  const ec = readDer(sec1);
  const fields = readChildren(ec, sec1);
  const dNode = fields[1];
  if (!dNode || dNode.tag !== 0x04) throw new Error('ECPrivateKey: malformed');
  const privateKey = normaliseSm2PrivateKey(dNode.value.toString('hex'));
  const params = fields.find((f) => f.tag === 0xa0);
  if (params && !params.value.equals(oid(OID_SM2_CURVE))) throw new Error('EC key is not on the SM2 curve');
  const pubField = fields.find((f) => f.tag === 0xa1);
  const publicKey = pubField
    ? normaliseSm2PublicKey(readDer(pubField.value).value.subarray(1).toString('hex'))
    : sm2PublicKeyFromPrivate(privateKey);
  return { privateKey, publicKey };
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/**
 * SM2-with-SM3 signature (Z computed with ID 1234567812345678), DER-encoded SEQUENCE{r, s}.
 * Pass the public key when you have it: it saves a scalar multiplication.
 */
let lastDerived: { d: string; pub: string } | undefined; // one-entry memo: callers often re-sign with one key

export function sm2Sign(privateKey: string, data: string | Uint8Array, publicKey?: string): Buffer {
  const d = normaliseSm2PrivateKey(privateKey);
  let pub: string;
  if (publicKey) pub = normaliseSm2PublicKey(publicKey);
  else if (lastDerived?.d === d) pub = lastDerived.pub;
  else lastDerived = { d, pub: (pub = sm2PublicKeyFromPrivate(d)) };
  const hex = smLib.doSignature(toBytes(data), d, { ...SIGN_OPTIONS, publicKey: pub });
  return Buffer.from(hex, 'hex');
}

/** Strict DER check of SEQUENCE{INTEGER r, INTEGER s} with 1 ≤ r, s < n (no trailing bytes); [r, s] or null. */
function strictSignature(sig: Buffer): [bigint, bigint] | null {
  const seq = readDer(sig);
  if (seq.tag !== 0x30 || seq.end !== sig.length) return null;
  const ints = readChildren(seq, sig);
  if (ints.length !== 2) return null;
  const out: bigint[] = [];
  for (const n of ints) {
    const v = n.value;
    if (n.tag !== 0x02 || v.length === 0 || v.length > 33) return null;
    if (v[0] & 0x80) return null; // negative
    if (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) return null; // non-minimal
    const x = BigInt(`0x${v.toString('hex')}`);
    if (x <= 0n || x >= SM2_N) return null;
    out.push(x);
  }
  return [out[0]!, out[1]!];
}

/**
 * Verifies an SM2-with-SM3 DER signature. Never throws: malformed keys or signatures return false.
 * Uses `sm2-verify.ts` (noble-curves with per-key window tables, native SM3), ~3–6× faster than
 * sm-crypto-v2's `doVerifySignature` for a key verified repeatedly; same results (tested both ways
 * and against OpenSSL).
 */
export function sm2Verify(publicKey: string, data: string | Uint8Array, signature: Uint8Array): boolean {
  try {
    if (!(signature instanceof Uint8Array)) return false;
    const rs = strictSignature(Buffer.from(signature));
    if (!rs) return false;
    const raw = typeof publicKey === 'string' ? publicKey.trim().toLowerCase() : '';
    const pub = /^04[0-9a-f]{128}$/.test(raw) && sm2KeyCached(raw) ? raw : normaliseSm2PublicKey(publicKey);
    return sm2VerifyRS(pub, toBytes(data), rs[0], rs[1]);
  } catch {
    return false;
  }
}

/** The previous implementation (sm-crypto-v2 end to end); kept as the tests' and the bench's reference. */
export function sm2VerifyReference(publicKey: string, data: string | Uint8Array, signature: Uint8Array): boolean {
  try {
    if (!(signature instanceof Uint8Array)) return false;
    const sig = Buffer.from(signature);
    if (!strictSignature(sig)) return false;
    const pub = normaliseSm2PublicKey(publicKey);
    return smLib.doVerifySignature(toBytes(data), sig.toString('hex'), pub, SIGN_OPTIONS) === true;
  } catch {
    return false;
  }
}

/** Short stable id: first 16 hex chars of SM3(SPKI DER). */
export function sm2KeyId(publicKey: string): string {
  return sm3(sm2PublicKeyToSpki(publicKey)).subarray(0, 8).toString('hex');
}
