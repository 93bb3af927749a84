// 办件列表 for staff (/workbench/cases): search by number, item, status, channel and submission
// dates; paged; the server lists only the caller's divisions (handling or accepting). Each number
// links to the case page (by its workflow case id).
import { useState } from 'react';
import { Button, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { useAuth } from '../../../auth/AuthProvider';
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import type { ApplicationSummary } from './types';

const STATUSES = ['submitted', 'processing', 'correction', 'completed'] as const;
const PAGE = 20;
interface Filter { number?: string; itemKey?: string; status?: (typeof STATUSES)[number]; channel?: 'online' | 'counter'; from?: string; to?: string }

export default function CaseList() {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  usePageTitle('case.list.title');
  const [form] = Form.useForm<Filter>();
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const clean = (f: Filter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== '')) as Filter;
  // The list is served without a response schema: its rows are the applications' summaries.
  const list = useLoad(async () => (await unwrap(api.GET('/api/services/applications', { params: { query: { ...clean(filter), limit: PAGE, offset: (page - 1) * PAGE } } }))) as unknown as { items: ApplicationSummary[]; total: number },
    [JSON.stringify(filter), page]);
  const items = list.data?.items ?? [];

  return (
    <>
      <Typography.Title level={1}>{t('case.list.title')}</Typography.Title>
      {auth.can('services:case.accept') && <p><Link to="/workbench/cases/new">{t('case.counter.title')}</Link></p>}
      <div role="search" aria-label={t('case.list.search')}>
        <Form form={form} layout="vertical" onFinish={(v) => { setPage(1); setFilter(v); }} className="yl-case-filter">
          <Space wrap align="end">
            <Form.Item name="number" label={t('case.number')}><Input allowClear autoComplete="off" spellCheck={false} /></Form.Item>
            <Form.Item name="itemKey" label={t('case.list.itemKey')}><Input allowClear autoComplete="off" spellCheck={false} /></Form.Item>
            <Form.Item name="status" label={t('case.list.status')}>
              <Select allowClear style={{ minWidth: 140 }} options={STATUSES.map((s) => ({ value: s, label: t(`case.status.${s}`) }))} />
            </Form.Item>
            <Form.Item name="channel" label={t('case.channel')}>
              <Select allowClear style={{ minWidth: 120 }} options={(['online', 'counter'] as const).map((c) => ({ value: c, label: t(`case.channel.${c}`) }))} />
            </Form.Item>
            <Form.Item name="from" label={t('case.list.from')}><Input type="date" /></Form.Item>
            <Form.Item name="to" label={t('case.list.to')}><Input type="date" /></Form.Item>
            <Form.Item><Button type="primary" htmlType="submit">{t('case.list.search')}</Button></Form.Item>
          </Space>
        </Form>
      </div>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <div role="status" aria-live="polite" className="yl-sr-live">{list.loading ? '' : t('common.total', { n: list.data?.total ?? 0 })}</div>
      <Table<ApplicationSummary>
        rowKey="id" size="middle" loading={list.loading} dataSource={items} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('case.list.empty') }}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('case.number'), dataIndex: 'number', render: (n: string, r) => (r.instanceId ? <Link to={`/workbench/cases/${r.instanceId}`}>{n}</Link> : n) },
          { title: t('case.item'), dataIndex: 'itemName' },
          { title: t('case.list.status'), dataIndex: 'status', render: (s: string, r) => <Tag>{r.outcome ? t(`case.outcome.${r.outcome}` as 'case.outcome.approved') : t(`case.status.${s}` as 'case.status.submitted')}</Tag> },
          { title: t('case.channel'), dataIndex: 'channel', render: (c: string) => t(c === 'counter' ? 'case.channel.counter' : 'case.channel.online') },
          { title: t('case.division'), dataIndex: 'handlingDivision' },
          { title: t('case.submittedAt'), dataIndex: 'submittedAt', render: (d: string) => i18n.date(d) },
        ]}
      />
    </>
  );
}
