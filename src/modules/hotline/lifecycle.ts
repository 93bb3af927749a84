// The work-order steps after intake (domain-standards §1.3): 即时办结, 派单, 签收, 退单 and its
// 审定, 延期, 答复, 审核, 回访 (close or 重办). Each is one runStep() transaction.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { isWithin } from '../../core/divisions/service.js';
import { scopesFor } from '../../core/http/auth.js';
import { DISPATCH, type Caller } from './access.js';
import { RETURN_REASONS } from './catalog.js';
import { LIMITS } from './intake.js';
import { badFields, invalid, runStep } from './runner.js';
import { cancelLadder, scheduleLadder } from './supervision.js';
import { deadline, type TimeLimit } from './time-limits.js';
import type { OrderRow, OrderView } from './views.js';
import type { FieldError } from '../../core/http/errors.js';

/** Required text up to `max` characters, reported at `pointer`. */
function need(errors: FieldError[], pointer: string, v: unknown, max: number): string {
  if (typeof v !== 'string' || !v.trim()) errors.push({ pointer, code: 'required', message: '不能为空' });
  else if (Array.from(v.trim()).length > max) errors.push({ pointer, code: 'maxLength', message: `不能超过 ${max} 个字符` });
  return typeof v === 'string' ? v.trim() : '';
}

/** A department the dispatcher may dispatch to: it exists and lies within their dispatch scope. */
async function dispatchTarget(tx: Executor, caller: Caller, departmentId: unknown): Promise<string> {
  const ok = typeof departmentId === 'string' && /^[0-9a-f-]{36}$/i.test(departmentId);
  const dept = ok ? await tx.selectFrom('department').select(['id', 'division']).where('id', '=', departmentId).executeTakeFirst() : undefined;
  if (!dept) throw badFields([{ pointer: '/body/departmentId', code: 'unknown', message: '承办单位不存在' }]);
  if (!scopesFor(caller.principal, DISPATCH).some((s) => isWithin(dept.division, s))) {
    throw badFields([{ pointer: '/body/departmentId', code: 'out-of-division', message: `只能派单给本区划内的单位（该单位属于 ${dept.division}）` }]);
  }
  return dept.id;
}

const ladder = (core: Core, tx: Executor, o: OrderRow) => scheduleLadder(core, tx, { id: o.id, division: o.division, due: new Date(o.due_at!), urgent: o.urgency === 'urgent' });

export function answerAtOnce(core: Core, caller: Caller, id: string, input: { reply: string }): Promise<OrderView> {
  const errors: FieldError[] = [];
  const reply = need(errors, '/body/reply', input.reply, LIMITS.content);
  if (errors.length) throw badFields(errors);
  return runStep(core, caller, id, { action: 'answer', side: 'desk', comment: reply, before: async () => ({ reply, replied_at: core.clock.now(), closed_at: core.clock.now() }) });
}

export function dispatch(core: Core, caller: Caller, id: string, input: { departmentId: string; comment?: string }): Promise<OrderView> {
  return runStep(core, caller, id, {
    action: 'dispatch', side: 'hotline', requires: DISPATCH, comment: input.comment ?? null, detail: { department: input.departmentId },
    before: async (tx) => ({ unit_department_id: await dispatchTarget(tx, caller, input.departmentId), signed_at: null }),
    after: (tx, o) => ladder(core, tx, o),
  });
}

export function signFor(core: Core, caller: Caller, id: string): Promise<OrderView> {
  return runStep(core, caller, id, {
    action: 'sign', side: 'unit',
    before: async (_tx, o) => {
      if (o.signed_at) throw invalid('工单已签收，不能重复签收', 'The order has already been signed for');
      if (o.status !== 'dispatched') throw invalid('工单当前不在待签收状态', 'The order is not awaiting sign-for');
      return { signed_at: core.clock.now() };
    },
  });
}

