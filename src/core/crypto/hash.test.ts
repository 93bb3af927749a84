import { hkdf as smLibHkdf, sm3 as smLibSm3 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { createCrypto } from './index.js';
import { digest, hkdf, hkdfManual, hmac, sm3 } from './hash.js';

const sm = createCrypto('sm');
const intl = createCrypto('intl');

describe('SM3 (GB/T 32905) standard vectors', () => {
  it('"abc"', () => {
    expect(sm.hashHex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm.hash(Buffer.from('abc')).toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('"abcd" × 16 (64 bytes)', () => {
    expect(sm3('abcd'.repeat(16)).toString('hex')).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('agrees with sm-crypto-v2 and across input forms and the incremental paths', () => {
    const text = '云岭政务 — audit entry 7';
    const expected = smLibSm3(text);
    expect(sm.hashHex(text)).toBe(expected);
    expect(sm.hashHex(new TextEncoder().encode(text))).toBe(expected);
    expect(sm.hashParts(['云岭政务', ' — audit ', Buffer.from('entry 7')]).toString('hex')).toBe(expected);
    expect(sm.createHasher().update('云岭政务 — ').update('audit entry 7').digest('hex')).toBe(expected);
  });
});

describe('SHA-256 profile', () => {
  it('hashes "abc" (FIPS 180-2)', () => {
    expect(intl.hashAlgorithm).toBe('SHA-256');
    expect(intl.hashHex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('HMAC', () => {
  it('HMAC-SHA256 matches RFC 4231 test case 2', () => {
    expect(intl.hmac(Buffer.from('Jefe'), 'what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('HMAC-SM3 agrees with sm-crypto-v2', () => {
    const key = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    expect(sm.hmac(key, 'message').toString('hex')).toBe(smLibSm3('message', { key, mode: 'hmac' }));
  });
});

describe('HKDF (RFC 5869)', () => {
  const ikm = Buffer.from('0b'.repeat(22), 'hex');
  const salt = Buffer.from('000102030405060708090a0b0c', 'hex');
  const info = Buffer.from('f0f1f2f3f4f5f6f7f8f9', 'hex');
  const okm1 = '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865';

  it('test case 1 (SHA-256), native and hand-written', () => {
    expect(hkdf('sha256', ikm, salt, info, 42).toString('hex')).toBe(okm1);
    expect(hkdfManual('sha256', ikm, salt, info, 42).toString('hex')).toBe(okm1);
  });

  it('test case 3 (SHA-256, empty salt and info)', () => {
    const expected = '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8';
    expect(hkdf('sha256', ikm, '', '', 42).toString('hex')).toBe(expected);
    expect(hkdfManual('sha256', ikm, '', '', 42).toString('hex')).toBe(expected);
  });

  it('HKDF-SM3: Node hkdfSync, the RFC 5869 construction with HMAC-SM3 and sm-crypto-v2 agree', () => {
    for (const len of [16, 32, 42, 100]) {
      const native = hkdf('sm3', ikm, salt, info, len);
      expect(hkdfManual('sm3', ikm, salt, info, len).equals(native)).toBe(true);
      expect(Buffer.from(smLibHkdf(ikm, salt, info, len)).equals(native)).toBe(true);
    }
  });

  it('deriveKey is deterministic, label-separated and profile-specific', () => {
    const master = Buffer.alloc(32, 7);
    const a = sm.deriveKey(master, 'field-encryption');
    expect(a).toHaveLength(32);
    expect(sm.deriveKey(master, 'field-encryption').equals(a)).toBe(true);
    expect(sm.deriveKey(master, 'blind-index').equals(a)).toBe(false);
    expect(intl.deriveKey(master, 'field-encryption').equals(a)).toBe(false);
    expect(sm.deriveKey(master, 'x', 16)).toHaveLength(16);
    expect(sm.deriveKey(master, 'x', 64)).toHaveLength(64);
    expect(() => sm.deriveKey(Buffer.alloc(8), 'x')).toThrow(RangeError);
    expect(() => sm.deriveKey(master, '')).toThrow(RangeError);
    expect(() => sm.deriveKey(master, 'x', 0)).toThrow(RangeError);
  });
});

describe('small helpers', () => {
  it('digest and hmac helpers', () => {
    expect(digest('sha256', 'abc').toString('hex')).toBe(intl.hashHex('abc'));
    expect(hmac('sm3', Buffer.from('k'), 'a')).toHaveLength(32);
  });

  it('constantTimeEqual', () => {
    expect(sm.constantTimeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(sm.constantTimeEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(sm.constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
    expect(sm.constantTimeEqual(Buffer.from(''), Buffer.from(''))).toBe(true);
  });

  it('randomBytes', () => {
    expect(sm.randomBytes(24)).toHaveLength(24);
    expect(sm.randomBytes(16).equals(sm.randomBytes(16))).toBe(false);
  });

  it('blindIndex is a deterministic keyed base64url token, NFC-normalised', () => {
    const key = Buffer.alloc(32, 1);
    const t = sm.blindIndex(key, '11010519491231002X');
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sm.blindIndex(key, '11010519491231002X')).toBe(t);
    expect(sm.blindIndex(Buffer.alloc(32, 2), '11010519491231002X')).not.toBe(t);
    expect(intl.blindIndex(key, '11010519491231002X')).not.toBe(t);
    expect(sm.blindIndex(key, 'e\u0301')).toBe(sm.blindIndex(key, '\u00e9'));
    expect(() => sm.blindIndex(Buffer.alloc(4), 'x')).toThrow(RangeError);
  });
});
