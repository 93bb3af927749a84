// ajv errors → one FieldError per bad field, with a message a resident can act on.
import type { FieldError, Lang } from './errors.js';

export interface AjvLikeError {
  keyword: string;
  instancePath: string;
  params: Record<string, any>;
  message?: string;
}

const FORMAT_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  'resident-id': { 'zh-CN': '居民身份证号码', en: 'resident ID number' },
  uscc: { 'zh-CN': '统一社会信用代码', en: 'unified social credit code' },
  'mobile-cn': { 'zh-CN': '手机号码', en: 'mobile number' },
  'division-code': { 'zh-CN': '行政区划代码', en: 'division code' },
  date: { 'zh-CN': '日期（YYYY-MM-DD）', en: 'date (YYYY-MM-DD)' },
  'date-time': { 'zh-CN': '日期时间', en: 'date-time' },
  email: { 'zh-CN': '电子邮箱', en: 'e-mail address' },
  uri: { 'zh-CN': '网址', en: 'URL' },
  uuid: { 'zh-CN': '编号（UUID）', en: 'UUID' },
};

const TYPE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'a string' },
  number: { 'zh-CN': '数字', en: 'a number' },
  integer: { 'zh-CN': '整数', en: 'an integer' },
  boolean: { 'zh-CN': '是/否', en: 'true or false' },
  object: { 'zh-CN': '对象', en: 'an object' },
  array: { 'zh-CN': '列表', en: 'a list' },
  null: { 'zh-CN': '空值', en: 'null' },
};

function typeName(t: string | string[], lang: Lang): string {
  const list = Array.isArray(t) ? t : String(t).split(',');
  return list.map((x) => TYPE_NAMES[x]?.[lang] ?? x).join(lang === 'en' ? ' or ' : '或');
}

function message(e: AjvLikeError, lang: Lang): string {
  const p = e.params;
  const zh = lang === 'zh-CN';
  switch (e.keyword) {
    case 'required':
      return zh ? '必填项' : 'is required';
    case 'type':
      return zh ? `应为${typeName(p.type, lang)}` : `must be ${typeName(p.type, lang)}`;
    case 'minLength':
      return zh ? `至少 ${p.limit} 个字符` : `must have at least ${p.limit} characters`;
    case 'maxLength':
      return zh ? `最多 ${p.limit} 个字符` : `must have at most ${p.limit} characters`;
    case 'minimum':
    case 'exclusiveMinimum':
      return zh ? `不能小于${e.keyword === 'exclusiveMinimum' ? '或等于' : ''} ${p.limit}` : `must be ${p.comparison} ${p.limit}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return zh ? `不能大于${e.keyword === 'exclusiveMaximum' ? '或等于' : ''} ${p.limit}` : `must be ${p.comparison} ${p.limit}`;
    case 'pattern':
      return zh ? '格式不正确' : 'has the wrong format';
    case 'format': {
      const f = FORMAT_NAMES[p.format];
      return zh ? `不是有效的${f?.[lang] ?? p.format}` : `is not a valid ${f?.[lang] ?? p.format}`;
    }
    case 'enum':
      return zh ? `只能是：${(p.allowedValues ?? []).join('、')}` : `must be one of: ${(p.allowedValues ?? []).join(', ')}`;
    case 'const':
      return zh ? `只能是 ${p.allowedValue}` : `must be ${p.allowedValue}`;
    case 'additionalProperties':
      return zh ? '不允许的字段' : 'is not an allowed field';
    case 'minItems':
      return zh ? `至少 ${p.limit} 项` : `must have at least ${p.limit} items`;
    case 'maxItems':
      return zh ? `最多 ${p.limit} 项` : `must have at most ${p.limit} items`;
    case 'uniqueItems':
      return zh ? '不能有重复项' : 'must not contain duplicates';
    default:
      return zh ? '取值不正确' : (e.message ?? 'is invalid');
  }
}

/** Converts ajv errors (with `allErrors`) into FieldErrors, one per field and rule. */
export function fieldErrors(errors: AjvLikeError[], context: string | undefined, lang: Lang): FieldError[] {
  const base = context ? `/${context === 'querystring' ? 'query' : context}` : '';
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of errors) {
    // anyOf/oneOf wrappers repeat the inner errors; the inner ones are the useful ones.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    let pointer = base + e.instancePath;
    if (e.keyword === 'required') pointer += `/${e.params.missingProperty}`;
    if (e.keyword === 'additionalProperties') pointer += `/${e.params.additionalProperty}`;
    const key = `${pointer}|${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, code: e.keyword, message: message(e, lang) });
  }
  return out;
}