export function returnOrder(core: Core, caller: Caller, id: string, input: { reasonCode: string; legalBasis: string; note?: string }): Promise<OrderView> {
  const errors: FieldError[] = [];
  if (!RETURN_REASONS[input.reasonCode]) errors.push({ pointer: '/body/reasonCode', code: 'enum', message: `退单理由须为 ${Object.keys(RETURN_REASONS).join('、')} 之一` });
  const basis = need(errors, '/body/legalBasis', input.legalBasis, LIMITS.note);
  if (input.note !== undefined && Array.from(String(input.note)).length > LIMITS.note) errors.push({ pointer: '/body/note', code: 'maxLength', message: `不能超过 ${LIMITS.note} 个字符` });
  if (errors.length) throw badFields(errors);
  return runStep(core, caller, id, {
    action: 'return', side: 'unit', comment: `${RETURN_REASONS[input.reasonCode]}：${basis}`, detail: { reason: input.reasonCode },
    before: async (tx, o) => {
      if (o.forced) throw invalid('该工单已经热线审定强制派单，不能再退单', 'The hotline has overruled a return of this order; it cannot be returned again');
      await tx.insertInto('hotline_return').values({ order_id: o.id, department_id: o.unit_department_id!, reason_code: input.reasonCode, legal_basis: basis, note: input.note ?? null, created_by: caller.actor.id, created_at: core.clock.now() }).execute();
      return { return_count: o.return_count + 1 };
    },
  });
}

/** 退单审定: accept the return and send the order elsewhere, or overrule it and force-assign. */
export function decideReturn(core: Core, caller: Caller, id: string, input: { decision: 'redispatch' | 'overrule'; departmentId?: string; comment?: string }): Promise<OrderView> {
  if (input.decision !== 'redispatch' && input.decision !== 'overrule') throw badFields([{ pointer: '/body/decision', code: 'enum', message: '须为 redispatch 或 overrule' }]);
  const redispatch = input.decision === 'redispatch';
  return runStep(core, caller, id, {
    action: redispatch ? 'redispatch' : 'arbitrate', side: 'hotline', requires: DISPATCH, comment: input.comment ?? null, detail: { decision: input.decision },
    before: async (tx, o) => {
      const unit = redispatch ? await dispatchTarget(tx, caller, input.departmentId) : o.unit_department_id!;
      if (redispatch && unit === o.unit_department_id) throw badFields([{ pointer: '/body/departmentId', code: 'same-unit', message: '改派须选择其他单位；坚持原单位请用审定（overrule）' }]);
      await tx.updateTable('hotline_return').set({ decision: redispatch ? 'redispatched' : 'overruled', decided_at: core.clock.now() }).where('order_id', '=', o.id).where('decision', 'is', null).execute();
      return { unit_department_id: unit, signed_at: null, forced: !redispatch };
    },
  });
}

export function requestExtension(core: Core, caller: Caller, id: string, input: { workingDays: number; reason: string; legalBasis: string }): Promise<OrderView> {
  const errors: FieldError[] = [];
  if (!Number.isInteger(input.workingDays) || input.workingDays < 1 || input.workingDays > 30) errors.push({ pointer: '/body/workingDays', code: 'range', message: '延期天数须为 1–30 个工作日' });
  const reason = need(errors, '/body/reason', input.reason, LIMITS.note);
  const basis = need(errors, '/body/legalBasis', input.legalBasis, LIMITS.note);
  if (errors.length) throw badFields(errors);
  return runStep(core, caller, id, {
    action: 'request_extension', side: 'unit', comment: reason, detail: { workingDays: input.workingDays },
    before: async (tx, o) => {
      const now = core.clock.now();
      if (!o.due_at || now > new Date(o.due_at)) throw invalid('延期须在办理期限届满前申请', 'An extension must be requested before the deadline');
      await tx.insertInto('hotline_extension').values({ order_id: o.id, working_days: input.workingDays, reason, legal_basis: basis, status: 'pending', old_due_at: o.due_at, created_by: caller.actor.id, created_at: now }).execute();
    },
  });
}

