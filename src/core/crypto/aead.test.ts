import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCrypto, DecryptionError, sm4GcmOpen, sm4GcmSeal } from './index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('SM4 (GB/T 32907) standard vector', () => {
  it('ECB single block via Node crypto', () => {
    const key = hex('0123456789abcdeffedcba9876543210');
    const c = nodeCrypto.createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    const out = Buffer.concat([c.update(key), c.final()]);
    expect(out.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });
});

describe('SM4-GCM from sm-crypto-v2 against RFC 8998 Appendix A.1', () => {
  const key = hex('0123456789ABCDEFFEDCBA9876543210');
  const iv = hex('00001234567800000000ABCD');
  const aad = hex('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2');
  const pt = hex(`AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD
                  EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA`);
  const ct = hex(`17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735
                  D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D`);
  const tag = hex('83DE3541E4C2B58177E065A9BF7B62EC');

  it('encrypts to the RFC ciphertext and tag', () => {
    const r = sm4GcmSeal(key, iv, pt, aad);
    expect(r.ciphertext.toString('hex')).toBe(ct.toString('hex'));
    expect(r.tag.toString('hex')).toBe(tag.toString('hex'));
  });

  it('decrypts the RFC ciphertext and rejects any changed byte', () => {
    expect(sm4GcmOpen(key, iv, ct, tag, aad).equals(pt)).toBe(true);
    const badTag = Buffer.from(tag);
    badTag[15] ^= 1;
    expect(() => sm4GcmOpen(key, iv, ct, badTag, aad)).toThrow(DecryptionError);
    const badCt = Buffer.from(ct);
    badCt[0] ^= 1;
    expect(() => sm4GcmOpen(key, iv, badCt, tag, aad)).toThrow(DecryptionError);
    expect(() => sm4GcmOpen(key, iv, ct, tag, Buffer.concat([aad, Buffer.from('x')]))).toThrow(DecryptionError);
    expect(() => sm4GcmOpen(key, iv, ct, tag.subarray(0, 12), aad)).toThrow(DecryptionError);
  });
});

describe.each(['sm', 'intl'] as const)('encrypt/decrypt, %s profile', (profile) => {
  const c = createCrypto(profile);
  const key = nodeCrypto.randomBytes(32);
  const version = profile === 'sm' ? 0x01 : 0x02;

  it('round-trips strings, bytes and the empty plaintext, with a fresh nonce each time', () => {
    for (const pt of ['13812345678', '张三 · 昆明市五华区', '', nodeCrypto.randomBytes(5000)]) {
      const env = c.encrypt(key, pt);
      expect(env[0]).toBe(version);
      const len = typeof pt === 'string' ? Buffer.byteLength(pt) : pt.length;
      expect(env).toHaveLength(1 + 12 + len + 16);
      expect(c.decrypt(key, env).equals(typeof pt === 'string' ? Buffer.from(pt) : pt)).toBe(true);
    }
    expect(c.encrypt(key, 'same').equals(c.encrypt(key, 'same'))).toBe(false);
  });

  it('binds the associated data', () => {
    const env = c.encrypt(key, 'secret', 'person:42/mobile');
    expect(c.decrypt(key, env, 'person:42/mobile').toString()).toBe('secret');
    expect(() => c.decrypt(key, env, 'person:43/mobile')).toThrow(DecryptionError);
    expect(() => c.decrypt(key, env)).toThrow(DecryptionError);
    expect(() => c.decrypt(key, c.encrypt(key, 'secret'), 'unexpected')).toThrow(DecryptionError);
  });

  it('detects tampering anywhere: version, nonce, body and tag', () => {
    const env = c.encrypt(key, 'a field value worth protecting');
    for (let i = 0; i < env.length; i++) {
      const t = Buffer.from(env);
      t[i] ^= 0x01;
      expect(() => c.decrypt(key, t)).toThrow(DecryptionError);
    }
    expect(() => c.decrypt(key, env.subarray(0, env.length - 1))).toThrow(/tampered|truncated/);
    expect(() => c.decrypt(key, env.subarray(0, 20))).toThrow(/truncated/);
    expect(() => c.decrypt(key, Buffer.concat([Buffer.from([0x7f]), env.subarray(1)]))).toThrow(/unknown ciphertext version 0x7f/);
  });

  it('fails with the wrong key, and refuses keys that are not 32 bytes', () => {
    const env = c.encrypt(key, 'x');
    expect(() => c.decrypt(nodeCrypto.randomBytes(32), env)).toThrow(DecryptionError);
    expect(() => c.decrypt(key, env)).not.toThrow();
    expect(() => c.encrypt(Buffer.alloc(16), 'x')).toThrow(RangeError);
    expect(() => c.decrypt(Buffer.alloc(31), env)).toThrow(RangeError);
  });

  it('has a clear error message', () => {
    const env = c.encrypt(key, 'x');
    env[env.length - 1] ^= 0xff;
    expect(() => c.decrypt(key, env)).toThrow('Decryption failed: the ciphertext was tampered with, or the key or associated data is wrong');
  });
});

describe('envelopes are self-describing', () => {
  it('either profile opens the other profile\'s ciphertexts (for migrations)', () => {
    const key = nodeCrypto.randomBytes(32);
    const sm = createCrypto('sm');
    const intl = createCrypto('intl');
    expect(intl.decrypt(key, sm.encrypt(key, 'from sm', 'a'), 'a').toString()).toBe('from sm');
    expect(sm.decrypt(key, intl.encrypt(key, 'from intl', 'a'), 'a').toString()).toBe('from intl');
  });
});
