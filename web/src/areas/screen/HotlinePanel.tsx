// 12345 热线: orders, on-time rate, response time, satisfaction and overdue orders for the last 30
// days; orders per day for the last week; orders by status and demand type; the hottest categories.
import { useI18n } from '../../i18n';
import { Chart } from './Chart';
import { beijingDay, hotlinePerDay, hotlineStats, PERIOD_DAYS } from './data';
import { Card, Tile, useFigure, usePercent } from './parts';

const entries = (r: Record<string, number>) => Object.entries(r).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
/** "城乡建设/供水" → the last two levels of a category path, short enough for an axis. */
const shortPath = (p: string) => p.split('/').slice(-2).join('/');

export function HotlinePanel({ division, tick }: { division: string; tick: number }) {
  const { t, number, date } = useI18n();
  const percent = usePercent();
  const stats = useFigure('hotline', () => hotlineStats(division, beijingDay(PERIOD_DAYS - 1), beijingDay(0)), [division, tick]);
  const perDay = useFigure('hotline', () => hotlinePerDay(division), [division, tick]);
  const s = stats.data;
  const none = t('scr.none');
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
        <Card title={t('scr.hl.perDay')} load={perDay}>
          {(d) => (
            <Chart kind="line" title={t('scr.hl.perDay')} labels={d.map((x) => date(`${x.day}T00:00:00+08:00`, false))}
              series={[{ name: t('scr.hl.orders'), values: d.map((x) => x.orders) }]} />
          )}
        </Card>
        <Card title={t('scr.hl.byStatus')} load={stats}>
          {(d) => {
            const e = entries(d.byStatus);
            return <Chart kind="bar" title={t('scr.hl.byStatus')} labels={e.map(([k]) => k)} series={[{ name: t('scr.hl.orders'), values: e.map(([, n]) => n) }]} />;
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
