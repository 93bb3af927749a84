import { describe, expect, it } from 'vitest';
import { buildCalendar, civilDateOf, cstInstant, loadNationalCalendars, type DivisionOverride, type Pause } from './index.js';

const national = loadNationalCalendars();
const cal = buildCalendar(national);
/** An instant written with an explicit +08:00 offset. */
const at = (s: string) => new Date(`${s}+08:00`);
/** End of a CST civil day. */
const eod = (d: string) => cstInstant(d, '23:59:59.999');
const dueDate = (r: { due: Date | null }) => (r.due ? civilDateOf(r.due) : null);

describe('addWorkingDays — national calendar', () => {
  it('2025-01-24 (Fri) + 1 = 2025-01-26, the Sunday make-up day, due at end of day', () => {
    const r = cal.addWorkingDays(at('2025-01-24T10:00:00'), 1);
    expect(r.due.toISOString()).toBe('2025-01-26T15:59:59.999Z');
    expect(r.due).toEqual(eod('2025-01-26'));
    expect(r).toMatchObject({ paused: false, fallbackYears: [] });
  });

  it('2025-09-30 + 3 = 2025-10-11 (10-01..08 off; 10-09 Thu, 10-10 Fri, 10-11 Sat make-up)', () => {
    // Counted by hand: 1 = 10-09, 2 = 10-10, 3 = 10-11 (国庆节、中秋节调休上班). Not 10-13.
    expect(cal.addWorkingDays(at('2025-09-30T16:00:00'), 3).due).toEqual(eod('2025-10-11'));
    expect(cal.addWorkingDays(at('2025-09-30T16:00:00'), 4).due).toEqual(eod('2025-10-13'));
  });

  it('spans the 2026 Spring Festival (2-15..2-23 off, 2-14 Sat make-up)', () => {
    const start = at('2026-02-12T09:00:00'); // Thu
    expect(dueDate(cal.addWorkingDays(start, 1))).toBe('2026-02-13');
    expect(dueDate(cal.addWorkingDays(start, 2))).toBe('2026-02-14');
    expect(dueDate(cal.addWorkingDays(start, 3))).toBe('2026-02-24');
    expect(dueDate(cal.addWorkingDays(start, 5))).toBe('2026-02-26');
    // 2-27 Fri, then 2-28 Sat make-up
    expect(dueDate(cal.addWorkingDays(at('2026-02-26T09:00:00'), 2))).toBe('2026-02-28');
  });

  it('counts make-up Saturdays and Sundays', () => {
    expect(dueDate(cal.addWorkingDays(at('2025-02-07T09:00:00'), 1))).toBe('2025-02-08');
    expect(dueDate(cal.addWorkingDays(at('2026-10-09T09:00:00'), 1))).toBe('2026-10-10');
    expect(dueDate(cal.addWorkingDays(at('2026-01-01T09:00:00'), 1))).toBe('2026-01-04');
    // ordinary weekend is skipped
    expect(dueDate(cal.addWorkingDays(at('2025-03-07T09:00:00'), 1))).toBe('2025-03-10');
  });

  it('does not count the acceptance day even when accepted at 00:00 or on a non-working day', () => {
    expect(dueDate(cal.addWorkingDays(at('2025-03-03T00:00:00'), 1))).toBe('2025-03-04');
    expect(dueDate(cal.addWorkingDays(at('2025-03-08T11:00:00'), 1))).toBe('2025-03-10');
    // 23:30 CST on Monday is still Monday in China although it is Monday 15:30 UTC
    expect(dueDate(cal.addWorkingDays(at('2025-03-03T23:30:00'), 1))).toBe('2025-03-04');
  });

  it('endOfDay: false keeps the wall-clock time of acceptance', () => {
    const r = cal.addWorkingDays(at('2025-01-24T10:15:00'), 1, { endOfDay: false });
    expect(r.due).toEqual(at('2025-01-26T10:15:00'));
    expect(cal.workingDaysBetween(at('2025-01-24T10:15:00'), r.due).days).toBe(1);
  });

  it('reports years without official data and assumes Mon–Fri there', () => {
    const r = cal.addWorkingDays(at('2026-12-30T10:00:00'), 5);
    // 12-31 Thu, 2027-01-01 Fri (no data yet: counted), 01-04, 01-05, 01-06
    expect(r.due).toEqual(eod('2027-01-06'));
    expect(r.fallbackYears).toEqual([2027]);
    expect(cal.addWorkingDays(at('2026-12-01T10:00:00'), 5).fallbackYears).toEqual([]);
    expect(cal.addWorkingDays(at('2024-12-30T10:00:00'), 3).fallbackYears).toEqual([2024, 2025].filter((y) => !cal.years[y]));
    expect(cal.workingDaysBetween(at('2026-12-30T10:00:00'), r.due).fallbackYears).toEqual([2027]);
  });

  it('throws RangeError for bad n, dates and divisions', () => {
    const start = at('2025-03-03T10:00:00');
    for (const n of [0, -1, 3651, 1.5, Number.NaN]) expect(() => cal.addWorkingDays(start, n), `n=${n}`).toThrow(RangeError);
    expect(() => cal.addWorkingDays(start, 0)).toThrow(/at least 1/);
    expect(() => cal.addWorkingDays(start, 3651)).toThrow(/at most 3650/);
    expect(() => cal.addWorkingDays(new Date('nope'), 1)).toThrow(/start must be a valid Date/);
    expect(() => cal.addWorkingDays(start, 1, { division: '5323' })).toThrow(/six-digit/);
    expect(() => cal.isWorkingDay('2025-02-30')).toThrow(RangeError);
    expect(() => cal.workingDaysBetween(start, new Date(Number.NaN))).toThrow(RangeError);
    expect(() => cal.remainingWorkingDays(start, 0, start)).toThrow(RangeError);
    expect(cal.addWorkingDays(start, 3650).fallbackYears.length).toBeGreaterThan(0);
  });
});

