import { describe, expect, it } from 'vitest';
import { buildCalendar, loadNationalCalendars, parseWorkingHours } from './index.js';

const national = loadNationalCalendars();
const cal = buildCalendar(national);
const at = (s: string) => new Date(`${s}+08:00`);

describe('addWorkingHours (default 09:00-12:00, 13:30-17:30)', () => {
  it('skips the lunch break', () => {
    expect(cal.addWorkingHours(at('2025-03-03T11:00:00'), 2).due).toEqual(at('2025-03-03T14:30:00'));
    expect(cal.addWorkingHours(at('2025-03-03T12:30:00'), 0.5).due).toEqual(at('2025-03-03T14:00:00'));
  });

  it('ends exactly at a window end rather than at the next opening', () => {
    expect(cal.addWorkingHours(at('2025-03-03T09:00:00'), 3).due).toEqual(at('2025-03-03T12:00:00'));
    expect(cal.addWorkingHours(at('2025-03-03T09:00:00'), 7).due).toEqual(at('2025-03-03T17:30:00'));
  });

  it('starts counting at opening time when accepted before hours', () => {
    expect(cal.addWorkingHours(at('2025-03-03T07:00:00'), 1).due).toEqual(at('2025-03-03T10:00:00'));
    expect(cal.addWorkingHours(at('2025-03-03T19:00:00'), 1).due).toEqual(at('2025-03-04T10:00:00'));
  });

  it('crosses a weekend', () => {
    // Fri 16:30-17:30 = 1 h, Mon 09:00-11:00 = 2 h
    const r = cal.addWorkingHours(at('2025-03-07T16:30:00'), 3);
    expect(r.due).toEqual(at('2025-03-10T11:00:00'));
    expect(r.fallbackYears).toEqual([]);
  });

  it('crosses the National Day holiday and uses make-up days', () => {
    // 09-30 16:00-17:30 = 1.5 h; 10-01..10-08 off; 10-09 09:00-10:30
    expect(cal.addWorkingHours(at('2025-09-30T16:00:00'), 3).due).toEqual(at('2025-10-09T10:30:00'));
    // Fri 01-24 17:00-17:30 = 0.5 h; Sunday 01-26 is a make-up workday
    expect(cal.addWorkingHours(at('2025-01-24T17:00:00'), 1).due).toEqual(at('2025-01-26T09:30:00'));
  });

  it('honours division overrides', () => {
    const local = buildCalendar(national, [{ division: '532300', date: '2025-07-18', kind: 'holiday', name: '火把节' }]);
    const start = at('2025-07-17T17:00:00');
    expect(local.addWorkingHours(start, 1, { division: '532301' }).due).toEqual(at('2025-07-21T09:30:00'));
    expect(local.addWorkingHours(start, 1, { division: '530100' }).due).toEqual(at('2025-07-18T09:30:00'));
  });

  it('reports fallback years', () => {
    const r = cal.addWorkingHours(at('2026-12-31T17:00:00'), 2);
    expect(r.due).toEqual(at('2027-01-01T10:30:00'));
    expect(r.fallbackYears).toEqual([2027]);
  });
});

describe('configurable office hours', () => {
  it('accepts a string of ranges (Yunnan 08:30-12:00, 14:30-17:30)', () => {
    const r = cal.addWorkingHours(at('2025-03-03T11:00:00'), 2, { workingHours: '08:30-12:00,14:30-17:30' });
    expect(r.due).toEqual(at('2025-03-03T15:30:00'));
    expect(cal.addWorkingHours(at('2025-03-03T11:00:00'), 2, { workingHours: '08:30–12:00，14:30–17:30' }).due).toEqual(
      at('2025-03-03T15:30:00'),
    );
  });

  it('accepts a single range object and a list of ranges', () => {
    expect(cal.addWorkingHours(at('2025-03-07T16:00:00'), 2, { workingHours: { start: '09:00', end: '17:00' } }).due).toEqual(
      at('2025-03-10T10:00:00'),
    );
    const ranges = [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '18:00' },
    ];
    expect(cal.addWorkingHours(at('2025-03-03T11:30:00'), 1, { workingHours: ranges }).due).toEqual(at('2025-03-03T13:30:00'));
  });

  it('rejects invalid specs, hours and dates', () => {
    expect(() => parseWorkingHours('12:00-09:00')).toThrow(/ends before it starts/);
    expect(() => parseWorkingHours('09:00-12:00,11:00-17:00')).toThrow(/overlap/);
    expect(() => parseWorkingHours('9am-5pm')).toThrow(RangeError);
    expect(() => parseWorkingHours([])).toThrow(/at least one/);
    expect(parseWorkingHours('00:00-24:00')).toEqual([[0, 86_400_000]]);
    for (const h of [0, -1, Number.NaN, Infinity, 3650 * 24 + 1]) {
      expect(() => cal.addWorkingHours(at('2025-03-03T09:00:00'), h), `h=${h}`).toThrow(RangeError);
    }
    expect(() => cal.addWorkingHours(new Date(''), 1)).toThrow(RangeError);
  });
});

describe('pauses in hours (instant precision)', () => {
  const start = at('2025-03-03T09:00:00');

  it('excludes a closed pause', () => {
    const pauses = [{ from: at('2025-03-03T10:00:00'), to: at('2025-03-03T11:00:00') }];
    // 09-10 (1 h), 11-12 (1 h), 13:30-15:30 (2 h)
    expect(cal.addWorkingHours(start, 4, { pauses }).due).toEqual(at('2025-03-03T15:30:00'));
  });

  it('an open pause leaves the due time undetermined', () => {
    const from = at('2025-03-03T10:00:00');
    expect(cal.addWorkingHours(start, 4, { pauses: [{ from }] })).toEqual({
      due: null,
      paused: true,
      pausedSince: from,
      usedHours: 1,
      fallbackYears: [],
    });
    // opened after the due time: no effect
    expect(cal.addWorkingHours(start, 2, { pauses: [{ from: at('2025-03-03T15:00:00') }] }).due).toEqual(at('2025-03-03T11:00:00'));
  });
});
