// ajv errors → FieldErrors a resident can act on: one per bad field and rule, the field named by
// its title (「身份证号码」校验位不正确), rows and files counted from 1, never ajv's own text.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { escapeSegment, patternOf, splitPointer } from './fields.js';
import { kindMessage } from './kinds.js';
import type { CompiledForm } from './compile.js';
import type { FieldError, FieldInfo, Lang, LocalizedText } from './types.js';

const m = (zh: string, en: string): LocalizedText => ({ 'zh-CN': zh, en });
const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

const TYPE_NAMES: Record<string, LocalizedText> = {
  string: m('文本', 'text'), number: m('数字', 'a number'), integer: m('整数', 'a whole number'),
  boolean: m('是或否', 'yes or no'), object: m('一组信息', 'a group of fields'), array: m('列表', 'a list'), null: m('空值', 'empty'),
};
const FORMAT_NAMES: Record<string, LocalizedText> = {
  date: m('日期（YYYY-MM-DD）', 'date (YYYY-MM-DD)'), 'date-time': m('日期时间', 'date and time'), time: m('时间', 'time'),
  email: m('电子邮箱', 'e-mail address'), uri: m('网址', 'URL'), uuid: m('文件编号', 'file id'),
  'resident-id': m('居民身份证号码', 'resident ID number'), uscc: m('统一社会信用代码', 'unified social credit code'),
  'mobile-cn': m('手机号码', 'mobile number'), 'division-code': m('行政区划代码', 'division code'),
};

function typeName(t: unknown): LocalizedText {
  const list = (Array.isArray(t) ? t : String(t).split(',')).map((x) => TYPE_NAMES[x] ?? m(x, x));
  return m(list.map((x) => x['zh-CN']).join('或'), list.map((x) => x.en).join(' or '));
}

const list = (v: unknown[] = []) => m(v.map((x) => JSON.stringify(x).replace(/^"|"$/g, '')).join('、'), v.map((x) => JSON.stringify(x)).join(', '));

const COMPOSITE = new Set(['address', 'date-range', 'license-ref']);

/** Label of a data pointer: 「身份证号码」, 「子女信息」第 2 行「姓名」, 「材料」第 3 个文件, 「住址 · 详细地址」. */
export function labelOf(pointer: string, compiled: CompiledForm): LocalizedText {
  const segs = splitPointer(pointer);
  const parts: LocalizedText[] = [];
  const ambiguous = titleCounts(compiled);
  const title = (f: FieldInfo) => ({ zh: f.title ?? f.name, en: f.titleEn ?? f.title ?? f.name });
  let pattern = '';
  let prev: FieldInfo | undefined;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (/^\d+$/.test(s)) {
      const n = Number(s) + 1;
      parts.push(prev?.kind === 'attachment' ? m(`第 ${n} 个文件`, `file ${n}`) : prev?.kind === 'table' ? m(`第 ${n} 行`, `row ${n}`) : m(`第 ${n} 项`, `item ${n}`));
      pattern += '/*';
      prev = undefined;
      continue;
    }
    pattern += `/${escapeSegment(s)}`;
    const f = compiled.fields.get(pattern);
    if (!f) {
      parts.push(m(`「${s}」`, s));
      break;
    }
    const named = i === segs.length - 1 || /^\d+$/.test(segs[i + 1]!);
    if (named) {
      const names = [title(f)];
      // A kind's own sub-field (详细地址 of an address) and a title used twice are named with their group.
      if (prev?.title && (COMPOSITE.has(prev.kind ?? '') || (f.title && (ambiguous.get(f.title) ?? 0) > 1))) names.unshift(title(prev));
      parts.push(m(`「${names.map((x) => x.zh).join(' · ')}」`, names.map((x) => x.en).join(' › ')));
    }
    prev = f;
  }
  if (parts.length === 0) return m('「表单」', 'The form');
  return m(parts.map((p) => p['zh-CN']).join(''), parts.map((p) => p.en).join(', '));
}

const counts = new WeakMap<CompiledForm, Map<string, number>>();
function titleCounts(c: CompiledForm): Map<string, number> {
  let out = counts.get(c);
  if (!out) {
    out = new Map();
    for (const f of c.fields.values()) if (f.title && !f.pattern.endsWith('/*')) out.set(f.title, (out.get(f.title) ?? 0) + 1);
    counts.set(c, out);
  }
  return out;
}

function fieldAt(pointer: string, compiled: CompiledForm): FieldInfo | undefined {
  return compiled.fields.get(patternOf(pointer));
}

