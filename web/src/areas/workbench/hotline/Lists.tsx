// 承办单位收件箱 and 督办视图 — lists of orders. The unit sees what was dispatched to it (to sign,
// in hand, all); the dispatcher sees what waits for the hotline: to dispatch, overdue, returns to
// arbitrate, extensions to decide, replies to review, callbacks to make — with the 督办 figures
// and satisfaction for the last 30 days.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Table, Tabs } from 'antd';
import { useAuth } from '../../../auth/AuthProvider';
import { useI18n, type MessageKey } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { hl, homeDivision, lastDays, type Order } from './api';
import { Due, isOverdue, StatusTag } from './parts';

function OrderTable({ items, loading, empty }: { items: Order[]; loading: boolean; empty: string }) {
  const { t } = useI18n();
  return (
    <Table<Order>
      rowKey="id" size="middle" loading={loading} dataSource={items} scroll={{ x: 'max-content' }} locale={{ emptyText: empty }}
      pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
      columns={[
        { title: t('hl.col.number'), key: 'number', render: (_: unknown, o) => <Link to={`/workbench/hotline/orders/${o.id}`}>{o.number}</Link> },
        { title: t('hl.col.title'), dataIndex: 'title', key: 'title' },
        { title: t('hl.field.demandType'), dataIndex: 'demandType', key: 'type' },
        { title: t('common.status'), key: 'status', render: (_: unknown, o) => <StatusTag status={o.status} /> },
        { title: t('hl.col.due'), key: 'due', render: (_: unknown, o) => <Due order={o} /> },
      ]}
    />
  );
}

const UNIT_TABS = ['dispatched', 'handling', 'all'] as const;

export function UnitInbox() {
  const { t } = useI18n();
  usePageTitle('hl.unit.title');
  const [tab, setTab] = useState<(typeof UNIT_TABS)[number]>('dispatched');
  const list = useLoad(() => hl.list('unit', tab === 'all' ? undefined : tab), [tab]);
  return (
    <>
      <h1 className="yl-page-title">{t('hl.unit.title')}</h1>
      <p className="yl-secondary">{t('hl.unit.intro')}</p>
      <Tabs activeKey={tab} onChange={(k) => setTab(k as typeof tab)} items={UNIT_TABS.map((k) => ({ key: k, label: t(`hl.unit.tab.${k}` as MessageKey) }))} />
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <OrderTable items={list.data?.items ?? []} loading={list.loading} empty={t('hl.empty')} />
    </>
  );
}

const SUP_TABS = ['accepted', 'overdue', 'returned', 'extension', 'review', 'callback'] as const;

function Figures() {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  const division = homeDivision(auth.user).slice(0, 6);
  const period = useMemo(() => lastDays(30), []);
  const stats = useLoad(() => hl.stats(division, period.from, period.to), [division, period]);
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : i18n.number(v, { style: 'percent', maximumFractionDigits: 1 }));
  const s = stats.data;
  return (
    <section aria-labelledby="hl-figures">
      <h2 id="hl-figures" className="yl-section-title">{t('hl.sup.figures', { from: period.from, to: period.to })}</h2>
      <ProblemAlert error={stats.error} onRetry={stats.reload} />
      {s && (
        <dl className="hl-figures" data-testid="figures">
          <div><dt>{t('hl.fig.orders')}</dt><dd>{s.orders}</dd></div>
          <div><dt>{t('hl.fig.overdue')}</dt><dd>{s.overdueOpen}</dd></div>
          <div><dt>{t('hl.fig.onTime')}</dt><dd>{pct(s.onTimeRate)}</dd></div>
          <div><dt>{t('hl.fig.response')}</dt><dd>{s.responseHours === null ? '—' : t('hl.fig.hours', { n: s.responseHours })}</dd></div>
          <div><dt>{t('hl.fig.satisfaction')}</dt><dd>{pct(s.satisfactionRate)}</dd></div>
          <div><dt>{t('hl.fig.callbacks')}</dt><dd>{s.callbacks}</dd></div>
        </dl>
      )}
    </section>
  );
}

export function Supervisor() {
  const { t } = useI18n();
  usePageTitle('hl.sup.title');
  const [tab, setTab] = useState<(typeof SUP_TABS)[number]>('accepted');
  const list = useLoad(() => hl.list('hotline', tab === 'overdue' ? undefined : tab), [tab]);
  const items = tab === 'overdue' ? (list.data?.items ?? []).filter((o) => isOverdue(o)) : (list.data?.items ?? []);
  return (
    <>
      <h1 className="yl-page-title">{t('hl.sup.title')}</h1>
      <Figures />
      <h2 className="yl-section-title">{t('hl.sup.queues')}</h2>
      <Tabs activeKey={tab} onChange={(k) => setTab(k as typeof tab)} items={SUP_TABS.map((k) => ({ key: k, label: t(`hl.sup.tab.${k}` as MessageKey) }))} />
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <OrderTable items={items} loading={list.loading} empty={t('hl.empty')} />
    </>
  );
}
