// Submitting an application (online or at the counter): checks, then ONE transaction holding the
// case number, the workflow case, the application row, the attached files, the audit entry, the
// event and the applicant's notification. A double submit with the same idempotency key returns
// the first application; the same key with a different body is IDEMPOTENCY_CONFLICT.
import { createHash } from 'node:crypto';
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { recordChange } from '../../../core/audit/record.js';
import { nextCaseNumber } from '../../../core/numbering/index.js';
import { startInstance } from '../../../platform/workflow/index.js';
import { attachFiles } from '../../../platform/files/index.js';
import { notify } from '../../../platform/notify/index.js';
import { validateResidentId } from '../../../core/validators/index.js';
import { blind } from '../../../platform/identity/accounts.js';
import { scopesFor } from '../../../core/http/auth.js';
import { isWithin } from '../../../core/divisions/service.js';
import { applicantOf, type Caller } from './access.js';
import { failIfErrors, prepare, type Prepared } from './prepare.js';
import type { MaterialInput } from './materials.js';
import type { SvcApplicationTable } from './tables.js';
import type { Selectable } from 'kysely';

export type ApplicationRow = Selectable<SvcApplicationTable>;

export interface SubmitInput {
  itemKey: string;
  /** The accepting division (where the application is made or received). */
  division: string;
  /** 收受分离 / 跨域通办: the division that handles it (default: `division`). */
  handlingDivision?: string;
  /** The item version the client's form was built from; a withdrawn one is refused. */
  itemVersion?: number;
  data: unknown;
  materials: MaterialInput[];
  idempotencyKey: string;
}

export interface CounterInput extends SubmitInput {
  /** The resident ID number of the person the clerk enters the application for. */
  applicantIdNumber: string;
}

