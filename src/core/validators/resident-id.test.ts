import { describe, expect, it } from 'vitest';
import { residentIdCheckChar, validateResidentId } from './index.js';

const today = new Date('2025-06-15T12:00:00+08:00');
const v = (s: unknown) => validateResidentId(s, { today });

describe('validateResidentId (GB 11643)', () => {
  it('accepts the standard example 11010519491231002X', () => {
    const r = v('11010519491231002X');
    expect(r).toEqual({
      ok: true, value: '11010519491231002X', divisionCode: '110105', provinceCode: '11', birthDate: '1949-12-31', sex: 'female',
    });
  });

  it.each([
    ['530102199003071238', '1990-03-07', 'male'],
    ['532501198002290044', '1980-02-29', 'female'], // leap day
    ['440301200001010018', '2000-01-01', 'male'],
    ['350203198808080012', '1988-08-08', 'male'],
    ['532901197511110424', '1975-11-11', 'female'],
    ['650102196610160033', '1966-10-16', 'male'],
    ['530102190001010027', '1900-01-01', 'female'], // earliest accepted date
    ['810000199010100016', '1990-10-10', 'male'], // 港澳居民居住证
  ])('accepts %s', (id, birthDate, sex) => {
    const r = v(id);
    expect(r.ok).toBe(true);
    if (r.ok) expect([r.birthDate, r.sex]).toEqual([birthDate, sex]);
  });

  it('normalises lowercase x, spaces and full-width digits', () => {
    for (const raw of ['11010519491231002x', ' 110105 19491231 002X ', '１１０１０５１９４９１２３１００２Ｘ', '１１０１０５１９４９１２３１００２ｘ']) {
      const r = v(raw);
      expect(r.ok && r.value).toBe('11010519491231002X');
    }
  });

  it('computes check characters, including X and 0', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('53010219900307123')).toBe('8');
  });

  const reason = (s: unknown) => {
    const r = v(s);
    return r.ok ? 'ok' : r.reason;
  };

  it('reports empty input', () => {
    expect(reason('')).toBe('empty');
    expect(reason('   ')).toBe('empty');
    expect(reason(undefined)).toBe('empty');
    expect(reason(12345)).toBe('empty');
  });

  it('reports format errors, with a specific message for 15-digit legacy numbers', () => {
    for (const s of ['1101051949123100', '11010519491231002XX', '1101051949123100X2', '11010519491231002Y', 'ABCDEFGHIJKLMNOPQR']) {
      expect(reason(s)).toBe('format');
    }
    const r = v('110105491231002');
    expect(!r.ok && r.reason).toBe('format');
    expect(!r.ok && r.message['zh-CN']).toContain('15位');
  });

  it('reports an invalid province code', () => {
    for (const prefix of ['00', '10', '19', '24', '55', '72', '84', '99']) {
      const body = `${prefix}010519900307123`;
      expect(reason(body + residentIdCheckChar(body))).toBe('region');
    }
  });

  it('reports impossible, too early and future birth dates', () => {
    for (const date of ['19900230', '19900431', '19000229', '19891300', '19890000', '18991231', '20250616', '21000101']) {
      const body = `530102${date}123`;
      expect(reason(body + residentIdCheckChar(body))).toBe('birthdate');
    }
    const body = '53010220250615123'; // born "today" is fine
    expect(reason(body + residentIdCheckChar(body))).toBe('ok');
    expect(reason('530102202402290053')).toBe('ok'); // 2024 leap day
  });

  it('uses the date in China for "today"', () => {
    const body = '53010220250616123';
    const id = body + residentIdCheckChar(body);
    // 2025-06-15 17:00 UTC is already 2025-06-16 01:00 in Beijing.
    expect(validateResidentId(id, { today: new Date('2025-06-15T17:00:00Z') }).ok).toBe(true);
    expect(validateResidentId(id, { today: new Date('2025-06-15T15:00:00Z') }).ok).toBe(false);
  });

  it('reports a wrong check digit with a user-facing bilingual message', () => {
    const r = v('110105194912310021');
    expect(r).toEqual({
      ok: false,
      reason: 'checksum',
      message: { 'zh-CN': '身份证号码校验位不正确', en: 'The check digit of the resident ID number is wrong' },
    });
    expect(reason('530102199003071239')).toBe('checksum');
    expect(reason('530102199003071328')).toBe('checksum'); // transposed digits
  });
});
