// Server-side validation of a submission — always, whatever the browser checked. Steps:
//  1. clean-up per kind (full-width digits, spaces, lower-case x, +86, numbers as money strings);
//  2. hidden fields (UI `x-visibleIf`) are dropped: their values are ignored, never stored, and
//     nothing is required of them;
//  3. JSON Schema 2020-12 with every error at once; unknown fields are refused, not stripped
//     (a value sent under a wrong name is a client bug that silent stripping would hide);
//  4. attachments: shape and count here, then the AttachmentChecker (the files engine) confirms
//     that each file exists with an accepted type and size.
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { AppError } from '../../core/http/errors.js';
import { compileForm, type CompiledForm } from './compile.js';
import { clone, deleteAt, expandPattern, getAt, isObject, isUnder } from './fields.js';
import { isKind, KINDS } from './kinds.js';
import { labelOf, sortByForm, toFieldErrors } from './messages.js';
import { hiddenPointers } from './visibility.js';
import type { FieldError, FormLike, JsonSchema, Lang, LocalizedText } from './types.js';

/** One file to confirm: the rules come from the field's `x-options`. */
export interface AttachmentCheck {
  /** Data pointer of the file id, e.g. `/materials/0`. */
  pointer: string;
  fileId: string;
  /** Accepted MIME types (`image/*` allowed), or null for any. */
  accept: string[] | null;
  /** Largest accepted size in bytes, or null. */
  maxSize: number | null;
}

export type AttachmentVerdict =
  | { ok: true }
  | { ok: false; reason: 'not-found' | 'file-type' | 'file-size' | 'rejected'; mime?: string; size?: number };

/**
 * Confirms uploaded files for a submission. The files engine implements it (existence, owner,
 * sniffed type, size); the caller builds one per request with whatever identity it needs.
 * `check` answers one verdict per file, in order.
 */
