import { describe, expect, it } from 'vitest';
import { divisionAncestors, divisionLevel, isWithinDivision, parentDivisionCode, validateDivisionCode } from './index.js';

describe('validateDivisionCode', () => {
  it.each([
    ['530000', 'province', '530000', null],
    ['530100', 'prefecture', '530100', '530000'],
    ['530102', 'county', '530102', '530100'],
    ['532301', 'county', '532301', '532300'],
    ['429004', 'county', '429004', '429000'], // 省直辖县级 (仙桃)
    ['110105', 'county', '110105', '110100'],
    ['530102001', 'township', '530102001', '530102'],
    ['441900003', 'township', '441900003', '441900'], // township directly under a prefecture (东莞)
    ['530102001001', 'village', '530102001001', '530102001'],
    ['530102001000', 'township', '530102001', '530102'], // 12-digit statistical padding
    ['530102000000', 'county', '530102', '530100'],
    ['530000000000', 'province', '530000', null],
  ] as const)('%s is a %s', (code, level, canonical, parent) => {
    expect(validateDivisionCode(code)).toEqual({ ok: true, value: code, level, canonical, parent, provinceCode: code.slice(0, 2) });
  });

  const reason = (s: unknown) => {
    const r = validateDivisionCode(s);
    return r.ok ? 'ok' : r.reason;
  };

  it('reports empty input and bad shapes', () => {
    expect(reason('')).toBe('empty');
    expect(reason(42)).toBe('empty');
    for (const s of ['5301', '5301020', '53010200', '5301020010', '53010200100', '5301020010011', '53010a']) expect(reason(s)).toBe('format');
  });

  it('reports unknown provinces', () => {
    for (const s of ['000000', '100000', '540000', '830000', '990000', '720100']) {
      expect(reason(s)).toBe(s === '540000' ? 'ok' : 'region');
    }
  });

  it('reports codes whose levels do not fit together', () => {
    // county or township under "prefecture 00"; village without a township.
    for (const s of ['530001', '530000001', '530102000001', '530000000001']) expect(reason(s)).toBe('structure');
  });

  it('normalises full-width digits and spaces', () => {
    const r = validateDivisionCode(' ５３０１０２ ');
    expect(r.ok && r.value).toBe('530102');
  });
});

describe('hierarchy helpers', () => {
  it('parentDivisionCode walks up one level and throws on invalid codes', () => {
    expect(parentDivisionCode('530102')).toBe('530100');
    expect(parentDivisionCode('530100')).toBe('530000');
    expect(parentDivisionCode('530000')).toBeNull();
    expect(parentDivisionCode('530102001001')).toBe('530102001');
    expect(() => parentDivisionCode('5301')).toThrow(RangeError);
  });

  it('divisionLevel and divisionAncestors', () => {
    expect(divisionLevel('530102001')).toBe('township');
    expect(divisionAncestors('530102001001')).toEqual(['530000', '530100', '530102', '530102001']);
    expect(divisionAncestors('530000')).toEqual([]);
  });

  it('isWithinDivision uses the scope level as the prefix length', () => {
    expect(isWithinDivision('530102', '530100')).toBe(true);
    expect(isWithinDivision('530102', '530000')).toBe(true);
    expect(isWithinDivision('530102', '530102')).toBe(true);
    expect(isWithinDivision('530102001001', '530102')).toBe(true);
    expect(isWithinDivision('530102001001', '530102001')).toBe(true);
    expect(isWithinDivision('530102001001', '530100000000')).toBe(true);
    expect(isWithinDivision('441900003', '441900')).toBe(true);
    expect(isWithinDivision('530100', '530000')).toBe(true);

    expect(isWithinDivision('530100', '530102')).toBe(false); // a parent is not within its child
    expect(isWithinDivision('530000', '530100')).toBe(false);
    expect(isWithinDivision('530302', '530100')).toBe(false);
    expect(isWithinDivision('520102', '530000')).toBe(false);
    expect(isWithinDivision('530102002001', '530102001')).toBe(false);
    expect(isWithinDivision('bogus', '530000')).toBe(false);
    expect(isWithinDivision('530102', 'bogus')).toBe(false);
  });
});
