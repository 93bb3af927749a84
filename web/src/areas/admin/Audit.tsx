// 审计日志: the public checkpoint keys. Listing entries and showing the chain's verification result
// need an API the core does not offer yet (see web/README.md, "Missing APIs").
import { Alert, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { TAG } from '../../shell/theme';

export default function Audit() {
  const { t } = useI18n();
  const keys = useLoad(() => unwrap(api.GET('/api/audit/keys')), []);
  type Key = NonNullable<typeof keys.data>['keys'][number];
  return (
    <>
      <Typography.Title level={1}>{t('admin.audit')}</Typography.Title>
      <Alert type="info" showIcon title={t('audit.pendingApi')} style={{ marginBottom: 16 }} />
      <ProblemAlert error={keys.error} onRetry={keys.reload} />
      <Typography.Title level={2}>{t('audit.keys')}</Typography.Title>
      {keys.data && <p>{t('audit.hashAlgorithm', { alg: keys.data.hashAlgorithm })}</p>}
      <Table<Key>
        rowKey="keyId" size="small" loading={keys.loading} dataSource={keys.data?.keys ?? []} pagination={false} scroll={{ x: 'max-content' }}
        columns={[
          { title: t('audit.keyId'), dataIndex: 'keyId' },
          { title: t('audit.algorithm'), dataIndex: 'algorithm' },
          { title: t('common.status'), dataIndex: 'current', render: (v: boolean) => (v ? <Tag color={TAG.ok}>{t('audit.current')}</Tag> : '—') },
        ]}
      />
    </>
  );
}
