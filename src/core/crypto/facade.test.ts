import { describe, expect, it } from 'vitest';
import { createCrypto, type CryptoProfile } from './index.js';

describe('createCrypto', () => {
  it('defaults to the sm profile and shares one frozen facade per profile', () => {
    expect(createCrypto().profile).toBe('sm');
    expect(createCrypto('sm')).toBe(createCrypto());
    expect(createCrypto('intl').profile).toBe('intl');
    expect(Object.isFrozen(createCrypto('intl'))).toBe(true);
  });

  it('refuses unknown profiles', () => {
    expect(() => createCrypto('rsa' as CryptoProfile)).toThrow(/unknown crypto profile/);
  });

  it('matches the shape the audit module relies on', () => {
    for (const profile of ['sm', 'intl'] as const) {
      const c = createCrypto(profile);
      const pair = c.generateSigningKey();
      const pem = c.publicKeyPem(pair);
      expect(pem).toBe(pair.publicKeyPem);
      expect(c.keyId(pair.publicKey)).toMatch(/^[0-9a-f]{16}$/);
      const data = Buffer.from('chain head');
      expect(c.verify(pair.publicKey, data, c.sign(pair.privateKey, data))).toBe(true);
      expect(c.verify(pem, data, c.sign(pair.privateKey, data))).toBe(true);
    }
  });
});
