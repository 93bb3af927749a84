// Case data changes: a deep merge of what an action submits, and the field-level diff that the
// history keeps (JSON Pointer, before, after), so every change can be traced to who made it.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Objects merge key by key; arrays and scalars replace; `null` removes a field. */
export function mergeData(base: Obj, patch: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isObj(v) && isObj(out[k])) out[k] = mergeData(out[k] as Obj, v);
    else out[k] = v;
  }
  return out;
}

export interface Change {
  pointer: string;
  before?: unknown;
  after?: unknown;
}

const esc = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Leaf-level differences between two JSON values (arrays compared as wholes). */
export function diffData(before: unknown, after: unknown, pointer = ''): Change[] {
  // A whole object added or removed is reported field by field, like any other change.
  if ((isObj(before) || before === undefined) && (isObj(after) || after === undefined) && (before !== undefined || after !== undefined) && (isObj(before) || isObj(after))) {
    before = before ?? {};
    after = after ?? {};
  }
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffData(before[k], after[k], `${pointer}/${esc(k)}`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const c: Change = { pointer: pointer || '/' };
  if (before !== undefined) c.before = before;
  if (after !== undefined) c.after = after;
  return [c];
}

/** The value at a JSON Pointer, or undefined. */
export function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const part of pointer.slice(1).split('/')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Obj)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}
