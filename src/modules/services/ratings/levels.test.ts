// Pure rules: the 好评/差评 split, indicator checks per service type, and the link-validity setting.
import { describe, expect, it } from 'vitest';
import { isBad, ratingProblems } from './levels.js';
import { parseRatingSettings } from './settings.js';

describe('rating content', () => {
  it('不满意 and 非常不满意 are 差评; the three others are 好评', () => {
    expect([5, 4, 3, 2, 1].map(isBad)).toEqual([false, false, false, true, true]);
  });

  it('online and offline indicators are different sets; every problem is reported at once', () => {
    expect(ratingProblems({ level: 4, indicators: { usability: 5, 'guide-accuracy': 3 } }, 'online')).toEqual([]);
    expect(ratingProblems({ level: 4, indicators: { attitude: 5, 'service-level': 3 } }, 'offline')).toEqual([]);
    const p = ratingProblems({ level: 4, indicators: { usability: 5, attitude: 0, overall: 3 }, comment: 'a\u0007' }, 'offline');
    expect(p.map((e) => `${e.pointer}:${e.code}`)).toEqual(['/body/indicators/usability:unknown', '/body/indicators/attitude:enum', '/body/indicators/overall:mismatch', '/body/comment:pattern']);
    expect(p[0]!.message).toMatch(/^「线下」评价没有指标/);
  });
});

describe('RATINGS_LINK_DAYS', () => {
  it('defaults to 30 days; a bad value stops the start naming the variable', () => {
    expect(parseRatingSettings({})).toEqual({ linkDays: 30 });
    expect(parseRatingSettings({ RATINGS_LINK_DAYS: '7' })).toEqual({ linkDays: 7 });
    expect(() => parseRatingSettings({ RATINGS_LINK_DAYS: '0' })).toThrow('RATINGS_LINK_DAYS="0" — must be an integer between 1 and 365');
  });
});
