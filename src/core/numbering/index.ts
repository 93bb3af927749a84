// Human case numbers: `YN530102-20261126-000123` = prefix + division + civil day + sequence.
// The sequence lives in one counter row per (prefix, division, day) that is incremented in the
// CALLER'S transaction with a single upsert. Two consequences, both wanted:
//  - a transaction that rolls back takes its increment with it, so the number is handed out again
//    (no gaps in the numbers that were actually committed);
//  - concurrent transactions that need a number for the same division and day queue on the row
//    lock until the holder commits or rolls back, so no two committed cases share a number.
// Contention is one row per division and day; a transaction should take its number late (just
// before it commits) so that the lock is held briefly.
import { sql } from 'kysely';
import type { NamedMigration } from '../db/migrate.js';
import type { Executor } from '../db/types.js';
import { AppError } from '../http/errors.js';
import { getDivision } from '../divisions/service.js';
import { validateDivisionCode } from '../validators/index.js';

export interface CaseNumberCounterTable {
  prefix: string;
  division: string;
  /** The civil day in the numbering time zone, 'YYYY-MM-DD'. */
  day: string;
  n: number;
}

declare module '../db/types.js' {
  interface DB {
    case_number_counter: CaseNumberCounterTable;
  }
}

export const numberingMigrations: NamedMigration[] = [
  {
    name: '20261127_0310_core_case_number_counter',
    up: async (db) => {
      await sql.raw(`CREATE TABLE IF NOT EXISTS case_number_counter (
        prefix text NOT NULL CHECK (prefix ~ '^[A-Z][A-Z0-9]{0,7}$'),
        division text NOT NULL CHECK (division ~ '^([0-9]{6}|[0-9]{9}|[0-9]{12})$'),
        day date NOT NULL,
        n bigint NOT NULL CHECK (n > 0),
        PRIMARY KEY (prefix, division, day)
      )`).execute(db);
    },
  },
];

export interface CaseNumberOptions {
  /** 1–8 upper-case letters or digits, starting with a letter, e.g. 'YN'. */
  prefix: string;
  /** GB/T 2260 code of an existing division (6, 9 or 12 digits; the canonical form is used). */
  division: string;
  /** The moment the case is registered; its civil day in `calendarTz` is part of the number. */
  at: Date;
  /** IANA time zone of the day boundary; default Asia/Shanghai (Beijing time). */
  calendarTz?: string;
}

const PREFIX = /^[A-Z][A-Z0-9]{0,7}$/;
const NUMBER = /^([A-Z][A-Z0-9]{0,7}?)(\d{6}|\d{9}|\d{12})-(\d{8})-(\d{6,})$/;

/** 'YYYY-MM-DD' of `at` in `tz`. */
// One formatter per zone (creating one costs ~40 µs, several per submission).
const dayFormats = new Map<string, Intl.DateTimeFormat>();
export function civilDay(at: Date, tz = 'Asia/Shanghai'): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError(`numbering: "at" must be a valid Date, got ${String(at)}`);
  let f = dayFormats.get(tz);
  if (!f) {
    // en-CA formats as YYYY-MM-DD; an unknown zone throws a RangeError naming it.
    f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dayFormats.size < 32) dayFormats.set(tz, f);
  }
  return f.format(at);
}

/** The printed form: zero-padded to six digits, longer (never wrapped) past 999999. */
export function formatCaseNumber(prefix: string, division: string, day: string, n: number): string {
  return `${prefix}${division}-${day.replace(/-/g, '')}-${String(n).padStart(6, '0')}`;
}

export interface ParsedCaseNumber {
  prefix: string;
  division: string;
  /** 'YYYY-MM-DD'. */
  day: string;
  sequence: number;
}

/**
 * Splits a case number into its parts, or null when it is not one. The prefix is taken as short as
 * possible, so a prefix ending in a digit is ambiguous; our prefixes end in letters.
 */
export function parseCaseNumber(s: string): ParsedCaseNumber | null {
  const m = NUMBER.exec(s);
  if (!m) return null;
  const d = validateDivisionCode(m[2]);
  if (!d.ok || d.canonical !== m[2]) return null;
  const day = `${m[3]!.slice(0, 4)}-${m[3]!.slice(4, 6)}-${m[3]!.slice(6, 8)}`;
  return { prefix: m[1]!, division: m[2]!, day, sequence: Number(m[4]) };
}

/**
 * The next case number for (prefix, division, civil day of `at`), taken inside the caller's
 * transaction. Must be called with a transaction (a number taken outside one would be lost if the
 * caller's write then failed, leaving a gap); throws otherwise.
 */
export async function nextCaseNumber(ex: Executor, opts: CaseNumberOptions): Promise<string> {
  if (!ex.isTransaction) throw new Error('nextCaseNumber must run inside the transaction that stores the case');
  if (!PREFIX.test(opts.prefix)) throw new RangeError(`numbering: prefix must be 1–8 upper-case letters or digits starting with a letter, got ${JSON.stringify(opts.prefix)}`);
  const v = validateDivisionCode(opts.division);
  const division = v.ok ? v.canonical : opts.division;
  if (!v.ok || !(await getDivision(ex, division))) {
    throw new AppError('DIVISION_NOT_FOUND', { 'zh-CN': `行政区划 ${opts.division} 不存在，无法生成办件编号`, en: `No division ${opts.division}; cannot number the case` });
  }
  const day = civilDay(opts.at, opts.calendarTz);
  const r = await sql<{ n: number }>`
    INSERT INTO case_number_counter (prefix, division, day, n) VALUES (${opts.prefix}, ${division}, ${day}, 1)
    ON CONFLICT (prefix, division, day) DO UPDATE SET n = case_number_counter.n + 1
    RETURNING n`.execute(ex);
  return formatCaseNumber(opts.prefix, division, day, Number(r.rows[0]!.n));
}
