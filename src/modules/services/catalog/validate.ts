// Checks an item before it is published: its JSON Schema shape (every error at once, ajv
// allErrors) and the rules a schema cannot say — 承诺时限 ≤ 法定时限, 即办件 are finished on the
// spot, fees listed exactly when charged, material ids unique. Each problem names its field.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { formats } from '../../../core/validators/index.js';
import { fieldErrors } from '../../../core/http/validation.js';
import type { FieldError, Lang } from '../../../core/http/errors.js';
import { DEFAULT_ACCEPT, DEFAULT_MAX_BYTES, ItemInput, labelOf } from './schema.js';

let compiled: ValidateFunction | null = null;
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, formats });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    compiled = ajv.compile(ItemInput);
  }
  return compiled;
}

const msg = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

/** Prefixes a generic message ("必填项") with the field's name (「事项名称」必填项). */
function named(e: FieldError, base: string, lang: Lang): FieldError {
  const label = labelOf(e.pointer.slice(base.length), lang);
  return label ? { ...e, message: lang === 'en' ? `${label} ${e.message}` : `${label}${e.message}` } : e;
}

/**
 * Every problem of `raw` as an item, with pointers under `base` (e.g. `/body`). Empty = valid.
 * Semantic rules run only on fields that passed the schema, so nothing is reported twice.
 */
export function itemProblems(raw: unknown, lang: Lang, base = ''): FieldError[] {
  const validate = validator();
  const ok = validate(raw);
  const out: FieldError[] = ok ? [] : fieldErrors(validate.errors ?? [], undefined, lang).map((e) => named({ ...e, pointer: base + e.pointer }, base, lang));
  const bad = new Set(out.map((e) => e.pointer));
  const it = (raw && typeof raw === 'object' ? raw : {}) as Partial<ItemInput>;
  const fine = (p: string) => !bad.has(base + p);
  const add = (pointer: string, code: string, zh: string, en: string) => out.push({ pointer: base + pointer, code, message: msg(lang, zh, en) });

  if (Number.isInteger(it.legalDays) && Number.isInteger(it.promisedDays) && fine('/legalDays') && fine('/promisedDays') && it.promisedDays! > it.legalDays!) {
    add('/promisedDays', 'promised-exceeds-legal', `「承诺办结时限」（${it.promisedDays} 个工作日）不能超过「法定办结时限」（${it.legalDays} 个工作日）`,
      `Promised time limit (${it.promisedDays} working days) must not exceed the statutory limit (${it.legalDays})`);
  }
  if (it.handling === 'instant' && Number.isInteger(it.promisedDays) && it.promisedDays !== 0 && fine('/promisedDays')) {
    add('/promisedDays', 'instant', '即办件当场办结，「承诺办结时限」应为 0', 'An instant item is finished on the spot: the promised limit must be 0');
  }
  if (it.handling === 'promised' && it.promisedDays === 0 && fine('/promisedDays')) {
    add('/promisedDays', 'promised', '承诺件的「承诺办结时限」至少为 1 个工作日（当场办结的请选择即办件）', 'A promised item needs a promised limit of at least 1 working day');
  }
  const fees = it.fees;
  if (fees && typeof fees === 'object' && Array.isArray(fees.items) && typeof fees.charged === 'boolean') {
    if (fees.charged && fees.items.length === 0) add('/fees/items', 'minItems', '收费事项应列明「收费项目」及收费依据', 'A charged item must list its fee items');
    if (!fees.charged && fees.items.length > 0) add('/fees/items', 'not-charged', '不收费的事项不应列出「收费项目」', 'An item without fees must not list fee items');
  }
  if (Array.isArray(it.channels) && it.channels.includes('online') && it.onlineDepth === 0 && fine('/onlineDepth')) {
    add('/onlineDepth', 'online-depth', '可网上办理的事项「网上办理深度」至少为 1', 'An item handled online needs an online depth of at least 1');
  }
  if (Array.isArray(it.materials)) {
    const seen = new Map<string, number>();
    it.materials.forEach((m, i) => {
      if (!m || typeof m.id !== 'string') return;
      const first = seen.get(m.id);
      if (first !== undefined) add(`/materials/${i}/id`, 'duplicate', `第 ${i + 1} 项申请材料的「材料标识」${m.id} 与第 ${first + 1} 项重复`, `Material ${i + 1} repeats the id ${m.id} of material ${first + 1}`);
      else seen.set(m.id, i);
    });
  }
  return out;
}

/** Defaults filled in, ready to store: implementation code, material file rules, keywords. */
export function normalizeItem(input: ItemInput): ItemInput & { code: string; keywords: string[] } {
  return {
    ...input,
    code: input.code ?? `${input.basicCode}${input.division.padEnd(12, '0')}`,
    keywords: input.keywords ?? [],
    materials: input.materials.map((m) => ({ ...m, accept: m.accept ?? DEFAULT_ACCEPT, maxBytes: m.maxBytes ?? DEFAULT_MAX_BYTES })),
  };
}
