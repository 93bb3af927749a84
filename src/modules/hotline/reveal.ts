// Revealing a caller's full phone number, for calling back (回访) or clarifying a request: only
// hotline staff holding hotline:order.read in the order's division, only through this explicit
// call, only with a stated reason, and every reveal is audited (who, which order, why) with an
// event, in one transaction. Everyone else, and every list and view, sees the masked number.
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { mayIn, orderNotFound, READ, type Caller } from './access.js';
import { badFields } from './runner.js';
import { coHandlersOf, loadOrder, relationTo } from './views.js';

export const REVEAL_REASON_MAX = 200;

export async function revealCallerPhone(core: Core, caller: Caller, orderId: string, input: { reason?: unknown }): Promise<{ phone: string | null; orderNumber: string }> {
  const reason = typeof input?.reason === 'string' ? input.reason.trim() : '';
  const len = Array.from(reason).length;
  if (len < 2 || len > REVEAL_REASON_MAX) {
    throw badFields([{ pointer: '/body/reason', code: len ? 'length' : 'required', message: `请说明查看完整号码的事由（2–${REVEAL_REASON_MAX} 个字符）` }]);
  }
  return core.db.transaction().execute(async (tx) => {
    const o = await loadOrder(tx, orderId);
    if (!o || !relationTo(caller.principal, o, (await coHandlersOf(tx, o.id)).map((c) => c.department_id))) throw orderNotFound();
    if (!mayIn(caller.principal, READ, o.division)) {
      throw new AppError('FORBIDDEN', { 'zh-CN': '只有热线工作人员可以查看来电人完整号码', en: 'Only hotline staff may see the caller\'s full number' });
    }
    const phone = o.caller_phone_enc ? core.crypto.decrypt(core.keys.field, o.caller_phone_enc, 'hotline.caller.phone').toString('utf8') : null;
    await recordChange(tx, caller.actor, { action: 'hotline.order.reveal-phone', object: { type: 'hotline.order', id: o.id }, division: o.division, purpose: reason, detail: { number: o.number, reason } },
      { type: 'hotline.order.phone-revealed', payload: { number: o.number, by: caller.principal.id } });
    return { phone, orderNumber: o.number };
  });
}
