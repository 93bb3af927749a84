/**
 * Working-day arithmetic (工作日). Conventions:
 *  - the acceptance day (CST date of `start`) is never counted;
 *  - the n-th working day after it is the due day, and by default the deadline
 *    is its END, 23:59:59.999 CST;
 *  - a working day inside a pause (inclusive CST dates from..to) is not counted;
 *  - workingDaysBetween(a, b) counts working days D with date(a) < D ≤ date(b),
 *    so workingDaysBetween(start, addWorkingDays(start, n).due) === n.
 */
import { DAY_MS, assertValidInstant, dayOfInstant, instantOf, msOfCstDay } from './civil.js';
import { dayPauses, isDayPaused } from './pauses.js';
import { FallbackYears, type DayTable } from './table.js';
import type { BetweenResult, DaysDue, Pause, RemainingResult } from './types.js';

export const MAX_WORKING_DAYS = 3650;
/** Safety bound on the scan (days); only reachable with absurd pauses/overrides. */
const MAX_SCAN_DAYS = 100 * 366;

export function assertCount(n: unknown, what = 'n'): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new RangeError(`calendar: ${what} must be an integer number of working days, got ${String(n)}`);
  }
  if (n < 1) throw new RangeError(`calendar: ${what} must be at least 1 working day, got ${n}`);
  if (n > MAX_WORKING_DAYS) throw new RangeError(`calendar: ${what} must be at most ${MAX_WORKING_DAYS} working days, got ${n}`);
}

export function addWorkingDaysIn(
  table: DayTable,
  start: Date,
  n: number,
  pauses: readonly Pause[] | undefined,
  endOfDay: boolean,
): DaysDue {
  assertValidInstant(start, 'start');
  assertCount(n);
  const p = dayPauses(pauses);
  const hasClosed = p.ranges.length > 0;
  const fb = new FallbackYears();
  const startDay = dayOfInstant(start);
  let d = startDay;
  let yb = table.yearBitsOf(d + 1);
  fb.note(yb);
  let count = 0;
  for (;;) {
    d++;
    if (d >= yb.end) {
      yb = table.yearBitsOf(d);
      fb.note(yb);
    }
    if (d >= p.openFromDay) {
      return { due: null, paused: true, pausedSince: p.openSince!, usedWorkingDays: count, fallbackYears: fb.list() };
    }
    if (yb.bits[d - yb.start] === 1 && !(hasClosed && isDayPaused(p, d))) {
      if (++count === n) break;
    }
    if (d - startDay > MAX_SCAN_DAYS) {
      throw new RangeError(`calendar: no ${n}th working day within ${MAX_SCAN_DAYS} days of ${start.toISOString()}`);
    }
  }
  const due = endOfDay ? instantOf(d, DAY_MS - 1) : instantOf(d, msOfCstDay(start));
  return { due, paused: false, fallbackYears: fb.list() };
}

export function workingDaysBetweenIn(table: DayTable, a: Date, b: Date, pauses: readonly Pause[] | undefined): BetweenResult {
  assertValidInstant(a, 'a');
  assertValidInstant(b, 'b');
  const p = dayPauses(pauses);
  const from = dayOfInstant(a);
  const to = dayOfInstant(b);
  const paused = isDayPaused(p, to);
  if (to < from) {
    const r = workingDaysBetweenIn(table, b, a, pauses);
    return { days: r.days === 0 ? 0 : -r.days, paused, fallbackYears: r.fallbackYears };
  }
  const fb = new FallbackYears();
  const last = Math.min(to, p.openFromDay - 1);
  const hasClosed = p.ranges.length > 0;
  let days = 0;
  let d = from + 1;
  while (d <= last) {
    const yb = table.yearBitsOf(d);
    fb.note(yb);
    const stop = Math.min(yb.end - 1, last);
    for (; d <= stop; d++) {
      if (yb.bits[d - yb.start] === 1 && !(hasClosed && isDayPaused(p, d))) days++;
    }
  }
  return { days, paused, fallbackYears: fb.list() };
}

export function remainingWorkingDaysIn(
  table: DayTable,
  start: Date,
  n: number,
  now: Date,
  pauses: readonly Pause[] | undefined,
  endOfDay: boolean,
): RemainingResult {
  assertValidInstant(now, 'now');
  const due = addWorkingDaysIn(table, start, n, pauses, endOfDay);
  const between = workingDaysBetweenIn(table, start, now, pauses);
  const used = Math.max(0, between.days);
  const fallbackYears = new FallbackYears().merge(due.fallbackYears).merge(between.fallbackYears).list();
  return {
    remaining: n - used,
    used,
    due: due.due,
    paused: due.paused || between.paused,
    overdue: due.due !== null && now.getTime() > due.due.getTime(),
    fallbackYears,
  };
}
