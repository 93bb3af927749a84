// Form definitions: publishing (new immutable versions, audited and evented in the same
// transaction), withdrawing, and resolving the form that applies in a division — its own if it
// published one, else its parent's, up to the province (county → prefecture → province).
import { createHash } from 'node:crypto';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Principal } from '../../core/http/auth.js';
import { scopesFor } from '../../core/http/auth.js';
import { audit, recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { getDivision, isWithin } from '../../core/divisions/service.js';
import { divisionAncestors, validateDivisionCode } from '../../core/validators/index.js';
import { checkDefinition, FORM_KEY, type FormDefinition } from './definition.js';
import { findDraft, findVersion, latestPublishedIn, listVersions, lockKey, markWithdrawn, nextVersion, publishedForUpdate, writeDefinition } from './repo.js';
import type { Caller, FieldError, FormInput, FormVersion } from './types.js';

export const MANAGE = 'forms:definition.manage';

export function mayManage(p: Principal | null | undefined, division: string): boolean {
  return !!p && scopesFor(p, MANAGE).some((s) => isWithin(division, s));
}

function assertMayManage(p: Principal, division: string): void {
  if (!mayManage(p, division)) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权管理行政区划 ${division} 的表单`, en: `You may not manage forms of division ${division}` });
}

const strip = ({ digest: _d, ...f }: FormVersion & { digest?: string }): FormVersion => f;

/** Nearest first: the division itself, then its parent, … the province. */
export function resolutionChain(division: string): string[] {
  const v = validateDivisionCode(division);
  if (!v.ok) return [];
  return [v.canonical, ...divisionAncestors(v.canonical).reverse()];
}

/**
 * The form a case uses. With `version`: exactly that version (a withdrawn one too — cases started
 * on it keep it; check `status` before starting a new case). Otherwise the current published
 * version for `division`, walking up to the province; without a division, the province's own.
 */
export async function getForm(ex: Executor, key: string, opts: { version?: number; division?: string } = {}): Promise<FormVersion | null> {
  if (typeof key !== 'string' || !FORM_KEY.test(key)) return null;
  if (opts.version !== undefined) {
    const f = await findVersion(ex, key, opts.version);
    return f && f.status !== 'draft' ? strip(f) : null;
  }
  if (opts.division === undefined) {
    const all = await latestPublishedIn(ex, key, null);
    const provinces = all.filter((f) => f.division.endsWith('0000'));
    return provinces.length === 1 ? strip(provinces[0]!) : null;
  }
  const chain = resolutionChain(opts.division);
  const found = await latestPublishedIn(ex, key, chain);
  for (const d of chain) {
    const f = found.find((x) => x.division === d);
    if (f) return strip(f);
  }
  return null;
}

/** The form to validate a new submission against: 404 when there is none, 409 for a withdrawn version. */
export async function formForSubmission(ex: Executor, key: string, opts: { version?: number; division?: string }): Promise<FormVersion> {
  const f = await getForm(ex, key, opts);
  if (!f) throw new AppError('NOT_FOUND', { 'zh-CN': `表单 ${key} 不存在或未发布`, en: `No published form ${key}` });
  if (f.status === 'withdrawn') throw new AppError('VERSION_WITHDRAWN', { 'zh-CN': `表单 ${key} 第 ${f.version} 版已撤回，请使用最新版本`, en: `Version ${f.version} of form ${key} has been withdrawn` });
  return f;
}

/** Versions of a form (newest first), limited to `division` and its ancestors when given; drafts only where `principal` manages forms. */
export async function formVersions(ex: Executor, key: string, opts: { division?: string; principal?: Principal | null } = {}): Promise<FormVersion[]> {
  if (!FORM_KEY.test(key)) return [];
  const rows = await listVersions(ex, key, { divisions: opts.division ? resolutionChain(opts.division) : undefined, draftsIn: (d) => mayManage(opts.principal, d) });
  return rows.map(strip);
}

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

export function definitionDigest(def: Pick<FormDefinition, 'title' | 'schema' | 'uiSchema'>): string {
  return createHash('sha256').update(stable({ title: def.title, schema: def.schema, uiSchema: def.uiSchema })).digest('hex');
}

export interface PublishResult {
  form: FormVersion;
  /** False when the same definition was already the division's current version (nothing written). */
  created: boolean;
}

/**
 * Publishes a new version of a form in a division (or, with `draft: true`, saves the division's
 * draft). Needs forms:definition.manage in that division. The definition is checked first and
 * every problem is reported (DEFINITION_INVALID). Versions count per key across divisions.
 */
export async function publishForm(core: Core, caller: Caller, input: FormInput): Promise<PublishResult> {
  const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const dv = validateDivisionCode(typeof raw.division === 'number' ? String(raw.division) : raw.division);
  if (dv.ok) assertMayManage(caller.principal, dv.canonical);
  const { problems, definition } = checkDefinition(input, caller.lang);
  const all: FieldError[] = [...problems];
  if (dv.ok && !(await getDivision(core.db, dv.canonical))) {
    all.unshift({ pointer: '/division', code: 'unknown', message: caller.lang === 'en' ? `Unknown division ${dv.canonical}` : `行政区划 ${dv.canonical} 不存在` });
  }
  if (all.length || !definition) {
    throw new AppError('DEFINITION_INVALID', { 'zh-CN': `表单定义有 ${all.length} 处问题`, en: `The form definition has ${all.length} problem(s)` }, all);
  }
  const digest = definitionDigest(definition);
  const draft = raw.draft === true;
  const now = core.clock.now();
  return core.db.transaction().execute(async (tx) => {
    await lockKey(tx, definition.key);
    const draftId = await findDraft(tx, definition.key, definition.division);
    if (draft) {
      const form = await writeDefinition(tx, { def: definition, digest, status: 'draft', version: null, createdBy: caller.actor.id, now }, draftId);
      await audit(tx, caller.actor, { action: 'forms.form.save-draft', object: { type: 'form', id: form.id }, division: form.division, detail: { key: form.key, digest } });
      return { form: strip(form), created: true };
    }
    const [current] = await latestPublishedIn(tx, definition.key, [definition.division]);
    if (current && current.digest === digest) return { form: strip(current), created: false };
    const version = await nextVersion(tx, definition.key);
    const form = await writeDefinition(tx, { def: definition, digest, status: 'published', version, createdBy: caller.actor.id, now }, draftId);
    await recordChange(tx, caller.actor,
      { action: 'forms.form.publish', object: { type: 'form', id: form.id }, division: form.division, detail: { key: form.key, version, digest, title: form.title['zh-CN'] } },
      { type: 'forms.form.published', payload: { id: form.id, key: form.key, version, division: form.division } });
    return { form: strip(form), created: true };
  });
}

/**
 * Withdraws one published version of a form in a division, or — without `version` — every
 * published version there (the form goes offline in that division, which then inherits its
 * parent's, if any). Withdrawing the newest version makes the previous published one current again.
 */
export async function withdrawForm(core: Core, caller: Caller, key: string, opts: { division: string; version?: number }): Promise<FormVersion[]> {
  const dv = validateDivisionCode(opts.division);
  if (!dv.ok) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/division', code: dv.reason, message: caller.lang === 'en' ? dv.message.en : dv.message['zh-CN'] }]);
  assertMayManage(caller.principal, dv.canonical);
  const division = dv.canonical;
  const notFound = () => new AppError('NOT_FOUND', { 'zh-CN': `行政区划 ${division} 没有发布表单 ${key}${opts.version ? ` 第 ${opts.version} 版` : ''}`, en: `Division ${division} has no published form ${key}${opts.version ? ` v${opts.version}` : ''}` });
  if (!FORM_KEY.test(key)) throw notFound();
  const now = core.clock.now();
  const ids = await core.db.transaction().execute(async (tx) => {
    await lockKey(tx, key);
    const rows = await publishedForUpdate(tx, key, division, opts.version);
    if (rows.length === 0) throw notFound();
    const targets = rows.filter((r) => r.status === 'published');
    if (targets.length === 0) throw new AppError('INVALID_STATE', { 'zh-CN': '该表单版本已撤回', en: 'Already withdrawn' });
    for (const r of targets) {
      await markWithdrawn(tx, r.id, caller.actor.id, now);
      await recordChange(tx, caller.actor,
        { action: 'forms.form.withdraw', object: { type: 'form', id: r.id }, division, detail: { key, version: r.version } },
        { type: 'forms.form.withdrawn', payload: { id: r.id, key, version: r.version, division } });
    }
    return targets.map((r) => r.version);
  });
  const out: FormVersion[] = [];
  for (const v of ids) out.push(strip((await findVersion(core.db, key, v))!));
  return out;
}
