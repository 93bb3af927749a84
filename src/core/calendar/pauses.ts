/**
 * Normalisation of 补正 clock pauses, at day granularity (for working-day
 * counts) and at instant granularity (for working-hour counts).
 */
import { assertValidInstant, dayOfInstant } from './civil.js';
import type { Pause } from './types.js';

export interface DayPauses {
  /** Closed pauses as inclusive [fromDay, toDay] ranges, sorted and merged. */
  ranges: Array<[number, number]>;
  /** First day of the earliest open pause (Infinity if none). */
  openFromDay: number;
  /** `from` of that open pause. */
  openSince: Date | null;
}

export interface InstantPauses {
  /** Closed pauses as half-open [from, to) epoch-ms ranges, sorted and merged. */
  ranges: Array<[number, number]>;
  /** Epoch ms of the earliest open pause (Infinity if none). */
  openFrom: number;
  openSince: Date | null;
}

function checked(pauses: readonly Pause[] | undefined): Array<{ from: Date; to: Date | null }> {
  if (pauses === undefined) return [];
  if (!Array.isArray(pauses)) throw new RangeError('calendar: pauses must be an array of { from, to? }');
  return pauses.map((p: Pause, i) => {
    if (typeof p !== 'object' || p === null) throw new RangeError(`calendar: pauses[${i}] must be an object`);
    assertValidInstant(p.from, `pauses[${i}].from`);
    if (p.to === undefined || p.to === null) return { from: p.from, to: null };
    assertValidInstant(p.to, `pauses[${i}].to`);
    if (p.to.getTime() < p.from.getTime()) {
      throw new RangeError(`calendar: pauses[${i}] ends (${p.to.toISOString()}) before it starts (${p.from.toISOString()})`);
    }
    return { from: p.from, to: p.to };
  });
}

function merge(ranges: Array<[number, number]>, adjacent: number): Array<[number, number]> {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const r of ranges) {
    const top = out[out.length - 1];
    if (top !== undefined && r[0] <= top[1] + adjacent) top[1] = Math.max(top[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function earliestOpen(list: Array<{ from: Date; to: Date | null }>): Date | null {
  let since: Date | null = null;
  for (const p of list) if (p.to === null && (since === null || p.from < since)) since = p.from;
  return since;
}

export function dayPauses(pauses: readonly Pause[] | undefined): DayPauses {
  const list = checked(pauses);
  const openSince = earliestOpen(list);
  const closed = list.filter((p) => p.to !== null).map((p): [number, number] => [dayOfInstant(p.from), dayOfInstant(p.to!)]);
  return {
    ranges: merge(closed, 1),
    openFromDay: openSince === null ? Infinity : dayOfInstant(openSince),
    openSince,
  };
}

export function instantPauses(pauses: readonly Pause[] | undefined): InstantPauses {
  const list = checked(pauses);
  const openSince = earliestOpen(list);
  const closed = list.filter((p) => p.to !== null).map((p): [number, number] => [p.from.getTime(), p.to!.getTime()]);
  return { ranges: merge(closed, 0), openFrom: openSince === null ? Infinity : openSince.getTime(), openSince };
}

/** Is `day` inside a closed or open day pause? (linear; pause lists are short) */
export function isDayPaused(p: DayPauses, day: number): boolean {
  if (day >= p.openFromDay) return true;
  for (const [a, b] of p.ranges) {
    if (day < a) return false;
    if (day <= b) return true;
  }
  return false;
}
