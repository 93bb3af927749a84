// Benefit periods and the daily scan time, in Beijing civil time (the clock is UTC inside).
import type { BenefitPeriod } from './tables.js';

const CST_MS = 8 * 3600_000;

function civil(at: Date): { y: number; m: number; d: number } {
  const b = new Date(at.getTime() + CST_MS);
  return { y: b.getUTCFullYear(), m: b.getUTCMonth() + 1, d: b.getUTCDate() };
}

/** '2026-11' for a monthly benefit, '2026' for a yearly one, 'once' for a one-off. */
export function periodOf(period: BenefitPeriod, at: Date): string {
  const { y, m } = civil(at);
  if (period === 'month') return `${y}-${String(m).padStart(2, '0')}`;
  if (period === 'year') return String(y);
  return 'once';
}

/** The next 02:00 Beijing time strictly after `at`: the daily scan runs when the counters are quiet. */
export function nextDailyRun(at: Date): Date {
  const { y, m, d } = civil(at);
  const today = Date.UTC(y, m - 1, d, 2) - CST_MS;
  return new Date(today > at.getTime() ? today : today + 86_400_000);
}

/** YYYY-MM-DD (Beijing) for messages. */
export function civilDay(at: Date): string {
  const { y, m, d } = civil(at);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
