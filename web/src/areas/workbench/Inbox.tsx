// 工作台 — staff's first screen: the task inbox (mine, to claim, due soon, overdue, supervised) with
// claiming. Tabs are links-free buttons; the table scrolls sideways on a phone. Each row's number
// and title are links to the case page (/workbench/cases/<workflow case id>), reachable by Tab.
import { useState } from 'react';
import { App, Button, Table, Tabs, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { errorMessage } from '../../api/problem';
import { useI18n } from '../../i18n';
import { useAuth } from '../../auth/AuthProvider';
import { ProblemAlert, useLoad } from '../../shell/data';
import { usePageTitle } from '../../shell/title';

const VIEWS = ['mine', 'department', 'due-soon', 'overdue', 'supervised'] as const;
type View = (typeof VIEWS)[number];

export default function Workbench() {
  return <App><Inbox /></App>;
}

function Inbox() {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  const { message } = App.useApp();
  usePageTitle('workbench.title');
  const [view, setView] = useState<View>('mine');
  const [busy, setBusy] = useState<string | null>(null);
  const tasks = useLoad(() => unwrap(api.GET('/api/workflow/tasks', { params: { query: { view, limit: 50, offset: 0 } } })), [view]);
  const canClaim = auth.can('workflow:task.act');

  const claim = async (id: string, title: string) => {
    setBusy(id);
    try {
      await unwrap(api.POST('/api/workflow/tasks/{id}/claim', { params: { path: { id } } }));
      void message.success(t('workbench.claimed', { title }));
      tasks.reload();
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    } finally {
      setBusy(null);
    }
  };

  type Task = NonNullable<typeof tasks.data>['items'][number];
  const columns = [
    { title: t('workbench.col.number'), dataIndex: 'number', key: 'number', render: (v: string | null, r: Task) => <Link to={`/workbench/cases/${r.instanceId}`}>{v ?? r.instanceId.slice(0, 8)}</Link> },
    { title: t('workbench.col.title'), dataIndex: 'title', key: 'title' },
    { title: t('workbench.col.state'), dataIndex: 'state', key: 'state', render: (v: string) => <Tag>{v}</Tag> },
    { title: t('workbench.col.due'), dataIndex: 'dueAt', key: 'dueAt', render: (v: string | null) => (v ? i18n.date(v) : '—') },
    {
      title: t('common.actions'), key: 'actions',
      render: (_: unknown, r: Task) => (view === 'department' && canClaim && !r.assignee
        ? <Button type="primary" loading={busy === r.id} onClick={() => void claim(r.id, r.title)}>{t('workbench.claim')}</Button>
        : null),
    },
  ];

  return (
    <>
      <Typography.Title level={1}>{t('workbench.inbox')}</Typography.Title>
      {auth.can('services:case.read') && (
        <p className="yl-inbox-links">
          <Link to="/workbench/cases">{t('case.list.title')}</Link>
          {auth.can('services:case.accept') && <> · <Link to="/workbench/cases/new">{t('case.counter.title')}</Link></>}
        </p>
      )}
      <Tabs activeKey={view} onChange={(k) => setView(k as View)} items={VIEWS.map((v) => ({ key: v, label: t(`workbench.view.${v}`) }))} />
      <ProblemAlert error={tasks.error} onRetry={tasks.reload} />
      <Table<Task>
        rowKey="id" size="middle" loading={tasks.loading} columns={columns} dataSource={tasks.data?.items ?? []}
        scroll={{ x: 'max-content' }} locale={{ emptyText: t('workbench.empty') }}
        pagination={{ total: tasks.data?.total ?? 0, pageSize: 50, showTotal: (n) => t('common.total', { n }), hideOnSinglePage: true }}
      />
    </>
  );
}
