// Publishing, withdrawing and scoping service items. Every change runs in one transaction with
// its audit entry and outbox event (recordChange). Publishing an unchanged item creates nothing,
// so packs and imports can be re-run.
import { createHash } from 'node:crypto';
import type { Core } from '../../../core/index.js';
import type { Tx } from '../../../core/db/types.js';
import type { Principal } from '../../../core/http/auth.js';
import { scopesFor } from '../../../core/http/auth.js';
import type { Actor } from '../../../core/audit/record.js';
import { recordChange } from '../../../core/audit/record.js';
import { AppError, type FieldError, type Lang } from '../../../core/http/errors.js';
import { getDivision, isWithin } from '../../../core/divisions/service.js';
import { resolveDefinition } from '../../../platform/workflow/index.js';
import { getForm } from '../../../platform/forms/index.js';
import type { ItemInput } from './schema.js';
import { itemProblems, normalizeItem } from './validate.js';
import { searchDocument, searchVector } from './search.js';
import { clearNotImplemented, ensureItem, findItem, insertVersion, lockItemKey, markWithdrawn, nextVersion, notImplementedMark, setNotImplemented, versionById, versionsIn } from './repo.js';
import { toItemVersion, type ItemVersion } from './contract.js';

/** Managing the catalog needs services:item.manage in the division (department administrators hold it). */
export const MANAGE = 'services:item.manage';

export interface Caller { principal: Principal; actor: Actor; lang: Lang }

const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

export function mayManage(p: Principal, division: string): boolean {
  return scopesFor(p, MANAGE).some((s) => isWithin(division, s));
}

