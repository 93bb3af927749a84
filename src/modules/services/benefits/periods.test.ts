// Periods and the daily run time are Beijing civil time, whatever the server's time zone.
import { describe, expect, it } from 'vitest';
import { nextDailyRun, periodOf } from './periods.js';

describe('periods', () => {
  it('names the Beijing month, year or once', () => {
    // 31 December 17:00 UTC is already 1 January in Beijing.
    const at = new Date('2026-12-31T17:00:00Z');
    expect(periodOf('month', at)).toBe('2027-01');
    expect(periodOf('year', at)).toBe('2027');
    expect(periodOf('once', at)).toBe('once');
    expect(periodOf('month', new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
  });

  it('runs the daily scan at the next 02:00 Beijing time', () => {
    expect(nextDailyRun(new Date('2026-11-27T01:00:00+08:00')).toISOString()).toBe('2026-11-26T18:00:00.000Z');
    expect(nextDailyRun(new Date('2026-11-27T02:00:00+08:00')).toISOString()).toBe('2026-11-27T18:00:00.000Z');
    expect(nextDailyRun(new Date('2026-11-27T23:30:00+08:00')).toISOString()).toBe('2026-11-27T18:00:00.000Z');
  });
});
