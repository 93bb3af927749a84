// 角色: the roles of the platform with their permissions (read-only), whether they need a second
// factor, and where the current administrator may grant each.
import { Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { usePageTitle } from '../../shell/title';
import { TAG } from '../../shell/theme';

export default function Roles() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('adm.roles');
  const list = useLoad(() => unwrap(api.GET('/api/identity/roles')), []);
  type Role = NonNullable<typeof list.data>['items'][number];
  const name = (n: { 'zh-CN': string; en: string }) => (i18n.lang === 'en' ? n.en : n['zh-CN']);
  return (
    <>
      <Typography.Title level={1}>{t('adm.roles')}</Typography.Title>
      <Typography.Paragraph>{t('adm.roles.intro')}</Typography.Paragraph>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <Table<Role>
        rowKey="code" size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('adm.roles.role'), dataIndex: 'name', render: (n: Role['name'], r: Role) => <><strong>{name(n)}</strong><div className="yl-secondary">{r.code}</div></> },
          { title: t('adm.roles.mfa'), dataIndex: 'requiresMfa', render: (m: boolean) => (m ? <Tag color={TAG.info}>{t('adm.roles.mfaYes')}</Tag> : t('common.no')) },
          {
            title: t('adm.roles.permissions'), dataIndex: 'permissions',
            render: (ps: Role['permissions']) => (
              <ul style={{ margin: 0, paddingInlineStart: 18, maxWidth: 520 }}>
                {ps.map((p) => <li key={p.code}>{name(p.name)} <span className="yl-secondary" style={{ color: '#555' }}>{p.code}</span></li>)}
              </ul>
            ),
          },
          { title: t('adm.roles.grantableIn'), dataIndex: 'grantableIn', render: (g: string[]) => (g.length ? g.join('、') : '—') },
        ]}
      />
    </>
  );
}
