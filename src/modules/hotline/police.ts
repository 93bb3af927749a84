// 12345 ↔ 110 (国办发〔2022〕12号, domain-standards §1.4). Out: an operator or dispatcher moves a
// police matter to 110 (one-click, three-way call, or system push of an order already in work);
// the order ends here and 110's feedback is recorded on it. In: the 110 platform, as a registered
// client system, pushes non-police matters, which become ordinary orders carrying the 110 case
// number; 110 reads their progress back. The event `hotline.order.transfer-110` is what a 110
// bridge (webhook / NATS) forwards.
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError } from '../../core/http/errors.js';
import type { Caller } from './access.js';
import { clientByKey, keyRefused } from './clients.js';
import { createOrder, type IntakeInput } from './intake.js';
import { badFields, runStep } from './runner.js';
import { cancelLadder } from './supervision.js';
import type { OrderView } from './views.js';

export const TRANSFER_TYPES = ['one-click', 'three-way', 'push'] as const;
export const POLICE_STATUSES = ['received', 'dispatched', 'handled', 'returned'] as const;
const CASE_NO = /^[A-Za-z0-9-]{4,40}$/;

function checkTransfer(errors: FieldError[], t: unknown, caseNo: unknown, required: boolean) {
  if (!(TRANSFER_TYPES as readonly string[]).includes(String(t))) errors.push({ pointer: '/body/transferType', code: 'enum', message: `转办方式须为 ${TRANSFER_TYPES.join('、')} 之一` });
  if ((required || caseNo !== undefined) && !CASE_NO.test(String(caseNo ?? ''))) errors.push({ pointer: '/body/policeCaseNo', code: 'format', message: '110 警情编号须为 4–40 位字母、数字或连字符' });
}

/** 12345 → 110. */
export function transferTo110(core: Core, caller: Caller, id: string, input: { transferType: string; policeCaseNo?: string; note?: string }): Promise<OrderView> {
  const errors: FieldError[] = [];
  checkTransfer(errors, input.transferType, input.policeCaseNo, false);
  if (errors.length) throw badFields(errors);
  return runStep(core, caller, id, {
    action: 'transfer_110', side: 'desk', comment: input.note ?? null, detail: { transferType: input.transferType, policeCaseNo: input.policeCaseNo ?? null },
    before: async (tx, o) => {
      // A system push is for orders already accepted or in work; by phone only while the call is being taken.
      if (input.transferType !== 'push' && o.status !== 'accepted') throw new AppError('INVALID_STATE', { 'zh-CN': '已派单的工单只能以系统推送方式转110', en: 'An order already in work can only be pushed to 110' });
      await tx.insertInto('hotline_police_update').values({ order_id: o.id, direction: 'to-110', status: 'transferred', note: input.note ?? null, police_case_no: input.policeCaseNo ?? null, actor: caller.actor.id, at: core.clock.now() }).execute();
      await cancelLadder(core, tx, o.id);
      return { transfer_type: input.transferType, police_case_no: input.policeCaseNo ?? o.police_case_no, closed_at: core.clock.now() };
    },
  });
}

/** 110 → 12345: a non-police matter becomes an order (idempotent on the 110 case number). */
export async function transferFrom110(core: Core, apiKey: unknown, input: IntakeInput & { transferType: string; policeCaseNo: string }) {
  const principal = await clientByKey(core, apiKey, 'police-110');
  if (!principal) throw keyRefused();
  const errors: FieldError[] = [];
  checkTransfer(errors, input.transferType, input.policeCaseNo, true);
  if (errors.length) throw badFields(errors);
  const { transferType, policeCaseNo, ...rest } = input;
  return createOrder(core, { principal, actor: { id: principal.id }, lang: 'zh-CN' },
    { ...rest, channel: 'police-110', transfer: { sourcePlatform: '110', transferType, policeCaseNo } }, `110:${policeCaseNo}`);
}

async function orderOf110(core: Core, principalId: string, policeCaseNo: string) {
  return core.db.selectFrom('hotline_order').selectAll().where('police_case_no', '=', policeCaseNo).where((eb) => eb.or([eb('created_by', '=', principalId), eb('transfer_type', 'is not', null)])).executeTakeFirst();
}

/** 110 reads the progress of a matter it transferred in, or sends feedback on one it received from 12345. */
export async function policeStatus(core: Core, apiKey: unknown, policeCaseNo: string) {
  const principal = await clientByKey(core, apiKey, 'police-110');
  if (!principal) throw keyRefused();
  const o = await orderOf110(core, principal.id, policeCaseNo);
  if (!o) throw new AppError('NOT_FOUND', { 'zh-CN': '没有该警情编号的工单', en: 'No order with this 110 case number' });
  const updates = await core.db.selectFrom('hotline_police_update').select(['direction', 'status', 'note', 'at']).where('order_id', '=', o.id).orderBy('at').execute();
  return { number: o.number, policeCaseNo, status: o.status, reply: o.closed_at ? o.reply : null, dueAt: o.due_at ? new Date(o.due_at).toISOString() : null, closedAt: o.closed_at ? new Date(o.closed_at).toISOString() : null, updates: updates.map((u) => ({ ...u, at: new Date(u.at).toISOString() })) };
}

export async function policeFeedback(core: Core, apiKey: unknown, input: { number: string; policeCaseNo?: string; status: string; note?: string }) {
  const principal = await clientByKey(core, apiKey, 'police-110');
  if (!principal) throw keyRefused();
  const errors: FieldError[] = [];
  if (!(POLICE_STATUSES as readonly string[]).includes(input.status)) errors.push({ pointer: '/body/status', code: 'enum', message: `状态须为 ${POLICE_STATUSES.join('、')} 之一` });
  if (input.policeCaseNo !== undefined && !CASE_NO.test(String(input.policeCaseNo))) errors.push({ pointer: '/body/policeCaseNo', code: 'format', message: '110 警情编号格式不正确' });
  if (input.note !== undefined && String(input.note).length > 2000) errors.push({ pointer: '/body/note', code: 'maxLength', message: '不能超过 2000 个字符' });
  if (errors.length) throw badFields(errors);
  return core.db.transaction().execute(async (tx) => {
    const o = await tx.selectFrom('hotline_order').selectAll().where('number', '=', String(input.number ?? '')).where('status', '=', 'transferred').forUpdate().executeTakeFirst();
    if (!o) throw new AppError('NOT_FOUND', { 'zh-CN': '没有转110的该工单', en: 'No order with this number was transferred to 110' });
    const at = core.clock.now();
    await tx.insertInto('hotline_police_update').values({ order_id: o.id, direction: 'from-110', status: input.status, note: input.note ?? null, police_case_no: input.policeCaseNo ?? null, actor: principal.id, at }).execute();
    if (input.policeCaseNo && !o.police_case_no) await tx.updateTable('hotline_order').set({ police_case_no: input.policeCaseNo, updated_at: at }).where('id', '=', o.id).execute();
    await recordChange(tx, { id: principal.id }, { action: 'hotline.order.police-feedback', object: { type: 'hotline.order', id: o.id }, division: o.division, detail: { number: o.number, status: input.status } },
      { type: 'hotline.order.police-feedback', payload: { number: o.number, status: input.status, policeCaseNo: input.policeCaseNo ?? o.police_case_no } });
    return { number: o.number, status: input.status, at: at.toISOString() };
  });
}
