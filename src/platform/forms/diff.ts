// A field-level diff of form data for case history: what changed, where, from what to what.
// Objects are compared key by key and table rows index by index; a list of plain values (an
// attachment list, a multi-select) is one value. Pointers are relative to the data
// (`/applicant/mobile`); an absent side is left out of the entry.
import { compileForm } from './compile.js';
import { deepEqual, escapeSegment, isObject } from './fields.js';
import { labelOf } from './messages.js';
import type { FormLike, Lang } from './types.js';

export interface DataChange {
  pointer: string;
  op: 'add' | 'remove' | 'replace';
  before?: unknown;
  after?: unknown;
  /** The field's label (「子女信息」第 2 行「姓名」) when a form was given. */
  label?: string;
}

const isRows = (v: unknown): v is Record<string, unknown>[] => Array.isArray(v) && v.length > 0 && v.every(isObject);

export function diffData(before: unknown, after: unknown, form?: FormLike, lang: Lang = 'zh-CN'): DataChange[] {
  const out: DataChange[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (deepEqual(a, b)) return;
    if (a === undefined) return void out.push({ pointer: at, op: 'add', after: b });
    if (b === undefined) return void out.push({ pointer: at, op: 'remove', before: a });
    if (isObject(a) && isObject(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[k], b[k], `${at}/${escapeSegment(k)}`);
      return;
    }
    if ((isRows(a) || isRows(b)) && Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${at}/${i}`);
      return;
    }
    out.push({ pointer: at, op: 'replace', before: a, after: b });
  };
  walk(isObject(before) ? before : {}, isObject(after) ? after : {}, '');
  if (!form) return out;
  const compiled = compileForm(form);
  return out.map((c) => {
    const l = labelOf(c.pointer, compiled);
    return { ...c, label: lang === 'en' ? l.en : l['zh-CN'] };
  });
}
