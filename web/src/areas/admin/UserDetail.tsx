// One account: its details (masked), disable / enable / unlock / sign out everywhere, and its role
// grants — revoke one, or grant a role in a division the administrator may grant it in. The server
// refuses a role above the administrator's own; the page offers only roles they may grant.
import { useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Form, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { errorMessage, showFieldErrors, type FieldProblem } from '../../api/problem';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { TAG } from '../../shell/theme';
import { DivisionPicker } from './DivisionPicker';

interface GrantForm { role: string; division: string }

export default function UserDetail({ id, onClose, onChanged }: { id: string; onClose(): void; onChanged(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const auth = useAuth();
  const [form] = Form.useForm<GrantForm>();
  const detail = useLoad(() => unwrap(api.GET('/api/identity/accounts/{id}', { params: { path: { id } } })), [id]);
  const roles = useLoad(() => (auth.can('identity:role.assign') ? unwrap(api.GET('/api/identity/roles')) : Promise.resolve({ items: [] })), []);
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [grantError, setGrantError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const a = detail.data;
  type Grant = NonNullable<typeof a>['grants'][number];
  const name = (n: { 'zh-CN': string; en: string }) => (i18n.lang === 'en' ? n.en : n['zh-CN']);
  const role = Form.useWatch('role', form);
  const grantable = (roles.data?.items ?? []).filter((r) => r.grantableIn.length > 0 && ((r.code === 'citizen' || r.code === 'enterprise') === (a?.type !== 'staff')));
  const chosen = grantable.find((r) => r.code === role);

  const change = async (op: 'disable' | 'enable' | 'unlock' | 'revoke-sessions') => {
    try {
      await unwrap(api.POST(`/api/identity/accounts/{id}/${op}`, { params: { path: { id } } }));
      void message.success(t(`adm.user.done.${op}`));
      detail.reload();
      onChanged();
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    }
  };

  const revoke = async (g: Grant) => {
    try {
      await unwrap(api.DELETE('/api/identity/accounts/{id}/grants/{grantId}', { params: { path: { id, grantId: g.id } } }));
      void message.success(t('adm.user.revoked', { role: name(g.roleName) }));
      detail.reload();
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    }
  };

  const grant = async (v: GrantForm) => {
    setBusy(true);
    setRest([]);
    setGrantError(null);
    try {
      await unwrap(api.POST('/api/identity/accounts/{id}/grants', { params: { path: { id } }, body: { role: v.role, division: v.division } }));
      void message.success(t('adm.user.granted'));
      form.resetFields();
      detail.reload();
    } catch (err) {
      setRest(showFieldErrors(form, err));
      setGrantError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open onClose={onClose} title={a ? `${a.name}（${a.username}）` : t('adm.user.title')} size={Math.min(720, window.innerWidth)} closable={{ 'aria-label': t('common.close') }}>
      <ProblemAlert error={detail.error} onRetry={detail.reload} />
      {a && (
        <>
          <Descriptions size="small" column={1} bordered items={[
            { key: 'kind', label: t('adm.users.kind'), children: t(`adm.kind.${a.type}`) },
            { key: 'status', label: t('common.status'), children: <Space size={4}><Tag color={a.status === 'active' ? TAG.ok : TAG.neutral}>{t(`adm.status.${a.status}`)}</Tag>{a.locked && <Tag color={TAG.bad}>{t('adm.users.locked')}</Tag>}</Space> },
            { key: 'division', label: t('common.division'), children: a.division },
            { key: 'dept', label: t('adm.users.department'), children: [a.departmentName, a.post].filter(Boolean).join(' · ') || '—' },
            { key: 'mobile', label: t('adm.users.mobile'), children: a.mobile ?? '—' },
            { key: 'id', label: t('adm.user.idNumber'), children: a.idNumber ?? a.uscc ?? '—' },
            { key: 'totp', label: t('adm.user.totp'), children: a.totpEnabled ? t('common.yes') : t('common.no') },
            { key: 'failed', label: t('adm.user.failed'), children: a.failedLogins },
          ]} />
          {auth.can('identity:account.manage') && (
            <Space wrap style={{ margin: '16px 0' }}>
              {a.status === 'active'
                ? <Popconfirm title={t('adm.user.confirmDisable', { name: a.name })} okText={t('adm.user.disable')} cancelText={t('common.cancel')} onConfirm={() => void change('disable')}><Button danger>{t('adm.user.disable')}</Button></Popconfirm>
                : <Button onClick={() => void change('enable')}>{t('adm.user.enable')}</Button>}
              {a.locked && <Button onClick={() => void change('unlock')}>{t('adm.user.unlock')}</Button>}
              {auth.can('identity:session.revoke') && <Popconfirm title={t('adm.user.confirmSignOut', { name: a.name })} okText={t('adm.user.signOut')} cancelText={t('common.cancel')} onConfirm={() => void change('revoke-sessions')}><Button>{t('adm.user.signOut')}</Button></Popconfirm>}
            </Space>
          )}
          <Typography.Title level={2} style={{ fontSize: 18 }}>{t('adm.user.grants')}</Typography.Title>
          <Table<Grant>
            rowKey="id" size="small" dataSource={a.grants} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('adm.user.noGrants') }}
            columns={[
              { title: t('adm.roles.role'), dataIndex: 'roleName', render: (n: Grant['roleName']) => name(n) },
              { title: t('adm.user.scope'), dataIndex: 'division' },
              { title: t('adm.user.grantedAt'), dataIndex: 'grantedAt', className: 'yl-secondary', render: (v: string) => i18n.date(v) },
              {
                title: t('common.actions'), key: 'a',
                render: (_: unknown, g: Grant) => (g.revocable && auth.can('identity:role.assign') ? (
                  <Popconfirm title={t('adm.user.confirmRevoke', { role: name(g.roleName) })} okText={t('adm.user.revoke')} cancelText={t('common.cancel')} onConfirm={() => void revoke(g)}>
                    <Button size="small" danger>{t('adm.user.revoke')}</Button>
                  </Popconfirm>
                ) : null),
              },
            ]}
          />
          {auth.can('identity:role.assign') && (
            <section aria-labelledby="yl-grant-title" style={{ marginTop: 24 }}>
              <Typography.Title level={2} id="yl-grant-title" style={{ fontSize: 18 }}>{t('adm.user.grant')}</Typography.Title>
              <ProblemAlert error={grantError} />
              {rest.length > 0 && <Alert type="error" showIcon title={rest.map((e) => `${e.pointer} ${e.message}`).join('；')} style={{ marginBottom: 16 }} />}
              <Form form={form} layout="vertical" onFinish={(v) => void grant(v)}>
                <Form.Item name="role" label={t('adm.roles.role')} rules={[{ required: true }]} extra={t('adm.user.grantHint')}>
                  <Select options={grantable.map((r) => ({ value: r.code, label: name(r.name) }))} showSearch optionFilterProp="label"
                    onChange={(code: string) => form.setFieldValue('division', grantable.find((r) => r.code === code)?.grantableIn[0])} />
                </Form.Item>
                <Form.Item name="division" label={t('adm.user.scope')} rules={[{ required: true }]}>
                  <DivisionPicker roots={chosen?.grantableIn} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={busy}>{t('adm.user.grant')}</Button>
              </Form>
            </section>
          )}
        </>
      )}
    </Drawer>
  );
}
