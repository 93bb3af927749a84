import { afterAll, describe, expect, it } from 'vitest';
import { buildCalendar, civilDateOf, cstInstant, loadNationalCalendars } from './index.js';

/**
 * The calendar must not depend on the process time zone. Node re-reads
 * process.env.TZ when it is assigned, so we switch zones inside the test and
 * compare every result with the baseline. (CI also runs the whole folder under
 * TZ=UTC and TZ=America/New_York.)
 */
const originalTz = process.env.TZ;
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

function battery(): string[] {
  const cal = buildCalendar(loadNationalCalendars(), [{ division: '532300', date: '2025-07-18', kind: 'holiday', name: '火把节' }]);
  const at = (s: string) => new Date(`${s}+08:00`);
  const iso = (d: Date | null) => (d ? d.toISOString() : 'null');
  return [
    iso(cal.addWorkingDays(at('2025-01-24T10:00:00'), 1).due),
    iso(cal.addWorkingDays(at('2025-09-30T23:30:00'), 3).due),
    iso(cal.addWorkingDays(at('2025-10-01T00:10:00'), 1, { endOfDay: false }).due),
    iso(cal.addWorkingDays(at('2026-02-12T07:00:00'), 5).due),
    iso(cal.addWorkingDays(at('2025-07-17T23:59:00'), 1, { division: '532301' }).due),
    iso(cal.addWorkingHours(at('2025-03-07T16:30:00'), 3).due),
    iso(cal.addWorkingHours(at('2025-03-02T23:30:00'), 1).due),
    String(cal.workingDaysBetween(at('2025-09-30T00:00:00'), at('2025-10-11T23:59:00')).days),
    String(cal.isWorkingDay(at('2025-01-26T00:30:00'))),
    String(cal.isWorkingDay(at('2025-01-25T23:30:00'))),
    civilDateOf(new Date('2025-01-25T16:30:00Z')),
    cstInstant('2025-10-11', '23:59:59.999').toISOString(),
    JSON.stringify(cal.dayInfo(at('2025-10-11T00:00:01'))),
  ];
}

describe('time-zone independence', () => {
  it('gives identical results under UTC, New York, Kolkata, Chatham and Shanghai', () => {
    process.env.TZ = 'Asia/Shanghai';
    const baseline = battery();
    expect(baseline.slice(0, 3)).toEqual(['2025-01-26T15:59:59.999Z', '2025-10-11T15:59:59.999Z', '2025-10-08T16:10:00.000Z']);
    expect(baseline[10]).toBe('2025-01-26');
    for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      // sanity: the zone switch really changed local-time accessors
      const local = new Date('2025-01-24T00:30:00+08:00').getDate();
      if (tz === 'America/New_York') expect(local).toBe(23);
      expect(battery(), tz).toEqual(baseline);
    }
  });
});