function text(e: ErrorObject, pointer: string, compiled: CompiledForm): LocalizedText {
  const p = e.params as Record<string, any>;
  const kind = fieldAt(pointer, compiled)?.kind ?? null;
  switch (e.keyword) {
    case 'required': return m('为必填项', 'is required');
    case 'dependentRequired': {
      const dep = labelOf(`${pointer.slice(0, pointer.lastIndexOf('/'))}/${escapeSegment(p.property)}`, compiled);
      return m(`为必填项（已填写${dep['zh-CN']}）`, `is required when ${dep.en} is given`);
    }
    case 'type': {
      const tn = typeName(p.type);
      return m(`应为${tn['zh-CN']}`, `must be ${tn.en}`);
    }
    case 'minLength': return p.limit === 1 ? m('不能为空', 'must not be empty') : m(`至少需要 ${p.limit} 个字`, `needs at least ${p.limit} characters`);
    case 'maxLength': return m(`最多 ${p.limit} 个字`, `takes at most ${p.limit} characters`);
    case 'minimum': return m(`不能小于 ${p.limit}`, `must be at least ${p.limit}`);
    case 'exclusiveMinimum': return m(`应大于 ${p.limit}`, `must be more than ${p.limit}`);
    case 'maximum': return m(`不能大于 ${p.limit}`, `must be at most ${p.limit}`);
    case 'exclusiveMaximum': return m(`应小于 ${p.limit}`, `must be less than ${p.limit}`);
    case 'multipleOf': return m(`应为 ${p.multipleOf} 的整数倍`, `must be a multiple of ${p.multipleOf}`);
    case 'pattern': return kind === 'money' ? m('应为以元为单位的金额，最多两位小数，如 1280.50', 'must be an amount in yuan with at most two decimals, e.g. 1280.50') : m('格式不正确', 'has the wrong format');
    case 'format': {
      const f = FORMAT_NAMES[p.format] ?? m(p.format, p.format);
      return m(`不是有效的${f['zh-CN']}`, `is not a valid ${f.en}`);
    }
    case 'enum': { const l = list(p.allowedValues); return m(`只能是：${l['zh-CN']}`, `must be one of: ${l.en}`); }
    case 'const': { const l = list([p.allowedValue]); return m(`只能是 ${l['zh-CN']}`, `must be ${l.en}`); }
    case 'additionalProperties':
    case 'unevaluatedProperties': return m('不是本表单的字段', 'is not a field of this form');
    case 'minItems': return kind === 'table' ? m(`至少填写 ${p.limit} 行`, `needs at least ${n(p.limit, 'row')}`) : kind === 'attachment' ? m(`至少上传 ${p.limit} 个文件`, `needs at least ${n(p.limit, 'file')}`) : m(`至少选择 ${p.limit} 项`, `needs at least ${n(p.limit, 'item')}`);
    case 'maxItems': return kind === 'table' ? m(`最多填写 ${p.limit} 行`, `takes at most ${n(p.limit, 'row')}`) : kind === 'attachment' ? m(`最多上传 ${p.limit} 个文件`, `takes at most ${n(p.limit, 'file')}`) : m(`最多选择 ${p.limit} 项`, `takes at most ${n(p.limit, 'item')}`);
    case 'uniqueItems': return kind === 'attachment' ? m('不能重复上传同一文件', 'contains the same file twice') : m(`第 ${p.j + 1} 项与第 ${p.i + 1} 项重复`, `has item ${p.i + 1} repeated as item ${p.j + 1}`);
    case 'false schema': return m('不应填写', 'must be left empty');
    case 'x-kind': return kindMessage(p.kind, p.reason, p);
    default: return m('取值不正确', 'is invalid');
  }
}

const WRAPPERS = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'not', 'contains', 'propertyNames']);

/** Every ajv error as a FieldError (pointer `/data/…`), one per field and rule, in form order. */
export function toFieldErrors(errors: ErrorObject[], compiled: CompiledForm, lang: Lang, ignore: (pointer: string) => boolean = () => false): FieldError[] {
  const seen = new Set<string>();
  const out: Array<FieldError & { at: string }> = [];
  const withKind = new Set(errors.filter((e) => e.keyword === 'x-kind').map((e) => e.instancePath));
  for (const e of errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    let at = e.instancePath;
    if (e.keyword === 'required') at += `/${escapeSegment((e.params as any).missingProperty)}`;
    if (e.keyword === 'dependentRequired') at += `/${escapeSegment((e.params as any).missingProperty)}`;
    if (e.keyword === 'additionalProperties') at += `/${escapeSegment((e.params as any).additionalProperty)}`;
    if (e.keyword === 'unevaluatedProperties') at += `/${escapeSegment((e.params as any).unevaluatedProperty)}`;
    // The kind's own message says more than the format or pattern that restates it.
    if ((e.keyword === 'format' || e.keyword === 'pattern') && withKind.has(e.instancePath)) continue;
    if (ignore(at)) continue;
    const code = e.keyword === 'x-kind' ? String((e.params as any).reason) : e.keyword === 'false schema' ? 'forbidden' : e.keyword;
    const key = `${at}|${code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const label = labelOf(at, compiled);
    const body = text(e, at, compiled);
    out.push({ at, pointer: `/data${at}`, code, message: lang === 'en' ? `${label.en} ${body.en}` : `${label['zh-CN']}${body['zh-CN']}` });
  }
  return sortByForm(out, compiled).map(({ at: _at, ...fe }) => fe);
}

/** Errors in the order the form reads (document order of fields, then rows). */
export function sortByForm<T extends { pointer: string }>(errors: T[], compiled: CompiledForm): T[] {
  const rank = (pointer: string) => {
    let p = patternOf(pointer.replace(/^\/data/, ''));
    while (p && !compiled.order.has(p)) p = p.slice(0, p.lastIndexOf('/'));
    return compiled.order.get(p) ?? Number.MAX_SAFE_INTEGER;
  };
  return errors.map((e, i) => ({ e, i, r: rank(e.pointer) })).sort((a, b) => a.r - b.r || a.e.pointer.localeCompare(b.e.pointer, 'en', { numeric: true }) || a.i - b.i).map((x) => x.e);
}
