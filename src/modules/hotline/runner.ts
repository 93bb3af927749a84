// One lifecycle step = one transaction: lock the order and its case, check who may act, apply
// the workflow action (the engine writes history, audit and its event), update the order's own
// columns, and write the hotline audit entry and event. Nothing is half-done.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError } from '../../core/http/errors.js';
import { applyAction, definitionCached, lockInstance } from '../../platform/workflow/index.js';
import { CREATE, DISPATCH, mayHandle, mayIn, orderNotFound, type Caller } from './access.js';
import { coHandlersOf, loadOrder, relationTo, toView, type OrderRow, type OrderView } from './views.js';
import type { HotlineOrderTable } from './tables.js';
import type { Updateable } from 'kysely';

/**
 * hotline: a hotline-role task in the engine (dispatcher's queue, operator's callback);
 * desk: whoever took or dispatches the call, checked here (即时办结, 转110 right after intake);
 * unit: staff of the unit the order was dispatched to, checked here.
 */
export type Side = 'hotline' | 'desk' | 'unit';

export interface Step {
  /** Workflow action id in hotline.order.yaml. */
  action: string;
  /** hotline: the engine checks the caller's hotline role and task; unit: the caller must belong to the order's unit. */
  side: Side;
  comment?: string | null;
  /** Checks and extra writes before the action; may return column changes for the order. */
  before?: (tx: Executor, o: OrderRow) => Promise<Updateable<HotlineOrderTable> | void>;
  /** Writes after the action (the order row already updated). */
  after?: (tx: Executor, o: OrderRow) => Promise<void>;
  detail?: Record<string, unknown>;
  /** A permission checked (in the order's division) before `before` runs, so a wrong role gets 403, not field errors. */
  requires?: string;
}

export const invalid = (zh: string, en: string) => new AppError('INVALID_STATE', { 'zh-CN': zh, en });
export const badFields = (errors: FieldError[]) => new AppError('VALIDATION_FAILED', { 'zh-CN': `有 ${errors.length} 处内容需要修改`, en: `${errors.length} invalid fields` }, errors);

export async function runStep(core: Core, caller: Caller, orderId: string, step: Step): Promise<OrderView> {
  const p = caller.principal;
  await core.db.transaction().execute(async (tx) => {
    const o = await loadOrder(tx, orderId, true);
    if (!o) throw orderNotFound();
    const co = await coHandlersOf(tx, o.id);
    const rel = relationTo(p, o, co.map((c) => c.department_id));
    if (!rel) throw orderNotFound();
    if (!o.instance_id) throw invalid('该工单未受理，不能办理', 'This order was not accepted');
    if (step.side === 'unit' && !mayHandle(p, o.unit_department_id, o.division)) {
      throw new AppError('FORBIDDEN', { 'zh-CN': '只有承办单位的工作人员可以执行此操作', en: 'Only staff of the handling unit may do this' });
    }
    if (step.side === 'desk' && !mayIn(p, CREATE, o.division) && !mayIn(p, DISPATCH, o.division)) {
      throw new AppError('FORBIDDEN', { 'zh-CN': '只有热线话务员或派单员可以执行此操作', en: 'Only hotline operators or dispatchers may do this' });
    }
    if (step.side === 'hotline' && step.requires && !mayIn(p, step.requires, o.division)) {
      throw new AppError('FORBIDDEN', { 'zh-CN': '您的角色不能执行此操作', en: 'Your role may not do this' });
    }
    const changes = (await step.before?.(tx, o)) ?? {};
    const inst = await lockInstance(tx, o.instance_id);
    const pub = await definitionCached(tx, inst!.definition_id);
    const after = await applyAction(core, tx, inst!, pub, step.action, caller.actor, step.side !== 'hotline'
      ? { system: true, comment: step.comment ?? null, detail: { by: p.id, ...(step.detail ?? {}) } }
      : { principal: p, lang: caller.lang, comment: step.comment ?? null, detail: step.detail });
    const now = core.clock.now();
    await tx.updateTable('hotline_order').set({ ...changes, status: after.state, updated_at: now }).where('id', '=', o.id).execute();
    const fresh = (await loadOrder(tx, o.id))!;
    await step.after?.(tx, fresh);
    await recordChange(tx, caller.actor, { action: `hotline.order.${step.action}`, object: { type: 'hotline.order', id: o.id }, division: o.division, detail: { number: o.number, from: o.status, to: after.state, ...(step.detail ?? {}) } },
      { type: `hotline.order.${step.action.replace(/_/g, '-')}`, payload: { number: o.number, from: o.status, to: after.state, department: fresh.unit_department_id, ...(step.detail ?? {}) } });
  });
  const o = (await loadOrder(core.db, orderId))!;
  const co = await coHandlersOf(core.db, orderId);
  return toView(o, relationTo(p, o, co.map((c) => c.department_id)) ?? 'hotline', co);
}
