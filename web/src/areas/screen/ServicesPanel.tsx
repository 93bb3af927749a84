// 政务服务: open and overdue cases per workflow step (named from the published definitions) and the
// share still within time; for the last 30 days, applications per status, per day (submitted and
// completed), per child division (bars that drill down) and the most applied-for items — all counted
// on the server — and 好差评 by level with the rectification of bad ratings.
import { useI18n } from '../../i18n';
import { Chart } from './Chart';
import { APP_STATUSES, applicationStats, divisionOf, PERIOD_DAYS, ratingStats, shortDay, workflowCounts, type Division, type StateCount } from './data';
import { Card, Tile, useFigure, usePercent } from './parts';

/** 政务服务 cases only: the 12345 work-order workflows have their own panel. */
const serviceCases = <T extends { key: string }>(items: T[]) => items.filter((i) => !i.key.startsWith('hotline.'));

export function ServicesPanel({ division, tick, onDrill }: { division: string; tick: number; onDrill: (d: Division) => void }) {
  const { t, number, lang } = useI18n();
  const percent = usePercent();
  const counts = useFigure('cases', () => workflowCounts(division), [division, tick]);
  const stats = useFigure('applications', () => applicationStats(division), [division, tick]);
  const ratings = useFigure('ratings', () => ratingStats(division), [division, tick]);
  const stepName = (i: StateCount) => `${i.workflowName[lang]} · ${i.stateName[lang]}`;

  const items = serviceCases(counts.data ?? []);
  const open = items.reduce((n, i) => n + i.open, 0);
  const overdue = items.reduce((n, i) => n + i.overdue, 0);
  const days = { days: PERIOD_DAYS };
  return (
    <section className="yl-screen-section" aria-labelledby="scr-services">
      <h2 id="scr-services">{t('scr.services')}</h2>
      <div className="yl-tiles" aria-live="polite">
        <Tile label={t('scr.svc.open')} value={counts.data ? number(open) : t('scr.none')} />
        <Tile label={t('scr.svc.overdue')} value={counts.data ? number(overdue) : t('scr.none')} />
        <Tile label={t('scr.svc.onTime')} value={counts.data && open ? percent((open - overdue) / open) : t('scr.none')} />
        <Tile label={t('scr.svc.total', days)} value={stats.data ? number(stats.data.total) : t('scr.none')} />
        <Tile label={t('scr.svc.satisfaction')} value={percent(ratings.data?.satisfactionRate)} />
      </div>
      <div className="yl-screen-grid">
        <Card title={t('scr.svc.byStatus', days)} load={stats}>
          {(d) => <Chart kind="bar" title={t('scr.svc.byStatus', days)} labels={APP_STATUSES.map((s) => t(`scr.status.${s}`))} series={[{ name: t('scr.svc.applications'), values: APP_STATUSES.map((s) => d.byStatus[s]) }]} />}
        </Card>
        <Card title={t('scr.svc.perDay', days)} load={stats}>
          {(d) => (
            <Chart kind="line" title={t('scr.svc.perDay', days)} labels={d.perDay.map((x) => shortDay(x.day))} tableLabels={d.perDay.map((x) => x.day)} labelHeader={t('scr.col.day')}
              series={[{ name: t('scr.svc.submitted'), values: d.perDay.map((x) => x.submitted) }, { name: t('scr.svc.completed'), values: d.perDay.map((x) => x.completed) }]} />
          )}
        </Card>
        {(stats.data?.byDivision.length ?? 0) > 0 && (
          <Card title={t('scr.svc.byDivision', days)} load={stats}>
            {(d) => (
              <>
                <Chart kind="bar" title={t('scr.svc.byDivision', days)} labels={d.byDivision.map((x) => x.name)} labelHeader={t('scr.col.division')}
                  onSelect={(i) => d.byDivision[i] && onDrill(divisionOf(d.byDivision[i]))}
                  series={[{ name: t('scr.svc.applications'), values: d.byDivision.map((x) => x.total) }, { name: t('scr.svc.open'), values: d.byDivision.map((x) => x.open) }, { name: t('scr.svc.overdue'), values: d.byDivision.map((x) => x.overdue) }]} />
                <p className="yl-chart-hint">{t('scr.drillHint')}</p>
              </>
            )}
          </Card>
        )}
        <Card title={t('scr.svc.byState')} load={counts}>
          {(all) => {
            const d = serviceCases(all);
            return (
              <Chart kind="hbar" title={t('scr.svc.byState')} labels={d.map(stepName)} labelHeader={t('scr.col.step')}
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
        <Card title={t('scr.svc.topItems', days)} load={stats}>
          {(d) => <Chart kind="hbar" title={t('scr.svc.topItems', days)} labels={d.topItems.map((i) => i.name)} labelHeader={t('scr.col.item')} series={[{ name: t('scr.svc.applications'), values: d.topItems.map((i) => i.count) }]} />}
        </Card>
      </div>
    </section>
  );
}
