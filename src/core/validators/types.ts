// Shared result shapes for the form validators. Messages are user-facing, zh-CN first.

export interface LocalizedText {
  'zh-CN': string;
  en: string;
}

export interface ValidationFailure<R extends string = string> {
  ok: false;
  reason: R;
  message: LocalizedText;
}

/** `value` is the normalised form: store and compare that, never the raw input. */
export type ValidationResult<T extends object, R extends string> = ({ ok: true; value: string } & T) | ValidationFailure<R>;

export function fail<R extends string>(reason: R, zh: string, en: string): ValidationFailure<R> {
  return { ok: false, reason, message: { 'zh-CN': zh, en } };
}

/**
 * Common input clean-up: NFKC folds full-width digits and letters (１２３ＡＢ → 123AB, as typed with
 * Chinese IMEs) to ASCII; whitespace is removed. Non-strings become ''.
 */
export function clean(input: unknown): string {
  if (typeof input !== 'string') return '';
  return input.normalize('NFKC').replace(/\s+/g, '');
}

/**
 * GB/T 2260 province-level codes (first two digits). 71 Taiwan, 81 Hong Kong, 82 Macao.
 * 10 is not a province: USCCs of national-level bodies carry region 100000 (checked separately).
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82',
]);