export interface AttachmentChecker {
  check(files: AttachmentCheck[]): Promise<AttachmentVerdict[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The default: any well-formed uuid is accepted (the schema already checks the shape and count). */
export const uuidAttachmentChecker: AttachmentChecker = {
  async check(files) {
    return files.map((f) => (UUID.test(f.fileId) ? { ok: true as const } : { ok: false as const, reason: 'not-found' as const }));
  },
};

export interface ValidateOptions {
  attachments?: AttachmentChecker;
}

export interface CheckedSubmission {
  /** The cleaned data (normalised values, hidden fields dropped): store this, not the input. */
  data: Record<string, unknown>;
  errors: FieldError[];
  /** Pointers of the fields that were hidden (and dropped). */
  hidden: string[];
}

/** Applies each kind's clean-up, walking the schema's fields and the data together. */
function normalize(schema: JsonSchema, value: unknown): unknown {
  if (!isObject(schema)) return value;
  let v = value;
  if (isKind(schema['x-kind']) && KINDS[schema['x-kind']].normalize) v = KINDS[schema['x-kind']].normalize!(v);
  if (isObject(v) && isObject(schema.properties)) {
    for (const [k, sub] of Object.entries(schema.properties)) {
      if (Object.hasOwn(v, k)) v[k] = normalize(sub as JsonSchema, v[k]);
    }
  } else if (Array.isArray(v) && isObject(schema.items) && schema['x-kind'] !== 'attachment') {
    v = v.map((x) => normalize(schema.items, x));
  }
  return v;
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function attachmentMessage(v: Extract<AttachmentVerdict, { ok: false }>, c: AttachmentCheck): LocalizedText {
  switch (v.reason) {
    case 'not-found': return { 'zh-CN': '不存在或已失效，请重新上传', en: 'does not exist or has expired; upload it again' };
    case 'file-type': return { 'zh-CN': `的类型不符合要求（只接受 ${(c.accept ?? []).join('、')}）`, en: `is not of an accepted type (${(c.accept ?? []).join(', ')})` };
    case 'file-size': return { 'zh-CN': `超过大小上限 ${formatSize(c.maxSize ?? 0)}`, en: `is larger than ${formatSize(c.maxSize ?? 0)}` };
    default: return { 'zh-CN': '未通过安全检查，请更换文件', en: 'failed the security check; use another file' };
  }
}

async function checkAttachments(compiled: CompiledForm, data: unknown, errors: FieldError[], lang: Lang, checker: AttachmentChecker): Promise<FieldError[]> {
  const checks: AttachmentCheck[] = [];
  for (const f of compiled.fields.values()) {
    if (f.kind !== 'attachment') continue;
    const o = f.schema['x-options'] ?? {};
    for (const pointer of expandPattern(f.pattern, data)) {
      const list = getAt(data, pointer);
      // A list with a shape error is reported as such; its files are not looked up.
      if (!Array.isArray(list) || errors.some((e) => isUnder(e.pointer, `/data${pointer}`))) continue;
      list.forEach((id, i) => checks.push({ pointer: `${pointer}/${i}`, fileId: String(id), accept: o.accept ?? null, maxSize: o.maxSize ?? null }));
    }
  }
  if (checks.length === 0) return [];
  const verdicts = await checker.check(checks);
  const out: FieldError[] = [];
  checks.forEach((c, i) => {
    const v = verdicts[i] ?? { ok: false, reason: 'not-found' };
    if (v.ok) return;
    const label = labelOf(c.pointer, compiled);
    const body = attachmentMessage(v, c);
    out.push({ pointer: `/data${c.pointer}`, code: v.reason, message: lang === 'en' ? `${label.en} ${body.en}` : `${label['zh-CN']}${body['zh-CN']}` });
  });
  return out;
}

/** Validates and cleans a submission: every bad field at once, in the form's order. */
export async function checkSubmission(form: FormLike, data: unknown, lang: Lang, opts: ValidateOptions = {}): Promise<CheckedSubmission> {
  if (!isObject(data)) {
    return { data: {}, hidden: [], errors: [{ pointer: '/data', code: 'type', message: lang === 'en' ? 'The form data must be an object of fields' : '「表单」的内容应为各字段组成的对象' }] };
  }
  const compiled = compileForm(form);
  const cleaned = normalize(form.schema, clone(data)) as Record<string, unknown>;
  const hidden = hiddenPointers(compiled.conditions, cleaned);
  for (const p of hidden) deleteAt(cleaned, p);
  compiled.validate(cleaned);
  const inHidden = (p: string) => hidden.some((h) => isUnder(p, h));
  const errors = toFieldErrors(compiled.validate.errors ?? [], compiled, lang, inHidden);
  const fileErrors = await checkAttachments(compiled, cleaned, errors, lang, opts.attachments ?? uuidAttachmentChecker);
  return { data: cleaned, errors: fileErrors.length ? sortByForm([...errors, ...fileErrors], compiled) : errors, hidden };
}

/** The problems of a submission (empty when it is valid). */
export async function validateSubmission(form: FormLike, data: unknown, lang: Lang, opts: ValidateOptions = {}): Promise<FieldError[]> {
  return (await checkSubmission(form, data, lang, opts)).errors;
}

/** The cleaned data of a valid submission; otherwise VALIDATION_FAILED (400) listing every bad field. */
export async function assertValidSubmission(form: FormLike, data: unknown, lang: Lang, opts: ValidateOptions = {}): Promise<Record<string, unknown>> {
  const r = await checkSubmission(form, data, lang, opts);
  if (r.errors.length) throw new AppError('VALIDATION_FAILED', undefined, r.errors);
  return r.data;
}


// Which checker a route uses: the files engine installs a factory per Core (it needs the caller to
// decide whether the caller may attach a file); until then, well-formed uuids pass.
const checkerFactories = new WeakMap<object, (principal: Principal | null) => AttachmentChecker>();

/** Installs the attachment checker that the forms routes use for this Core (the files engine calls it). */
export function useAttachmentChecker(core: Core, factory: (principal: Principal | null) => AttachmentChecker): void {
  checkerFactories.set(core, factory);
}

export function attachmentCheckerFor(core: Core, principal: Principal | null): AttachmentChecker {
  return checkerFactories.get(core)?.(principal) ?? uuidAttachmentChecker;
}