describe('division overrides', () => {
  // Illustrative local rules (dates chosen for the test, not official data):
  const overrides: DivisionOverride[] = [
    { division: '532300', date: '2025-07-18', kind: 'holiday', name: '火把节' }, // 楚雄州
    { division: '532800', date: '2025-04-14', kind: 'holiday', name: '泼水节' }, // 西双版纳州
    { division: '532800', date: '2025-04-15', kind: 'holiday', name: '泼水节' },
    { division: '532331', date: '2025-07-18', kind: 'workday', name: '县内照常上班' }, // a county beats its prefecture
    { division: '530000', date: '2025-08-01', kind: 'holiday', name: '省内假日' },
    { division: '530100', date: '2025-08-01', kind: 'workday', name: '昆明照常上班' }, // prefecture beats province
  ];
  const local = buildCalendar(national, overrides);
  const thu = at('2025-07-17T10:00:00');

  it('楚雄 532300 holiday applies to 532301 and 532300 but not to 530100 or national', () => {
    expect(dueDate(local.addWorkingDays(thu, 1, { division: '532301' }))).toBe('2025-07-21');
    expect(dueDate(local.addWorkingDays(thu, 1, { division: '532300' }))).toBe('2025-07-21');
    expect(dueDate(local.addWorkingDays(thu, 1, { division: '530100' }))).toBe('2025-07-18');
    expect(dueDate(local.addWorkingDays(thu, 1))).toBe('2025-07-18');
    expect(local.dayInfo('2025-07-18', '532301')).toEqual({
      date: '2025-07-18',
      working: false,
      kind: 'holiday',
      name: '火把节',
      source: 'division:532300',
    });
    expect(local.isWorkingDay('2025-07-18', '530100')).toBe(true);
  });

  it('county beats prefecture beats province beats national', () => {
    expect(local.dayInfo('2025-07-18', '532331')).toMatchObject({ working: true, source: 'division:532331' });
    expect(local.isWorkingDay('2025-08-01', '530102')).toBe(true);
    expect(local.dayInfo('2025-08-01', '532301')).toMatchObject({ working: false, source: 'division:530000' });
    expect(local.dayInfo('2025-08-01', '530000')).toMatchObject({ working: false, source: 'division:530000' });
    expect(local.isWorkingDay('2025-08-01', '110101')).toBe(true);
    expect(local.isWorkingDay('2025-08-01')).toBe(true);
  });

  it('township (9-digit) and village (12-digit) codes inherit from their county; padding and null are handled', () => {
    expect(local.isWorkingDay('2025-07-18', '532301001')).toBe(false);
    expect(local.isWorkingDay('2025-07-18', '532301001001')).toBe(false);
    expect(local.isWorkingDay('2025-07-18', '532331001')).toBe(true);
    expect(local.isWorkingDay('2025-07-18', '532301000000')).toBe(false);
    expect(local.isWorkingDay('2025-07-18', null)).toBe(true);
    expect(dueDate(local.addWorkingDays(thu, 1, { division: null }))).toBe('2025-07-18');
    const town = buildCalendar(national, [{ division: '532301001', date: '2025-03-04', kind: 'holiday', name: '镇节日' }]);
    expect(town.isWorkingDay('2025-03-04', '532301001002')).toBe(false);
    expect(town.isWorkingDay('2025-03-04', '532301002')).toBe(true);
    expect(town.isWorkingDay('2025-03-04', '532301')).toBe(true);
    for (const bad of ['5323', '53230', '5323010', '002300', 'abcdef']) expect(() => local.isWorkingDay('2025-03-04', bad), bad).toThrow(RangeError);
  });

  it('西双版纳 泼水节 shifts a deadline in 勐海县 532822', () => {
    const fri = at('2025-04-11T10:00:00');
    expect(dueDate(local.addWorkingDays(fri, 1, { division: '532822' }))).toBe('2025-04-16');
    expect(dueDate(local.addWorkingDays(fri, 1, { division: '532301' }))).toBe('2025-04-14');
    expect(local.workingDaysBetween(fri, eod('2025-04-16'), { division: '532822' }).days).toBe(1);
  });

  it('rejects malformed or conflicting overrides', () => {
    const o = overrides[0];
    expect(() => buildCalendar(national, [{ ...o, division: '5323' }])).toThrow(/six-digit/);
    expect(() => buildCalendar(national, [{ ...o, date: '2025-13-01' }])).toThrow(/YYYY-MM-DD/);
    expect(() => buildCalendar(national, [{ ...o, kind: 'off' as never }])).toThrow(/kind/);
    expect(() => buildCalendar(national, [o, { ...o, name: 'dup' }])).toThrow(/two overrides/);
  });
});

