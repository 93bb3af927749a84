// Reading applications: the contract's getApplication, the applicant's own list, the detail view
// (applicant or staff in scope, else 404), and the public tracker (number + mobile → status only).
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { AppError } from '../../../core/http/errors.js';
import { validateMobile } from '../../../core/validators/index.js';
import { blind } from '../../../platform/identity/accounts.js';
import { isPaused } from '../../../platform/workflow/deadlines.js';
import type { Pause } from '../../../platform/workflow/tables.js';
import { applicantOf, applicationNotFound, maySeeApplication, READ_PERMISSIONS, type Caller } from './access.js';
import { scopesFor } from '../../../core/http/auth.js';
import { divisionScopeSql } from '../../../core/divisions/service.js';
import { sql } from 'kysely';
import { STATUS_ZH } from './status.js';
import type { ApplicationRow } from './submit.js';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

/** The applications → others contract (src/modules/services/README.md). */
export async function getApplication(ex: Executor, id: string) {
  const a = await ex.selectFrom('svc_application').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) return null;
  return {
    id: a.id, number: a.number, itemVersionId: a.item_version_id, itemKey: a.item_key, division: a.division, handlingDivision: a.handling_division,
    applicant: a.applicant, instanceId: a.instance_id, status: a.status, channel: a.channel, submittedAt: iso(a.submitted_at)!, completedAt: iso(a.completed_at), outcome: a.outcome,
  };
}

export function summary(a: ApplicationRow) {
  return {
    id: a.id, number: a.number, parentId: a.parent_id, bundleKey: a.bundle_key, itemKey: a.item_key, itemName: a.item_name, itemVersionId: a.item_version_id,
    departmentCode: a.department_code, division: a.division, handlingDivision: a.handling_division, channel: a.channel, status: a.status, state: a.state,
    outcome: a.outcome, instanceId: a.instance_id, submittedAt: iso(a.submitted_at)!, updatedAt: iso(a.updated_at)!, completedAt: iso(a.completed_at),
  };
}

export async function listMine(core: Core, caller: Caller, opts: { limit: number; offset: number }) {
  const who = applicantOf(caller.principal);
  if (!who) return { items: [], total: 0 };
  const base = core.db.selectFrom('svc_application').where('applicant', '=', who).where('parent_id', 'is', null);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('submitted_at', 'desc').orderBy('number', 'desc').limit(opts.limit).offset(opts.offset).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(summary), total: Number(count.n) };
}

export interface StaffFilter { status?: string; itemKey?: string; channel?: string; number?: string; from?: string; to?: string; limit: number; offset: number }

/** Staff: applications handled or accepted in the caller's divisions (收受分离: both offices list it), newest first. */
export async function listForStaff(core: Core, caller: Caller, f: StaffFilter) {
  const scopes = [...new Set(READ_PERMISSIONS.flatMap((perm) => scopesFor(caller.principal, perm)))];
  let q = core.db.selectFrom('svc_application').where(sql<boolean>`(${divisionScopeSql('handling_division', scopes)} OR ${divisionScopeSql('division', scopes)})`);
  if (f.status) q = q.where('status', '=', f.status as never);
  if (f.itemKey) q = q.where('item_key', '=', f.itemKey);
  if (f.channel) q = q.where('channel', '=', f.channel as never);
  // Workbench search: a case number (or its start), and submission dates as Beijing days, inclusive.
  if (f.number) q = q.where('number', 'like', `${f.number.trim().toUpperCase().replace(/[%_\\]/g, '')}%`);
  if (f.from) q = q.where('submitted_at', '>=', new Date(`${f.from}T00:00:00+08:00`));
  if (f.to) q = q.where('submitted_at', '<', new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000));
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('submitted_at', 'desc').orderBy('number', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(summary), total: Number(count.n) };
}

/** The case as the application's reader sees it: state, deadlines, pauses, and the decisions so far. */
async function caseOf(core: Core, instanceId: string) {
  const row = await core.db.selectFrom('wf_instance').selectAll().where('id', '=', instanceId).executeTakeFirstOrThrow();
  const hist = await core.db.selectFrom('wf_history').select(['at', 'action', 'from_state', 'to_state', 'comment', 'on_behalf_of', 'actor', 'kind']).where('instance_id', '=', instanceId).orderBy('id').execute();
  const data = row.data as Record<string, unknown>;
  return {
    state: row.state, status: row.status, outcome: row.outcome, dueAt: iso(row.due_at), stateDueAt: iso(row.state_due_at), paused: isPaused(row.pauses as Pause[]),
    pauses: row.pauses as Pause[], rowVersion: row.row_version, corrections: data.corrections ?? null,
    history: hist.map((h) => ({ at: iso(h.at)!, kind: h.kind, action: h.action, from: h.from_state, to: h.to_state, comment: h.comment })),
  };
}

/** By the application's id, or by its workflow case's id (the workbench opens cases from task inboxes). */
export async function viewApplication(core: Core, caller: Caller, id: string) {
  const a = await core.db.selectFrom('svc_application').selectAll().where((eb) => eb.or([eb('id', '=', id), eb('instance_id', '=', id)])).executeTakeFirst();
  if (!a || !maySeeApplication(caller.principal, a)) throw applicationNotFound();
  const children = await core.db.selectFrom('svc_application').selectAll().where('parent_id', '=', a.id).orderBy('number').execute();
  return {
    ...summary(a), applicant: a.applicant, data: a.data, materials: a.materials, result: a.result,
    case: a.instance_id ? await caseOf(core, a.instance_id) : null,
    children: children.map(summary),
  };
}

/** Public: case number + the applicant's mobile → the status, nothing personal. A wrong pair is the same 404 as an unknown number. */
export async function track(core: Core, number: string, mobile: string) {
  const none = () => new AppError('NOT_FOUND', { 'zh-CN': '未查到该办件，请核对办件编号和手机号码', en: 'No application matches this number and mobile' });
  const m = validateMobile(mobile);
  if (!m.ok) throw none();
  const a = await core.db.selectFrom('svc_application').innerJoin('account', 'account.id', 'svc_application.applicant_account')
    .select(['svc_application.number', 'svc_application.item_name', 'svc_application.status', 'svc_application.outcome', 'svc_application.submitted_at', 'svc_application.updated_at', 'svc_application.completed_at', 'account.mobile_bidx', 'svc_application.handling_division'])
    .where('svc_application.number', '=', number.trim().toUpperCase()).executeTakeFirst();
  if (!a || a.mobile_bidx !== blind(core, 'mobile', m.value)) throw none();
  return {
    number: a.number, itemName: a.item_name, status: a.status, outcome: a.outcome, statusText: STATUS_ZH[a.outcome ?? a.status],
    handlingDivision: a.handling_division, submittedAt: iso(a.submitted_at)!, updatedAt: iso(a.updated_at)!, completedAt: iso(a.completed_at),
  };
}
