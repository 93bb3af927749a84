// Every operator, built-in and ours, through the engine (evaluateInline with given values).
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../core/validators/index.js';
import { ageOn, birthDateOf } from './operators.js';
import { evaluateInline } from './engine.js';
import type { OperatorName } from './types.js';

const AT = new Date('2026-11-26T10:00:00+08:00');
const idNumber = (first17: string) => first17 + residentIdCheckChar(first17);
/** Born 2008-11-27: 17 on 2026-11-26, 18 the next day. */
const ID_17 = idNumber('53010220081127123');

async function holds(operator: OperatorName, fact: unknown, value: unknown, at = AT): Promise<boolean> {
  const r = await evaluateInline({ all: [{ fact: 'case.x', operator, value }] }, { values: { 'case.x': fact }, at });
  return r.passed;
}

describe('built-in operators', () => {
  const cases: [OperatorName, unknown, unknown, boolean][] = [
    ['equal', 'citizen', 'citizen', true], ['equal', 'enterprise', 'citizen', false], ['equal', 1, '1', false],
    ['notEqual', 'a', 'b', true], ['notEqual', 'a', 'a', false],
    ['lessThan', 17, 18, true], ['lessThan', 18, 18, false],
    ['lessThanInclusive', 18, 18, true], ['lessThanInclusive', 19, 18, false],
    ['greaterThan', 19, 18, true], ['greaterThan', 18, 18, false],
    ['greaterThanInclusive', 18, 18, true], ['greaterThanInclusive', 17, 18, false], ['greaterThanInclusive', undefined, 18, false],
    ['in', 'b', ['a', 'b'], true], ['in', 'c', ['a', 'b'], false],
    ['notIn', 'c', ['a', 'b'], true], ['notIn', 'a', ['a', 'b'], false],
    ['contains', ['x', 'y'], 'y', true], ['contains', ['x'], 'y', false], ['contains', 'xy', 'y', false],
    ['doesNotContain', ['x'], 'y', true], ['doesNotContain', ['x', 'y'], 'y', false],
  ];
  it.each(cases)('%s(%j, %j) is %s', async (op, fact, value, expected) => {
    expect(await holds(op, fact, value)).toBe(expected);
  });
});

describe('inDivision (GB/T 2260 subtree)', () => {
  it('holds for the division itself and anything below it, at any level', async () => {
    expect(await holds('inDivision', '530102', '530102')).toBe(true);
    expect(await holds('inDivision', '530102', '530100')).toBe(true);
    expect(await holds('inDivision', '530102', '530000')).toBe(true);
    expect(await holds('inDivision', '530102001', '530102')).toBe(true);
    expect(await holds('inDivision', '530102001000', '530100')).toBe(true);
  });
  it('fails outside the subtree, for a list of none of them and for a non-code', async () => {
    expect(await holds('inDivision', '530302', '530100')).toBe(false);
    expect(await holds('inDivision', '530100', '530102')).toBe(false);
    expect(await holds('inDivision', '530302', ['530100', '530300'])).toBe(true);
    expect(await holds('inDivision', '530302', ['530100', '532300'])).toBe(false);
    expect(await holds('inDivision', 'kunming', '530100')).toBe(false);
    expect(await holds('inDivision', undefined, '530100')).toBe(false);
  });
});

describe('ageAtLeast / ageBelow (completed years in Beijing time)', () => {
  it('counts from a birth date, turning a year older on the birthday itself', async () => {
    expect(await holds('ageAtLeast', '2008-11-26', 18)).toBe(true);
    expect(await holds('ageAtLeast', '2008-11-27', 18)).toBe(false);
    expect(await holds('ageBelow', '2008-11-27', 18)).toBe(true);
    expect(await holds('ageBelow', '2008-11-26', 18)).toBe(false);
  });
  it('reads the birth date out of a resident ID number and ignores one with a wrong check digit', async () => {
    expect(await holds('ageBelow', ID_17, 18)).toBe(true);
    expect(await holds('ageAtLeast', ID_17, 18, new Date('2026-11-27T00:00:00+08:00'))).toBe(true);
    // 2026-11-26T16:00Z is already 2026-11-27 in Beijing: the birthday has come.
    expect(await holds('ageAtLeast', ID_17, 18, new Date('2026-11-26T16:00:00Z'))).toBe(true);
    const wrong = ID_17.slice(0, 17) + (ID_17[17] === '0' ? '1' : '0');
    expect(await holds('ageAtLeast', wrong, 0)).toBe(false);
    expect(await holds('ageBelow', wrong, 150)).toBe(false);
  });
  it('makes someone born on 29 February a year older on 1 March in a common year', () => {
    expect(ageOn('2008-02-29', new Date('2026-02-28T12:00:00+08:00'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T00:00:00+08:00'))).toBe(18);
    expect(birthDateOf(ID_17)).toBe('2008-11-27');
    expect(birthDateOf('2026-02-30')).toBeNull();
    expect(birthDateOf('2026-02-03T10:00:00')).toBeNull();
  });
});

describe('withinDays (the N Beijing days up to the evaluation date)', () => {
  it('holds from N days before the evaluation date up to that date, not after it', async () => {
    expect(await holds('withinDays', '2026-11-26', 30)).toBe(true);
    expect(await holds('withinDays', '2026-10-27', 30)).toBe(true);
    expect(await holds('withinDays', '2026-10-26', 30)).toBe(false);
    expect(await holds('withinDays', '2026-11-27', 30)).toBe(false);
  });
  it('takes the Beijing date of a timestamp', async () => {
    // 2026-10-26T16:30Z is 2026-10-27 00:30 in Beijing: exactly 30 days before.
    expect(await holds('withinDays', '2026-10-26T16:30:00Z', 30)).toBe(true);
    expect(await holds('withinDays', '2026-10-26T15:30:00Z', 30)).toBe(false);
    expect(await holds('withinDays', 'last week', 30)).toBe(false);
  });
});

describe('matches (regular expression, Unicode)', () => {
  it('tests strings and numbers against the pattern', async () => {
    expect(await holds('matches', '云A12345', '^云[A-Z][0-9A-Z]{5}$')).toBe(true);
    expect(await holds('matches', '川A12345', '^云[A-Z][0-9A-Z]{5}$')).toBe(false);
    expect(await holds('matches', 650000, '^65\\d{4}$')).toBe(true);
    expect(await holds('matches', undefined, '.*')).toBe(false);
  });
});

describe('groups', () => {
  it('combines all, any and not', async () => {
    const conditions = { all: [{ any: [{ fact: 'case.a', operator: 'equal', value: 1 }, { fact: 'case.b', operator: 'equal', value: 1 }] }, { not: { fact: 'case.c', operator: 'equal', value: true } }] } as const;
    const run = (a: number, b: number, c: boolean) => evaluateInline(conditions as never, { values: { 'case.a': a, 'case.b': b, 'case.c': c }, at: AT });
    expect((await run(0, 1, false)).passed).toBe(true);
    expect((await run(0, 0, false)).passed).toBe(false);
    expect((await run(1, 0, true)).passed).toBe(false);
  });
});
