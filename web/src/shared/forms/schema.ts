// The forms engine's served form (JSON Schema 2020-12, normalised, with `x-kind` and a UI schema)
// read for rendering: the fields in order with their kind, label and whether they are required;
// `x-visibleIf` conditions (the same rules the server runs: a hidden field is ignored); and the
// mapping from problem+json pointers (`/body/data/applicant/idNumber`) to form name paths.
// Pure functions, no React: the renderer (FormRenderer.tsx) and the tests use them.

export type JsonSchema = Record<string, any>;
export type UiNode = Record<string, any>;
export type NamePath = (string | number)[];

export type FieldKind =
  | 'text' | 'textarea' | 'number' | 'boolean' | 'enum' | 'date'
  | 'resident-id' | 'credit-code' | 'mobile' | 'division' | 'address' | 'date-range' | 'money'
  | 'attachment' | 'license-ref' | 'table' | 'group';

export interface Field {
  /** The property name. */
  name: string;
  /** Path from the form's root (table row fields: from the row). */
  path: NamePath;
  kind: FieldKind;
  label: { zh: string; en: string };
  required: boolean;
  node: JsonSchema;
  ui: UiNode;
  options: Record<string, any>;
  /** Groups and table rows: their fields. */
  children: Field[];
  /** enum values (enum kind). */
  values?: unknown[];
}

const KINDS = new Set(['resident-id', 'credit-code', 'mobile', 'division', 'address', 'date-range', 'money', 'attachment', 'license-ref', 'table']);

export function kindOf(node: JsonSchema, ui: UiNode = {}): FieldKind {
  const x = node['x-kind'];
  if (typeof x === 'string' && KINDS.has(x)) return x as FieldKind;
  if (Array.isArray(node.enum)) return 'enum';
  if (node.type === 'object' && node.properties) return 'group';
  if (node.type === 'boolean') return 'boolean';
  if (node.type === 'number' || node.type === 'integer') return 'number';
  if (node.type === 'string' && node.format === 'date') return 'date';
  if (ui['ui:widget'] === 'textarea') return 'textarea';
  return 'text';
}

/** `then`/`else` and `dependentRequired` make more fields required; the root's `required` is the base. */
function requiredOf(node: JsonSchema): Set<string> {
  return new Set<string>(Array.isArray(node.required) ? node.required : []);
}

function ordered(node: JsonSchema, ui: UiNode): string[] {
  const names = Object.keys(node.properties ?? {});
  const order: string[] = Array.isArray(ui['ui:order']) ? ui['ui:order'].filter((n: unknown) => typeof n === 'string' && names.includes(n as string)) : [];
  return [...order, ...names.filter((n) => !order.includes(n))];
}

/** The fields of an object schema (the form root, a group or a table row), in the UI schema's order. */
export function fieldsOf(node: JsonSchema, ui: UiNode = {}, base: NamePath = []): Field[] {
  const req = requiredOf(node);
  return ordered(node, ui).map((name) => {
    const child = (node.properties[name] ?? {}) as JsonSchema;
    const childUi = (ui[name] ?? {}) as UiNode;
    const kind = kindOf(child, childUi);
    const path = [...base, name];
    const children = kind === 'group' ? fieldsOf(child, childUi, path)
      : kind === 'table' ? fieldsOf(child.items ?? {}, (childUi.items ?? {}) as UiNode, [])
        : [];
    return {
      name, path, kind, node: child, ui: childUi, children,
      label: { zh: String(child.title ?? name), en: String(child['x-title-en'] ?? child.title ?? name) },
      required: req.has(name),
      options: (child['x-options'] ?? {}) as Record<string, any>,
      ...(kind === 'enum' ? { values: child.enum as unknown[] } : {}),
    };
  });
}

/** Every field, depth first (groups and their members, tables but not their row fields). */
export function flatten(fields: Field[]): Field[] {
  return fields.flatMap((f) => (f.kind === 'group' ? [f, ...flatten(f.children)] : [f]));
}

// ---- conditions (x-visibleIf), as platform/forms/visibility.ts evaluates them ----

export type Condition =
  | { field: string; equals: unknown } | { field: string; notEquals: unknown }
  | { field: string; in: unknown[] } | { field: string; notIn: unknown[] } | { field: string; filled: boolean }
  | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

export const isFilled = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0) && !(isObj(v) && Object.keys(v).length === 0);

