import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CalendarDataError, buildCalendar, defaultPacksDir, loadNationalCalendars, validateYearData } from './index.js';
import { parseIsoDay, weekdayOfDay } from './civil.js';

const national = loadNationalCalendars();

function periods(year: number): Record<string, number> {
  const y = national.find((d) => d.year === year)!;
  const out: Record<string, number> = {};
  for (const h of y.holidays) out[h.name] = (out[h.name] ?? 0) + 1;
  return out;
}

describe('packs/calendar national data', () => {
  it('finds the packs folder by walking up from the module', () => {
    expect(defaultPacksDir().replace(/\\/g, '/')).toMatch(/\/packs\/calendar$/);
    expect(national.map((y) => y.year)).toEqual(expect.arrayContaining([2025, 2026]));
  });

  it('2025 holiday day counts match 国办发明电〔2024〕12号', () => {
    expect(periods(2025)).toEqual({ 元旦: 1, 春节: 8, 清明节: 3, 劳动节: 5, 端午节: 3, '国庆节、中秋节': 8 });
    const y = national.find((d) => d.year === 2025)!;
    expect(y.workdays.map((w) => w.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  });

  it('2026 holiday day counts match the 2025-11-04 notice', () => {
    expect(periods(2026)).toEqual({ 元旦: 3, 春节: 9, 清明节: 3, 劳动节: 5, 端午节: 3, 中秋节: 3, 国庆节: 7 });
    const y = national.find((d) => d.year === 2026)!;
    expect(y.workdays.map((w) => w.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('every make-up workday is a Saturday or Sunday, and holiday periods are contiguous', () => {
    for (const y of national) {
      for (const w of y.workdays) expect([0, 6], `${w.date}`).toContain(weekdayOfDay(parseIsoDay(w.date)!));
      const byName = new Map<string, number[]>();
      for (const h of y.holidays) byName.set(h.name, [...(byName.get(h.name) ?? []), parseIsoDay(h.date)!]);
      for (const [name, days] of byName) expect(days[days.length - 1] - days[0] + 1, `${y.year} ${name}`).toBe(days.length);
    }
  });

  it('classifies days with names and sources', () => {
    const cal = buildCalendar(national);
    expect(cal.dayInfo('2025-01-26')).toEqual({
      date: '2025-01-26',
      working: true,
      kind: 'makeup-workday',
      name: '春节调休上班',
      source: 'national',
    });
    expect(cal.dayInfo('2026-02-21')).toMatchObject({ working: false, kind: 'holiday', name: '春节' });
    expect(cal.dayInfo('2025-03-08')).toMatchObject({ working: false, kind: 'weekend', source: 'national' });
    expect(cal.dayInfo('2025-03-10')).toMatchObject({ working: true, kind: 'workday', source: 'national' });
    expect(cal.dayInfo('2027-01-01')).toMatchObject({ working: true, kind: 'workday', source: 'fallback' });
    expect(cal.coveredYears).toEqual(expect.arrayContaining([2025, 2026]));
  });
});

describe('loadNationalCalendars validation', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });
  const write = (name: string, body: unknown) => {
    dir ||= mkdtempSync(join(tmpdir(), 'yunling-cal-'));
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  };
  const base = { year: 2030, source: 'test', holidays: [{ date: '2030-01-01', name: '元旦' }], workdays: [] };

  it('loads a valid folder sorted by year', () => {
    write('cn-2030.json', base);
    write('cn-2029.json', { ...base, year: 2029, holidays: [] });
    expect(loadNationalCalendars(dir).map((y) => y.year)).toEqual([2029, 2030]);
  });

  it.each([
    ['a date outside the year', { ...base, holidays: [{ date: '2031-01-01', name: '元旦' }] }, /outside year 2030/],
    ['an impossible date', { ...base, holidays: [{ date: '2030-02-30', name: 'x' }] }, /not a YYYY-MM-DD date/],
    [
      'a date both holiday and workday',
      { ...base, workdays: [{ date: '2030-01-05', name: 'x' }], holidays: [{ date: '2030-01-05', name: 'y' }] },
      /both as a holiday and as a workday/,
    ],
    ['a make-up workday on a weekday', { ...base, workdays: [{ date: '2030-01-07', name: 'x' }] }, /not a Saturday or Sunday/],
    ['a duplicated date', { ...base, holidays: [base.holidays[0], base.holidays[0]] }, /listed twice/],
    ['a missing source', { ...base, source: '' }, /"source"/],
    ['a wrong year in the file name', { ...base, year: 2031, holidays: [] }, /file name says 2030/],
    ['invalid JSON', '{ "year": 2030,', /not valid JSON/],
  ])('rejects %s with an error naming the file', (_what, body, message) => {
    write('cn-2030.json', body);
    let err: unknown;
    try {
      loadNationalCalendars(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CalendarDataError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(join(dir, 'cn-2030.json'));
  });

  it('rejects two files for the same year', () => {
    write('cn-2030.json', base);
    write('other-2030.json', base);
    expect(() => loadNationalCalendars(dir)).toThrow(/already defined/);
  });

  it('validateYearData and buildCalendar reject bad input', () => {
    expect(() => validateYearData({ ...base, year: 2030.5 }, 'x')).toThrow(/integer year/);
    expect(() => buildCalendar([base as never, base as never])).toThrow(/given twice/);
  });
});
