// The visitor's display preferences: language and elderly mode (长辈模式), remembered in
// localStorage. Elderly mode is also written to the `yl_elderly` cookie, which the platform's own
// sign-in page (/login) reads, so the page the user signs in on looks the same.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { LANGS, type Lang } from '../i18n';

const LANG_KEY = 'yl.lang';
const ELDERLY_KEY = 'yl.elderly';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode, policy): fall back to defaults
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* the choice then lasts for this page only */
  }
}

export function initialLang(): Lang {
  const saved = read(LANG_KEY);
  return LANGS.includes(saved as Lang) ? (saved as Lang) : 'zh-CN';
}

export interface Prefs {
  lang: Lang;
  elderly: boolean;
  setLang(lang: Lang): void;
  setElderly(on: boolean): void;
}

const PrefsContext = createContext<Prefs | null>(null);

export function PrefsProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [elderly, setElderlyState] = useState<boolean>(() => read(ELDERLY_KEY) === '1');

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    document.documentElement.classList.toggle('yl-elderly', elderly);
    document.cookie = `yl_elderly=${elderly ? '1' : '0'}; path=/; max-age=31536000; samesite=lax`;
  }, [elderly]);

  const setLang = useCallback((l: Lang) => {
    write(LANG_KEY, l);
    setLangState(l);
  }, []);
  const setElderly = useCallback((on: boolean) => {
    write(ELDERLY_KEY, on ? '1' : '0');
    setElderlyState(on);
  }, []);

  const value = useMemo(() => ({ lang, elderly, setLang, setElderly }), [lang, elderly, setLang, setElderly]);
  return <PrefsContext.Provider value={value}>{children}</PrefsContext.Provider>;
}

export function usePrefs(): Prefs {
  const p = useContext(PrefsContext);
  if (!p) throw new Error('usePrefs outside PrefsProvider');
  return p;
}
