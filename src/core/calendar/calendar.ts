/**
 * buildCalendar: national year data + per-division overrides → a WorkingCalendar.
 */
import { parseIsoDay, toDay } from './civil.js';
import { loadNationalCalendars, validateOverride, validateYearData } from './data.js';
import { divisionScopes, normalizeDivision } from './division.js';
import { addWorkingDaysIn, remainingWorkingDaysIn, workingDaysBetweenIn } from './days.js';
import { addWorkingHoursIn } from './hours.js';
import { DayTable, type NationalIndex, type ScopeOverrides } from './table.js';
import type {
  BetweenOptions,
  BetweenResult,
  CalendarData,
  DayInfo,
  DayOptions,
  DaysDue,
  DeterminedDue,
  DivisionOverride,
  HoursDue,
  HoursOptions,
  Pause,
  RemainingResult,
  YearData,
} from './types.js';

export class WorkingCalendar implements CalendarData {
  readonly years: Record<number, YearData> = {};
  readonly overrides: readonly DivisionOverride[];
  private readonly national: NationalIndex;
  private readonly scopeMap = new Map<string, ScopeOverrides>();
  private readonly byDivision = new Map<string, DayTable>();
  private readonly byChain = new Map<string, DayTable>();
  private readonly nationalTable: DayTable;

  constructor(national: readonly YearData[], overrides: readonly DivisionOverride[] = []) {
    this.national = { holidays: new Map(), workdays: new Map(), years: new Set() };
    national.forEach((raw, i) => {
      const y = validateYearData(raw, `national[${i}]`);
      if (this.national.years.has(y.year)) throw new RangeError(`calendar: national data for ${y.year} given twice`);
      this.national.years.add(y.year);
      this.years[y.year] = y;
      for (const h of y.holidays) this.national.holidays.set(parseIsoDay(h.date)!, h.name);
      for (const w of y.workdays) this.national.workdays.set(parseIsoDay(w.date)!, w.name);
    });
    this.overrides = overrides.map((raw, i) => {
      const o = validateOverride(raw, `overrides[${i}]`);
      const key = normalizeDivision(o.division);
      let scope = this.scopeMap.get(key);
      if (!scope) this.scopeMap.set(key, (scope = { division: o.division, days: new Map() }));
      const day = parseIsoDay(o.date)!;
      const prev = scope.days.get(day);
      if (prev) {
        throw new RangeError(`calendar: two overrides for division ${o.division} on ${o.date} ("${prev.name}" and "${o.name}")`);
      }
      scope.days.set(day, o);
      return o;
    });
    this.nationalTable = new DayTable(this.national, []);
    this.byChain.set('', this.nationalTable);
  }

  /** Years that have official national data, ascending. */
  get coveredYears(): number[] {
    return [...this.national.years].sort((a, b) => a - b);
  }

  /** The (cached) day table for a division; national when omitted. */
  private table(division: string | null | undefined): DayTable {
    if (division === undefined || division === null) return this.nationalTable;
    const hit = this.byDivision.get(division);
    if (hit) return hit;
    const scopes = divisionScopes(division)
      .map((code) => this.scopeMap.get(code))
      .filter((s): s is ScopeOverrides => s !== undefined);
    const key = scopes.map((s) => normalizeDivision(s.division)).join('|');
    let table = this.byChain.get(key);
    if (!table) this.byChain.set(key, (table = new DayTable(this.national, scopes)));
    if (this.byDivision.size < 10_000) this.byDivision.set(division, table);
    return table;
  }

  /** Is this CST civil date (a `Date` instant or `YYYY-MM-DD`) a working day? */
  isWorkingDay(date: Date | string, division?: string | null): boolean {
    return this.table(division).isWorking(toDay(date));
  }

  dayInfo(date: Date | string, division?: string | null): DayInfo {
    return this.table(division).info(toDay(date));
  }

  /**
   * Deadline of n working days after `start` (the acceptance day is not counted).
   * With an open pause before the deadline: `{ due: null, paused: true }`.
   */
  addWorkingDays(start: Date, n: number, opts?: DayOptions & { pauses?: undefined }): DeterminedDue;
  addWorkingDays(start: Date, n: number, opts?: DayOptions): DaysDue;
  addWorkingDays(start: Date, n: number, opts: DayOptions = {}): DaysDue {
    return addWorkingDaysIn(this.table(opts.division), start, n, opts.pauses, opts.endOfDay ?? true);
  }

  /** Instant at which `hours` of office time on working days have elapsed since `start`. */
  addWorkingHours(start: Date, hours: number, opts?: HoursOptions & { pauses?: undefined }): DeterminedDue;
  addWorkingHours(start: Date, hours: number, opts?: HoursOptions): HoursDue;
  addWorkingHours(start: Date, hours: number, opts: HoursOptions = {}): HoursDue {
    return addWorkingHoursIn(this.table(opts.division), start, hours, opts.pauses, opts.workingHours);
  }

  /** Working days D with date(a) < D ≤ date(b), excluding paused days (negative if b < a). */
  workingDaysBetween(a: Date, b: Date, opts: BetweenOptions = {}): BetweenResult {
    return workingDaysBetweenIn(this.table(opts.division), a, b, opts.pauses);
  }

  /** n − working days used by `now`; see RemainingResult. */
  remainingWorkingDays(
    start: Date,
    n: number,
    now: Date,
    pauses?: readonly Pause[],
    opts: { division?: string | null; endOfDay?: boolean } = {},
  ): RemainingResult {
    return remainingWorkingDaysIn(this.table(opts.division), start, n, now, pauses, opts.endOfDay ?? true);
  }
}

/** Build a calendar from national year data and optional division overrides. */
export function buildCalendar(national: readonly YearData[], overrides?: readonly DivisionOverride[]): WorkingCalendar {
  return new WorkingCalendar(national, overrides);
}

let defaultCalendar: WorkingCalendar | null = null;

/** National-only calendar from `packs/calendar`, loaded once per process. */
export function getDefaultCalendar(): WorkingCalendar {
  return (defaultCalendar ??= buildCalendar(loadNationalCalendars()));
}
