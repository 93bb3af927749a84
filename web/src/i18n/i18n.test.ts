// The dictionaries: same keys, same parameters, no empty text; t() substitutes; Intl formats.
import { describe, expect, it } from 'vitest';
import { FEATURES, baseZh, zhCN } from './zh-CN';
import { en } from './en';
import { makeI18n, translate } from './index';

const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('has every key in both languages, with the same parameters and no empty text', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [key, zh] of Object.entries(zhCN)) {
      const english = en[key as keyof typeof en];
      expect(zh.trim(), key).not.toBe('');
      expect(english.trim(), key).not.toBe('');
      expect(params(english), key).toEqual(params(zh));
    }
  });

  it('defines each key once across the base and the feature dictionaries (dict/*.ts)', () => {
    const all = [Object.keys(baseZh), ...Object.values(FEATURES).map((f) => Object.keys(f.zh))].flat();
    const twice = all.filter((k, i) => all.indexOf(k) !== i);
    expect(twice).toEqual([]);
    for (const f of Object.values(FEATURES)) expect(Object.keys(f.en).sort()).toEqual(Object.keys(f.zh).sort());
  });

  it('keeps Chinese out of the English dictionary (except the language switch label)', () => {
    const offenders = Object.entries(en).filter(([k, v]) => k !== 'prefs.languageName' && /[\u4e00-\u9fff]/.test(v));
    expect(offenders).toEqual([]);
  });

  it('substitutes parameters and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'portal.welcome', { name: '张云' })).toBe('您好，张云');
    expect(translate('en', 'common.total', { n: 3 })).toBe('3 in total');
    expect(translate('en', 'portal.welcome')).toBe('Welcome, {name}');
  });

  it('formats dates and numbers for the language', () => {
    const zh = makeI18n('zh-CN');
    const english = makeI18n('en');
    expect(zh.number(1234567.5)).toBe('1,234,567.5');
    expect(english.date('2026-11-26T09:00:00+08:00', false)).toMatch(/Nov 2[56], 2026/);
    expect(zh.date('2026-11-26T09:00:00+08:00', false)).toMatch(/2026年11月2[56]日/);
    expect(zh.date('not a date')).toBe('not a date');
  });
});
