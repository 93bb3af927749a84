// 通知发件箱: every SMS, e-mail and inbox message with its delivery state (newest first).
import { useState } from 'react';
import { Button, Select, Space, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { TAG } from '../../shell/theme';

type Status = 'queued' | 'sent' | 'failed';
const STATUS_COLOR: Record<string, string> = { queued: TAG.info, sent: TAG.ok, failed: TAG.bad };
const PAGE = 20;

export default function Outbox() {
  const i18n = useI18n();
  const { t } = i18n;
  const [status, setStatus] = useState<Status | undefined>();
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => unwrap(api.GET('/api/admin/notifications', { params: { query: { limit: PAGE, offset: (page - 1) * PAGE, ...(status ? { status } : {}) } } })),
    [status, page],
  );
  type Item = NonNullable<typeof list.data>['items'][number];
  const statusLabel = (s: string) => (s === 'queued' || s === 'sent' || s === 'failed' ? t(`outbox.status.${s}`) : s);
  return (
    <>
      <Typography.Title level={1}>{t('admin.outbox')}</Typography.Title>
      <Space wrap style={{ marginBottom: 16 }}>
        <label htmlFor="yl-outbox-status">{t('common.status')}</label>
        <Select<Status | undefined> id="yl-outbox-status" allowClear style={{ minWidth: 140 }} value={status} placeholder={t('common.status')}
          onChange={(v) => { setStatus(v); setPage(1); }}
          options={(['queued', 'sent', 'failed'] as const).map((s) => ({ value: s, label: statusLabel(s) }))} />
        <Button onClick={list.reload}>{t('common.refresh')}</Button>
      </Space>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <Table<Item>
        rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('common.none') }}
        pagination={{ current: page, pageSize: PAGE, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { n }), showSizeChanger: false }}
        columns={[
          { title: t('common.time'), dataIndex: 'createdAt', render: (v: string) => i18n.date(v) },
          { title: t('outbox.channel'), dataIndex: 'channel' },
          { title: t('outbox.recipient'), dataIndex: 'recipient' },
          { title: t('outbox.template'), dataIndex: 'templateKey', render: (v: string | null) => v ?? '—' },
          { title: t('common.status'), dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{statusLabel(v)}</Tag> },
          { title: '', dataIndex: 'body', ellipsis: true, className: 'yl-secondary' },
        ]}
      />
    </>
  );
}
