// Staff and applicant actions on an application, through the workflow engine: the case moves,
// and in the SAME transaction the application's status, result, events and the applicant's
// notification follow. What each kind of decision must carry is checked before anything is written:
// 不予受理 a reason; 不予许可 reasons and the legal basis; 准予 a result (file and/or text); 补正 the list.
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { recordChange } from '../../../core/audit/record.js';
import { applyAction, definitionCached, lockInstance } from '../../../platform/workflow/index.js';
import { kindOf, stateOf } from '../../../platform/workflow/definition.js';
import { notify } from '../../../platform/notify/index.js';
import { sql } from 'kysely';
import { applicationNotFound, isApplicant, maySeeApplication, type Caller } from './access.js';
import { eventOf, outcomeOf, overallOf, STATUS_ZH, statusOf } from './status.js';
import type { ApplicationRow } from './submit.js';

export interface ActionInput {
  comment?: string | null;
  data?: Record<string, unknown>;
  attachments?: string[];
  expectedVersion?: number;
  /** 补正: every item to correct (一次性告知). */
  corrections?: Array<{ materialId?: string; field?: string; note: string }>;
  /** 不予许可: the legal basis of the refusal. */
  legalBasis?: string;
  /** 准予: the result document (an uploaded file) and/or the result text. */
  result?: { fileId?: string; text?: string };
}

const zhEn = (lang: 'zh-CN' | 'en', zh: string, en: string) => (lang === 'en' ? en : zh);
const fmt = (d: Date | string | null) => (d ? new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(0, 10) : '—');

export async function lockApplication(ex: Executor, id: string): Promise<ApplicationRow | undefined> {
  return (await sql<ApplicationRow>`SELECT * FROM svc_application WHERE id = ${id} FOR UPDATE`.execute(ex)).rows[0];
}

export async function actOnApplication(core: Core, caller: Caller, id: string, actionId: string, input: ActionInput): Promise<ApplicationRow> {
  return core.db.transaction().execute(async (tx) => {
    const app = await lockApplication(tx, id);
    if (!app || !maySeeApplication(caller.principal, app)) throw applicationNotFound();
    if (!app.instance_id) return withdrawBundle(core, tx, caller, app, actionId, input);
    return actInTx(core, tx, caller, app, actionId, input);
  });
}

/**
 * 一件事一次办: the applicant withdraws the whole bundle — every sub-case still open, all in this
 * transaction, or none (INVALID_STATE naming the sub-cases that can no longer be withdrawn).
 */
async function withdrawBundle(core: Core, tx: Executor, caller: Caller, parent: ApplicationRow, actionId: string, input: ActionInput): Promise<ApplicationRow> {
  if (actionId !== 'withdraw') throw new AppError('NOT_FOUND', { 'zh-CN': '一件事只能整体撤回，其余操作请在各子件上办理', en: 'A bundle can only be withdrawn as a whole; act on its sub-cases' });
  if (!isApplicant(caller.principal, parent)) throw new AppError('FORBIDDEN', { 'zh-CN': '只有申请人可以撤回', en: 'Only the applicant may withdraw' });
  const open = await tx.selectFrom('svc_application').selectAll().where('parent_id', '=', parent.id).where('status', '!=', 'completed').orderBy('number').execute();
  const stuck: string[] = [];
  for (const child of open) {
    const inst = await lockInstance(tx, child.instance_id!);
    const def = (await definitionCached(tx, inst!.definition_id)).definition;
    if (!def.actions.some((a) => a.id === 'withdraw' && a.from.includes(inst!.state))) stuck.push(`${child.item_name}（${stateOf(def, inst!.state).name['zh-CN']}）`);
  }
  if (stuck.length) throw new AppError('INVALID_STATE', { 'zh-CN': `以下子件已进入审批，不能撤回：${stuck.join('、')}`, en: `${stuck.length} sub-case(s) can no longer be withdrawn` });
  for (const child of open) await actInTx(core, tx, caller, child, 'withdraw', { comment: input.comment ?? null });
  return (await lockApplication(tx, parent.id))!;
}

