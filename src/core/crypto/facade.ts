// The crypto facade: one object per profile, so callers never name an algorithm themselves.
import * as nodeCrypto from 'node:crypto';
import { AEAD_AES_256_GCM_V1, AEAD_SM4_GCM_V1, aeadDecrypt, aeadEncrypt } from './aead.js';
import {
  ed25519KeyId, ed25519PublicKeyFromPrivate, ed25519PublicKeyToPem, ed25519Sign, ed25519Verify,
  generateEd25519KeyPair,
} from './ed25519.js';
import { digest, digestHex, digestParts, hkdf, hmac, type BinaryLike, type NodeHashName } from './hash.js';
import {
  generateSm2KeyPair, sm2KeyId, sm2PrivateKeyFromPem, sm2PublicKeyToPem, sm2Sign, sm2Verify,
} from './sm2.js';

export type CryptoProfile = 'sm' | 'intl';
export type HashAlgorithm = 'SM3' | 'SHA-256';
export type SignatureAlgorithm = 'SM2-with-SM3' | 'Ed25519';
export type EncryptionAlgorithm = 'SM4-GCM' | 'AES-256-GCM';

/**
 * A signing key pair, plain strings so it round-trips through JSON.
 * - SM2-with-SM3: `privateKey` 64 hex (d), `publicKey` 130 hex (04||x||y), as sm-crypto-v2 uses them.
 * - Ed25519: `privateKey` PKCS#8 PEM, `publicKey` SPKI PEM.
 * `publicKeyPem` is always an SPKI PEM that OpenSSL and other tools accept.
 */
export interface SigningKeyPair {
  algorithm: SignatureAlgorithm;
  publicKey: string;
  privateKey: string;
  publicKeyPem: string;
}

export type PublicKeyInput = string | Pick<SigningKeyPair, 'algorithm' | 'publicKey'>;

export interface CryptoFacade {
  readonly profile: CryptoProfile;
  readonly hashAlgorithm: HashAlgorithm;
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly encryptionAlgorithm: EncryptionAlgorithm;

  hash(data: BinaryLike): Buffer;
  hashHex(data: BinaryLike): string;
  /** Hash of the parts in order, fed incrementally (no concatenation, no hex round trip). */
  hashParts(parts: Iterable<BinaryLike>): Buffer;
  /** A fresh incremental Node Hash for streaming (`update` … `digest`). */
  createHasher(): nodeCrypto.Hash;
  hmac(key: Uint8Array, data: BinaryLike): Buffer;

  generateSigningKey(): SigningKeyPair;
  /** Builds a pair from a private-key PEM (e.g. from `openssl genpkey`). */
  importSigningKey(privateKeyPem: string): SigningKeyPair;
  /** SM2: DER SEQUENCE{r,s}. Ed25519: raw 64 bytes. */
  sign(privateKey: string | SigningKeyPair, data: BinaryLike): Buffer;
  /** Never throws; any malformed input yields false. */
  verify(publicKey: PublicKeyInput, data: BinaryLike, signature: Uint8Array): boolean;
  publicKeyPem(key: PublicKeyInput): string;
  /** First 16 hex chars of hash(SPKI DER), SM3 for SM2 keys and SHA-256 for Ed25519 keys. */
  keyId(publicKey: PublicKeyInput): string;

  encrypt(key32: Uint8Array, plaintext: BinaryLike, aad?: BinaryLike): Buffer;
  /** Opens any known envelope version; throws DecryptionError on tampering or wrong key/aad. */
  decrypt(key32: Uint8Array, ciphertext: Uint8Array, aad?: BinaryLike): Buffer;

