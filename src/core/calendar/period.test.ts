import { describe, expect, it } from 'vitest';
import { civilDateOf } from './civil.js';
import { readPeriod } from './period.js';

// 2026-11-27 01:30 Beijing = 2026-11-26 17:30 UTC: "today" is the Beijing day.
const NOW = new Date('2026-11-26T17:30:00Z');

describe('readPeriod', () => {
  it('defaults to the last 30 Beijing days up to today, inclusive', () => {
    expect(civilDateOf(NOW)).toBe('2026-11-27');
    const { period, errors } = readPeriod({}, NOW, 'zh-CN');
    expect(errors).toEqual([]);
    expect(period).toMatchObject({ from: '2026-10-29', to: '2026-11-27' });
    expect(period!.days).toHaveLength(30);
    expect(period!.days[0]).toBe('2026-10-29');
    expect(period!.days.at(-1)).toBe('2026-11-27');
    expect(period!.start.toISOString()).toBe('2026-10-28T16:00:00.000Z');
    expect(period!.end.toISOString()).toBe('2026-11-27T16:00:00.000Z');
  });

  it('takes one day, and a leap year\'s 366 days but not 367', () => {
    expect(readPeriod({ from: '2026-11-27', to: '2026-11-27' }, NOW, 'zh-CN').period!.days).toEqual(['2026-11-27']);
    expect(readPeriod({ from: '2028-01-01', to: '2028-12-31' }, NOW, 'zh-CN').period!.days).toHaveLength(366);
    expect(readPeriod({ from: '2025-11-26', to: '2026-11-27' }, NOW, 'zh-CN').errors).toEqual([{ pointer: '/query/to', code: 'range', message: '统计期间最长 366 天' }]);
  });

  it('names every bad field at once, in the caller\'s language', () => {
    expect(readPeriod({ from: '2026-02-30', to: '2026-13-01' }, NOW, 'zh-CN')).toEqual({
      period: null,
      errors: [
        { pointer: '/query/from', code: 'format', message: '开始日期须为有效日期（YYYY-MM-DD）' },
        { pointer: '/query/to', code: 'format', message: '结束日期须为有效日期（YYYY-MM-DD）' },
      ],
    });
    expect(readPeriod({ from: '2026-11-27', to: '2026-11-26' }, NOW, 'en').errors).toEqual([{ pointer: '/query/to', code: 'range', message: 'to must not be before from' }]);
    // A bad `to` alone: the default `from` is counted back from today, and only `to` is named.
    expect(readPeriod({ to: '27/11/2026' }, NOW, 'zh-CN').errors.map((e) => e.pointer)).toEqual(['/query/to']);
  });
});
