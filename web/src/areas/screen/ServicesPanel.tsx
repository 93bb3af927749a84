// 政务服务: applications per status, open and overdue cases per workflow step (and the share still
// within time), 好差评 by level with the rectification of bad ratings, and the most applied-for items.
import { useI18n } from '../../i18n';
import { Chart } from './Chart';
import { APP_STATUSES, applicationsByStatus, RECENT, ratingStats, topItems, workflowCounts } from './data';
import { Card, Tile, useFigure, usePercent } from './parts';

/** 政务服务 cases only: the 12345 work-order workflows have their own panel. */
const serviceCases = <T extends { key: string }>(items: T[]) => items.filter((i) => !i.key.startsWith('hotline.'));

export function ServicesPanel({ division, tick }: { division: string; tick: number }) {
  const { t, number } = useI18n();
  const percent = usePercent();
  const counts = useFigure('cases', () => workflowCounts(division), [division, tick]);
  const statuses = useFigure('applications', () => applicationsByStatus(), [tick]);
  const top = useFigure('applications', () => topItems(), [tick]);
  const ratings = useFigure('ratings', () => ratingStats(division), [division, tick]);

  const items = serviceCases(counts.data ?? []);
  const open = items.reduce((n, i) => n + i.open, 0);
  const overdue = items.reduce((n, i) => n + i.overdue, 0);
  return (
    <section className="yl-screen-section" aria-labelledby="scr-services">
      <h2 id="scr-services">{t('scr.services')}</h2>
      <div className="yl-tiles" aria-live="polite">
        <Tile label={t('scr.svc.open')} value={counts.data ? number(open) : t('scr.none')} />
        <Tile label={t('scr.svc.overdue')} value={counts.data ? number(overdue) : t('scr.none')} />
        <Tile label={t('scr.svc.onTime')} value={counts.data && open ? percent((open - overdue) / open) : t('scr.none')} />
        <Tile label={t('scr.svc.satisfaction')} value={percent(ratings.data?.satisfactionRate)} />
      </div>
      <div className="yl-screen-grid">
        <Card title={t('scr.svc.byStatus')} load={statuses}>
          {(d) => <Chart kind="bar" title={t('scr.svc.byStatus')} labels={APP_STATUSES.map((s) => t(`scr.status.${s}`))} series={[{ name: t('scr.svc.applications'), values: d }]} />}
        </Card>
        <Card title={t('scr.svc.byState')} load={counts}>
          {(all) => {
            const d = serviceCases(all);
            return (
              <Chart kind="bar" title={t('scr.svc.byState')} labels={d.map((i) => `${i.key} · ${i.state}`)}
                series={[{ name: t('scr.svc.open'), values: d.map((i) => i.open) }, { name: t('scr.svc.overdue'), values: d.map((i) => i.overdue) }]} />
            );
          }}
        </Card>
        <Card title={t('scr.svc.ratings')} load={ratings}>
          {(d) => {
            const levels = Object.entries(d.levels).filter(([, n]) => n > 0);
            return <Chart kind="pie" title={t('scr.svc.ratings')} labels={levels.map(([k]) => k)} series={[{ name: t('scr.svc.ratingTotal'), values: levels.map(([, n]) => n) }]} />;
          }}
        </Card>
        <Card title={t('scr.svc.rectification')} load={ratings}>
          {(d) => (
            <Chart kind="pie" title={t('scr.svc.rectification')} labels={d.bad ? [t('scr.svc.rectified'), t('scr.svc.unrectified')] : []}
              series={[{ name: t('scr.svc.ratingTotal'), values: [d.rectified, d.bad - d.rectified] }]} />
          )}
        </Card>
        <Card title={t('scr.svc.topItems', { n: RECENT })} load={top}>
          {(d) => <Chart kind="hbar" title={t('scr.svc.topItems', { n: RECENT })} labels={d.map((i) => i.name)} series={[{ name: t('scr.svc.applications'), values: d.map((i) => i.count) }]} />}
        </Card>
      </div>
    </section>
  );
}
