// Building blocks of the screen: auto-refresh that pauses while the tab is hidden, a figure tile,
// and a card that shows a chart or says why it cannot (no permission, or a problem to retry).
import { useCallback, useEffect, useState, type DependencyList, type ReactNode } from 'react';
import { ApiError } from '../../api/problem';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad, type Loaded } from '../../shell/data';

export const REFRESH_MS = 60_000;

/** A tick that advances every minute while the page is visible, and at once when it becomes visible again. */
export function useRefresh(ms = REFRESH_MS) {
  const [state, setState] = useState(() => ({ tick: 0, at: new Date() }));
  const [hidden, setHidden] = useState(() => document.hidden);
  const now = useCallback(() => setState((s) => ({ tick: s.tick + 1, at: new Date() })), []);
  useEffect(() => {
    const onChange = () => {
      setHidden(document.hidden);
      if (!document.hidden) now();
    };
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, [now]);
  useEffect(() => {
    if (hidden) return;
    const timer = setInterval(now, ms);
    return () => clearInterval(timer);
  }, [hidden, ms, now]);
  return { ...state, hidden, now };
}

export function Tile({ label, value }: { label: string; value: string }) {
  return (
    <div className="yl-tile">
      <span>{label}</span>
      <strong>{value}</strong>
    </div>
  );
}

/**
 * The permission each figure's API checks (the server decides; this only avoids asking for what
 * will be refused). A figure the viewer may not read is not requested at all.
 */
export const NEEDS = {
  cases: 'workflow:task.read',
  applications: 'services:case.read',
  ratings: 'services:rating.read',
  hotline: 'hotline:order.read',
} as const;

/** useLoad for a figure behind a permission: nothing is requested without it (data stays undefined). */
export function useFigure<T>(need: keyof typeof NEEDS, load: () => Promise<T>, deps: DependencyList): Loaded<T> & { allowed: boolean } {
  const { can } = useAuth();
  const allowed = can(NEEDS[need]);
  const loaded = useLoad<T | undefined>(() => (allowed ? load() : Promise.resolve(undefined)), [allowed, ...deps]);
  return { ...(loaded as Loaded<T>), allowed };
}

/** A chart's card: the chart once its data is there, "no permission" without the figure's permission or on a 403, else the problem with a retry. */
export function Card<T>({ title, load, children }: { title: string; load: Loaded<T> & { allowed?: boolean }; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  if (load.allowed === false || (load.error instanceof ApiError && load.error.kind === 'forbidden')) {
    return (
      <div className="yl-chart-card">
        <p className="yl-chart-title">{title}</p>
        <p className="yl-chart-note">{t('scr.noAccess')}</p>
      </div>
    );
  }
  return (
    <div className="yl-chart-card">
      <ProblemAlert error={load.error} onRetry={load.reload} />
      {load.data !== undefined && children(load.data)}
    </div>
  );
}

export function usePercent() {
  const { number, t } = useI18n();
  return (r: number | null | undefined) => (r === null || r === undefined ? t('scr.none') : number(r, { style: 'percent', maximumFractionDigits: 1 }));
}
