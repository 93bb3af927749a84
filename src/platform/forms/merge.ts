// 一件事一次办: several forms shown as one. Fields that carry the same `x-field` (a stable semantic
// id such as `applicant.idNumber`) appear once, at the path the id spells (`/applicant/idNumber`);
// every other field stays under its form's key (`/birth-registration/…`). A mapping records where
// each form's field went, so that merged data splits back into each form's own data, and each
// form then validates its part by its own rules (conditions, kinds, attachments included):
// the merged schema is for showing the bundle; the source forms remain the law.
import { AppError } from '../../core/http/errors.js';
import { clone, escapeSegment, getAt, isObject, isUnder, joinPointer, setAt, splitPointer } from './fields.js';
import { checkSubmission, type ValidateOptions } from './validate.js';
import { mapCondition, type Condition } from './visibility.js';
import type { FieldError, FormLike, JsonSchema, Lang, LocalizedText, UiSchema } from './types.js';
import { SCHEMA_DIALECT } from './compile.js';

export interface MergeMapping {
  form: string;
  version: number | null;
  /** Where the field lives in the form's own data. */
  pointer: string;
  /** Where it lives in the merged data. */
  merged: string;
}

export interface MergedForm {
  forms: Array<{ key: string; version: number | null; title: LocalizedText | null }>;
  schema: JsonSchema;
  uiSchema: UiSchema;
  mapping: MergeMapping[];
  /** The source forms, for validateMerged (not serialised). */
  sources: FormLike[];
}

interface Leaf {
  pattern: string;
  schema: JsonSchema;
  required: boolean;
  /** Enclosing groups, outermost first. */
  containers: Array<{ pattern: string; schema: JsonSchema }>;
}

const isContainer = (s: JsonSchema) => isObject(s.properties) && s['x-kind'] === undefined && s['x-field'] === undefined && (s.type === undefined || s.type === 'object');

function leavesOf(schema: JsonSchema): Leaf[] {
  const out: Leaf[] = [];
  const walk = (node: JsonSchema, pattern: string, required: boolean, containers: Leaf['containers']) => {
    const req = new Set<string>(Array.isArray(node.required) ? node.required : []);
    for (const [name, sub] of Object.entries(node.properties ?? {})) {
      if (!isObject(sub)) continue;
      const p = `${pattern}/${escapeSegment(name)}`;
      if (isContainer(sub)) walk(sub, p, required && req.has(name), [...containers, { pattern: p, schema: sub }]);
      else out.push({ pattern: p, schema: sub, required: required && req.has(name), containers });
    }
  };
  walk(schema, '', true, []);
  return out;
}

