// Conditional fields in the UI schema: `x-visibleIf` on a field's UI node says when the browser
// shows it. The same condition runs on the server: a hidden field's value is dropped before
// validation and never stored, and nothing is required of a hidden field (the server ignores
// hidden values rather than refusing them, so a value typed before the applicant changed an
// earlier answer does not block the submission).
//
// A condition is small JSON that a browser evaluates without a library:
//   { "field": "/maritalStatus", "equals": "married" }        also notEquals, in, notIn, filled
//   { "all": [c1, c2] }  { "any": [c1, c2] }  { "not": c }
// `field` is a data pointer from the form's root; inside a table row `*` stands for the row of
// the field being decided (`/children/*/relation`).
import { deepEqual, escapeSegment, expandPattern, getAt, isObject, isUnder, joinPointer, splitPointer } from './fields.js';
import type { FieldInfo, LocalizedText, UiSchema } from './types.js';

export type Condition =
  | { field: string; equals: unknown }
  | { field: string; notEquals: unknown }
  | { field: string; in: unknown[] }
  | { field: string; notIn: unknown[] }
  | { field: string; filled: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const OPERATORS = ['equals', 'notEquals', 'in', 'notIn', 'filled'] as const;

export interface ConditionProblem {
  pointer: string;
  message: LocalizedText;
}

/** Syntax and references of a condition; `fields` are the form's field patterns. */
export function checkCondition(c: unknown, pointer: string, fields: Map<string, FieldInfo>, out: ConditionProblem[]): void {
  const bad = (zh: string, en: string, at = pointer): void => {
    out.push({ pointer: at, message: { 'zh-CN': zh, en } });
  };
  if (!isObject(c)) return bad('显示条件应为对象', 'A condition must be an object');
  const keys = Object.keys(c);
  if ('all' in c || 'any' in c) {
    const k = 'all' in c ? 'all' : 'any';
    if (keys.length !== 1) return bad(`"${k}" 条件不能有其他属性`, `A "${k}" condition takes no other property`);
    if (!Array.isArray(c[k]) || c[k].length === 0) return bad(`"${k}" 应为非空的条件列表`, `"${k}" must be a non-empty list of conditions`);
    c[k].forEach((s: unknown, i: number) => checkCondition(s, `${pointer}/${k}/${i}`, fields, out));
    return;
  }
  if ('not' in c) {
    if (keys.length !== 1) return bad('"not" 条件不能有其他属性', 'A "not" condition takes no other property');
    return checkCondition(c.not, `${pointer}/not`, fields, out);
  }
  if (typeof c.field !== 'string' || !c.field.startsWith('/')) return bad('显示条件须用 "field" 指明字段（以 / 开头的数据路径）', 'A condition needs "field", a data pointer starting with /');
  const ops = keys.filter((k) => k !== 'field');
  if (ops.length !== 1 || !(OPERATORS as readonly string[]).includes(ops[0]!)) {
    return bad(`显示条件须有且只有一个运算：${OPERATORS.join('、')}`, `A condition needs exactly one of: ${OPERATORS.join(', ')}`);
  }
  const op = ops[0]!;
  if ((op === 'in' || op === 'notIn') && !Array.isArray(c[op])) bad(`"${op}" 应为取值列表`, `"${op}" must be a list of values`, `${pointer}/${op}`);
  if (op === 'filled' && typeof c.filled !== 'boolean') bad('"filled" 应为 true 或 false', '"filled" must be true or false', `${pointer}/filled`);
  if (!fields.has(c.field)) bad(`显示条件引用了不存在的字段 ${c.field}`, `The condition refers to no field: ${c.field}`, `${pointer}/field`);
}

const isFilled = (v: unknown) =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(isObject(v) && Object.keys(v).length === 0);

/** Replaces each `*` of a condition's pointer with the row indices of the field being decided. */
function resolve(fieldPointer: string, indices: string[]): string {
  let i = 0;
  return joinPointer(splitPointer(fieldPointer).map((s) => (s === '*' ? (indices[i++] ?? '*') : s)));
}

export function evaluate(c: Condition, data: unknown, indices: string[], hidden: (pointer: string) => boolean): boolean {
  if ('all' in c) return c.all.every((s) => evaluate(s, data, indices, hidden));
  if ('any' in c) return c.any.some((s) => evaluate(s, data, indices, hidden));
  if ('not' in c) return !evaluate(c.not, data, indices, hidden);
  const p = resolve(c.field, indices);
  const v = hidden(p) ? undefined : getAt(data, p);
  if ('equals' in c) return deepEqual(v, c.equals);
  if ('notEquals' in c) return !deepEqual(v, c.notEquals);
  if ('in' in c) return c.in.some((x) => deepEqual(v, x));
  if ('notIn' in c) return !c.notIn.some((x) => deepEqual(v, x));
  return isFilled(v) === c.filled;
}

/** Field pattern → its `x-visibleIf`, read from a UI schema that mirrors the data. */
export function conditionsOf(ui: UiSchema | undefined): Map<string, Condition> {
  const out = new Map<string, Condition>();
  const walk = (node: unknown, pattern: string) => {
    if (!isObject(node)) return;
    if (pattern && isObject(node['x-visibleIf'])) out.set(pattern, node['x-visibleIf'] as Condition);
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('ui:') || k.startsWith('x-')) continue;
      walk(v, k === 'items' ? `${pattern}/*` : `${pattern}/${k}`);
    }
  };
  walk(ui, '');
  return out;
}

/** Where a field is or would be: its parent exists in the data (the field itself may be absent). */
function positions(pattern: string, data: unknown): string[] {
  const segs = splitPointer(pattern);
  const last = segs.pop();
  if (last === undefined || last === '*') return expandPattern(pattern, data);
  return expandPattern(joinPointer(segs), data).filter((p) => isObject(getAt(data, p))).map((p) => `${p}/${escapeSegment(last)}`);
}

/**
 * The concrete pointers of hidden fields in `data`. A field inside a hidden field is hidden too,
 * and a condition that reads a hidden field sees no value: conditions are re-evaluated until
 * nothing changes, so chains (C shown when B is, B shown when A is) settle the same way in any order.
 */
export function hiddenPointers(conditions: Map<string, Condition>, data: unknown): string[] {
  if (conditions.size === 0) return [];
  const hidden = new Set<string>();
  const isHidden = (p: string) => [...hidden].some((h) => isUnder(p, h));
  for (let round = 0; round <= conditions.size; round++) {
    let changed = false;
    for (const [pattern, cond] of conditions) {
      for (const pointer of positions(pattern, data)) {
        const indices = splitPointer(pointer).filter((_, i) => splitPointer(pattern)[i] === '*');
        const hide = !evaluate(cond, data, indices, isHidden);
        if (hide !== hidden.has(pointer)) {
          if (hide) hidden.add(pointer);
          else hidden.delete(pointer);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return [...hidden].filter((p) => ![...hidden].some((h) => h !== p && isUnder(p, h)));
}

/** Pointers referenced by a condition (for merging forms: they are rewritten to the merged layout). */
export function mapCondition(c: Condition, map: (pointer: string) => string): Condition {
  if ('all' in c) return { all: c.all.map((s) => mapCondition(s, map)) };
  if ('any' in c) return { any: c.any.map((s) => mapCondition(s, map)) };
  if ('not' in c) return { not: mapCondition(c.not, map) };
  return { ...c, field: map(c.field) } as Condition;
}

