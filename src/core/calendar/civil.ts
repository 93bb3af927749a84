/**
 * Civil-date arithmetic in China Standard Time (Asia/Shanghai = UTC+8, no DST
 * since 1991). Nothing here reads the process time zone: every conversion goes
 * through epoch milliseconds plus a fixed offset and the `getUTC*` accessors.
 *
 * A "day number" is the count of CST civil days since 1970-01-01 (CST).
 */

export const DAY_MS = 86_400_000;
export const CST_OFFSET_MS = 8 * 3_600_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function assertValidInstant(d: unknown, what: string): asserts d is Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new RangeError(`calendar: ${what} must be a valid Date, got ${describe(d)}`);
  }
}

function describe(v: unknown): string {
  if (v instanceof Date) return 'Invalid Date';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** CST day number of an instant. */
export function dayOfInstant(d: Date): number {
  return Math.floor((d.getTime() + CST_OFFSET_MS) / DAY_MS);
}

/** Milliseconds since CST midnight of an instant (0 … 86_399_999). */
export function msOfCstDay(d: Date): number {
  const t = (d.getTime() + CST_OFFSET_MS) % DAY_MS;
  return t < 0 ? t + DAY_MS : t;
}

/** The instant at `ms` milliseconds after CST midnight of day `day`. */
export function instantOf(day: number, ms = 0): Date {
  return new Date(day * DAY_MS - CST_OFFSET_MS + ms);
}

/** Parse `YYYY-MM-DD` to a day number, or return null if it is not a real date. */
export function parseIsoDay(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return t / DAY_MS;
}

export function isoOfDay(day: number): string {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const dd = d.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${dd < 10 ? '0' : ''}${dd}`;
}

export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** First day number of a year. */
export function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekdayOfDay(day);
  return w === 0 || w === 6;
}

/** Day number of a `Date` (CST) or a `YYYY-MM-DD` civil date; RangeError otherwise. */
export function toDay(date: Date | string, what = 'date'): number {
  if (typeof date === 'string') {
    const d = parseIsoDay(date);
    if (d === null) throw new RangeError(`calendar: ${what} must be a YYYY-MM-DD civil date, got ${JSON.stringify(date)}`);
    return d;
  }
  assertValidInstant(date, what);
  return dayOfInstant(date);
}

/** The CST civil date (`YYYY-MM-DD`) of an instant. */
export function civilDateOf(instant: Date): string {
  assertValidInstant(instant, 'instant');
  return isoOfDay(dayOfInstant(instant));
}

/**
 * The instant of a CST wall-clock time: `cstInstant('2025-10-11', '23:59:59.999')`.
 * Time defaults to `00:00`; accepted forms `HH:MM`, `HH:MM:SS`, `HH:MM:SS.mmm`.
 */
export function cstInstant(date: string, time = '00:00'): Date {
  const day = parseIsoDay(date);
  if (day === null) throw new RangeError(`calendar: invalid civil date ${JSON.stringify(date)}`);
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?$/.exec(time);
  if (!m) throw new RangeError(`calendar: invalid time ${JSON.stringify(time)} (expected HH:MM[:SS[.mmm]])`);
  const [h, mi, s, ms] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) throw new RangeError(`calendar: invalid time ${JSON.stringify(time)}`);
  return instantOf(day, ((h * 60 + mi) * 60 + s) * 1000 + ms);
}