export function getAt(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const seg of pointer.split('/').slice(1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObj(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

/** `*` in a condition's pointer is the row (`rows`: the row indices of the field being decided). */
export function evaluate(c: Condition, data: unknown, rows: number[] = []): boolean {
  if ('all' in c) return c.all.every((s) => evaluate(s, data, rows));
  if ('any' in c) return c.any.some((s) => evaluate(s, data, rows));
  if ('not' in c) return !evaluate(c.not, data, rows);
  let i = 0;
  const p = c.field.split('/').map((s) => (s === '*' ? String(rows[i++] ?? '*') : s)).join('/');
  const v = getAt(data, p);
  if ('equals' in c) return deepEqual(v, c.equals);
  if ('notEquals' in c) return !deepEqual(v, c.notEquals);
  if ('in' in c) return c.in.some((x) => deepEqual(v, x));
  if ('notIn' in c) return !c.notIn.some((x) => deepEqual(v, x));
  return isFilled(v) === c.filled;
}

export function isVisible(field: Field, data: unknown, rows: number[] = []): boolean {
  const c = field.ui['x-visibleIf'] as Condition | undefined;
  return !c || evaluate(c, data, rows);
}

/**
 * Required by a conditional branch: the root's `if/then/else` and `dependentRequired` (what the
 * pack forms use) on top of the static `required` — so the label shows a mark once it applies.
 */
export function conditionallyRequired(schema: JsonSchema, data: unknown): Set<string> {
  const out = new Set<string>();
  const d = isObj(data) ? data : {};
  if (isObj(schema.if)) {
    const props = (schema.if.properties ?? {}) as Record<string, JsonSchema>;
    const needs: string[] = Array.isArray(schema.if.required) ? schema.if.required : [];
    const holds = needs.every((n) => n in d) && Object.entries(props).every(([k, s]) => !('const' in s) || deepEqual(d[k], s.const));
    const branch = holds ? schema.then : schema.else;
    for (const n of (isObj(branch) && Array.isArray(branch.required) ? branch.required : [])) out.add(n);
  }
  for (const [k, deps] of Object.entries((schema.dependentRequired ?? {}) as Record<string, string[]>)) if (isFilled(d[k])) deps.forEach((n) => out.add(n));
  return out;
}

/** Drops the values of hidden fields (what the server would ignore), recursively into groups and table rows. */
export function visibleData(fields: Field[], data: Record<string, unknown>, root: unknown = data, rows: number[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = data?.[f.name];
    if (v === undefined || !isVisible(f, root, rows)) continue;
    if (f.kind === 'group' && isObj(v)) out[f.name] = visibleData(f.children, v, root, rows);
    else if (f.kind === 'table' && Array.isArray(v)) out[f.name] = v.map((row, i) => (isObj(row) ? visibleData(f.children, row, root, [...rows, i]) : row));
    else out[f.name] = v;
  }
  return out;
}

/** Removes empty strings, empty objects and undefined: an untouched optional field is absent, not "". */
export function compact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(compact);
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = compact(x);
      if (c === undefined || c === '' || c === null || (isObj(c) && Object.keys(c).length === 0)) continue;
      out[k] = c;
    }
    return out;
  }
  return v;
}

// ---- problem+json pointers → fields ----

/**
 * A server pointer into the submitted form data → its path in the form: `/body/data/a/b/0/c`
 * (applications), `/data/a/b` (forms validate) → ['a', 'b', 0, 'c']. Null when it is not form data
 * (e.g. `/body/materials/1/fileIds`).
 */
export function dataPath(pointer: string, root: 'data' | 'body' = 'data'): NamePath | null {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'body') parts.shift();
  if (root === 'data') {
    if (parts[0] !== 'data') return null;
    parts.shift();
  }
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** `/body/materials/2/fileIds/0` → 2 (the index of the material in the submitted list). */
export function materialIndex(pointer: string): number | null {
  const m = /^(?:\/body)?\/materials\/(\d+)(?:\/|$)/.exec(pointer);
  return m ? Number(m[1]) : null;
}

/** The deepest of `names` that contains `path` (an error inside an address belongs to the address field). */
export function fieldFor(path: NamePath, names: NamePath[]): NamePath | null {
  let best: NamePath | null = null;
  for (const n of names) {
    if (n.length <= path.length && n.every((s, i) => String(s) === String(path[i])) && (!best || n.length > best.length)) best = n;
  }
  return best;
}

/** The ancestors of a canonical division code (6, 9 or 12 digits) below `root`, then the code itself. */
export function divisionChain(code: string | undefined, root: string | null): string[] {
  if (!code || !/^\d{6}(\d{3}){0,2}$/.test(code)) return [];
  const all = [code.slice(0, 2) + '0000', code.slice(0, 4) + '00', code.slice(0, 6)];
  if (code.length >= 9) all.push(code.slice(0, 9));
  if (code.length === 12) all.push(code);
  const chain = [...new Set(all)];
  if (!root) return chain;
  const at = chain.indexOf(root);
  return at < 0 ? [] : chain.slice(at + 1);
}
