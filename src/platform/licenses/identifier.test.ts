import { describe, expect, it } from 'vitest';
import { formatIdentifier, mod3736CheckChar, parseIdentifier, randomSerial } from './identifier.js';

// Real identifiers published in public integration code for national licence types (found by code
// search; see domain-standards §4.3). A vendor's fifth sample uses a non-standard variant and is
// deliberately not here.
const REAL = [
  '1.2.156.3005.2.11100000000013338W087.11370800MB28559184.37080001202411010001.001.3',
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S',
  '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
  '1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0',
];

/** An independent formulation (ISO 7064 validation form): processing the check too must end in 1. */
function validatesIndependently(body: string, check: string): boolean {
  const value = (c: string) => (/\d/.test(c) ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  let product = 36;
  let sum = 0;
  for (const c of body + check) {
    sum = (product + value(c)) % 36;
    if (sum === 0) sum = 36;
    product = (sum * 2) % 37;
  }
  return sum % 36 === 1;
}

describe('GB/T 36904 identifier', () => {
  it('reproduces the check character of real identifiers', () => {
    for (const id of REAL) {
      const [, , , , , type, issuer, serial, version, check] = id.split('.');
      expect(mod3736CheckChar(`${type}${issuer}${serial}${version}`)).toBe(check);
      expect(parseIdentifier(id).ok).toBe(true);
    }
  });

  it('agrees with an independent implementation on random bodies', () => {
    for (let i = 0; i < 500; i++) {
      const body = `53000000000000000X${String(i % 1000).padStart(3, '0')}${randomSerial()}001`;
      const check = mod3736CheckChar(body);
      expect(validatesIndependently(body, check)).toBe(true);
      const wrong = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.replace(check, '')[i % 35]!;
      expect(validatesIndependently(body, wrong)).toBe(false);
    }
  });

  it('detects every single-character substitution and adjacent transposition', () => {
    const id = formatIdentifier({ typeCode: '11530000015000000X001', issuerCode: '11530102015000001P', serial: 'A1B2C3D4E5F6G7H8J9K0', version: '001' });
    expect(parseIdentifier(id).ok).toBe(true);
    const serialAt = id.indexOf('A1B2');
    for (let i = serialAt; i < serialAt + 20; i++) {
      const swapped = id.slice(0, i) + (id[i] === 'Z' ? 'Y' : 'Z') + id.slice(i + 1);
      expect(parseIdentifier(swapped)).toMatchObject({ ok: false, reason: 'check' });
      if (id[i] !== id[i + 1] && i + 1 < serialAt + 20) {
        const transposed = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
        expect(parseIdentifier(transposed)).toMatchObject({ ok: false, reason: 'check' });
      }
    }
  });

  it('tells a malformed identifier from a wrong check character', () => {
    expect(parseIdentifier('1.2.156.3005.2.abc')).toMatchObject({ ok: false, reason: 'format' });
    expect(parseIdentifier('2.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U')).toMatchObject({ ok: false, reason: 'format' });
    const bad = parseIdentifier('1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.V');
    expect(bad).toMatchObject({ ok: false, reason: 'check' });
    if (!bad.ok) expect(bad.message['zh-CN']).toContain('校验位');
    expect(parseIdentifier(REAL[2]!.toLowerCase()).ok).toBe(true);
  });
});
