// 用户管理: accounts in the administrator's divisions — search (name, username, or exactly a mobile
// or ID number), open one (UserDetail), create a staff account. Personal data comes back masked.
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { showFieldErrors, type FieldProblem } from '../../api/problem';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { useDraft } from '../../shell/draft';
import { usePageTitle } from '../../shell/title';
import { TAG } from '../../shell/theme';
import { DivisionPicker } from './DivisionPicker';
import UserDetail from './UserDetail';
import { forgetSecrets, SR_ONLY } from './ui';

type Kind = 'staff' | 'citizen' | 'enterprise';
interface Search { q?: string; type?: Kind; status?: 'active' | 'disabled' }
interface NewStaff { username: string; password: string; name: string; division: string; mobile?: string }
const PAGE = 20;

export default function Users() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('adm.users');
  const auth = useAuth();
  const [searchForm] = Form.useForm<Search>();
  const [createForm] = Form.useForm<NewStaff>();
  const draft = useDraft('admin-new-staff', createForm);
  const [query, setQuery] = useState<Search & { offset: number }>({ offset: 0 });
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(null);
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const list = useLoad(() => unwrap(api.GET('/api/identity/accounts', {
    params: { query: { ...(query.q ? { q: query.q } : {}), ...(query.type ? { type: query.type } : {}), ...(query.status ? { status: query.status } : {}), limit: PAGE, offset: query.offset } },
  })), [query]);
  type Row = NonNullable<typeof list.data>['items'][number];

  const create = async (v: NewStaff) => {
    setBusy(true);
    setRest([]);
    setCreateError(null);
    try {
      const a = await unwrap(api.POST('/api/identity/accounts', { body: { ...v, mobile: v.mobile || undefined } }));
      draft.clear();
      createForm.resetFields();
      setCreating(false);
      list.reload();
      setOpenId(a.id);
    } catch (err) {
      setRest(showFieldErrors(createForm, err));
      setCreateError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Title level={1}>{t('adm.users')}</Typography.Title>
      <Form form={searchForm} layout="vertical" className="yl-search-form" role="search" aria-label={t('adm.users.search')} style={{ marginBottom: 16 }}
        onFinish={(s) => setQuery({ ...s, offset: 0 })}>
        <Form.Item name="q" label={t('adm.users.q')}><Input allowClear autoComplete="off" /></Form.Item>
        <Form.Item name="type" label={t('adm.users.kind')}>
          <Select allowClear options={(['staff', 'citizen', 'enterprise'] as const).map((k) => ({ value: k, label: t(`adm.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="status" label={t('common.status')}>
          <Select allowClear options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`adm.status.${s}`) }))} />
        </Form.Item>
        <Form.Item className="yl-actions"><Space wrap><Button type="primary" htmlType="submit">{t('adm.users.find')}</Button>
          {auth.can('identity:account.manage') && <Button onClick={() => setCreating(true)}>{t('adm.users.create')}</Button>}</Space></Form.Item>
      </Form>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <div aria-live="polite" style={SR_ONLY}>{list.data ? t('common.total', { n: list.data.total }) : ''}</div>
      <Table<Row>
        rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: t('common.none') }}
        pagination={{ current: query.offset / PAGE + 1, pageSize: PAGE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: (p) => setQuery((q) => ({ ...q, offset: (p - 1) * PAGE })) }}
        columns={[
          { title: t('adm.users.name'), dataIndex: 'name', render: (n: string, r: Row) => <Button type="link" style={{ padding: 0 }} onClick={() => setOpenId(r.id)}>{n}</Button> },
          { title: t('adm.users.username'), dataIndex: 'username' },
          { title: t('adm.users.kind'), dataIndex: 'type', render: (k: Kind) => t(`adm.kind.${k}`) },
          { title: t('common.division'), dataIndex: 'division' },
          { title: t('adm.users.department'), dataIndex: 'departmentName', className: 'yl-secondary', render: (d: string | null, r: Row) => [d, r.post].filter(Boolean).join(' · ') },
          { title: t('adm.users.mobile'), dataIndex: 'mobile', className: 'yl-secondary' },
          {
            title: t('common.status'), dataIndex: 'status',
            render: (s: 'active' | 'disabled', r: Row) => <Space size={4}><Tag color={s === 'active' ? TAG.ok : TAG.neutral}>{t(`adm.status.${s}`)}</Tag>{r.locked && <Tag color={TAG.bad}>{t('adm.users.locked')}</Tag>}</Space>,
          },
        ]}
      />
      {openId && <UserDetail id={openId} onClose={() => setOpenId(null)} onChanged={list.reload} />}
      <Modal open={creating} title={t('adm.users.create')} onCancel={() => setCreating(false)} footer={null} destroyOnHidden={false} forceRender>
        <ProblemAlert error={createError} />
        {rest.length > 0 && <Alert type="error" showIcon title={rest.map((e) => `${e.pointer} ${e.message}`).join('；')} style={{ marginBottom: 16 }} />}
        <Form form={createForm} layout="vertical" onFinish={(v) => void create(v)} onValuesChange={() => { draft.onValuesChange(); forgetSecrets('admin-new-staff', ['password']); }} initialValues={{ division: auth.user?.scopes[0] }}>
          <Form.Item name="name" label={t('adm.users.name')} rules={[{ required: true }]}><Input autoComplete="off" /></Form.Item>
          <Form.Item name="username" label={t('adm.users.username')} rules={[{ required: true }]}><Input autoComplete="off" /></Form.Item>
          <Form.Item name="password" label={t('adm.users.password')} extra={t('adm.users.passwordRule')} rules={[{ required: true }]}><Input.Password autoComplete="new-password" /></Form.Item>
          <Form.Item name="division" label={t('common.division')} rules={[{ required: true }]}><DivisionPicker /></Form.Item>
          <Form.Item name="mobile" label={t('adm.users.mobile')}><Input inputMode="tel" autoComplete="off" /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('adm.users.create')}</Button>
        </Form>
      </Modal>
    </>
  );
}
