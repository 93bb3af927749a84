/**
 * Day classification for one effective rule chain (national data + the
 * overrides of a province, prefecture and county), with a lazily built
 * per-year bitmap of working days so the counting loops are a typed-array read.
 */
import { isWeekend, isoOfDay, yearOfDay, yearStart } from './civil.js';
import type { DayInfo, DivisionOverride } from './types.js';

export interface NationalIndex {
  /** day number → holiday name */
  holidays: Map<number, string>;
  /** day number → make-up workday name */
  workdays: Map<number, string>;
  /** years with official data */
  years: Set<number>;
}

/** Overrides of one division, keyed by day number. */
export interface ScopeOverrides {
  division: string;
  days: Map<number, DivisionOverride>;
}

export interface YearBits {
  year: number;
  /** first day number of the year */
  start: number;
  /** first day number after the year */
  end: number;
  /** 1 = working day, indexed by day − start */
  bits: Uint8Array;
  /** no national data for this year: Mon–Fri assumed */
  fallback: boolean;
}

export class DayTable {
  private readonly cache = new Map<number, YearBits>();
  private last: YearBits | null = null;

  /** `scopes` ordered from the most general (province) to the most specific (county). */
  constructor(
    private readonly national: NationalIndex,
    private readonly scopes: readonly ScopeOverrides[],
  ) {}

  /** Full classification of one day (slow path; the bitmap is built from it). */
  info(day: number): DayInfo {
    const date = isoOfDay(day);
    const weekend = isWeekend(day);
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const o = this.scopes[i].days.get(day);
      if (o) {
        const source = `division:${o.division}` as const;
        if (o.kind === 'holiday') return { date, working: false, kind: 'holiday', name: o.name, source };
        return { date, working: true, kind: weekend ? 'makeup-workday' : 'workday', name: o.name, source };
      }
    }
    if (!this.national.years.has(yearOfDay(day))) {
      return { date, working: !weekend, kind: weekend ? 'weekend' : 'workday', source: 'fallback' };
    }
    const holiday = this.national.holidays.get(day);
    if (holiday !== undefined) return { date, working: false, kind: 'holiday', name: holiday, source: 'national' };
    const makeup = this.national.workdays.get(day);
    if (makeup !== undefined) return { date, working: true, kind: 'makeup-workday', name: makeup, source: 'national' };
    return { date, working: !weekend, kind: weekend ? 'weekend' : 'workday', source: 'national' };
  }

  /** The bitmap of the year containing `day`. */
  yearBitsOf(day: number): YearBits {
    const last = this.last;
    if (last !== null && day >= last.start && day < last.end) return last;
    const yb = this.yearBits(yearOfDay(day));
    this.last = yb;
    return yb;
  }

  yearBits(year: number): YearBits {
    let yb = this.cache.get(year);
    if (yb === undefined) {
      const start = yearStart(year);
      const end = yearStart(year + 1);
      const bits = new Uint8Array(end - start);
      for (let d = start; d < end; d++) bits[d - start] = this.info(d).working ? 1 : 0;
      yb = { year, start, end, bits, fallback: !this.national.years.has(year) };
      this.cache.set(year, yb);
    }
    return yb;
  }

  isWorking(day: number): boolean {
    const yb = this.yearBitsOf(day);
    return yb.bits[day - yb.start] === 1;
  }
}

/**
 * Collects the fallback years touched by a scan. Years are visited in order,
 * so a tiny array is enough.
 */
export class FallbackYears {
  private readonly years: number[] = [];

  note(yb: YearBits): void {
    if (yb.fallback && !this.years.includes(yb.year)) this.years.push(yb.year);
  }

  merge(other: readonly number[]): this {
    for (const y of other) if (!this.years.includes(y)) this.years.push(y);
    return this;
  }

  list(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }
}
