// 数据大屏（一网统管）— dashboards for a wall display (1920×1080, dark) that also work at 360 px and
// with a screen reader: 政务服务 and 12345 热线 figures for one division, drilled down from the
// viewer's own divisions (province → prefecture → county, never above their grants) by the buttons
// or by a bar of a division chart, refreshed every minute while the tab is visible. Charts are ECharts (tree-shaken, in this chunk only); each has a
// visually-hidden table with the same numbers.
import { useEffect, useState } from 'react';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { usePageTitle } from '../../shell/title';
import { childrenOf, getDivision, scopeRoots, type Division } from './data';
import { HotlinePanel } from './HotlinePanel';
import { useRefresh } from './parts';
import { ServicesPanel } from './ServicesPanel';
import './screen.css';

export default function Screen() {
  const { t, date } = useI18n();
  usePageTitle('screen.title');
  const { user } = useAuth();
  const roots = scopeRoots(user?.grants ?? []);
  const refresh = useRefresh();
  const rootDivisions = useLoad(() => Promise.all(roots.map(getDivision)), [roots.join(',')]);
  const [path, setPath] = useState<Division[]>([]);
  useEffect(() => {
    if (rootDivisions.data?.[0] && path.length === 0) setPath([rootDivisions.data[0]]);
  }, [rootDivisions.data, path.length]);
  const current = path.at(-1);
  const children = useLoad(() => (current ? childrenOf(current) : Promise.resolve([])), [current?.code]);
  /** A bar of a division chart: one level down (the charts only offer children of the current division). */
  const drill = (d: Division) => setPath((p) => (p.at(-1)?.level === 'province' || p.at(-1)?.level === 'prefecture' ? [...p, d] : p));

  return (
    <div className="yl-screen">
      <div className="yl-screen-head">
        <h1>{t('screen.title')} <small>{t('scr.title')}</small></h1>
        <p className="yl-screen-updated" aria-live="polite">
          {t('screen.updated', { time: date(refresh.at) })}
          {refresh.hidden && <span> · {t('scr.paused')}</span>}
          <button type="button" className="yl-screen-button" onClick={refresh.now}>{t('scr.refresh')}</button>
        </p>
      </div>
      <ProblemAlert error={rootDivisions.error ?? children.error} onRetry={() => { rootDivisions.reload(); children.reload(); }} />
      <nav aria-label={t('scr.scope')} className="yl-screen-scope">
        {(rootDivisions.data?.length ?? 0) > 1 && (
          <ul className="yl-screen-choices">
            {rootDivisions.data!.map((d) => (
              <li key={d.code}><button type="button" className="yl-screen-button" aria-pressed={path[0]?.code === d.code} onClick={() => setPath([d])}>{d.name}</button></li>
            ))}
          </ul>
        )}
        <ol className="yl-screen-crumbs">
          {path.map((d, i) => (
            <li key={d.code}>
              {i === path.length - 1
                ? <strong aria-current="location">{d.name}</strong>
                : <button type="button" className="yl-screen-button" aria-label={t('scr.backTo', { name: d.name })} onClick={() => setPath(path.slice(0, i + 1))}>{d.name}</button>}
            </li>
          ))}
        </ol>
        {(children.data?.length ?? 0) > 0 && (
          <>
            <h2 className="yl-screen-drill-title" id="scr-drill">{t('scr.drill')}</h2>
            <ul className="yl-screen-choices" aria-labelledby="scr-drill">
              {children.data!.map((d) => (
                <li key={d.code}>
                  <button type="button" className="yl-screen-button" aria-label={t('scr.drillTo', { name: d.name })} onClick={() => setPath([...path, d])}>{d.name}</button>
                </li>
              ))}
            </ul>
          </>
        )}
      </nav>
      {current && (
        <>
          <ServicesPanel division={current.code} tick={refresh.tick} onDrill={drill} />
          <HotlinePanel division={current.code} tick={refresh.tick} onDrill={drill} />
        </>
      )}
    </div>
  );
}
