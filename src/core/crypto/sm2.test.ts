import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrypto } from './index.js';
import {
  generateSm2KeyPair, sm2KeyId, sm2PrivateKeyFromPem, sm2PrivateKeyToPem, sm2PublicKeyFromPem,
  sm2PublicKeyToPem, sm2Sign, sm2Verify, sm2VerifyReference,
} from './sm2.js';
import { SM2_VERIFY_CACHE, sm2Z } from './sm2-verify.js';
import { sm2 as smLib } from 'sm-crypto-v2';
import { sm3 } from './hash.js';
import { openSslDir } from './test-openssl.js';

const c = createCrypto('sm');
const ossl = openSslDir();
afterAll(() => ossl.cleanup());

const SM2_VERIFY = ['-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678'];

function opensslVerify(pubPem: string, data: Uint8Array | string, sig: Uint8Array): string {
  ossl.write('pub.pem', pubPem);
  ossl.write('data', data);
  ossl.write('sig.der', sig);
  return ossl.run('pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-in', 'data', '-sigfile', 'sig.der', ...SM2_VERIFY);
}

describe('SM2 through the facade (sm profile)', () => {
  it('reports its algorithms', () => {
    expect(c.hashAlgorithm).toBe('SM3');
    expect(c.signatureAlgorithm).toBe('SM2-with-SM3');
    expect(c.encryptionAlgorithm).toBe('SM4-GCM');
  });

  it('generates a JSON-serialisable key pair in sm-crypto-v2 hex plus an SPKI PEM', () => {
    const pair = c.generateSigningKey();
    expect(pair.algorithm).toBe('SM2-with-SM3');
    expect(pair.privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(pair.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const back = JSON.parse(JSON.stringify(pair));
    expect(c.verify(back, 'x', c.sign(back, 'x'))).toBe(true);
    expect(sm2PublicKeyFromPem(pair.publicKeyPem)).toBe(pair.publicKey);
  });

  it('signs data that the OpenSSL CLI verifies (distid 1234567812345678)', () => {
    const pair = c.generateSigningKey();
    for (const data of ['云岭 audit checkpoint #42', new Uint8Array([0, 1, 2, 255]), '']) {
      const sig = c.sign(pair, data);
      expect(sig[0]).toBe(0x30); // DER SEQUENCE
      expect(opensslVerify(c.publicKeyPem(pair), data, sig)).toContain('Signature Verified Successfully');
    }
    // Signing with only the private-key string (public key derived) gives equally valid signatures.
    const sig = c.sign(pair.privateKey, 'abc');
    expect(opensslVerify(pair.publicKeyPem, 'abc', sig)).toContain('Signature Verified Successfully');
  });

  it('OpenSSL rejects a facade signature over tampered data', () => {
    const pair = c.generateSigningKey();
    const sig = c.sign(pair, 'original');
    expect(() => opensslVerify(pair.publicKeyPem, 'originaL', sig)).toThrow(/Signature Verification Failure/);
  });

  it('verifies signatures made by `openssl pkeyutl -sign` with a key from `openssl genpkey -algorithm SM2`', () => {
    ossl.run('genpkey', '-algorithm', 'SM2', '-out', 'key.pem');
    ossl.run('pkey', '-in', 'key.pem', '-pubout', '-out', 'opub.pem');
    const data = '电子证照 2024-000123';
    ossl.write('msg', data);
    ossl.run('pkeyutl', '-sign', '-inkey', 'key.pem', '-rawin', '-in', 'msg', '-out', 'osig.der', ...SM2_VERIFY);
    const sig = ossl.read('osig.der');
    const keyPem = ossl.read('key.pem').toString();
    const pubPem = ossl.read('opub.pem').toString();

    // Key material extracted from OpenSSL's PEM agrees with `openssl pkey -text`.
    const pair = c.importSigningKey(keyPem);
    const text = ossl.run('pkey', '-in', 'key.pem', '-text', '-noout');
    const blocks: Record<string, string> = {};
    let current = '';
    for (const line of text.split('\n')) {
      const head = /^(\w+):\s*$/.exec(line);
      if (head) current = head[1];
      else if (/^\s+[0-9a-f:]+$/.test(line) && current) blocks[current] = (blocks[current] ?? '') + line.replace(/[\s:]/g, '');
      else current = '';
    }
    // OpenSSL prints a leading 00 when the top bit is set, and drops leading zero bytes otherwise.
    expect(pair.privateKey).toBe(blocks.priv.replace(/^00(?=[0-9a-f]{64}$)/, '').padStart(64, '0'));
    expect(pair.publicKey).toBe(blocks.pub);
    expect(sm2PublicKeyFromPem(pubPem)).toBe(pair.publicKey);
    expect(c.publicKeyPem(pair)).toBe(pubPem); // byte-identical SPKI

    expect(c.verify(pair.publicKey, data, sig)).toBe(true);
    expect(c.verify(pubPem, data, sig)).toBe(true);
    expect(c.verify(pubPem, `${data}!`, sig)).toBe(false);
    const bad = Buffer.from(sig);
    bad[bad.length - 1] ^= 0x01;
    expect(c.verify(pubPem, data, bad)).toBe(false);

    // And the other way with the imported key: our signature, OpenSSL verifies.
    expect(opensslVerify(pubPem, 'x', c.sign(pair, 'x'))).toContain('Signature Verified Successfully');
  });

  it('writes a PKCS#8 private key that OpenSSL signs with', () => {
    const pair = generateSm2KeyPair();
    ossl.write('mine.pem', sm2PrivateKeyToPem(pair.privateKey));
    expect(ossl.run('pkey', '-in', 'mine.pem', '-noout', '-text')).toContain('ASN1 OID: SM2');
    ossl.write('m2', 'hello');
    ossl.run('pkeyutl', '-sign', '-inkey', 'mine.pem', '-rawin', '-in', 'm2', '-out', 'm2.sig', ...SM2_VERIFY);
    expect(sm2Verify(pair.publicKey, 'hello', ossl.read('m2.sig'))).toBe(true);
    expect(sm2PrivateKeyFromPem(sm2PrivateKeyToPem(pair.privateKey))).toEqual(pair);
  });

  it('reads SEC1 private keys too ("SM2 PRIVATE KEY" from `openssl ec`, or "EC PRIVATE KEY")', () => {
    ossl.run('genpkey', '-algorithm', 'SM2', '-out', 'k2.pem');
    const sec1 = ossl.run('ec', '-in', 'k2.pem');
    expect(sec1).toMatch(/BEGIN (SM2|EC) PRIVATE KEY/);
    expect(sm2PrivateKeyFromPem(sec1.replace(/SM2 PRIVATE KEY/g, 'EC PRIVATE KEY'))).toEqual(sm2PrivateKeyFromPem(sec1));
    expect(sm2PrivateKeyFromPem(sec1)).toEqual(sm2PrivateKeyFromPem(ossl.read('k2.pem').toString()));
  });

  it('rejects tampered messages, tampered signatures and other keys', () => {
    const pair = c.generateSigningKey();
    const other = c.generateSigningKey();
    const sig = c.sign(pair, 'payload');
    expect(c.verify(pair, 'payload', sig)).toBe(true);
    expect(c.verify(pair, 'payloaD', sig)).toBe(false);
    expect(c.verify(other, 'payload', sig)).toBe(false);
    for (let i = 0; i < sig.length; i += 7) {
      const t = Buffer.from(sig);
      t[i] ^= 0x40;
      expect(c.verify(pair, 'payload', t)).toBe(false);
    }
  });

  it('never throws on malformed input', () => {
    const pair = c.generateSigningKey();
    const sig = c.sign(pair, 'm');
    const junk: unknown[] = [
      new Uint8Array(0), Buffer.from('3000', 'hex'), Buffer.concat([sig, Buffer.from([0])]), sig.subarray(0, 10),
      Buffer.from(`3006020100020100`, 'hex'), 'not bytes', null, undefined,
      Buffer.concat([Buffer.from([0x30, 0x81]), sig.subarray(1)]), // BER long-form length: not DER
    ];
    for (const s of junk) expect(c.verify(pair, 'm', s as Uint8Array)).toBe(false);
    for (const k of ['', 'zz', `04${'00'.repeat(64)}`, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----']) {
      expect(c.verify(k, 'm', sig)).toBe(false);
    }
    // An Ed25519 key pair handed to the SM profile is refused without throwing.
    const ed = createCrypto('intl').generateSigningKey();
    expect(c.verify(ed, 'm', sig)).toBe(false);
    expect(() => c.sign(ed, 'm')).toThrow(/SM2-with-SM3/);
  });

  it('accepts bare x||y hex public keys, and keyId is SM3(SPKI) truncated and stable', () => {
    const pair = generateSm2KeyPair();
    const sig = sm2Sign(pair.privateKey, 'd', pair.publicKey);
    expect(sm2Verify(pair.publicKey.slice(2), 'd', sig)).toBe(true);
    const id = sm2KeyId(pair.publicKey);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(c.keyId(sm2PublicKeyToPem(pair.publicKey))).toBe(id);
    const spki = Buffer.from(sm2PublicKeyToPem(pair.publicKey).replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(id).toBe(sm3(spki).toString('hex').slice(0, 16));
  });

  it('the fast verifier agrees with sm-crypto-v2 (the previous verifier) on good, altered and foreign signatures, cold and with window tables', () => {
    const keys = Array.from({ length: 4 }, () => generateSm2KeyPair());
    for (let round = 0; round < 2 * SM2_VERIFY_CACHE.precomputeAfterUses + 2; round++) {
      for (const [i, k] of keys.entries()) {
        const data = Buffer.from(`电子票据 ${round}-${i} ${'x'.repeat(round * 37)}`);
        const sig = sm2Sign(k.privateKey, data, k.publicKey);
        const wrongKey = keys[(i + 1) % keys.length]!.publicKey;
        const altered = Buffer.from(data);
        altered[round % altered.length] ^= 0x01;
        const cases: Array<[string, Uint8Array, Uint8Array]> = [[k.publicKey, data, sig], [wrongKey, data, sig], [k.publicKey, altered, sig]];
        for (const [pub, d, s] of cases) expect(sm2Verify(pub, d, s)).toBe(sm2VerifyReference(pub, d, s));
        expect(sm2Verify(k.publicKey, data, sig)).toBe(true);
        expect(sm2Verify(sm2PublicKeyToPem(k.publicKey), data, sig)).toBe(true);
      }
    }
  });

  it('computes Z exactly as sm-crypto-v2 does (ID 1234567812345678)', () => {
    const k = generateSm2KeyPair();
    expect(sm2Z(k.publicKey).toString('hex')).toBe(Buffer.from(smLib.getZ(k.publicKey)).toString('hex'));
  });

  it('keeps verifying an OpenSSL signature once the key has a window table (repeated use)', () => {
    ossl.run('genpkey', '-algorithm', 'SM2', '-out', 'k3.pem');
    const pair = c.importSigningKey(ossl.read('k3.pem').toString());
    ossl.write('m3', '审计检查点 checkpoint');
    ossl.run('pkeyutl', '-sign', '-inkey', 'k3.pem', '-rawin', '-in', 'm3', '-out', 'm3.sig', ...SM2_VERIFY);
    const sig = ossl.read('m3.sig');
    for (let i = 0; i < SM2_VERIFY_CACHE.precomputeAfterUses + 3; i++) {
      expect(c.verify(pair, '审计检查点 checkpoint', sig)).toBe(true);
      expect(c.verify(pair, '审计检查点 checkpoinT', sig)).toBe(false);
    }
    // …and OpenSSL still verifies what we sign with it.
    expect(opensslVerify(pair.publicKeyPem, 'y', c.sign(pair, 'y'))).toContain('Signature Verified Successfully');
  });

  it('Node\'s own crypto is no alternative: it rejects a valid signature made with the standard distid', () => {
    const pair = generateSm2KeyPair();
    const sig = sm2Sign(pair.privateKey, 'node', pair.publicKey);
    expect(sm2Verify(pair.publicKey, 'node', sig)).toBe(true);
    let nodeSays: boolean;
    try {
      nodeSays = nodeVerify('sm3', Buffer.from('node'), createPublicKey(sm2PublicKeyToPem(pair.publicKey)), sig);
    } catch {
      nodeSays = false;
    }
    expect(nodeSays).toBe(false);
  });
});
