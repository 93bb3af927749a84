// Administrative-division codes: GB/T 2260 (6 digits: province 2 + prefecture 2 + county 2), extended
// by the statistical codes to township (9 digits) and village (12 digits). The 12-digit statistical
// form pads higher levels with zeros (530102000000 is the county 530102): both forms are accepted and
// `canonical` is the shortest form. Shape and hierarchy only; existence is checked against the
// division table elsewhere.
import { clean, fail, PROVINCE_CODES, type ValidationResult } from './types.js';

export type DivisionLevel = 'province' | 'prefecture' | 'county' | 'township' | 'village';
export type DivisionReason = 'empty' | 'format' | 'region' | 'structure';

export interface DivisionInfo {
  level: DivisionLevel;
  /** Shortest form: 6 digits for county and above, 9 for township, 12 for village. */
  canonical: string;
  /** Canonical code of the parent, null for a province. */
  parent: string | null;
  provinceCode: string;
}

export type DivisionResult = ValidationResult<DivisionInfo, DivisionReason>;

/** Digits of the canonical code that a scope at each level fixes. */
const PREFIX_LENGTH: Record<DivisionLevel, number> = { province: 2, prefecture: 4, county: 6, township: 9, village: 12 };

export function validateDivisionCode(input: unknown): DivisionResult {
  const s = clean(input);
  if (s === '') return fail('empty', '请输入行政区划代码', 'Please enter the administrative division code');
  if (!/^(\d{6}|\d{9}|\d{12})$/.test(s)) {
    return fail('format', '行政区划代码应为6位、9位或12位数字', 'The administrative division code must have 6, 9 or 12 digits');
  }
  const provinceCode = s.slice(0, 2);
  if (!PROVINCE_CODES.has(provinceCode)) {
    return fail('region', '行政区划代码的省级代码不正确', 'The province part of the administrative division code is not valid');
  }
  const full = s.padEnd(12, '0');
  const m = full.slice(2, 4);
  const c = full.slice(4, 6);
  const t = full.slice(6, 9);
  const v = full.slice(9, 12);
  // A province has nothing below it in its own code; a village needs a township. A township may sit
  // directly under a prefecture (441900 东莞市 has no counties), so c = 00 with t ≠ 000 is allowed.
  if ((m === '00' && (c !== '00' || t !== '000')) || (t === '000' && v !== '000')) {
    return fail('structure', '行政区划代码的层级结构不正确', 'The levels of the administrative division code do not fit together');
  }
  let level: DivisionLevel;
  let canonical: string;
  let parent: string | null;
  if (v !== '000') {
    level = 'village';
    canonical = full;
    parent = full.slice(0, 9);
  } else if (t !== '000') {
    level = 'township';
    canonical = full.slice(0, 9);
    parent = full.slice(0, 6);
  } else if (c !== '00') {
    level = 'county';
    canonical = full.slice(0, 6);
    parent = `${full.slice(0, 4)}00`;
  } else if (m !== '00') {
    level = 'prefecture';
    canonical = full.slice(0, 6);
    parent = `${provinceCode}0000`;
  } else {
    level = 'province';
    canonical = full.slice(0, 6);
    parent = null;
  }
  return { ok: true, value: s, level, canonical, parent, provinceCode };
}

function mustParse(code: string): Extract<DivisionResult, { ok: true }> {
  const r = validateDivisionCode(code);
  if (!r.ok) throw new RangeError(`invalid division code ${JSON.stringify(code)}: ${r.message.en}`);
  return r;
}

/** Level of a valid code; throws RangeError for an invalid one. */
export function divisionLevel(code: string): DivisionLevel {
  return mustParse(code).level;
}

/** Canonical parent code (530102 → 530100 → 530000 → null); throws RangeError for an invalid code. */
export function parentDivisionCode(code: string): string | null {
  return mustParse(code).parent;
}

/** All ancestors from the province down to the parent, canonical form. */
export function divisionAncestors(code: string): string[] {
  const out: string[] = [];
  for (let p = parentDivisionCode(code); p !== null; p = parentDivisionCode(p)) out.unshift(p);
  return out;
}

/**
 * True when `code` lies inside `scope` (or is `scope`): 530102 is within 530100 and 530000.
 * The scope's level decides how many digits must match (province 2, prefecture 4, county 6,
 * township 9, village 12). Invalid codes are never within anything.
 */
export function isWithinDivision(code: string, scope: string): boolean {
  const c = validateDivisionCode(code);
  const sc = validateDivisionCode(scope);
  if (!c.ok || !sc.ok) return false;
  const n = PREFIX_LENGTH[sc.level];
  return c.canonical.padEnd(12, '0').slice(0, n) === sc.canonical.padEnd(12, '0').slice(0, n);
}
