// Mainland China mobile numbers: 11 digits, 1[3-9]xxxxxxxxx, optionally written with +86 / 0086 / 86.
import { fail, type ValidationResult } from './types.js';

export type MobileReason = 'empty' | 'format' | 'prefix';

export interface MobileInfo {
  /** E.164 form, e.g. +8613812345678. */
  e164: string;
}

export type MobileResult = ValidationResult<MobileInfo, MobileReason>;

export function validateMobile(input: unknown): MobileResult {
  if (typeof input !== 'string' || input.trim() === '') {
    return fail('empty', '请输入手机号码', 'Please enter the mobile phone number');
  }
  // Full-width digits → ASCII, then drop the separators people type: spaces, hyphens, dots, brackets.
  let s = input.normalize('NFKC').replace(/[\s\-.()（）]/g, '');
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  if (!/^\d{11}$/.test(s)) {
    return fail('format', '手机号码应为11位数字', 'The mobile phone number must have 11 digits');
  }
  if (!/^1[3-9]/.test(s)) {
    return fail('prefix', '手机号码号段不正确，应以13至19开头', 'The mobile phone number must start with 13 to 19');
  }
  return { ok: true, value: s, e164: `+86${s}` };
}
