/**
 * Working-hour arithmetic (urgent hotline orders "within N hours"). Only time
 * inside the office windows of working days counts; counting starts at `start`
 * itself (the acceptance day IS counted here, unlike working days). Pauses are
 * applied at instant precision: [from, to) is excluded.
 */
import { assertValidInstant, dayOfInstant, instantOf } from './civil.js';
import { instantPauses, type InstantPauses } from './pauses.js';
import { FallbackYears, type DayTable } from './table.js';
import type { HoursDue, HoursRange, Pause, WorkingHoursSpec } from './types.js';

const HOUR_MS = 3_600_000;
export const MAX_WORKING_HOURS = 3650 * 24;
const MAX_SCAN_DAYS = 100 * 366;

/** Office windows as [startMs, endMs) offsets from CST midnight, sorted, disjoint. */
export type Windows = ReadonlyArray<readonly [number, number]>;

export const DEFAULT_WORKING_HOURS = '09:00-12:00,13:30-17:30';

function clock(s: unknown, spec: string): number {
  const m = typeof s === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(s.trim()) : null;
  const h = m ? Number(m[1]) : NaN;
  const mi = m ? Number(m[2]) : NaN;
  if (!m || mi > 59 || h > 24 || (h === 24 && mi !== 0)) {
    throw new RangeError(`calendar: invalid clock time ${JSON.stringify(s)} in working hours ${spec} (expected HH:MM)`);
  }
  return (h * 60 + mi) * 60_000;
}

const parsedCache = new Map<string, Windows>();

/**
 * Parse office hours: `{start,end}`, a list of them, or `"08:30-12:00,14:30-17:30"`
 * (an en dash or `~` also separates). Ranges must be non-empty, sorted and disjoint.
 */
export function parseWorkingHours(spec: WorkingHoursSpec = DEFAULT_WORKING_HOURS): Windows {
  const key = typeof spec === 'string' ? spec : JSON.stringify(spec);
  const hit = parsedCache.get(key);
  if (hit) return hit;
  let ranges: HoursRange[];
  if (typeof spec === 'string') {
    ranges = spec.split(/[,，;]/).map((part) => {
      const [start, end, extra] = part.split(/[-–—~]/);
      if (end === undefined || extra !== undefined) {
        throw new RangeError(`calendar: invalid working-hours range ${JSON.stringify(part)} in ${JSON.stringify(spec)}`);
      }
      return { start, end };
    });
  } else if (Array.isArray(spec)) {
    ranges = [...(spec as readonly HoursRange[])];
  } else if (typeof spec === 'object' && spec !== null) {
    ranges = [spec as HoursRange];
  } else {
    throw new RangeError(`calendar: invalid working hours ${String(spec)}`);
  }
  if (ranges.length === 0) throw new RangeError('calendar: working hours must contain at least one range');
  const windows: Array<readonly [number, number]> = [];
  for (const r of ranges) {
    const a = clock(r?.start, key);
    const b = clock(r?.end, key);
    if (b <= a) throw new RangeError(`calendar: working-hours range ${r.start}-${r.end} ends before it starts`);
    const prev = windows[windows.length - 1];
    if (prev !== undefined && a < prev[1]) {
      throw new RangeError(`calendar: working-hours ranges in ${key} must be sorted and must not overlap`);
    }
    windows.push([a, b]);
  }
  if (parsedCache.size < 256) parsedCache.set(key, windows);
  return windows;
}

export function assertHours(hours: unknown): asserts hours is number {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) {
    throw new RangeError(`calendar: hours must be a positive number, got ${String(hours)}`);
  }
  if (hours > MAX_WORKING_HOURS) throw new RangeError(`calendar: hours must be at most ${MAX_WORKING_HOURS}, got ${hours}`);
}

/** Free (unpaused) pieces of [a, b), given merged closed pauses. */
function* freePieces(a: number, b: number, p: InstantPauses): Generator<[number, number]> {
  let cur = a;
  for (const [pa, pb] of p.ranges) {
    if (pb <= cur) continue;
    if (pa >= b) break;
    if (pa > cur) yield [cur, pa];
    cur = Math.max(cur, pb);
    if (cur >= b) return;
  }
  if (cur < b) yield [cur, b];
}

export function addWorkingHoursIn(
  table: DayTable,
  start: Date,
  hours: number,
  pauses: readonly Pause[] | undefined,
  spec: WorkingHoursSpec | undefined,
): HoursDue {
  assertValidInstant(start, 'start');
  assertHours(hours);
  const windows = parseWorkingHours(spec);
  const p = instantPauses(pauses);
  const total = Math.round(hours * HOUR_MS);
  let remaining = total;
  const t0 = start.getTime();
  const fb = new FallbackYears();
  const startDay = dayOfInstant(start);
  const paused = () => ({
    due: null,
    paused: true as const,
    pausedSince: p.openSince!,
    usedHours: (total - remaining) / HOUR_MS,
    fallbackYears: fb.list(),
  });
  for (let d = startDay; d - startDay <= MAX_SCAN_DAYS; d++) {
    const yb = table.yearBitsOf(d);
    fb.note(yb);
    if (yb.bits[d - yb.start] !== 1) continue;
    const base = instantOf(d).getTime();
    for (const [ws, we] of windows) {
      const a = Math.max(base + ws, t0);
      const b = Math.min(base + we, p.openFrom);
      for (const [x, y] of a < b ? freePieces(a, b, p) : []) {
        if (y - x >= remaining) return { due: new Date(x + remaining), paused: false, fallbackYears: fb.list() };
        remaining -= y - x;
      }
      if (base + we >= p.openFrom) return paused();
    }
  }
  throw new RangeError(`calendar: no ${hours} working hours within ${MAX_SCAN_DAYS} days of ${start.toISOString()}`);
}
