// 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence, check.
import { clean, fail, PROVINCE_CODES, type ValidationResult } from './types.js';

export type ResidentIdReason = 'empty' | 'format' | 'region' | 'birthdate' | 'checksum';

export interface ResidentIdInfo {
  /** The six-digit address code (GB/T 2260 code at the time of issue). */
  divisionCode: string;
  provinceCode: string;
  /** ISO date, YYYY-MM-DD. */
  birthDate: string;
  /** The 17th digit: odd for male, even for female. */
  sex: 'male' | 'female';
}

export type ResidentIdResult = ValidationResult<ResidentIdInfo, ResidentIdReason>;

export interface ResidentIdOptions {
  /** "Today" for the not-in-the-future check (default: the current date in China, UTC+8). */
  today?: Date;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
/** Residence permits for Hong Kong, Macao and Taiwan residents (港澳台居民居住证) use 81/82/83. */
const ID_PROVINCES: ReadonlySet<string> = new Set([...PROVINCE_CODES, '83']);

/** Computes the GB 11643 check character for the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

// en-CA formats as YYYY-MM-DD. Built once: a formatter costs ~40 µs to create.
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
function chinaToday(today: Date): string {
  return CHINA_DAY.format(today);
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

export function validateResidentId(input: unknown, options: ResidentIdOptions = {}): ResidentIdResult {
  const s = clean(input).toUpperCase();
  if (s === '') return fail('empty', '请输入身份证号码', 'Please enter the resident ID number');
  if (/^\d{15}$/.test(s)) {
    return fail('format', '不支持15位旧身份证号码，请输入18位号码', '15-digit legacy ID numbers are not accepted; please enter the 18-digit number');
  }
  if (!/^\d{17}[\dX]$/.test(s)) {
    return fail('format', '身份证号码应为18位，前17位为数字，最后一位为数字或X', 'The resident ID number must be 18 characters: 17 digits followed by a digit or X');
  }
  const divisionCode = s.slice(0, 6);
  const provinceCode = s.slice(0, 2);
  if (!ID_PROVINCES.has(provinceCode)) {
    return fail('region', '身份证号码的地区码不正确', 'The region code in the resident ID number is not valid');
  }
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (y < 1900 || !isRealDate(y, m, d) || birthDate > chinaToday(options.today ?? new Date())) {
    return fail('birthdate', '身份证号码中的出生日期不正确', 'The date of birth in the resident ID number is not valid');
  }
  if (residentIdCheckChar(s) !== s[17]) {
    return fail('checksum', '身份证号码校验位不正确', 'The check digit of the resident ID number is wrong');
  }
  return {
    ok: true,
    value: s,
    divisionCode,
    provinceCode,
    birthDate,
    sex: Number(s[16]) % 2 === 1 ? 'male' : 'female',
  };
}
