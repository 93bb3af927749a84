/**
 * Validation of national year data and division overrides, and the loader for
 * `packs/calendar/*.json`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWeekend, parseIsoDay, yearOfDay } from './civil.js';
import { normalizeDivision } from './division.js';
import type { DayEntry, DivisionOverride, YearData } from './types.js';

/** Invalid calendar data; `label` names the offending file (or input). */
export class CalendarDataError extends Error {
  constructor(
    readonly label: string,
    detail: string,
  ) {
    super(`calendar data ${label}: ${detail}`);
    this.name = 'CalendarDataError';
  }
}

function entries(raw: unknown, field: string, year: number, label: string): DayEntry[] {
  if (!Array.isArray(raw)) throw new CalendarDataError(label, `"${field}" must be an array`);
  const seen = new Set<string>();
  return raw.map((e: unknown, i) => {
    const where = `${field}[${i}]`;
    if (typeof e !== 'object' || e === null) throw new CalendarDataError(label, `${where} must be an object`);
    const { date, name } = e as Record<string, unknown>;
    const day = parseIsoDay(date);
    if (day === null) throw new CalendarDataError(label, `${where}.date ${JSON.stringify(date)} is not a YYYY-MM-DD date`);
    if (yearOfDay(day) !== year) throw new CalendarDataError(label, `${where}.date ${date} is outside year ${year}`);
    if (typeof name !== 'string' || name.trim() === '') throw new CalendarDataError(label, `${where}.name must be a non-empty string`);
    if (seen.has(date as string)) throw new CalendarDataError(label, `${where}.date ${date} is listed twice in "${field}"`);
    seen.add(date as string);
    return { date: date as string, name };
  });
}

/**
 * Check the shape of one year of national data: integer year, real dates inside
 * that year, no duplicates, no date both holiday and workday, every make-up
 * workday on a Saturday or Sunday. Returns a clean copy.
 */
export function validateYearData(raw: unknown, label: string): YearData {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new CalendarDataError(label, 'must be a JSON object');
  const o = raw as Record<string, unknown>;
  const year = o.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1949 || year > 2200) {
    throw new CalendarDataError(label, `"year" must be an integer year, got ${JSON.stringify(year)}`);
  }
  if (typeof o.source !== 'string' || o.source.trim() === '') throw new CalendarDataError(label, '"source" must be a non-empty string');
  for (const k of ['url', 'published', 'note'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw new CalendarDataError(label, `"${k}" must be a string`);
  }
  const holidays = entries(o.holidays, 'holidays', year, label);
  const workdays = entries(o.workdays, 'workdays', year, label);
  const off = new Set(holidays.map((h) => h.date));
  for (const w of workdays) {
    if (off.has(w.date)) throw new CalendarDataError(label, `${w.date} is listed both as a holiday and as a workday`);
    if (!isWeekend(parseIsoDay(w.date)!)) {
      throw new CalendarDataError(label, `make-up workday ${w.date} is not a Saturday or Sunday`);
    }
  }
  const out: YearData = { year, source: o.source, holidays, workdays };
  if (typeof o.url === 'string') out.url = o.url;
  if (typeof o.published === 'string') out.published = o.published;
  if (typeof o.note === 'string') out.note = o.note;
  return out;
}

/** Validate one override; throws RangeError naming the entry. */
export function validateOverride(o: unknown, label: string): DivisionOverride {
  if (typeof o !== 'object' || o === null) throw new RangeError(`calendar override ${label}: must be an object`);
  const { division, date, kind, name } = o as Record<string, unknown>;
  normalizeDivision(division, `override ${label} division`);
  if (parseIsoDay(date) === null) throw new RangeError(`calendar override ${label}: date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  if (kind !== 'holiday' && kind !== 'workday') {
    throw new RangeError(`calendar override ${label}: kind must be "holiday" or "workday", got ${JSON.stringify(kind)}`);
  }
  if (typeof name !== 'string' || name.trim() === '') throw new RangeError(`calendar override ${label}: name must be a non-empty string`);
  return { division: division as string, date: date as string, kind, name };
}

/**
 * Locate `packs/calendar` by walking up from this module (works from `src/` under
 * vitest and from `dist/` after `tsc`).
 */
export function defaultPacksDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'packs', 'calendar');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`calendar: no packs/calendar folder found above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
}

/**
 * Read and validate every `*.json` in `dir` (default: the package's
 * `packs/calendar`). Sorted by year; duplicate years and a file named
 * `xx-YYYY.json` holding another year are errors naming the file.
 */
export function loadNationalCalendars(dir?: string): YearData[] {
  const folder = resolve(dir ?? defaultPacksDir());
  const files = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const byYear = new Map<number, string>();
  const out: YearData[] = [];
  for (const f of files) {
    const path = join(folder, f);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new CalendarDataError(path, `not valid JSON (${(e as Error).message})`);
    }
    const data = validateYearData(raw, path);
    const named = /(\d{4})\.json$/.exec(f);
    if (named && Number(named[1]) !== data.year) {
      throw new CalendarDataError(path, `file name says ${named[1]} but "year" is ${data.year}`);
    }
    const prev = byYear.get(data.year);
    if (prev) throw new CalendarDataError(path, `year ${data.year} is already defined by ${prev}`);
    byYear.set(data.year, path);
    out.push(data);
  }
  return out.sort((a, b) => a.year - b.year);
}
