/**
 * Public types of the working-day calendar. See README.md in this folder for
 * the conventions (CST civil dates, acceptance day not counted, due at end of day).
 */

/** A named civil date, `YYYY-MM-DD` in China Standard Time. */
export interface DayEntry {
  date: string;
  name: string;
}

/** One year of official national data (one `packs/calendar/cn-YYYY.json` file). */
export interface YearData {
  year: number;
  /** Title / document number of the State Council notice. */
  source: string;
  url?: string;
  /** Publication date of the notice, `YYYY-MM-DD`. */
  published?: string;
  note?: string;
  /** Every day off inside a holiday period (weekdays and weekend days alike). */
  holidays: DayEntry[];
  /** Every make-up working day (调休上班), all of which fall on a weekend. */
  workdays: DayEntry[];
}

/** National data indexed by year. */
export interface CalendarData {
  years: Record<number, YearData>;
}

/**
 * A local rule for one division (GB/T 2260 six-digit code) and everything below it:
 * `530000` (province) → all `53xxxx`; `532300` (prefecture) → all `5323xx`;
 * `532301` (county) → only itself. County beats prefecture beats province beats national.
 */
export interface DivisionOverride {
  division: string;
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup-workday';
export type DaySource = 'national' | 'fallback' | `division:${string}`;

export interface DayInfo {
  /** `YYYY-MM-DD`, CST. */
  date: string;
  working: boolean;
  kind: DayKind;
  name?: string;
  /** `fallback` = no national data for that year, Mon–Fri assumed. */
  source: DaySource;
}

/**
 * A 补正 clock pause. For day counting, every civil (CST) date from the date of
 * `from` through the date of `to`, inclusive, is not counted. For hour counting the
 * exact interval [from, to) is excluded. No `to` = still open.
 */
export interface Pause {
  from: Date;
  to?: Date | null;
}

export interface DayOptions {
  /** GB/T 2260 six-digit code (9/12-digit township/village codes inherit from their county); omitted or null = national only. */
  division?: string | null;
  pauses?: readonly Pause[];
  /**
   * true (default): due is 23:59:59.999 CST of the n-th working day.
   * false: due is the n-th working day at the same CST wall-clock time as `start`.
   */
  endOfDay?: boolean;
}

export interface BetweenOptions {
  division?: string | null;
  pauses?: readonly Pause[];
}

/** A clock range `HH:MM`–`HH:MM` (CST wall clock; `24:00` allowed as an end). */
export interface HoursRange {
  start: string;
  end: string;
}

/**
 * Office hours: one range, a list of ranges, or a string such as
 * `"08:30-12:00,14:30-17:30"`. Default `09:00-12:00,13:30-17:30`.
 */
export type WorkingHoursSpec = HoursRange | readonly HoursRange[] | string;

export interface HoursOptions {
  division?: string | null;
  pauses?: readonly Pause[];
  workingHours?: WorkingHoursSpec;
}

export interface DeterminedDue {
  due: Date;
  paused: false;
  /** Years without national data for which Mon–Fri was assumed (sorted). */
  fallbackYears: number[];
}

export interface PausedDays {
  due: null;
  paused: true;
  /** Start of the open pause that leaves the deadline undetermined. */
  pausedSince: Date;
  /** Working days consumed before the open pause. */
  usedWorkingDays: number;
  fallbackYears: number[];
}

export interface PausedHours {
  due: null;
  paused: true;
  pausedSince: Date;
  /** Working hours consumed before the open pause. */
  usedHours: number;
  fallbackYears: number[];
}

export type DaysDue = DeterminedDue | PausedDays;
export type HoursDue = DeterminedDue | PausedHours;

export interface BetweenResult {
  /** Working days D with date(a) < D ≤ date(b), not paused; negative if b < a. */
  days: number;
  /** Whether the date of `b` lies inside a pause. */
  paused: boolean;
  fallbackYears: number[];
}

export interface RemainingResult {
  /** n − used; negative = that many working days past the due date. */
  remaining: number;
  used: number;
  due: Date | null;
  /** The clock is stopped at `now` (its date is inside a pause) or the deadline is undetermined. */
  paused: boolean;
  /** `now` is after `due` (false while the deadline is undetermined). */
  overdue: boolean;
  fallbackYears: number[];
}
