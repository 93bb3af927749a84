// The validator of a form: ajv's JSON Schema 2020-12 build with every error reported (allErrors),
// the platform's identifier formats (core/validators), the `x-kind` keyword that runs each kind's
// semantic check, and the other `x-` annotations declared so that strict mode refuses anything else.
// Compiled validators are cached by form version (a published version never changes).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { SchemaValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { formats } from '../../core/validators/index.js';
import { collectFields } from './fields.js';
import { isKind, KINDS } from './kinds.js';
import { conditionsOf, type Condition } from './visibility.js';
import type { FieldInfo, FormLike } from './types.js';

export const SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
/** The annotations a form schema may carry besides JSON Schema's own keywords. */
export const ANNOTATIONS = ['x-kind', 'x-options', 'x-field', 'x-prefill', 'x-title-en'] as const;

const kindKeyword: SchemaValidateFunction = function kind(schema: string, data: unknown, parentSchema?: Record<string, any>) {
  if (!isKind(schema)) return true;
  const def = KINDS[schema];
  const typeOk = def.type === 'array' ? Array.isArray(data) : def.type === 'object' ? typeof data === 'object' && data !== null && !Array.isArray(data) : typeof data === 'string';
  if (!typeOk || !def.check) return true;
  const r = def.check(data, parentSchema?.['x-options'] ?? {});
  if (!r) return true;
  kindKeyword.errors = [{ keyword: 'x-kind', params: { kind: schema, reason: r.reason, ...(r.params ?? {}) }, message: r.reason }];
  return false;
};

/** A new ajv for forms. One is shared for validation; checking a definition uses a throwaway one. */
export function formsAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    formats: { ...formats },
  });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addKeyword({ keyword: 'x-kind', schemaType: 'string', validate: kindKeyword, errors: true });
  ajv.addKeyword({ keyword: 'x-options', schemaType: 'object' });
  ajv.addKeyword({ keyword: 'x-field', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-prefill', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-title-en', schemaType: 'string' });
  return ajv;
}

export interface CompiledForm {
  validate: ValidateFunction;
  fields: Map<string, FieldInfo>;
  conditions: Map<string, Condition>;
  /** Field patterns in document order (to sort errors as the form reads). */
  order: Map<string, number>;
}

const shared = formsAjv();
const byId = new Map<string, CompiledForm>();
const bySchema = new WeakMap<object, CompiledForm>();
const MAX_CACHED = 500;

export function compileForm(form: FormLike): CompiledForm {
  // Only a published (or withdrawn) version is immutable; a draft keeps its id while it changes.
  const cacheId = form.id && form.version ? `${form.id}:${form.version}` : null;
  const hit = (cacheId && byId.get(cacheId)) || bySchema.get(form.schema);
  if (hit) return hit;
  const validate = shared.compile(form.schema);
  // ajv keeps every compiled schema in its own cache; this module's caches decide what stays.
  shared.removeSchema(form.schema);
  const fields = collectFields(form.schema);
  const compiled: CompiledForm = {
    validate, fields,
    conditions: conditionsOf(form.uiSchema),
    order: new Map([...fields.keys()].map((k, i) => [k, i])),
  };
  bySchema.set(form.schema, compiled);
  if (cacheId) {
    if (byId.size >= MAX_CACHED) {
      byId.delete(byId.keys().next().value as string);
    }
    byId.set(cacheId, compiled);
  }
  return compiled;
}
