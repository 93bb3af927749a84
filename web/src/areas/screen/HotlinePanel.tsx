// 12345 热线, last 30 days, from one call (/api/hotline/stats): orders, on-time rate, response time,
// satisfaction and overdue orders; orders and replies per day; orders per child division (bars that
// drill down); orders by status (named) and demand type; the hottest categories; the hot words of
// the orders' titles.
import { useI18n, type MessageKey } from '../../i18n';
import { zh } from '../../i18n/dict/screen';
import { Chart } from './Chart';
import { divisionOf, hotlineStats, PERIOD_DAYS, shortDay, type Division } from './data';
import { Card, Tile, useFigure, usePercent } from './parts';
import { WordCloud } from './WordCloud';

const entries = (r: Record<string, number>) => Object.entries(r).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
/** "城乡建设/供水" → the last two levels of a category path, short enough for an axis. */
const shortPath = (p: string) => p.split('/').slice(-2).join('/');

export function HotlinePanel({ division, tick, onDrill }: { division: string; tick: number; onDrill: (d: Division) => void }) {
  const { t, number } = useI18n();
  const percent = usePercent();
  const stats = useFigure('hotline', () => hotlineStats(division), [division, tick]);
  const s = stats.data;
  const none = t('scr.none');
  /** A work order's status by its name (the hotline.order workflow's states); an unknown one as it is. */
  const statusName = (k: string) => (`scr.hlStatus.${k}` in zh ? t(`scr.hlStatus.${k}` as MessageKey) : k);
  return (
    <section className="yl-screen-section" aria-labelledby="scr-hotline">
      <h2 id="scr-hotline">{t('scr.hotline')} <small>{t('scr.hl.period', { days: PERIOD_DAYS })}</small></h2>
      <div className="yl-tiles" aria-live="polite">
        <Tile label={t('scr.hl.orders')} value={s ? number(s.orders) : none} />
        <Tile label={t('scr.hl.onTime')} value={percent(s?.onTimeRate)} />
        <Tile label={t('scr.hl.response')} value={s && s.responseHours !== null ? number(s.responseHours) : none} />
        <Tile label={t('scr.hl.satisfaction')} value={percent(s?.satisfactionRate)} />
        <Tile label={t('scr.hl.overdue')} value={s ? number(s.overdueOpen) : none} />
      </div>
      <div className="yl-screen-grid">
        <Card title={t('scr.hl.perDay')} load={stats}>
          {(d) => (
            <Chart kind="line" title={t('scr.hl.perDay')} labels={d.perDay.map((x) => shortDay(x.day))} tableLabels={d.perDay.map((x) => x.day)} labelHeader={t('scr.col.day')}
              series={[{ name: t('scr.hl.orders'), values: d.perDay.map((x) => x.orders) }, { name: t('scr.hl.replied'), values: d.perDay.map((x) => x.replied) }]} />
          )}
        </Card>
        {(s?.byDivision.length ?? 0) > 0 && (
          <Card title={t('scr.hl.byDivision')} load={stats}>
            {(d) => (
              <>
                <Chart kind="bar" title={t('scr.hl.byDivision')} labels={d.byDivision.map((x) => x.name)} labelHeader={t('scr.col.division')}
                  onSelect={(i) => d.byDivision[i] && onDrill(divisionOf(d.byDivision[i]))}
                  series={[{ name: t('scr.hl.orders'), values: d.byDivision.map((x) => x.orders) }, { name: t('scr.hl.open'), values: d.byDivision.map((x) => x.open) }, { name: t('scr.hl.overdue'), values: d.byDivision.map((x) => x.overdueOpen) }]} />
                <p className="yl-chart-hint">{t('scr.drillHint')}</p>
              </>
            )}
          </Card>
        )}
        <Card title={t('scr.hl.hotWords')} load={stats}>
          {(d) => <WordCloud title={t('scr.hl.hotWords')} words={d.hotWords} countHeader={t('scr.hl.orders')} />}
        </Card>
        <Card title={t('scr.hl.byStatus')} load={stats}>
          {(d) => {
            const e = entries(d.byStatus);
            return <Chart kind="bar" title={t('scr.hl.byStatus')} labels={e.map(([k]) => statusName(k))} series={[{ name: t('scr.hl.orders'), values: e.map(([, n]) => n) }]} />;
          }}
        </Card>
        <Card title={t('scr.hl.byDemand')} load={stats}>
          {(d) => {
            const e = entries(d.byDemandType);
            return <Chart kind="pie" title={t('scr.hl.byDemand')} labels={e.map(([k]) => k)} series={[{ name: t('scr.hl.orders'), values: e.map(([, n]) => n) }]} />;
          }}
        </Card>
        <Card title={t('scr.hl.hot')} load={stats}>
          {(d) => {
            const e = entries(d.hotCategories);
            return <Chart kind="hbar" title={t('scr.hl.hot')} labels={e.map(([k]) => shortPath(k))} series={[{ name: t('scr.hl.orders'), values: e.map(([, n]) => n) }]} />;
          }}
        </Card>
      </div>
    </section>
  );
}
