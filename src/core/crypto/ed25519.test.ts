import { afterAll, describe, expect, it } from 'vitest';
import { createCrypto } from './index.js';
import { sha256 } from './hash.js';
import { openSslDir } from './test-openssl.js';

const c = createCrypto('intl');
const ossl = openSslDir();
afterAll(() => ossl.cleanup());

describe('Ed25519 through the facade (intl profile)', () => {
  it('reports its algorithms', () => {
    expect(c.signatureAlgorithm).toBe('Ed25519');
    expect(c.encryptionAlgorithm).toBe('AES-256-GCM');
  });

  it('round-trips a JSON-serialisable PEM key pair', () => {
    const pair = JSON.parse(JSON.stringify(c.generateSigningKey()));
    expect(pair.algorithm).toBe('Ed25519');
    expect(pair.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(pair.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(pair.publicKeyPem).toBe(pair.publicKey);
    const sig = c.sign(pair, '云岭');
    expect(sig).toHaveLength(64);
    expect(c.verify(pair, '云岭', sig)).toBe(true);
    expect(c.verify(pair.publicKey, '云岭', sig)).toBe(true);
    expect(c.verify(pair.publicKey, '云岭!', sig)).toBe(false);
    expect(c.verify(c.generateSigningKey(), '云岭', sig)).toBe(false);
  });

  it('signs data that `openssl pkeyutl -verify -rawin` accepts, and OpenSSL rejects tampering', () => {
    const pair = c.generateSigningKey();
    const data = Buffer.from('checkpoint 1024 9f86d081');
    ossl.write('pub.pem', c.publicKeyPem(pair));
    ossl.write('data', data);
    ossl.write('sig', c.sign(pair.privateKey, data));
    const args = ['pkeyutl', '-verify', '-pubin', '-inkey', 'pub.pem', '-rawin', '-in', 'data', '-sigfile', 'sig'];
    expect(ossl.run(...args)).toContain('Signature Verified Successfully');
    ossl.write('data', 'checkpoint 1024 9f86d082');
    expect(() => ossl.run(...args)).toThrow(/Signature Verification Failure/);
  });

  it('verifies signatures made by OpenSSL with a key from `openssl genpkey -algorithm ED25519`', () => {
    ossl.run('genpkey', '-algorithm', 'ED25519', '-out', 'ed.pem');
    ossl.write('m', 'hello from openssl');
    ossl.run('pkeyutl', '-sign', '-inkey', 'ed.pem', '-rawin', '-in', 'm', '-out', 'm.sig');
    const pair = c.importSigningKey(ossl.read('ed.pem').toString());
    expect(c.verify(pair, 'hello from openssl', ossl.read('m.sig'))).toBe(true);
    expect(c.sign(pair, 'hello from openssl').equals(ossl.read('m.sig'))).toBe(true); // Ed25519 is deterministic
  });

  it('never throws on malformed input', () => {
    const pair = c.generateSigningKey();
    const sig = c.sign(pair, 'm');
    for (const s of [new Uint8Array(0), sig.subarray(0, 63), Buffer.concat([sig, Buffer.from([1])]), 'x', null]) {
      expect(c.verify(pair, 'm', s as Uint8Array)).toBe(false);
    }
    for (const k of ['', 'garbage', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----']) {
      expect(c.verify(k, 'm', sig)).toBe(false);
    }
    const sm2 = createCrypto('sm').generateSigningKey();
    expect(c.verify(sm2, 'm', sig)).toBe(false);
    expect(c.verify(sm2.publicKeyPem, 'm', sig)).toBe(false);
    expect(() => c.sign(sm2, 'm')).toThrow(/Ed25519/);
  });

  it('keyId is SHA-256(SPKI DER) truncated to 16 hex chars', () => {
    const pair = c.generateSigningKey();
    const der = Buffer.from(pair.publicKey.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    expect(c.keyId(pair)).toBe(sha256(der).toString('hex').slice(0, 16));
    expect(c.keyId(pair.publicKey)).toBe(c.keyId(pair));
  });
});