describe('补正 pauses', () => {
  const start = at('2025-03-03T10:00:00'); // Mon; +5 = 03-10 without pauses

  it('working days inside a closed pause (inclusive CST dates) are not counted', () => {
    expect(dueDate(cal.addWorkingDays(start, 5))).toBe('2025-03-10');
    const pauses: Pause[] = [{ from: at('2025-03-05T15:00:00'), to: at('2025-03-06T10:00:00') }];
    const r = cal.addWorkingDays(start, 5, { pauses });
    expect(r).toMatchObject({ paused: false });
    expect(dueDate(r)).toBe('2025-03-12');
    expect(cal.workingDaysBetween(start, r.due!, { pauses }).days).toBe(5);
    // a pause over a weekend only loses the Friday and Monday
    const weekend: Pause[] = [{ from: at('2025-03-07T09:00:00'), to: at('2025-03-10T09:00:00') }];
    expect(dueDate(cal.addWorkingDays(start, 5, { pauses: weekend }))).toBe('2025-03-12');
  });

  it('an open pause leaves the deadline undetermined', () => {
    const from = at('2025-03-05T10:00:00');
    const r = cal.addWorkingDays(start, 5, { pauses: [{ from }] });
    expect(r).toEqual({ due: null, paused: true, pausedSince: from, usedWorkingDays: 1, fallbackYears: [] });
    // an open pause that starts after the deadline does not change it
    expect(dueDate(cal.addWorkingDays(start, 5, { pauses: [{ from: at('2025-03-20T10:00:00') }] }))).toBe('2025-03-10');
  });

  it('rejects a pause that ends before it starts', () => {
    expect(() => cal.addWorkingDays(start, 5, { pauses: [{ from: at('2025-03-05T10:00:00'), to: at('2025-03-04T10:00:00') }] })).toThrow(
      /ends .* before it starts/,
    );
  });

  it('remainingWorkingDays', () => {
    expect(cal.remainingWorkingDays(start, 5, at('2025-03-06T12:00:00'))).toMatchObject({ remaining: 2, used: 3, overdue: false });
    expect(cal.remainingWorkingDays(start, 5, at('2025-03-10T12:00:00'))).toMatchObject({ remaining: 0, overdue: false });
    expect(cal.remainingWorkingDays(start, 5, at('2025-03-11T10:00:00'))).toMatchObject({ remaining: -1, overdue: true });
    expect(cal.remainingWorkingDays(start, 5, at('2025-03-01T10:00:00'))).toMatchObject({ remaining: 5, used: 0 });
    const open = cal.remainingWorkingDays(start, 5, at('2025-03-12T10:00:00'), [{ from: at('2025-03-05T10:00:00') }]);
    expect(open).toMatchObject({ remaining: 4, used: 1, due: null, paused: true, overdue: false });
    const closed = [{ from: at('2025-03-05T15:00:00'), to: at('2025-03-06T10:00:00') }];
    expect(cal.remainingWorkingDays(start, 5, at('2025-03-06T12:00:00'), closed)).toMatchObject({ remaining: 4, paused: true });
    expect(cal.remainingWorkingDays(start, 5, at('2025-03-07T12:00:00'), closed)).toMatchObject({ remaining: 3, paused: false });
  });
});

