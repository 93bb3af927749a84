// Walking a form's schema: every subschema (for checking a definition) and every field (a node
// under `properties` / `items` that holds a value), addressed by a data pointer with `*` for array
// indices (`/children/*/name`). Property names are identifiers, so a numeric pointer segment is
// always an array index.
import type { FieldInfo, JsonSchema } from './types.js';

export const PROPERTY_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

const SINGLE = ['additionalProperties', 'items', 'contains', 'if', 'then', 'else', 'not', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema'];
const MAPS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Subschemas that constrain fields declared elsewhere (conditions, combinations). */
const CONDITIONAL = new Set(['if', 'then', 'else', 'not', 'allOf', 'anyOf', 'oneOf', 'dependentSchemas']);

export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const escapeSegment = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const unescapeSegment = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapeSegment);
}

export function joinPointer(segments: string[]): string {
  return segments.map((s) => `/${escapeSegment(s)}`).join('');
}

/** `/children/3/name` → `/children/*\/name`. */
export function patternOf(pointer: string): string {
  return joinPointer(splitPointer(pointer).map((s) => (/^\d+$/.test(s) ? '*' : s)));
}

/**
 * Calls `visit` for the node and every subschema below it, with its schema pointer and whether it
 * is reached only through field containers (`properties`, `items`) — i.e. it describes a field.
 */
export function walkSchema(node: unknown, visit: (n: Record<string, any>, pointer: string, structural: boolean) => void, pointer = '', structural = true): void {
  if (!isObject(node)) return;
  visit(node, pointer, structural);
  for (const k of SINGLE) {
    if (isObject(node[k])) walkSchema(node[k], visit, `${pointer}/${k}`, structural && k === 'items');
  }
  for (const k of MAPS) {
    if (!isObject(node[k])) continue;
    for (const [name, sub] of Object.entries(node[k])) walkSchema(sub, visit, `${pointer}/${k}/${escapeSegment(name)}`, structural && k === 'properties');
  }
  for (const k of LISTS) {
    if (!Array.isArray(node[k])) continue;
    node[k].forEach((sub: unknown, i: number) => walkSchema(sub, visit, `${pointer}/${k}/${i}`, structural && !CONDITIONAL.has(k) && k !== 'prefixItems'));
  }
}

function info(schema: JsonSchema, pattern: string, name: string, listPattern: string | null): FieldInfo {
  return {
    pattern, name, schema, listPattern,
    title: typeof schema.title === 'string' ? schema.title : null,
    titleEn: typeof schema['x-title-en'] === 'string' ? schema['x-title-en'] : null,
    kind: typeof schema['x-kind'] === 'string' ? schema['x-kind'] : null,
    xField: typeof schema['x-field'] === 'string' ? schema['x-field'] : null,
    prefill: typeof schema['x-prefill'] === 'string' ? schema['x-prefill'] : null,
  };
}

/**
 * Every field of a schema, in document order, keyed by pattern. Fields declared in `properties`
 * come first; properties that appear only inside conditions (`then`, `allOf`…) are added after,
 * so that a message about them can still name them by title.
 */
export function collectFields(root: JsonSchema): Map<string, FieldInfo> {
  const out = new Map<string, FieldInfo>();
  const visit = (node: JsonSchema, pattern: string, listPattern: string | null, structural: boolean) => {
    if (!isObject(node)) return;
    if (isObject(node.properties)) {
      for (const [name, sub] of Object.entries(node.properties)) {
        if (!isObject(sub)) continue;
        const p = `${pattern}/${escapeSegment(name)}`;
        if (!out.has(p)) out.set(p, info(sub, p, name, listPattern));
        else if (structural && !out.get(p)!.title && sub.title) out.set(p, info(sub, p, name, listPattern));
        visit(sub, p, listPattern, structural);
      }
    }
    if (isObject(node.items)) visit(node.items, `${pattern}/*`, pattern, structural);
    if (!structural) return;
    for (const k of ['if', 'then', 'else']) if (isObject(node[k])) visit(node[k], pattern, listPattern, false);
    for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(node[k])) node[k].forEach((s: JsonSchema) => visit(s, pattern, listPattern, false));
    if (isObject(node.dependentSchemas)) for (const s of Object.values(node.dependentSchemas)) visit(s as JsonSchema, pattern, listPattern, false);
  };
  visit(root, '', null, true);
  return out;
}

/** The value at a concrete pointer, or undefined. */
export function getAt(data: unknown, pointer: string): unknown {
  let cur: any = data;
  for (const s of splitPointer(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (!/^\d+$/.test(s)) return undefined;
      cur = cur[Number(s)];
    } else {
      if (!Object.hasOwn(cur, s)) return undefined;
      cur = cur[s];
    }
  }
  return cur;
}

/** Sets a value at a concrete pointer, creating objects on the way. */
export function setAt(data: Record<string, any>, pointer: string, value: unknown): void {
  const segs = splitPointer(pointer);
  let cur: any = data;
  segs.forEach((s, i) => {
    if (i === segs.length - 1) {
      cur[s] = value;
      return;
    }
    if (!isObject(cur[s]) && !Array.isArray(cur[s])) cur[s] = {};
    cur = cur[s];
  });
}

export function deleteAt(data: unknown, pointer: string): void {
  const segs = splitPointer(pointer);
  const last = segs.pop();
  const parent = getAt(data, joinPointer(segs));
  if (last === undefined || parent === null || typeof parent !== 'object') return;
  if (Array.isArray(parent)) return;
  delete (parent as Record<string, unknown>)[last];
}

/** The concrete pointers that a pattern denotes in `data` (each `*` over the array's indices). */
export function expandPattern(pattern: string, data: unknown): string[] {
  let found: Array<{ pointer: string; value: unknown }> = [{ pointer: '', value: data }];
  for (const s of splitPointer(pattern)) {
    const next: typeof found = [];
    for (const f of found) {
      if (s === '*') {
        if (Array.isArray(f.value)) f.value.forEach((v, i) => next.push({ pointer: `${f.pointer}/${i}`, value: v }));
      } else if (isObject(f.value) && Object.hasOwn(f.value, s)) {
        next.push({ pointer: `${f.pointer}/${escapeSegment(s)}`, value: f.value[s] });
      }
    }
    found = next;
  }
  return found.map((f) => f.pointer);
}

/** True when `pointer` is `ancestor` or lies below it. */
export function isUnder(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as any)[k], (b as any)[k]));
}

export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));