  /** Deterministic keyed lookup token (HMAC, base64url, 43 chars). Strings are NFC-normalised. */
  blindIndex(key: Uint8Array, value: BinaryLike): string;
  /** HKDF (RFC 5869) with the profile hash, empty salt, `label` as info. */
  deriveKey(master: Uint8Array, label: string, length?: number): Buffer;
  randomBytes(n: number): Buffer;
  constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

function keyString(key: PublicKeyInput, algorithm: SignatureAlgorithm): string {
  if (typeof key === 'string') return key;
  if (key.algorithm !== algorithm) throw new Error(`expected a ${algorithm} key, got ${key.algorithm}`);
  return key.publicKey;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  return nodeCrypto.timingSafeEqual(a, b);
}

function build(profile: CryptoProfile): CryptoFacade {
  const sm = profile === 'sm';
  const h: NodeHashName = sm ? 'sm3' : 'sha256';
  const signatureAlgorithm: SignatureAlgorithm = sm ? 'SM2-with-SM3' : 'Ed25519';
  const aeadVersion = sm ? AEAD_SM4_GCM_V1 : AEAD_AES_256_GCM_V1;

  const publicKeyPem = (key: PublicKeyInput): string => {
    const k = keyString(key, signatureAlgorithm);
    return sm ? sm2PublicKeyToPem(k) : ed25519PublicKeyToPem(k);
  };
  const pairOf = (publicKey: string, privateKey: string): SigningKeyPair => ({
    algorithm: signatureAlgorithm, publicKey, privateKey, publicKeyPem: publicKeyPem(publicKey),
  });

  return Object.freeze({
    profile,
    hashAlgorithm: sm ? 'SM3' : 'SHA-256',
    signatureAlgorithm,
    encryptionAlgorithm: sm ? 'SM4-GCM' : 'AES-256-GCM',

    hash: (data: BinaryLike) => digest(h, data),
    hashHex: (data: BinaryLike) => digestHex(h, data),
    hashParts: (parts: Iterable<BinaryLike>) => digestParts(h, parts),
    createHasher: () => nodeCrypto.createHash(h),
    hmac: (key: Uint8Array, data: BinaryLike) => hmac(h, key, data),

    generateSigningKey(): SigningKeyPair {
      if (sm) {
        const kp = generateSm2KeyPair();
        return pairOf(kp.publicKey, kp.privateKey);
      }
      const kp = generateEd25519KeyPair();
      return pairOf(kp.publicKey, kp.privateKey);
    },
    importSigningKey(privateKeyPem: string): SigningKeyPair {
      if (sm) {
        const kp = sm2PrivateKeyFromPem(privateKeyPem);
        return pairOf(kp.publicKey, kp.privateKey);
      }
      const priv = nodeCrypto.createPrivateKey(privateKeyPem);
      if (priv.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 private key');
      return pairOf(ed25519PublicKeyFromPrivate(privateKeyPem), priv.export({ type: 'pkcs8', format: 'pem' }).toString());
    },
    sign(privateKey: string | SigningKeyPair, data: BinaryLike): Buffer {
      if (typeof privateKey !== 'string' && privateKey.algorithm !== signatureAlgorithm) {
        throw new Error(`the ${profile} profile signs with ${signatureAlgorithm}, not ${privateKey.algorithm}`);
      }
      const priv = typeof privateKey === 'string' ? privateKey : privateKey.privateKey;
      if (sm) return sm2Sign(priv, data, typeof privateKey === 'string' ? undefined : privateKey.publicKey);
      return ed25519Sign(priv, data);
    },
    verify(publicKey: PublicKeyInput, data: BinaryLike, signature: Uint8Array): boolean {
      try {
        const k = keyString(publicKey, signatureAlgorithm);
        return sm ? sm2Verify(k, data, signature) : ed25519Verify(k, data, signature);
      } catch {
        return false;
      }
    },
    publicKeyPem,
    keyId(publicKey: PublicKeyInput): string {
      const k = keyString(publicKey, signatureAlgorithm);
      return sm ? sm2KeyId(k) : ed25519KeyId(k);
    },

    encrypt: (key32: Uint8Array, plaintext: BinaryLike, aad?: BinaryLike) => aeadEncrypt(aeadVersion, key32, plaintext, aad),
    decrypt: (key32: Uint8Array, ciphertext: Uint8Array, aad?: BinaryLike) => aeadDecrypt(key32, ciphertext, aad),

    blindIndex(key: Uint8Array, value: BinaryLike): string {
      if (!(key instanceof Uint8Array) || key.length < 16) throw new RangeError('blind-index key must be at least 16 bytes');
      const v = typeof value === 'string' ? value.normalize('NFC') : value;
      return hmac(h, key, v).toString('base64url');
    },
    deriveKey(master: Uint8Array, label: string, length = 32): Buffer {
      if (!(master instanceof Uint8Array) || master.length < 16) throw new RangeError('master key must be at least 16 bytes');
      if (!label) throw new RangeError('deriveKey needs a non-empty label');
      return hkdf(h, master, '', label, length);
    },
    randomBytes: (n: number) => nodeCrypto.randomBytes(n),
    constantTimeEqual,
  });
}

const cache = new Map<CryptoProfile, CryptoFacade>();

/** Returns the (shared, frozen) facade for a profile; `sm` is the default. */
export function createCrypto(profile: CryptoProfile = 'sm'): CryptoFacade {
  if (profile !== 'sm' && profile !== 'intl') throw new Error(`unknown crypto profile: ${String(profile)}`);
  let f = cache.get(profile);
  if (!f) {
    f = build(profile);
    cache.set(profile, f);
  }
  return f;
}