describe('workingDaysBetween', () => {
  it('counts days after a up to and including the date of b; antisymmetric', () => {
    const a = at('2025-09-30T10:00:00');
    expect(cal.workingDaysBetween(a, at('2025-10-09T08:00:00')).days).toBe(1);
    expect(cal.workingDaysBetween(a, at('2025-10-08T23:00:00')).days).toBe(0);
    expect(cal.workingDaysBetween(a, a).days).toBe(0);
    expect(cal.workingDaysBetween(at('2025-10-11T10:00:00'), a).days).toBe(-3);
  });

  it('property: workingDaysBetween(start, addWorkingDays(start, n).due) === n over random starts', () => {
    let seed = 0x2025_0930;
    const rand = () => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const local = buildCalendar(national, [
      { division: '532300', date: '2025-07-18', kind: 'holiday', name: '火把节' },
      { division: '532300', date: '2026-08-07', kind: 'holiday', name: '火把节' },
    ]);
    const lo = at('2024-12-01T00:00:00').getTime();
    const hi = at('2027-03-01T00:00:00').getTime();
    const divisions = [undefined, '532301', '530100', '532300'];
    for (let i = 0; i < 3000; i++) {
      const start = new Date(lo + Math.floor(rand() * (hi - lo)));
      const n = 1 + Math.floor(rand() * 60);
      const division = divisions[Math.floor(rand() * divisions.length)];
      const pauses: Pause[] = [];
      if (rand() < 0.4) {
        const from = new Date(start.getTime() + rand() * 30 * 86_400_000);
        pauses.push({ from, to: new Date(from.getTime() + rand() * 10 * 86_400_000) });
      }
      const endOfDay = rand() < 0.8;
      const r = local.addWorkingDays(start, n, { division, pauses, endOfDay });
      if (r.due === null) throw new Error('unexpected open pause');
      const ctx = `#${i} ${start.toISOString()} n=${n} ${division}`;
      expect(local.workingDaysBetween(start, r.due, { division, pauses }).days, ctx).toBe(n);
      const dayBefore = new Date(r.due.getTime() - 86_400_000);
      expect(local.workingDaysBetween(start, dayBefore, { division, pauses }).days, ctx).toBe(n - 1);
      expect(local.isWorkingDay(r.due, division), ctx).toBe(true);
      if (endOfDay) expect(r.due, ctx).toEqual(eod(civilDateOf(r.due)));
    }
  });
});