/** A form's `$defs` move to the merged root as `<formKey>__<name>`; its `$ref`s follow. */
function namespaced<T>(node: T, key: string): T {
  if (Array.isArray(node)) return node.map((x) => namespaced(x, key)) as T;
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = (k === '$ref' || k === '$dynamicRef') && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/$defs/${key}__${v.slice(8)}` : namespaced(v, key);
  }
  return out as T;
}

function uiAt(ui: unknown, pattern: string): Record<string, any> | undefined {
  let cur: unknown = ui;
  for (const s of splitPointer(pattern)) {
    if (!isObject(cur)) return undefined;
    cur = cur[s === '*' ? 'items' : s];
  }
  return isObject(cur) ? cur : undefined;
}

/** Rewrites every x-visibleIf inside a UI subtree. */
function mapUi(node: unknown, map: (p: string) => string): unknown {
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'x-visibleIf' && isObject(v) ? mapCondition(v as Condition, map) : k.startsWith('ui:') ? clone(v) : mapUi(v, map);
  return out;
}

const TYPE_ZH: Record<string, string> = { string: '文本', number: '数字', integer: '整数', boolean: '是/否', object: '对象', array: '列表' };
const describe = (s: JsonSchema, lang: Lang) => {
  const type = Array.isArray(s.type) ? s.type.join('|') : String(s.type ?? 'any');
  const t = lang === 'en' ? type : type.split('|').map((x) => TYPE_ZH[x] ?? x).join('或');
  return s['x-kind'] ? `${t}（${s['x-kind']}）`.replace(/（(.*)）/, lang === 'en' ? ' ($1)' : '（$1）') : t;
};
const signature = (s: JsonSchema) => JSON.stringify([Array.isArray(s.type) ? [...s.type].sort() : s.type ?? null, s['x-kind'] ?? null]);

function fail(lang: Lang, errors: FieldError[]): never {
  throw new AppError('DEFINITION_INVALID', { 'zh-CN': '这些表单不能合并', en: 'These forms cannot be merged' }, errors);
}

/** One schema and UI schema for several forms, with the mapping back to each form. */
export function mergeForms(forms: FormLike[], lang: Lang = 'zh-CN'): MergedForm {
  const msg = (zh: string, en: string) => (lang === 'en' ? en : zh);
  const errors: FieldError[] = [];
  const seenKeys = new Map<string, number>();
  forms.forEach((f, i) => {
    if (seenKeys.has(f.key)) errors.push({ pointer: `/forms/${i}`, code: 'duplicate', message: msg(`表单 ${f.key} 重复出现`, `Form ${f.key} is listed twice`) });
    seenKeys.set(f.key, i);
  });
  if (forms.length === 0) errors.push({ pointer: '/forms', code: 'minItems', message: msg('至少需要一个表单', 'At least one form is needed') });
  if (errors.length) fail(lang, errors);

  const name = (f: FormLike) => `${f.key}${f.version ? ` v${f.version}` : ''}`;
  const root: JsonSchema = { $schema: SCHEMA_DIALECT, type: 'object', properties: {}, required: [], additionalProperties: false };
  const ui: UiSchema = {};
  const mapping: MergeMapping[] = [];
  // merged pointer → what was placed there (a leaf from some form, or a group)
  const placed = new Map<string, { leaf: boolean; form: number; schema?: JsonSchema; conditions: Array<Condition | null> }>();
  const perForm = forms.map((f) => ({ form: f, leaves: leavesOf(f.schema) }));

  const mapperFor = (fi: number) => (p: string): string => {
    const m = mapping.find((x) => x.form === forms[fi]!.key && isUnder(p, x.pointer));
    return m ? m.merged + p.slice(m.pointer.length) : `/${escapeSegment(forms[fi]!.key)}${p}`;
  };

  // First pass: where every leaf goes, and conflicts.
  perForm.forEach(({ form, leaves }, fi) => {
    for (const leaf of leaves) {
      const xf = leaf.schema['x-field'] as string | undefined;
      const merged = xf ? joinPointer(xf.split('.')) : `/${escapeSegment(form.key)}${leaf.pattern}`;
      const segs = splitPointer(merged);
      // A merged path may not run through a field, nor end on a group.
      for (let d = 1; d < segs.length; d++) {
        const prefix = joinPointer(segs.slice(0, d));
        if (placed.get(prefix)?.leaf) errors.push({ pointer: `/forms/${fi}`, code: 'x-field-path', message: msg(`字段 ${merged} 与表单 ${name(forms[placed.get(prefix)!.form]!)} 的字段 ${prefix} 路径冲突`, `Field ${merged} runs through field ${prefix} of form ${name(forms[placed.get(prefix)!.form]!)}`) });
      }
      const existing = placed.get(merged);
      if (existing && !existing.leaf) errors.push({ pointer: `/forms/${fi}`, code: 'x-field-path', message: msg(`字段 ${merged} 与其他表单的字段组路径冲突`, `Field ${merged} collides with a group of another form`) });
      else if (existing && signature(existing.schema!) !== signature(leaf.schema)) {
        const other = forms[existing.form]!;
        errors.push({
          pointer: `/forms/${fi}`, code: 'x-field-conflict',
          message: msg(`字段 ${xf} 的定义冲突：表单 ${name(other)} 中为${describe(existing.schema!, lang)}，表单 ${name(form)} 中为${describe(leaf.schema, lang)}`,
            `Field ${xf} is defined differently: ${describe(existing.schema!, lang)} in form ${name(other)}, ${describe(leaf.schema, lang)} in form ${name(form)}`),
        });
      } else if (!existing) {
        for (let d = 1; d < segs.length; d++) {
          const prefix = joinPointer(segs.slice(0, d));
          if (!placed.has(prefix)) placed.set(prefix, { leaf: false, form: fi, conditions: [] });
        }
        placed.set(merged, { leaf: true, form: fi, schema: leaf.schema, conditions: [] });
      }
      mapping.push({ form: form.key, version: form.version ?? null, pointer: leaf.pattern, merged });
    }
  });
  if (errors.length) fail(lang, errors);

  // Second pass: build the schema and UI schema.
  perForm.forEach(({ form, leaves }, fi) => {
    const map = mapperFor(fi);
    for (const leaf of leaves) {
      const merged = mapping.find((x) => x.form === form.key && x.pointer === leaf.pattern)!.merged;
      const segs = splitPointer(merged);
      let node = root;
      let uiNode = ui;
      for (let d = 0; d < segs.length - 1; d++) {
        const s = segs[d]!;
        if (!node.properties[s]) {
          // A group takes the title of the source group at the same distance from the field.
          const src = leaf.containers[leaf.containers.length - (segs.length - 1 - d)];
          const title = d === 0 && s === form.key && !leaf.schema['x-field'] ? { title: form.title?.['zh-CN'] ?? form.key, ...(form.title ? { 'x-title-en': form.title.en } : {}) }
            : src?.schema.title ? { title: src.schema.title, ...(src.schema['x-title-en'] ? { 'x-title-en': src.schema['x-title-en'] } : {}) } : {};
          node.properties[s] = { type: 'object', ...title, properties: {}, required: [], additionalProperties: false };
        }
        if (leaf.required && !node.required.includes(s)) node.required.push(s);
        node = node.properties[s];
        uiNode = (uiNode[s] ??= {});
      }
      const last = segs[segs.length - 1]!;
      const first = !node.properties[last];
      if (first) node.properties[last] = namespaced(leaf.schema, form.key);
      else if (leaf.schema['x-prefill'] && !node.properties[last]['x-prefill']) node.properties[last]['x-prefill'] = leaf.schema['x-prefill'];
      if (leaf.required && !node.required.includes(last)) node.required.push(last);
      // Shown when shown in any form that has it; within a form, when its groups and itself are.
      const conds = [...leaf.containers.map((c) => uiAt(form.uiSchema, c.pattern)?.['x-visibleIf']), uiAt(form.uiSchema, leaf.pattern)?.['x-visibleIf']]
        .filter(isObject).map((c) => mapCondition(c as Condition, map));
      placed.get(merged)!.conditions.push(conds.length === 0 ? null : conds.length === 1 ? conds[0]! : { all: conds });
      if (first) {
        const { 'x-visibleIf': _v, ...rest } = (mapUi(uiAt(form.uiSchema, leaf.pattern) ?? {}, map) as Record<string, unknown>);
        uiNode[last] = rest;
      }
    }
  });
  for (const [pointer, p] of placed) {
    if (!p.leaf || p.conditions.some((c) => c === null)) continue;
    const uiNode = splitPointer(pointer).reduce<Record<string, any>>((n, s) => (n[s] ??= {}), ui);
    uiNode['x-visibleIf'] = p.conditions.length === 1 ? p.conditions[0] : { any: p.conditions };
  }
  for (const f of forms) {
    for (const [name, def] of Object.entries(isObject(f.schema.$defs) ? f.schema.$defs : {})) (root.$defs ??= {})[`${f.key}__${name}`] = namespaced(def, f.key);
  }
  const prune = (n: JsonSchema) => {
    if (Array.isArray(n.required) && n.required.length === 0) delete n.required;
    for (const sub of Object.values(n.properties ?? {})) if (isObject(sub) && isObject((sub as JsonSchema).properties) && (sub as JsonSchema).additionalProperties === false && !(sub as JsonSchema)['x-kind']) prune(sub as JsonSchema);
  };
  prune(root);
  ui['ui:order'] = Object.keys(root.properties);
  return {
    forms: forms.map((f) => ({ key: f.key, version: f.version ?? null, title: f.title ?? null })),
    schema: root, uiSchema: ui, mapping, sources: forms,
  };
}

/** Merged data → each form's own data (`{[formKey]: data}`); shared fields go to every form that has them. */
export function splitMerged(merged: Pick<MergedForm, 'forms' | 'mapping'>, data: unknown): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = Object.fromEntries(merged.forms.map((f) => [f.key, {}]));
  for (const m of merged.mapping) {
    const v = getAt(data, m.merged);
    if (v !== undefined) setAt(out[m.form]!, m.pointer, clone(v));
  }
  return out;
}

/**
 * Validates merged data by each source form's own rules; errors point into the merged data, each
 * reported once. Returns the cleaned data of every form, ready to store with each form's case.
 */
export async function validateMerged(merged: MergedForm, data: unknown, lang: Lang, opts: ValidateOptions = {}): Promise<{ data: Record<string, Record<string, unknown>>; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const unknown = (node: unknown, schema: JsonSchema, at: string) => {
    if (!isObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      const sub = schema.properties?.[k];
      const here = `${at}/${escapeSegment(k)}`;
      if (!sub) errors.push({ pointer: `/data${here}`, code: 'additionalProperties', message: lang === 'en' ? `${k} is not a field of this form` : `「${k}」不是本表单的字段` });
      else if (isContainer(sub) && merged.mapping.every((m) => m.merged !== here)) unknown(v, sub, here);
    }
  };
  if (!isObject(data)) return { data: {}, errors: [{ pointer: '/data', code: 'type', message: lang === 'en' ? 'The form data must be an object of fields' : '「表单」的内容应为各字段组成的对象' }] };
  unknown(data, merged.schema, '');
  const parts = splitMerged(merged, data);
  const cleaned: Record<string, Record<string, unknown>> = {};
  const seen = new Set(errors.map((e) => `${e.pointer}|${e.code}`));
  for (const form of merged.sources) {
    const r = await checkSubmission(form, parts[form.key], lang, opts);
    cleaned[form.key] = r.data;
    for (const e of r.errors) {
      const p = e.pointer.replace(/^\/data/, '');
      const m = merged.mapping.find((x) => x.form === form.key && isUnder(p, x.pointer));
      const pointer = `/data${m ? m.merged + p.slice(m.pointer.length) : `/${escapeSegment(form.key)}${p}`}`;
      if (seen.has(`${pointer}|${e.code}`)) continue;
      seen.add(`${pointer}|${e.code}`);
      errors.push({ ...e, pointer });
    }
  }
  const rank = (pointer: string) => {
    const i = merged.mapping.findIndex((m) => isUnder(pointer.replace(/^\/data/, ''), m.merged));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return { data: cleaned, errors: errors.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e.pointer) - rank(b.e.pointer) || a.i - b.i).map((x) => x.e) };
}
