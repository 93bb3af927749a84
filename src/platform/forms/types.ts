// The shapes the forms engine speaks: a form version as stored, what a publisher sends, what a
// submission's problems look like. Everything here is plain data (JSON-serialisable).
import type { Principal } from '../../core/http/auth.js';
import type { Actor } from '../../core/audit/record.js';
import type { FieldError, Lang } from '../../core/http/errors.js';
import type { LocalizedText } from '../../core/validators/index.js';

export type { FieldError, Lang, LocalizedText };

/** A JSON Schema (2020-12) object, as JSON. */
export type JsonSchema = Record<string, any>;
/** A UI schema (react-jsonschema-form style: nested by property name, `items` for array rows). */
export type UiSchema = Record<string, any>;

export type FormStatus = 'draft' | 'published' | 'withdrawn';

/** One version of a form, as stored. Published versions never change (only their status may become withdrawn). */
export interface FormVersion {
  id: string;
  key: string;
  /** Per key, across divisions: 1, 2, 3… in publishing order. Null only for a draft. */
  version: number | null;
  /** GB/T 2260 code of the owning division: its subtree inherits the form unless it publishes its own. */
  division: string;
  status: FormStatus;
  title: LocalizedText;
  /** The normalised JSON Schema (kinds expanded, `additionalProperties: false` filled in). */
  schema: JsonSchema;
  uiSchema: UiSchema;
  createdBy: string;
  createdAt: string;
  publishedAt: string | null;
  withdrawnAt: string | null;
}

/** What validation, prefill and merge need of a form: a stored version or one loaded from a file. */
export type FormLike = Pick<FormVersion, 'key' | 'schema' | 'uiSchema'> & Partial<Pick<FormVersion, 'id' | 'version' | 'title' | 'division'>>;

/** A form definition as a publisher (HTTP body, pack file) sends it. */
export interface FormInput {
  key: string;
  division: string;
  title: { 'zh-CN': string; en?: string };
  schema: JsonSchema;
  uiSchema?: UiSchema;
  /** Save (or replace) the division's draft instead of publishing a version. */
  draft?: boolean;
}

/** The caller of a service function: who (for audit), with which grants, in which language. */
export interface Caller {
  principal: Principal;
  actor: Actor;
  lang: Lang;
}

/** A field of a form: a node of the schema that holds a value, found by walking `properties` and `items`. */
export interface FieldInfo {
  /** Data pointer with `*` for array indices, e.g. `/children/*\/name`. */
  pattern: string;
  /** Last property name (or `*` for array items). */
  name: string;
  title: string | null;
  titleEn: string | null;
  kind: string | null;
  xField: string | null;
  prefill: string | null;
  schema: JsonSchema;
  /** Pattern of the enclosing table (repeating rows) or attachment list, if any. */
  listPattern: string | null;
}

export const t = (lang: Lang, m: LocalizedText): string => (lang === 'en' ? m.en : m['zh-CN']);
