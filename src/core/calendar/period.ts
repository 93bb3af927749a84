// The period of a figures request (一网统管 dashboards, statistics): Beijing civil dates, both
// inclusive, defaulting to the last 30 days up to today, at most 366 days. Every bad field is
// reported at once, at `/query/from` and `/query/to` (the pointers the framework's own query
// validation uses), in the caller's language; callers add their own fields' errors and throw.
import type { FieldError, Lang } from '../http/errors.js';
import { civilDateOf, cstInstant, parseIsoDay } from './civil.js';

const DAY_MS = 86_400_000;
export const PERIOD_DEFAULT_DAYS = 30;
export const PERIOD_MAX_DAYS = 366;

export interface Period {
  from: string;
  to: string;
  /** Every Beijing day of the period, in order. */
  days: string[];
  /** [start, end) as instants: from 00:00 to the day after `to`, 00:00, Beijing time. */
  start: Date;
  end: Date;
}

const beijingDay = civilDateOf;
const beijingStart = (day: string): Date => cstInstant(day);
/** A real calendar date written YYYY-MM-DD (2026-02-30 is not). */
const isDay = (s: string | undefined): s is string => parseIsoDay(s) !== null;

/** The period, or the errors of its fields (`period` is null when there is any). */
export function readPeriod(q: { from?: string; to?: string }, now: Date, lang: Lang): { period: Period | null; errors: FieldError[] } {
  const zh = lang !== 'en';
  const to = q.to ?? beijingDay(now);
  const from = q.from ?? beijingDay(new Date(beijingStart(isDay(to) ? to : beijingDay(now)).getTime() - (PERIOD_DEFAULT_DAYS - 1) * DAY_MS));
  const errors: FieldError[] = [];
  for (const [k, v] of [['from', from], ['to', to]] as const) {
    if (!isDay(v)) errors.push({ pointer: `/query/${k}`, code: 'format', message: zh ? `${k === 'from' ? '开始日期' : '结束日期'}须为有效日期（YYYY-MM-DD）` : `${k} must be a valid date (YYYY-MM-DD)` });
  }
  if (errors.length) return { period: null, errors };
  const start = beijingStart(from);
  const end = new Date(beijingStart(to).getTime() + DAY_MS);
  const span = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  if (span < 1) errors.push({ pointer: '/query/to', code: 'range', message: zh ? '结束日期不能早于开始日期' : 'to must not be before from' });
  else if (span > PERIOD_MAX_DAYS) errors.push({ pointer: '/query/to', code: 'range', message: zh ? `统计期间最长 ${PERIOD_MAX_DAYS} 天` : `the period may span at most ${PERIOD_MAX_DAYS} days` });
  if (errors.length) return { period: null, errors };
  const days: string[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += DAY_MS) days.push(beijingDay(new Date(t)));
  return { period: { from, to, days, start, end }, errors };
}