function assertMayManage(p: Principal, division: string): void {
  if (!mayManage(p, division)) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权管理行政区划 ${division} 的政务服务事项`, en: `You may not manage service items of division ${division}` });
}

export const itemNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '该事项不存在或在本地区未实施', en: 'No such service item in force here' });

const stable = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
};

export interface PublishResult { item: ItemVersion; created: boolean }

/** Throws VALIDATION_FAILED naming every bad field (pointers under `base`). */
export function assertValidItem(raw: unknown, lang: Lang, base = '/body'): ItemInput {
  const problems = itemProblems(raw, lang, base);
  if (problems.length) throw new AppError('VALIDATION_FAILED', { 'zh-CN': `事项有 ${problems.length} 处问题`, en: `The item has ${problems.length} problem(s)` }, problems);
  return raw as ItemInput;
}

/**
 * Problems that need the database: the division exists, the item's basic code matches the one it
 * was registered with, and its form and workflow resolve in the division (else DEFINITION_INVALID).
 */
export async function referenceProblems(tx: Tx, input: ItemInput, lang: Lang, base = '/body'): Promise<{ validation: FieldError[]; references: FieldError[] }> {
  const validation: FieldError[] = [];
  const references: FieldError[] = [];
  if (!(await getDivision(tx, input.division))) validation.push({ pointer: `${base}/division`, code: 'unknown', message: t(lang, `行政区划 ${input.division} 不存在`, `Unknown division ${input.division}`) });
  const item = await findItem(tx, { key: input.key });
  if (item && item.basic_code !== input.basicCode) {
    validation.push({ pointer: `${base}/basicCode`, code: 'basic-code-mismatch', message: t(lang, `「基本编码」应与已登记的事项一致（${item.basic_code}）`, `The basic code must match the registered item (${item.basic_code})`) });
  }
  if (!(await resolveDefinition(tx, input.workflowKey, input.division))) {
    references.push({ pointer: `${base}/workflowKey`, code: 'unknown-workflow', message: t(lang, `「办理流程」${input.workflowKey} 在行政区划 ${input.division} 没有已发布的流程定义`, `No published workflow ${input.workflowKey} applies in ${input.division}`) });
  }
  if (input.formKey && !(await getForm(tx, input.formKey, { division: input.division }))) {
    references.push({ pointer: `${base}/formKey`, code: 'unknown-form', message: t(lang, `「申请表单」${input.formKey} 在行政区划 ${input.division} 没有已发布的表单`, `No published form ${input.formKey} applies in ${input.division}`) });
  }
  return { validation, references };
}

function throwReferenceProblems(p: { validation: FieldError[]; references: FieldError[] }): void {
  if (p.validation.length) throw new AppError('VALIDATION_FAILED', { 'zh-CN': `事项有 ${p.validation.length} 处问题`, en: `The item has ${p.validation.length} problem(s)` }, p.validation);
  if (p.references.length) throw new AppError('DEFINITION_INVALID', { 'zh-CN': '事项引用的表单或流程不存在', en: 'The item refers to a form or workflow that does not exist' }, p.references);
}

/** Publishes a checked item inside `tx` (the caller's permission already checked). */
export async function publishInTx(core: Core, tx: Tx, caller: Caller, input: ItemInput, base = '/body'): Promise<PublishResult> {
  await lockItemKey(tx, input.key);
  throwReferenceProblems(await referenceProblems(tx, input, caller.lang, base));
  const item = normalizeItem(input);
  const digest = createHash('sha256').update(stable(item)).digest('hex');
  const { id: itemId } = await ensureItem(tx, item.key, item.basicCode);
  const [current] = (await versionsIn(tx, itemId, item.division)).filter((v) => v.status === 'published');
  const hadMark = await notImplementedMark(tx, itemId, item.division);
  if (current && current.digest === digest && !hadMark) return { item: toItemVersion(current), created: false };
  // Publishing here is the positive act that undoes an earlier "not implemented here".
  if (hadMark) await clearNotImplemented(tx, itemId, item.division);
  const version = await nextVersion(tx, itemId);
  const id = await insertVersion(tx, {
    item_id: itemId, division: item.division, version, code: item.code, name: item.name, item_type: item.itemType, handling: item.handling,
    legal_days: item.legalDays, promised_days: item.promisedDays, department_code: item.department.code, department_name: item.department.name,
    form_key: item.formKey, workflow_key: item.workflowKey, materials: JSON.stringify(item.materials), life_events: item.lifeEvents,
    elements: JSON.stringify(item), digest, published_by: caller.actor.id,
  }, searchVector(searchDocument(item)));
  await recordChange(tx, caller.actor,
    { action: 'services.item.publish', object: { type: 'services.item', id }, division: item.division, detail: { key: item.key, version, code: item.code, digest, name: item.name } },
    { type: 'services.item.published', aggregate: { type: 'services.item', id: itemId }, payload: { id, itemId, key: item.key, version, division: item.division, code: item.code } });
  const row = await versionById(tx, id);
  return { item: toItemVersion(row!), created: true };
}

export async function publishItem(core: Core, caller: Caller, raw: unknown): Promise<PublishResult> {
  const input = assertValidItem(raw, caller.lang);
  assertMayManage(caller.principal, input.division);
  return core.db.transaction().execute((tx) => publishInTx(core, tx, caller, input));
}

/** Withdraws one version (default: the newest published) of the item's implementation in `division`. */
export async function withdrawItem(core: Core, caller: Caller, key: string, opts: { division: string; version?: number }): Promise<ItemVersion> {
  assertMayManage(caller.principal, opts.division);
  return core.db.transaction().execute(async (tx) => {
    await lockItemKey(tx, key);
    const item = await findItem(tx, { key });
    if (!item) throw itemNotFound();
    const versions = await versionsIn(tx, item.id, opts.division);
    const target = opts.version === undefined ? versions.find((v) => v.status === 'published') : versions.find((v) => v.version === opts.version);
    if (!target) throw new AppError('NOT_FOUND', { 'zh-CN': `行政区划 ${opts.division} 没有该事项的已发布版本`, en: `No published version of this item in ${opts.division}` });
    if (target.status === 'withdrawn') throw new AppError('INVALID_STATE', { 'zh-CN': `第 ${target.version} 版已撤回`, en: `Version ${target.version} is already withdrawn` });
    const now = core.clock.now();
    await markWithdrawn(tx, target.id, caller.actor.id, now);
    await recordChange(tx, caller.actor,
      { action: 'services.item.withdraw', object: { type: 'services.item', id: target.id }, division: opts.division, detail: { key, version: target.version } },
      { type: 'services.item.withdrawn', aggregate: { type: 'services.item', id: item.id }, payload: { id: target.id, itemId: item.id, key, version: target.version, division: opts.division } });
    return toItemVersion({ ...target, status: 'withdrawn', withdrawn_at: now });
  });
}

/**
 * Marks an inherited item as not implemented in `division` (and its subtree), or undoes that.
 * A division that publishes its own version must withdraw it first (409), so the two never clash.
 */
export async function setImplemented(core: Core, caller: Caller, key: string, input: { division: string; implemented: boolean; note?: string | null }): Promise<{ key: string; division: string; implemented: boolean; note: string | null }> {
  assertMayManage(caller.principal, input.division);
  return core.db.transaction().execute(async (tx) => {
    await lockItemKey(tx, key);
    const item = await findItem(tx, { key });
    if (!item) throw itemNotFound();
    if (!(await getDivision(tx, input.division))) throw new AppError('DIVISION_NOT_FOUND');
    const note = input.note ?? null;
    if (input.implemented) {
      const cleared = await clearNotImplemented(tx, item.id, input.division);
      if (cleared) {
        await recordChange(tx, caller.actor, { action: 'services.item.implement', object: { type: 'services.item', id: item.id }, division: input.division, detail: { key } },
          { type: 'services.item.implemented', payload: { itemId: item.id, key, division: input.division } });
      }
      return { key, division: input.division, implemented: true, note: null };
    }
    if ((await versionsIn(tx, item.id, input.division)).some((v) => v.status === 'published')) {
      throw new AppError('INVALID_STATE', { 'zh-CN': '本级已发布该事项的实施版本，请先撤回', en: 'This division publishes its own version of the item; withdraw it first' });
    }
    const before = await notImplementedMark(tx, item.id, input.division);
    if (!before || before.note !== note) {
      await setNotImplemented(tx, item.id, input.division, note, caller.actor.id);
      await recordChange(tx, caller.actor, { action: 'services.item.not-implement', object: { type: 'services.item', id: item.id }, division: input.division, detail: { key, note } },
        { type: 'services.item.not-implemented', payload: { itemId: item.id, key, division: input.division, note } });
    }
    return { key, division: input.division, implemented: false, note };
  });
}