export function decideExtension(core: Core, caller: Caller, id: string, input: { approve: boolean; comment?: string }): Promise<OrderView> {
  return runStep(core, caller, id, {
    action: input.approve ? 'approve_extension' : 'refuse_extension', side: 'hotline', comment: input.comment ?? null,
    before: async (tx, o) => {
      if (o.status !== 'extension') throw invalid('该工单没有待审批的延期申请', 'No extension is pending for this order');
      const ext = await tx.selectFrom('hotline_extension').selectAll().where('order_id', '=', o.id).where('status', '=', 'pending').executeTakeFirstOrThrow();
      const now = core.clock.now();
      const due = input.approve ? core.calendar.addWorkingDays(new Date(ext.old_due_at), ext.working_days, { division: o.division.slice(0, 6) }).due : null;
      await tx.updateTable('hotline_extension').set({ status: input.approve ? 'approved' : 'refused', new_due_at: due, decided_by: caller.actor.id, decided_at: now }).where('id', '=', ext.id).execute();
      return due ? { due_at: due } : {};
    },
    after: async (tx, o) => { if (input.approve) await ladder(core, tx, o); },
  });
}

export function reply(core: Core, caller: Caller, id: string, input: { reply: string }): Promise<OrderView> {
  const errors: FieldError[] = [];
  const text = need(errors, '/body/reply', input.reply, LIMITS.content);
  if (errors.length) throw badFields(errors);
  return runStep(core, caller, id, {
    action: 'reply', side: 'unit', comment: text,
    before: async (tx, o) => {
      if (o.closed_at) throw invalid('工单已办结，不能再答复', 'The order is closed; it cannot be replied to');
      const open = await tx.selectFrom('hotline_co_handler').select('department_id').where('order_id', '=', o.id).where('status', '=', 'open').execute();
      if (open.length) throw invalid(`还有 ${open.length} 个协办单位未反馈，首办单位须汇总后答复`, `${open.length} co-handling units have not reported yet`);
      return { reply: text, replied_at: core.clock.now() };
    },
    after: (tx, o) => cancelLadder(core, tx, o.id),
  });
}

export function review(core: Core, caller: Caller, id: string, input: { approve: boolean; comment?: string }): Promise<OrderView> {
  return runStep(core, caller, id, {
    action: input.approve ? 'approve_reply' : 'reject_reply', side: 'hotline', comment: input.comment ?? null,
    after: async (tx, o) => { if (!input.approve) await ladder(core, tx, o); },
  });
}

export const SATISFACTION = ['satisfied', 'basically-satisfied', 'dissatisfied'] as const;

/** 回访: close, or 重办 when the caller is dissatisfied and the unit is at fault (a fresh time limit from now). */
export function callback(core: Core, caller: Caller, id: string, input: { satisfaction: string; unitAtFault?: boolean; comment?: string }): Promise<OrderView> {
  if (!(SATISFACTION as readonly string[]).includes(input.satisfaction)) throw badFields([{ pointer: '/body/satisfaction', code: 'enum', message: `满意度须为 ${SATISFACTION.join('、')} 之一` }]);
  const reopen = input.satisfaction === 'dissatisfied' && input.unitAtFault === true;
  return runStep(core, caller, id, {
    action: reopen ? 'reopen' : 'close', side: 'hotline', comment: input.comment ?? null, detail: { satisfaction: input.satisfaction, unitAtFault: !!input.unitAtFault },
    before: async (_tx, o) => {
      const now = core.clock.now();
      if (!reopen) return { satisfaction: input.satisfaction, closed_at: now };
      const limit = o.time_limit as TimeLimit & { urgent: boolean };
      return { satisfaction: input.satisfaction, reopen_count: o.reopen_count + 1, replied_at: null, due_at: deadline(core, now, limit, o.urgency === 'urgent', o.division) };
    },
    after: async (tx, o) => { if (reopen) await ladder(core, tx, o); },
  });
}