async function actInTx(core: Core, tx: Executor, caller: Caller, app: ApplicationRow, actionId: string, input: ActionInput): Promise<ApplicationRow> {
  const lang = caller.lang;
  const row = await lockInstance(tx, app.instance_id!);
  if (!row) throw applicationNotFound();
  const pub = await definitionCached(tx, row.definition_id);
  const def = pub.definition;
  const action = def.actions.find((a) => a.id === actionId);
  const errors: FieldError[] = [];
  const data: Record<string, unknown> = { ...(input.data ?? {}) };
  const attachments = [...(input.attachments ?? [])];
  let result: Record<string, unknown> | null = null;
  if (action && action.from.includes(row.state) && (await decides(tx, row, stateOf(def, row.state), action.vote))) {
    const target = stateOf(def, action.to);
    const final = kindOf(target) === 'final' ? outcomeOf(target.outcome) : null;
    const comment = input.comment?.trim();
    if ((final === 'refused' || final === 'rejected') && !comment) {
      errors.push({ pointer: '/body/comment', code: 'required', message: zhEn(lang, final === 'refused' ? '不予许可须写明理由' : '不予受理须写明理由', 'Give the reasons') });
    }
    if (final === 'refused') {
      if (!input.legalBasis?.trim()) errors.push({ pointer: '/body/legalBasis', code: 'required', message: zhEn(lang, '不予许可须写明法律依据', 'Give the legal basis of the refusal') });
      result = { reasons: comment ?? null, legalBasis: input.legalBasis ?? null };
    }
    if (final === 'rejected') result = { reasons: comment ?? null };
    if (final === 'approved') {
      if (!input.result?.fileId && !input.result?.text?.trim()) errors.push({ pointer: '/body/result', code: 'required', message: zhEn(lang, '准予办结须附结果文书或结果说明', 'Attach the result document or describe the result') });
      if (input.result?.fileId) attachments.push(input.result.fileId);
      result = { fileId: input.result?.fileId ?? null, text: input.result?.text ?? null };
    }
    if (target.pausesClock || kindOf(target) === 'wait') {
      if (!input.corrections?.length) errors.push({ pointer: '/body/corrections', code: 'required', message: zhEn(lang, '补正须一次性列明全部需补正的内容', 'List every item to correct') });
      else data.corrections = input.corrections;
    }
    if (result) data.decision = result;
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', { 'zh-CN': `「${action!.name['zh-CN']}」还缺少 ${errors.length} 项内容`, en: `${errors.length} problems with ${actionId}` }, errors);
  const from = row.state;
  const seqBefore = row.state_seq;
  const moved = await applyAction(core, tx, row, pub, actionId, caller.actor, { comment: input.comment ?? null, data, attachments, expectedVersion: input.expectedVersion, principal: caller.principal, lang });
  if (moved.state_seq === seqBefore) return app; // a countersign vote that did not decide yet
  const completed = moved.status === 'completed';
  const outcome = completed ? outcomeOf(moved.outcome) : null;
  const status = statusOf(def, moved.state, completed);
  const now = core.clock.now();
  const updated = await tx.updateTable('svc_application').set({
    status, state: moved.state, outcome, updated_at: now, completed_at: completed ? now : null,
    ...(result && completed ? { result: JSON.stringify(result) } : {}),
  }).where('id', '=', app.id).returningAll().executeTakeFirstOrThrow();
  const event = eventOf(def, from, moved.state, completed, outcome);
  const base = { id: app.id, number: app.number, itemKey: app.item_key, itemName: app.item_name, division: app.division, handlingDivision: app.handling_division, departmentCode: app.department_code, applicant: app.applicant, channel: app.channel };
  const audit = { action: `services.application.${actionId}`, object: { type: 'services.application', id: app.id }, division: app.division, detail: { number: app.number, from, to: moved.state, status, outcome } };
  await recordChange(tx, caller.actor, audit, { type: `services.application.${event ?? 'transitioned'}`, payload: { ...base, action: actionId, from, to: moved.state, status, outcome } });
  if (completed) {
    await recordChange(tx, caller.actor, { ...audit, action: 'services.application.complete' }, { type: 'services.application.completed', payload: { ...base, outcome, completedAt: now.toISOString() } });
  }
  await notifyStep(core, tx, updated, event, { state: stateOf(def, moved.state).name['zh-CN'], comment: input.comment ?? null, corrections: input.corrections ?? [], dueAt: moved.due_at });
  if (app.parent_id) await refreshParent(core, tx, app.parent_id);
  return updated;
}

/**
 * Will this action move the case? A countersign vote only does when it decides (the engine's rule:
 * `all` — one reject or the last approval; `any` — the quorum, or too many rejects to reach it), and
 * only the deciding vote must carry the result or the refusal's reasons and legal basis.
 */
async function decides(ex: Executor, row: { id: string; state_seq: number }, state: ReturnType<typeof stateOf>, vote: 'approve' | 'reject' | undefined): Promise<boolean> {
  if (!vote || !state.countersign) return true;
  const tasks = await ex.selectFrom('wf_task').select(['vote', 'status']).where('instance_id', '=', row.id).where('state_seq', '=', row.state_seq).where('status', '!=', 'cancelled').execute();
  const total = tasks.length;
  const approvals = tasks.filter((t) => t.vote === 'approve').length + (vote === 'approve' ? 1 : 0);
  const rejections = tasks.filter((t) => t.vote === 'reject').length + (vote === 'reject' ? 1 : 0);
  const quorum = state.countersign.mode === 'all' ? total : (state.countersign.quorum ?? 1);
  return vote === 'approve' ? approvals >= quorum : rejections > total - quorum;
}

async function notifyStep(core: Core, tx: Executor, app: ApplicationRow, event: string | null, ctx: { state: string; comment: string | null; corrections: NonNullable<ActionInput['corrections']>; dueAt: Date | null }) {
  const base = { to: app.applicant_account, purpose: `services.application:${app.id}`, division: app.handling_division };
  if (event === 'accepted') {
    await notify(core, tx, { ...base, template: 'services.case-accepted', data: { caseNumber: app.number, itemName: app.item_name, deadline: fmt(ctx.dueAt) } });
  } else if (event === 'correction-requested') {
    const items = ctx.corrections.map((c, i) => `${i + 1}. ${c.note}`).join('；');
    await notify(core, tx, { ...base, template: 'services.correction-requested', data: { caseNumber: app.number, itemName: app.item_name, reason: [ctx.comment, items].filter(Boolean).join('：'), deadline: '补正期间办理时限暂停计算' } });
  } else {
    const status = app.outcome ? STATUS_ZH[app.outcome] : `${STATUS_ZH[app.status]}（${ctx.state}）`;
    await notify(core, tx, { ...base, template: 'services.case-status-changed', data: { caseNumber: app.number, itemName: app.item_name, status } });
  }
}

/** 一件事一次办: recompute the parent's one overall status from its children (same transaction). */
export async function refreshParent(core: Core, tx: Executor, parentId: string): Promise<void> {
  const parent = await lockApplication(tx, parentId);
  if (!parent) return;
  const children = await tx.selectFrom('svc_application').select(['status', 'outcome', 'item_key']).where('parent_id', '=', parentId).execute();
  const o = overallOf(children);
  if (o.status === parent.status && o.outcome === parent.outcome) return;
  const now = core.clock.now();
  const done = o.status === 'completed';
  await tx.updateTable('svc_application').set({
    status: o.status, outcome: o.outcome, updated_at: now, completed_at: done ? now : null,
    result: done ? JSON.stringify({ partial: o.partial, children: children.map((c) => ({ itemKey: c.item_key, outcome: c.outcome })) }) : null,
  }).where('id', '=', parentId).execute();
  await recordChange(tx, { id: 'system:services' }, { action: 'services.bundle.status', object: { type: 'services.application', id: parentId }, division: parent.division, detail: { status: o.status, outcome: o.outcome } },
    { type: 'services.application.bundle-status-changed', payload: { id: parentId, number: parent.number, bundleKey: parent.bundle_key, status: o.status, outcome: o.outcome, partial: o.partial } });
  if (done) {
    await notify(core, tx, { to: parent.applicant_account, template: 'services.case-status-changed', data: { caseNumber: parent.number, itemName: parent.item_name, status: STATUS_ZH[o.outcome!] }, purpose: `services.application:${parentId}`, division: parent.division });
  }
}
