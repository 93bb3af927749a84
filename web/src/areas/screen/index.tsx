// 数据大屏 — dashboards for a wall display: open and overdue cases, and cases per workflow step,
// refreshed every minute. (Charts arrive with the governance module; ECharts is tree-shaken in then.)
import { useEffect } from 'react';
import { Table, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { usePageTitle } from '../../shell/title';

const REFRESH_MS = 60_000;

export default function Screen() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('screen.title');
  const counts = useLoad(async () => ({ at: new Date(), ...(await unwrap(api.GET('/api/workflow/counts', { params: { query: {} } }))) }), []);
  useEffect(() => {
    const timer = setInterval(counts.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [counts.reload]);
  const items = counts.data?.items ?? [];
  const open = items.reduce((n, i) => n + i.open, 0);
  const overdue = items.reduce((n, i) => n + i.overdue, 0);
  return (
    <div className="yl-screen">
      <Typography.Title level={1}>{t('screen.title')}</Typography.Title>
      <ProblemAlert error={counts.error} onRetry={counts.reload} />
      <div className="yl-tiles" aria-live="polite">
        <div className="yl-tile"><span>{t('screen.open')}</span><strong>{i18n.number(open)}</strong></div>
        <div className="yl-tile"><span>{t('screen.overdue')}</span><strong>{i18n.number(overdue)}</strong></div>
      </div>
      <Typography.Title level={2} style={{ marginTop: 24 }}>{t('screen.byState')}</Typography.Title>
      <Table
        rowKey={(r) => `${r.key}/${r.state}`} size="small" pagination={false} dataSource={items} locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('workflow.key'), dataIndex: 'key' },
          { title: t('workbench.col.state'), dataIndex: 'state' },
          { title: t('screen.open'), dataIndex: 'open', render: (n: number) => i18n.number(n) },
          { title: t('screen.overdue'), dataIndex: 'overdue', render: (n: number) => i18n.number(n) },
        ]}
      />
      {counts.data && <p>{t('screen.updated', { time: i18n.date(counts.data.at) })}</p>}
    </div>
  );
}
