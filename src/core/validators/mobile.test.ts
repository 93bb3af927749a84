import { describe, expect, it } from 'vitest';
import { validateMobile } from './index.js';

const reason = (s: unknown) => {
  const r = validateMobile(s);
  return r.ok ? 'ok' : r.reason;
};

describe('validateMobile', () => {
  it('accepts 11-digit numbers starting 13–19', () => {
    for (const n of ['13012345678', '13812345678', '14700000000', '15912345678', '16612345678', '17712345678', '18888888888', '19912345678']) {
      expect(validateMobile(n)).toEqual({ ok: true, value: n, e164: `+86${n}` });
    }
  });

  it('normalises country prefixes, separators and full-width digits', () => {
    for (const raw of ['+8613812345678', '+86 138 1234 5678', '008613812345678', '8613812345678', '138-1234-5678', '(+86) 138.1234.5678', '１３８１２３４５６７８', '＋８６ １３８１２３４５６７８']) {
      const r = validateMobile(raw);
      expect(r.ok && r.value).toBe('13812345678');
    }
  });

  it('reports empty input', () => {
    expect(reason('')).toBe('empty');
    expect(reason('  ')).toBe('empty');
    expect(reason(undefined)).toBe('empty');
  });

  it('reports the wrong number of digits or non-digits', () => {
    for (const s of ['1381234567', '138123456789', '1381234567a', '+85291234567', '0871-65123456', '+1 415 555 0100']) {
      expect(reason(s)).toBe('format');
    }
  });

  it('reports numbers outside the mobile segments', () => {
    for (const s of ['12812345678', '10012345678', '11012345678', '23812345678', '08712345678']) expect(reason(s)).toBe('prefix');
    expect(validateMobile('12812345678')).toMatchObject({ message: { 'zh-CN': '手机号码号段不正确，应以13至19开头' } });
  });
});