/** Canonical JSON (sorted keys): the same request always digests the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v ?? null);
}
export const digestOf = (body: unknown) => createHash('sha256').update(canonical(body)).digest('hex');

/** The earlier application under this key, or null; 409 when the key was used for a different request. */
export async function replayed(ex: Executor, submittedBy: string, key: string, digest: string): Promise<ApplicationRow | null> {
  const prior = await ex.selectFrom('svc_application').selectAll().where('submitted_by', '=', submittedBy).where('idempotency_key', '=', key).executeTakeFirst();
  if (!prior) return null;
  if (prior.request_digest !== digest) {
    throw new AppError('IDEMPOTENCY_CONFLICT', { 'zh-CN': '该请求编号已用于另一份申请，请勿重复使用', en: 'This idempotency key was used for a different application' });
  }
  return prior;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

/** Runs `write` unless the key was already used; a concurrent twin that won the race is returned instead. */
export async function idempotent(core: Core, submittedBy: string, key: string, digest: string, write: () => Promise<ApplicationRow>): Promise<{ application: ApplicationRow; created: boolean }> {
  const prior = await replayed(core.db, submittedBy, key, digest);
  if (prior) return { application: prior, created: false };
  try {
    return { application: await write(), created: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const twin = await replayed(core.db, submittedBy, key, digest);
    if (!twin) throw e;
    return { application: twin, created: false };
  }
}

export interface Insert {
  prepared: Prepared;
  division: string;
  handlingDivision: string;
  applicant: string;
  channel: 'online' | 'counter';
  idempotencyKey: string | null;
  digest: string | null;
  parentId?: string | null;
  bundleKey?: string | null;
  /** Where the files are attached: the case (single application) or the bundle parent (shared files). */
  attach: boolean;
}

/** Writes one application and its case in the caller's transaction. */
export async function insertApplication(core: Core, tx: Executor, caller: Caller, w: Insert): Promise<ApplicationRow> {
  const { item, data, materials } = w.prepared;
  const now = core.clock.now();
  const number = await nextCaseNumber(tx, { prefix: 'YN', division: w.handlingDivision, at: now });
  const instance = await startInstance(core, tx, caller.actor, {
    key: item.workflowKey, division: w.handlingDivision, title: item.name, applicant: w.applicant, number,
    data: { ...data, materials, item: { key: item.key, versionId: item.id, name: item.name, department: item.department.code, promisedDays: item.promisedDays }, acceptingDivision: w.division, channel: w.channel },
  });
  const app = await tx.insertInto('svc_application').values({
    number, parent_id: w.parentId ?? null, bundle_key: w.bundleKey ?? null, item_version_id: item.id, item_key: item.key, item_name: item.name,
    department_code: item.department.code, division: w.division, handling_division: w.handlingDivision, applicant: w.applicant,
    applicant_account: w.applicant.slice(5), submitted_by: caller.actor.id, channel: w.channel, status: 'submitted', state: instance.state,
    outcome: null, instance_id: instance.id, idempotency_key: w.idempotencyKey, request_digest: w.digest, data: JSON.stringify(data),
    materials: JSON.stringify(materials), result: null, submitted_at: now, updated_at: now, completed_at: null,
  }).returningAll().executeTakeFirstOrThrow();
  if (w.attach) {
    const pointers: string[] = [];
    const ids: string[] = [];
    w.prepared.materials.forEach((m, i) => m.fileIds.forEach((id, j) => { ids.push(id); pointers.push(`/body/materials/${i}/fileIds/${j}`); }));
    if (ids.length) await attachFiles(tx, caller.actor, ids, { type: 'workflow.instance', id: instance.id, division: w.handlingDivision }, { pointer: (i) => pointers[i]! });
  }
  await recordChange(tx, caller.actor, {
    action: 'services.application.submit', object: { type: 'services.application', id: app.id }, division: w.division,
    detail: { number, itemKey: item.key, itemVersionId: item.id, handlingDivision: w.handlingDivision, channel: w.channel, parentId: w.parentId ?? null },
  }, { type: 'services.application.submitted', payload: { id: app.id, number, itemKey: item.key, itemName: item.name, division: w.division, handlingDivision: w.handlingDivision, departmentCode: item.department.code, applicant: w.applicant, channel: w.channel, instanceId: instance.id, parentId: w.parentId ?? null } });
  if (!w.parentId) await notifySubmitted(core, tx, app);
  return app;
}

export async function notifySubmitted(core: Core, tx: Executor, app: ApplicationRow): Promise<void> {
  await notify(core, tx, { to: app.applicant_account, template: 'services.case-status-changed', data: { caseNumber: app.number, itemName: app.item_name, status: '已提交，等待受理' }, purpose: `services.application:${app.id}`, division: app.handling_division });
}

async function submitAs(core: Core, caller: Caller, input: SubmitInput, applicant: string, channel: 'online' | 'counter', digestBody: unknown): Promise<{ application: ApplicationRow; created: boolean }> {
  const handling = input.handlingDivision ?? input.division;
  const digest = digestOf(digestBody);
  return idempotent(core, caller.actor.id, input.idempotencyKey, digest, async () => {
    const prepared = await prepare(core, caller.lang, { key: input.itemKey, division: handling, version: input.itemVersion }, input.data, input.materials);
    failIfErrors(prepared.errors);
    return core.db.transaction().execute((tx) => insertApplication(core, tx, caller, {
      prepared, division: input.division, handlingDivision: handling, applicant, channel, idempotencyKey: input.idempotencyKey, digest, attach: true,
    }));
  });
}

/** Online: the signed-in person applies for themselves, or for the person they act for (代办). */
export async function submitApplication(core: Core, caller: Caller, input: SubmitInput) {
  const applicant = applicantOf(caller.principal);
  if (!applicant) throw new AppError('FORBIDDEN', { 'zh-CN': '只有个人或法人账号可以申请', en: 'Only a person or an enterprise account can apply' });
  return submitAs(core, caller, input, applicant, 'online', { ...input, applicant });
}

/** At the counter (线上线下同标准): a window clerk enters it for a person identified by resident ID. */
export async function submitCounterApplication(core: Core, caller: Caller, input: CounterInput) {
  if (!scopesFor(caller.principal, 'services:case.accept').some((s) => isWithin(input.division, s))) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权在行政区划 ${input.division} 收件`, en: `You may not receive applications in ${input.division}` });
  }
  const id = validateResidentId(input.applicantIdNumber);
  const problems: FieldError[] = [];
  let account: { id: string } | undefined;
  if (!id.ok) problems.push({ pointer: '/body/applicantIdNumber', code: id.reason, message: id.message[caller.lang] });
  else {
    account = await core.db.selectFrom('account').select('id').where('id_number_bidx', '=', blind(core, 'id', id.value)).where('status', '=', 'active').executeTakeFirst();
    if (!account) problems.push({ pointer: '/body/applicantIdNumber', code: 'not-found', message: caller.lang === 'en' ? 'No account with this resident ID number; register the person first' : '该身份证号码尚未注册，请先为申请人开户' });
  }
  failIfErrors(problems);
  const applicant = `user:${account!.id}`;
  return submitAs(core, caller, input, applicant, 'counter', { ...input, applicantIdNumber: undefined, applicant });
}
