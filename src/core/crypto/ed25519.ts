// Ed25519 (RFC 8032) through Node's crypto: keys as PEM (SPKI / PKCS#8), raw 64-byte signatures.
import * as nodeCrypto from 'node:crypto';
import { sha256 } from './hash.js';

export interface Ed25519KeyPairPem {
  /** SubjectPublicKeyInfo PEM. */
  publicKey: string;
  /** PKCS#8 PEM. */
  privateKey: string;
}

export function generateEd25519KeyPair(): Ed25519KeyPairPem {
  const { publicKey, privateKey } = nodeCrypto.generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey, privateKey };
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function publicKeyObject(publicKey: string): nodeCrypto.KeyObject {
  const key = nodeCrypto.createPublicKey(publicKey);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}

export function ed25519PublicKeyFromPrivate(privateKey: string): string {
  return nodeCrypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}

/** Raw 64-byte Ed25519 signature (Ed25519 has no DER form). */
// Parsing the PEM costs ~15× the signature itself (bench/licenses.mjs): keep the parsed keys of
// the few signers a node uses (audit, OIDC, license issuers). Bounded so that a stream of
// one-off keys cannot grow it.
const privateKeys = new Map<string, nodeCrypto.KeyObject>();
function parsedPrivateKey(pem: string): nodeCrypto.KeyObject {
  let key = privateKeys.get(pem);
  if (!key) {
    key = nodeCrypto.createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
    if (privateKeys.size >= 64) privateKeys.delete(privateKeys.keys().next().value!);
    privateKeys.set(pem, key);
  }
  return key;
}

export function ed25519Sign(privateKey: string, data: string | Uint8Array): Buffer {
  return nodeCrypto.sign(null, toBytes(data), parsedPrivateKey(privateKey));
}

/** Never throws: malformed keys or signatures return false. */
export function ed25519Verify(publicKey: string, data: string | Uint8Array, signature: Uint8Array): boolean {
  try {
    if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
    return nodeCrypto.verify(null, toBytes(data), publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

export function ed25519PublicKeyToSpki(publicKey: string): Buffer {
  return publicKeyObject(publicKey).export({ type: 'spki', format: 'der' });
}

/** Normalises any accepted public-key input to a canonical SPKI PEM. */
export function ed25519PublicKeyToPem(publicKey: string): string {
  return publicKeyObject(publicKey).export({ type: 'spki', format: 'pem' }).toString();
}

/** Short stable id: first 16 hex chars of SHA-256(SPKI DER). */
export function ed25519KeyId(publicKey: string): string {
  return sha256(ed25519PublicKeyToSpki(publicKey)).subarray(0, 8).toString('hex');
}
