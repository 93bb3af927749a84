// GB/T 36904 e-license identifiers:
//   1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>
// The check character is ISO/IEC 7064 MOD 37,36 (hybrid system, alphabet 0-9A-Z) over the
// concatenation of type code, issuer code, serial and version (domain-standards §4.3).
import { randomBytes } from 'node:crypto';

export const LICENSE_ROOT = '1.2.156.3005.2';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const M = 36;

/** The MOD 37,36 check character of `text` (characters from 0-9A-Z; lowercase accepted). */
export function mod3736CheckChar(text: string): string {
  let p = M;
  for (const ch of text.toUpperCase()) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new RangeError(`character ${JSON.stringify(ch)} is outside 0-9A-Z`);
    const s = (p + v) % M || M;
    p = (2 * s) % (M + 1);
  }
  return ALPHABET[(M + 1 - p) % M]!;
}

export interface LicenseIdentifierParts {
  typeCode: string;
  issuerCode: string;
  serial: string;
  /** Three digits, `001` for the first version. */
  version: string;
}

/** Type code: the defining body's 18-character USCC + 3 digits. */
export const TYPE_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}\d{3}$/;
const ISSUER_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const SERIAL = /^[0-9A-Z]{1,40}$/;
const VERSION = /^\d{3}$/;

export function formatIdentifier(parts: LicenseIdentifierParts): string {
  const body = `${parts.typeCode}${parts.issuerCode}${parts.serial}${parts.version}`;
  return `${LICENSE_ROOT}.${parts.typeCode}.${parts.issuerCode}.${parts.serial}.${parts.version}.${mod3736CheckChar(body)}`;
}

/** 20 random uppercase letters and digits, as one provincial guide does (unguessable). */
export function randomSerial(): string {
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => ALPHABET[b % 36]).join('');
}

export type IdentifierProblem = 'format' | 'check';
export type ParsedIdentifier =
  | { ok: true; parts: LicenseIdentifierParts; check: string }
  | { ok: false; reason: IdentifierProblem; message: { 'zh-CN': string; en: string } };

/**
 * Parses and checks an identifier. Strict about structure (so a typo is reported as such) and
 * tolerant only about case; the check character must match.
 */
export function parseIdentifier(raw: string): ParsedIdentifier {
  const text = (raw ?? '').trim().toUpperCase();
  const format = { ok: false as const, reason: 'format' as const, message: { 'zh-CN': '电子证照标识格式不正确，应为 1.2.156.3005.2.类型代码.颁证单位代码.流水号.版本号.校验位', en: 'Malformed e-license identifier: expected 1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>' } };
  if (!text.startsWith(`${LICENSE_ROOT}.`)) return format;
  const rest = text.slice(LICENSE_ROOT.length + 1).split('.');
  if (rest.length !== 5) return format;
  const [typeCode, issuerCode, serial, version, check] = rest as [string, string, string, string, string];
  if (!TYPE_CODE.test(typeCode) || !ISSUER_CODE.test(issuerCode) || !SERIAL.test(serial) || !VERSION.test(version) || !/^[0-9A-Z]$/.test(check)) return format;
  if (mod3736CheckChar(`${typeCode}${issuerCode}${serial}${version}`) !== check) {
    return { ok: false, reason: 'check', message: { 'zh-CN': '电子证照标识校验位不正确，请核对标识是否抄错', en: 'The check character of the e-license identifier is wrong; the identifier was probably mistyped' } };
  }
  return { ok: true, parts: { typeCode, issuerCode, serial, version }, check };
}
