// The i18n layer: a typed dictionary per language, a React context, t() with {param} substitution,
// and Intl-based date and number formatting. zh-CN is the default; the choice is remembered.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { zhCN, type MessageKey } from './zh-CN';
import { en } from './en';

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
export type { MessageKey };

const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text = dictionaries[lang][key] ?? zhCN[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : text;
}

export interface I18n {
  lang: Lang;
  t(key: MessageKey, params?: Params): string;
  date(value: string | number | Date, withTime?: boolean): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
}

export function makeI18n(lang: Lang): I18n {
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium' });
  const dateTimeFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    lang,
    t: (key, params) => translate(lang, key, params),
    date: (value, withTime = true) => {
      const d = value instanceof Date ? value : new Date(value);
      return Number.isNaN(d.getTime()) ? String(value) : (withTime ? dateTimeFmt : dateFmt).format(d);
    },
    number: (value, options) => new Intl.NumberFormat(lang, options).format(value),
  };
}

const I18nContext = createContext<I18n>(makeI18n('zh-CN'));

export function I18nProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  const value = useMemo(() => makeI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
export const useT = (): I18n['t'] => useContext(I18nContext).t;
