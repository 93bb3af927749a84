// 合并 (a duplicate joins an open order) and 首接负责 (the first unit coordinates co-handling
// units: each co-handler reports to it, and it replies for all once every co-handler has reported).
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { departmentsOf, DISPATCH, mayHandle, orderNotFound, type Caller } from './access.js';
import { badFields, invalid, runStep } from './runner.js';
import { LIMITS } from './intake.js';
import { coHandlersOf, loadOrder, orderView, relationTo, type OrderView } from './views.js';
import { WITH_UNIT } from './supervision.js';

export function merge(core: Core, caller: Caller, id: string, input: { into: string; comment?: string }): Promise<OrderView> {
  return runStep(core, caller, id, {
    action: 'merge', side: 'hotline', requires: DISPATCH, comment: input.comment ?? null, detail: { into: input.into },
    before: async (tx, o) => {
      const target = input.into === o.id ? undefined : await loadOrder(tx, input.into);
      if (!target || !relationTo(caller.principal, target, []) || target.division.slice(0, 6) !== o.division.slice(0, 6)) throw badFields([{ pointer: '/body/into', code: 'unknown', message: '要并入的工单不存在或不在本区划' }]);
      if (['closed', 'answered', 'merged', 'refused', 'transferred'].includes(target.status)) throw badFields([{ pointer: '/body/into', code: 'closed', message: `工单 ${target.number} 已结束，不能并入` }]);
      return { merged_into: target.id, closed_at: core.clock.now() };
    },
  });
}

/** The lead unit adds co-handlers while it handles the order. */
export async function addCoHandlers(core: Core, caller: Caller, id: string, input: { departmentIds: string[] }): Promise<OrderView> {
  const ids = [...new Set(input.departmentIds ?? [])];
  if (!ids.length) throw badFields([{ pointer: '/body/departmentIds', code: 'required', message: '请至少选择一个协办单位' }]);
  await core.db.transaction().execute(async (tx) => {
    const o = await loadOrder(tx, id, true);
    if (!o || !relationTo(caller.principal, o, [])) throw orderNotFound();
    if (!mayHandle(caller.principal, o.unit_department_id, o.division)) throw new AppError('FORBIDDEN', { 'zh-CN': '只有首办单位可以邀请协办单位', en: 'Only the lead unit may add co-handlers' });
    if (o.status !== 'handling') throw invalid('工单签收后、答复前才能邀请协办单位', 'Co-handlers can be added only while the order is being handled');
    const depts = await tx.selectFrom('department').select(['id']).where('id', 'in', ids.filter((x) => /^[0-9a-f-]{36}$/i.test(x))).execute();
    const errors = ids.map((d, i) => ({ d, i })).filter(({ d }) => !depts.some((x) => x.id === d) || d === o.unit_department_id)
      .map(({ d, i }) => ({ pointer: `/body/departmentIds/${i}`, code: d === o.unit_department_id ? 'lead' : 'unknown', message: d === o.unit_department_id ? '首办单位不能同时是协办单位' : '单位不存在' }));
    if (errors.length) throw badFields(errors);
    const now = core.clock.now();
    for (const d of ids) await tx.insertInto('hotline_co_handler').values({ order_id: o.id, department_id: d, status: 'open', created_at: now }).onConflict((oc) => oc.doNothing()).execute();
    await recordChange(tx, caller.actor, { action: 'hotline.order.co-handlers', object: { type: 'hotline.order', id: o.id }, division: o.division, detail: { number: o.number, departments: ids } },
      { type: 'hotline.order.co-handlers-added', payload: { number: o.number, departments: ids, lead: o.unit_department_id } });
  });
  return (await orderView(core, caller.principal, id))!;
}

/** A co-handler reports its part to the lead unit. */
export async function coHandlerReply(core: Core, caller: Caller, id: string, input: { reply: string }): Promise<OrderView> {
  const text = typeof input.reply === 'string' ? input.reply.trim() : '';
  if (!text || Array.from(text).length > LIMITS.content) throw badFields([{ pointer: '/body/reply', code: text ? 'maxLength' : 'required', message: text ? `不能超过 ${LIMITS.content} 个字符` : '不能为空' }]);
  await core.db.transaction().execute(async (tx) => {
    const o = await loadOrder(tx, id, true);
    const co = o ? await coHandlersOf(tx, o.id) : [];
    if (!o || !relationTo(caller.principal, o, co.map((c) => c.department_id))) throw orderNotFound();
    const mine = co.find((c) => departmentsOf(caller.principal).includes(c.department_id) && mayHandle(caller.principal, c.department_id, o.division));
    if (!mine) throw new AppError('FORBIDDEN', { 'zh-CN': '您的单位不是该工单的协办单位', en: 'Your unit is not a co-handler of this order' });
    if (mine.status !== 'open' || !WITH_UNIT.includes(o.status)) throw invalid('协办意见已反馈或工单已不在办理中', 'Already reported, or the order is no longer being handled');
    await tx.updateTable('hotline_co_handler').set({ status: 'replied', reply: text, replied_at: core.clock.now(), replied_by: caller.actor.id }).where('order_id', '=', o.id).where('department_id', '=', mine.department_id).execute();
    await recordChange(tx, caller.actor, { action: 'hotline.order.co-reply', object: { type: 'hotline.order', id: o.id }, division: o.division, detail: { number: o.number, department: mine.department_id } },
      { type: 'hotline.order.co-replied', payload: { number: o.number, department: mine.department_id } });
  });
  return (await orderView(core, caller.principal, id))!;
}
