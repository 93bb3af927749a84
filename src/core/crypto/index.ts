// Public surface of the crypto module. Most callers need only `createCrypto(profile)`.
export {
  createCrypto,
  type CryptoFacade,
  type CryptoProfile,
  type EncryptionAlgorithm,
  type HashAlgorithm,
  type PublicKeyInput,
  type SignatureAlgorithm,
  type SigningKeyPair,
} from './facade.js';
export { DecryptionError, AEAD_SM4_GCM_V1, AEAD_AES_256_GCM_V1, sm4GcmSeal, sm4GcmOpen } from './aead.js';
export { sm3, sha256, hkdf, type BinaryLike } from './hash.js';
export {
  SM2_USER_ID,
  OID_SM2_CURVE,
  OID_EC_PUBLIC_KEY,
  generateSm2KeyPair,
  normaliseSm2PublicKey,
  normaliseSm2PrivateKey,
  sm2KeyId,
  sm2PrivateKeyFromPem,
  sm2PrivateKeyToPem,
  sm2PublicKeyFromPem,
  sm2PublicKeyFromPrivate,
  sm2PublicKeyToPem,
  sm2PublicKeyToSpki,
  sm2Sign,
  sm2Verify,
  sm2VerifyReference,
  type Sm2KeyPairHex,
} from './sm2.js';
export {
  ed25519KeyId,
  ed25519PublicKeyToPem,
  ed25519Sign,
  ed25519Verify,
  generateEd25519KeyPair,
  type Ed25519KeyPairPem,
} from './ed25519.js';
