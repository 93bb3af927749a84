// 接入系统: the OpenID Connect clients registered with the platform's provider — list, register
// (the secret is shown once; a public client — a mobile or single-page app — has none and uses
// PKCE) and disable. Field errors from the server appear at their fields.
import { useState } from 'react';
import { Alert, App, Button, Checkbox, Form, Input, Popconfirm, Radio, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { errorMessage, showFieldErrors, type FieldProblem } from '../../api/problem';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { useDraft } from '../../shell/draft';
import { TAG } from '../../shell/theme';

type Grant = 'authorization_code' | 'public' | 'client_credentials';
interface NewClientForm { name: string; grant: Grant; redirectUris?: string; firstParty?: boolean }

export default function Clients() {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const [form] = Form.useForm<NewClientForm>();
  const draft = useDraft('oidc-client', form);
  const list = useLoad(() => unwrap(api.GET('/api/oidc/clients')), []);
  const [created, setCreated] = useState<{ clientId: string; secret: string | null } | null>(null);
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  type Client = NonNullable<typeof list.data>['items'][number];

  const register = async (v: NewClientForm) => {
    setBusy(true);
    setRest([]);
    setError(null);
    try {
      const redirectUris = (v.redirectUris ?? '').split('\n').map((s) => s.trim()).filter(Boolean);
      const signIn = v.grant !== 'client_credentials';
      const r = await unwrap(api.POST('/api/oidc/clients', {
        body: {
          name: v.name, grant: signIn ? 'authorization_code' : 'client_credentials', ...(signIn ? { redirectUris } : {}),
          ...(v.grant === 'public' ? { public: true } : {}), firstParty: !!v.firstParty,
        },
      }));
      setCreated({ clientId: r.clientId, secret: r.clientSecret ?? null });
      draft.clear();
      form.resetFields();
      list.reload();
    } catch (err) {
      setRest(showFieldErrors(form, err));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const disable = async (id: string) => {
    try {
      await unwrap(api.POST('/api/oidc/clients/{id}/disable', { params: { path: { id } } }));
      list.reload();
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    }
  };

  return (
    <>
      <Typography.Title level={1}>{t('admin.clients')}</Typography.Title>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <Table<Client>
        rowKey="clientId" size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('clients.name'), dataIndex: 'name' },
          { title: 'client_id', dataIndex: 'clientId', className: 'yl-secondary' },
          { title: t('clients.grant'), dataIndex: 'grantTypes', render: (g: string[], c: Client) => t(g.includes('client_credentials') ? 'clients.grant.client_credentials' : c.public ? 'clients.grant.public' : 'clients.grant.authorization_code') },
          { title: t('common.status'), dataIndex: 'disabled', render: (d: boolean) => <Tag color={d ? TAG.neutral : TAG.ok}>{d ? t('clients.disabled') : t('clients.active')}</Tag> },
          {
            title: t('common.actions'), key: 'a',
            render: (_: unknown, c: Client) => (c.disabled ? null : (
              <Popconfirm title={`${t('clients.disable')} ${c.name}?`} okText={t('clients.disable')} cancelText={t('common.cancel')} onConfirm={() => void disable(c.clientId)}>
                <Button size="small" danger>{t('clients.disable')}</Button>
              </Popconfirm>
            )),
          },
        ]}
      />
      <Typography.Title level={2} style={{ marginTop: 24 }}>{t('clients.register')}</Typography.Title>
      {created && (
        <Alert type="success" showIcon closable onClose={() => setCreated(null)} style={{ marginBottom: 16 }}
          title={created.secret ? t('clients.created', { secret: created.secret }) : t('clients.createdPublic', { id: created.clientId })} />
      )}
      <ProblemAlert error={error} />
      {rest.length > 0 && <Alert type="error" showIcon title={rest.map((e) => `${e.pointer} ${e.message}`).join('；')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void register(v)} onValuesChange={draft.onValuesChange} initialValues={{ grant: 'authorization_code' }} style={{ maxWidth: 640 }}>
        <Form.Item name="name" label={t('clients.name')} rules={[{ required: true }]}><Input autoComplete="off" /></Form.Item>
        <Form.Item name="grant" label={t('clients.grant')}>
          <Radio.Group options={(['authorization_code', 'public', 'client_credentials'] as const).map((g) => ({ value: g, label: t(`clients.grant.${g}`) }))} />
        </Form.Item>
        <Form.Item name="redirectUris" label={t('clients.redirectUris')}><Input.TextArea rows={3} spellCheck={false} /></Form.Item>
        <Form.Item name="firstParty" valuePropName="checked"><Checkbox>{t('clients.firstParty')}</Checkbox></Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('clients.register')}</Button>
      </Form>
    </>
  );
}
