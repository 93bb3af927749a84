// Staff of one department, and placing a staff account of the same division into it with a post.
import { useState } from 'react';
import { App, Button, Form, Select, Table, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { errorMessage, showFieldErrors } from '../../api/problem';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import type { DeptNode } from './Departments';

interface Place { accountId: string; post?: string }

export default function StaffPlacement({ department, division, onChanged }: { department: DeptNode; division: string; onChanged(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const auth = useAuth();
  const [form] = Form.useForm<Place>();
  const staff = useLoad(() => unwrap(api.GET('/api/org/departments/{id}/staff', { params: { path: { id: department.id } } })), [department.id]);
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  type Staff = NonNullable<typeof staff.data>['items'][number];

  const search = async (q: string) => {
    if (!auth.can('identity:account.read')) return;
    try {
      const r = await unwrap(api.GET('/api/identity/accounts', { params: { query: { q, type: 'staff', division, limit: 20, offset: 0 } } }));
      setOptions(r.items.filter((a) => a.division === division).map((a) => ({ value: a.id, label: `${a.name}（${a.username}）` })));
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    }
  };

  const place = async (v: Place) => {
    try {
      await unwrap(api.PUT('/api/org/staff/{accountId}/placement', { params: { path: { accountId: v.accountId } }, body: { departmentId: department.id, post: v.post ?? null } }));
      void message.success(t('adm.depts.placed'));
      form.resetFields();
      staff.reload();
      onChanged();
    } catch (err) {
      showFieldErrors(form, err);
      void message.error(errorMessage(err, i18n));
    }
  };

  const remove = async (s: Staff) => {
    try {
      await unwrap(api.PUT('/api/org/staff/{accountId}/placement', { params: { path: { accountId: s.id } }, body: { departmentId: null, post: null } }));
      staff.reload();
      onChanged();
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    }
  };

  return (
    <>
      <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>{t('adm.depts.staff')}</Typography.Title>
      <ProblemAlert error={staff.error} onRetry={staff.reload} />
      <Table<Staff>
        rowKey="id" size="small" loading={staff.loading} dataSource={staff.data?.items ?? []} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('common.none') }}
        columns={[
          { title: t('adm.users.name'), dataIndex: 'name' },
          { title: t('adm.users.username'), dataIndex: 'username', className: 'yl-secondary' },
          { title: t('adm.depts.post'), dataIndex: 'post' },
          ...(auth.can('org:department.manage') ? [{ title: t('common.actions'), key: 'a', render: (_: unknown, s: Staff) => <Button size="small" onClick={() => void remove(s)}>{t('adm.depts.unplace')}</Button> }] : []),
        ]}
      />
      {auth.can('org:department.manage') && auth.can('identity:account.read') && (
        <Form form={form} layout="vertical" onFinish={(v) => void place(v)} style={{ maxWidth: 520, marginTop: 12 }}>
          <Form.Item name="accountId" label={t('adm.depts.placeWho')} rules={[{ required: true }]}>
            <Select showSearch filterOption={false} onSearch={(q) => void search(q)} onFocus={() => void search('')} options={options} notFoundContent={t('common.none')} />
          </Form.Item>
          <Form.Item name="post" label={t('adm.depts.post')}>
            <Select allowClear options={department.posts.map((p) => ({ value: p.name, label: p.name }))} />
          </Form.Item>
          <Button htmlType="submit">{t('adm.depts.place')}</Button>
        </Form>
      )}
    </>
  );
}
