// 督办 ladder on the order's own deadline (domain-standards §1.3): a reminder on the deadline day
// (urgent orders: one hour before), 催办 as soon as the deadline has passed ("the day after"), and a
// written 通报 when the order is still unanswered 5 working days later. Each rung is a durable job
// keyed by order and rung: rescheduling (extension, 重办) replaces it, a reply cancels it, and a
// rung that fires for an old deadline or an order no longer with the unit does nothing. Each rung
// also tells the unit's liaisons by SMS (notices.ts).
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange } from '../../core/audit/record.js';
import { CST_OFFSET_MS, DAY_MS } from '../../core/calendar/civil.js';
import { notifyLiaisons } from './notices.js';

export const SUPERVISION_JOB = 'hotline.supervision';
export const RUNGS = ['remind', 'urge', 'notice'] as const;
export type Rung = (typeof RUNGS)[number];
/** States in which the order sits with the unit, so the ladder applies. */
export const WITH_UNIT = ['dispatched', 'handling', 'extension', 'returned'];
export const NOTICE_AFTER_WORKING_DAYS = 5;

const key = (order: string, rung: Rung) => `hl:${order}:${rung}`;

export function rungTimes(core: Core, due: Date, urgent: boolean, division: string): Record<Rung, Date> {
  const startOfDueDay = new Date(Math.floor((due.getTime() + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS);
  return {
    remind: urgent ? new Date(due.getTime() - 3_600_000) : startOfDueDay,
    urge: new Date(due.getTime() + 1),
    notice: core.calendar.addWorkingDays(due, NOTICE_AFTER_WORKING_DAYS, { division: division.slice(0, 6) }).due!,
  };
}

export async function scheduleLadder(core: Core, ex: Executor, o: { id: string; division: string; due: Date; urgent: boolean }): Promise<void> {
  const now = core.clock.now();
  const times = rungTimes(core, o.due, o.urgent, o.division);
  for (const rung of RUNGS) {
    const at = times[rung] < now ? now : times[rung];
    await core.jobs.schedule(ex, SUPERVISION_JOB, { order: o.id, rung, due: o.due.toISOString() }, { at }, { key: key(o.id, rung), division: o.division });
  }
}

export async function cancelLadder(core: Core, ex: Executor, orderId: string): Promise<void> {
  for (const rung of RUNGS) await core.jobs.cancel(ex, key(orderId, rung));
}

const EVENT: Record<Rung, string> = { remind: 'hotline.order.reminded', urge: 'hotline.order.urged', notice: 'hotline.order.noticed' };

export function registerSupervision(core: Core): void {
  core.jobs.define(SUPERVISION_JOB, {
    handler: async (job) => {
      const { order, rung, due } = job.payload as { order: string; rung: Rung; due: string };
      await core.db.transaction().execute(async (tx) => {
        const o = await tx.selectFrom('hotline_order').selectAll().where('id', '=', order).forUpdate().executeTakeFirst();
        if (!o || !WITH_UNIT.includes(o.status) || !o.due_at || new Date(o.due_at).toISOString() !== due) return;
        // A reminder is for before the deadline (once it has passed, 催办 speaks instead);
        // 催办 and 通报 only for an order that is overdue.
        const overdue = core.clock.now() > new Date(o.due_at);
        if (rung === 'remind' ? overdue : !overdue) return;
        const ins = await tx.insertInto('hotline_supervision').values({ order_id: o.id, kind: rung, due_at: o.due_at, department_id: o.unit_department_id, at: core.clock.now() })
          .onConflict((oc) => oc.doNothing()).returning('order_id').executeTakeFirst();
        if (!ins) return;
        await recordChange(tx, { id: 'system:hotline' }, { action: `hotline.order.${rung}`, object: { type: 'hotline.order', id: o.id }, division: o.division, detail: { number: o.number, due, department: o.unit_department_id } },
          { type: EVENT[rung], payload: { number: o.number, due, department: o.unit_department_id, state: o.status } });
        await notifyLiaisons(core, tx, rung, o);
      });
    },
  });
}
