// Deadlines on the division's working calendar, and the escalation timers that hang off them.
// Timers are core jobs keyed by case and rung, so leaving a state or pausing the clock cancels
// exactly what it must, and a timer that fires late finds the case moved on and does nothing.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Pause as CalendarPause } from '../../core/calendar/types.js';
import type { Definition, Duration, EscalationStep, StateDef } from './definition.js';
import type { Pause } from './tables.js';
import { valueAt } from './data.js';

export const TIMER_JOB = 'workflow.timer';

export function addDuration(core: Core, start: Date, d: Duration, division: string, pauses: readonly CalendarPause[] = []): Date | null {
  if (('workingDays' in d ? d.workingDays : d.workingHours) === 0) return start;
  if ('workingDays' in d) return core.calendar.addWorkingDays(start, d.workingDays, { division, pauses }).due;
  return core.calendar.addWorkingHours(start, d.workingHours, { division, pauses }).due;
}

export const calendarPauses = (p: Pause[]): CalendarPause[] => p.map((x) => ({ from: new Date(x.from), to: x.to ? new Date(x.to) : null }));
export const isPaused = (p: Pause[]): boolean => p.some((x) => !x.to);

/** The overall deadline (null while the clock is paused or without an overall SLA). */
/** The overall limit of one case: from its data when the definition says so (a positive whole number of working days), else the definition's. */
export function overallSla(def: Definition, data: unknown): Duration | undefined {
  if (def.slaFromData) {
    const v = valueAt(data, def.slaFromData);
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 3650) return { workingDays: v };
  }
  return def.sla;
}

export function overallDue(core: Core, def: Definition, inst: { created_at: Date | string; division: string; data?: unknown; pauses: Pause[]; extension: { workingDays: number; workingHours: number } }): Date | null {
  const sla = overallSla(def, inst.data);
  if (!sla || isPaused(inst.pauses)) return null;
  const total: Duration = 'workingDays' in sla ? { workingDays: sla.workingDays + inst.extension.workingDays } : { workingHours: sla.workingHours + inst.extension.workingHours };
  return addDuration(core, new Date(inst.created_at), total, inst.division, calendarPauses(inst.pauses));
}

/**
 * When a rung fires: `after` is counted forward from the deadline; `before` is the earliest
 * instant from which that much office time still reaches the deadline (found by bisection,
 * since adding office time is monotone in the start).
 */
export function rungTime(core: Core, due: Date, step: EscalationStep, division: string, notBefore: Date): Date {
  if (step.after) return addDuration(core, due, step.after, division) ?? due;
  const before = step.before!;
  let lo = notBefore.getTime();
  let hi = due.getTime();
  if (lo >= hi) return new Date(lo);
  const reaches = (t: number) => (addDuration(core, new Date(t), before, division)?.getTime() ?? Infinity) >= due.getTime();
  if (reaches(lo)) return new Date(lo);
  while (hi - lo > 60_000) {
    const mid = Math.floor((lo + hi) / 2);
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

export interface TimerPayload {
  instance: string;
  scope: 'state' | 'overall';
  seq: number;
  step: number;
  [k: string]: unknown;
}

const key = (id: string, scope: 'state' | 'overall', step: number) => `wf:${id}:${scope}:${step}`;

export async function scheduleRungs(core: Core, ex: Executor, id: string, scope: 'state' | 'overall', seq: number, due: Date | null, steps: EscalationStep[] | undefined, division: string): Promise<void> {
  if (!due || !steps) return;
  const now = core.clock.now();
  for (const [i, step] of steps.entries()) {
    const at = rungTime(core, due, step, division, now);
    const payload: TimerPayload = { instance: id, scope, seq, step: i };
    await core.jobs.schedule(ex, TIMER_JOB, payload, { at: at < now ? now : at }, { key: key(id, scope, i) });
  }
}

export async function cancelRungs(core: Core, ex: Executor, id: string, scope: 'state' | 'overall', steps: EscalationStep[] | undefined): Promise<void> {
  for (let i = 0; i < (steps?.length ?? 0); i++) await core.jobs.cancel(ex, key(id, scope, i));
}

export const stepsOf = (def: Definition, s: StateDef | undefined, scope: 'state' | 'overall') => (scope === 'overall' ? def.escalation : s?.escalation);
