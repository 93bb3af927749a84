// The operators we add to json-rules-engine's built-in ones. All dates are civil dates in Beijing
// time (Asia/Shanghai): an age or a day window must not depend on the server's time zone.
// Each function is total: a fact of the wrong shape makes the condition fail, never throw.
import { civilDateOf, dayOfInstant, parseIsoDay } from '../../core/calendar/civil.js';
import { isWithinDivision, validateResidentId } from '../../core/validators/index.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID_SHAPE = /^\d{17}[\dXx]$/;

/** The Beijing civil date of a fact value: 'YYYY-MM-DD', an ISO date-time or a Date. */
export function civilDate(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : civilDateOf(v);
  if (typeof v !== 'string') return null;
  if (ISO_DATE.test(v)) return parseIsoDay(v) === null ? null : v;
  // A date-time without an offset would be read in the server's zone; insist on one.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : civilDateOf(d);
}

/** A birth date from a date or from a resident ID number (GB 11643, check digit verified). */
export function birthDateOf(v: unknown): string | null {
  if (typeof v === 'string' && ID_SHAPE.test(v.trim())) {
    const r = validateResidentId(v);
    return r.ok ? r.birthDate : null;
  }
  return civilDate(v);
}

/**
 * Completed years (周岁) on the Beijing date of `at`. Someone born on 29 February becomes a year
 * older on 1 March in common years (the birthday has not come while the date is before 03-01).
 */
export function ageOn(birthDate: string, at: Date): number {
  const today = civilDateOf(at);
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The age for a birth date or ID number fact, or null when the fact carries no birth date. */
export function ageOf(v: unknown, at: Date): number | null {
  const b = birthDateOf(v);
  return b === null ? null : ageOn(b, at);
}

function inDivision(fact: unknown, scopes: unknown): boolean {
  if (typeof fact !== 'string') return false;
  const list = Array.isArray(scopes) ? scopes : [scopes];
  return list.some((s) => typeof s === 'string' && isWithinDivision(fact, s));
}

function withinDays(fact: unknown, days: unknown, at: Date): boolean {
  const d = civilDate(fact);
  if (d === null || typeof days !== 'number') return false;
  const diff = dayOfInstant(at) - parseIsoDay(d)!;
  return diff >= 0 && diff <= days;
}

// Patterns come from published rule sets (checked at publish); compiled once each.
const patterns = new Map<string, RegExp>();
export function compilePattern(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    re = new RegExp(source, 'u');
    if (patterns.size > 1000) patterns.clear();
    patterns.set(source, re);
  }
  return re;
}

function matches(fact: unknown, pattern: unknown): boolean {
  if (typeof pattern !== 'string' || (typeof fact !== 'string' && typeof fact !== 'number')) return false;
  try {
    return compilePattern(pattern).test(String(fact));
  } catch {
    return false;
  }
}

/** The custom operators, evaluated as of `at` (the evaluation date). */
export function customOperators(at: Date): Record<string, (fact: unknown, value: unknown) => boolean> {
  return {
    inDivision,
    ageAtLeast: (fact, years) => {
      const age = ageOf(fact, at);
      return age !== null && typeof years === 'number' && age >= years;
    },
    ageBelow: (fact, years) => {
      const age = ageOf(fact, at);
      return age !== null && typeof years === 'number' && age < years;
    },
    withinDays: (fact, days) => withinDays(fact, days, at),
    matches,
  };
}
