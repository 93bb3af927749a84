// 表单定义: every form that applies in the administrator's divisions; a form's versions (view,
// withdraw, compare two); and a definition draft in JSON or YAML — check it (every problem listed
// at its place), save it as a draft or publish it.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { errorMessage, toApiError } from '../../api/problem';
import { useAuth } from '../../auth/AuthProvider';
import { useI18n } from '../../i18n';
import { ProblemAlert, useLoad } from '../../shell/data';
import { useDraft } from '../../shell/draft';
import { usePageTitle } from '../../shell/title';
import { TAG } from '../../shell/theme';
import Compare from './Compare';
import { DivisionPicker } from './DivisionPicker';
import { parseDefinition } from './ui';

interface DraftForm { division: string; text: string }
type Problem = { pointer: string; message: string };
const STATUS_TAG: Record<string, string> = { published: TAG.ok, draft: TAG.info, withdrawn: TAG.neutral };

export default function Forms() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('adm.forms');
  const { message } = App.useApp();
  const auth = useAuth();
  const [form] = Form.useForm<DraftForm>();
  const draft = useDraft('admin-form-definition', form);
  const list = useLoad(() => unwrap(api.GET('/api/forms')), []);
  const [key, setKey] = useState<string | null>(null);
  const versions = useLoad(() => (key ? unwrap(api.GET('/api/forms/{key}/versions', { params: { path: { key } } })) : Promise.resolve(null)), [key]);
  const [viewing, setViewing] = useState<unknown>(null);
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  type Item = NonNullable<typeof list.data>['items'][number];
  type Version = NonNullable<NonNullable<typeof versions.data>['items']>[number];
  const title = (x: { 'zh-CN': string; en: string }) => (i18n.lang === 'en' ? x.en : x['zh-CN']);
  const status = (s: string) => <Tag color={STATUS_TAG[s] ?? TAG.neutral}>{t(`adm.forms.status.${s as 'draft'}`)}</Tag>;

  const loadVersion = async (v: number) => {
    const f = await unwrap(api.GET('/api/forms/{key}', { params: { path: { key: key! }, query: { version: v } } }));
    return { title: f.title, schema: f.schema, uiSchema: f.uiSchema };
  };
  const refs = useMemo(() => (versions.data?.items ?? []).filter((v) => v.version !== null).map((v) => ({ id: String(v.version), label: `v${v.version} · ${v.division}` })), [versions.data]);

  const withdraw = async (v: Version) => {
    try {
      await unwrap(api.POST('/api/forms/{key}/withdraw', { params: { path: { key: v.key } }, body: { division: v.division, version: v.version ?? undefined } }));
      void message.success(t('adm.forms.withdrawn', { version: v.version ?? '' }));
      versions.reload();
      list.reload();
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    }
  };

  /** The draft as a definition, with the division from the form; null (and the reason shown) when it does not parse. */
  const definition = async (): Promise<Record<string, unknown> | null> => {
    const { division, text } = await form.validateFields();
    const parsed = await parseDefinition(text);
    if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object') {
      form.setFields([{ name: 'text', errors: [t('adm.forms.unreadable', { detail: parsed.ok ? '' : parsed.message })] }]);
      return null;
    }
    return { ...(parsed.value as Record<string, unknown>), division };
  };

  const check = async () => {
    setError(null);
    const def = await definition().catch(() => null);
    if (!def) return;
    try {
      const r = await unwrap(api.POST('/api/forms/check', { body: { definition: def } }));
      setProblems(r.errors);
    } catch (err) {
      setError(err);
    }
  };

  const publish = async (asDraft: boolean) => {
    setError(null);
    const def = await definition().catch(() => null);
    if (!def) return;
    setBusy(true);
    try {
      const f = await unwrap(api.POST('/api/forms', { body: { ...(def as Record<string, unknown>), draft: asDraft || undefined } as never }));
      void message.success(asDraft ? t('adm.forms.draftSaved', { key: f.key }) : t('adm.forms.published', { key: f.key, version: f.version ?? '' }));
      setProblems(null);
      if (!asDraft) draft.clear();
      list.reload();
      setKey(f.key);
      versions.reload();
    } catch (err) {
      const e = toApiError(err);
      if (e.problem.errors?.length) setProblems(e.problem.errors.map((p) => ({ ...p, pointer: p.pointer.replace(/^\/body/, '/definition') })));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Title level={1}>{t('adm.forms')}</Typography.Title>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <Table<Item>
        rowKey={(r) => `${r.key}:${r.division}`} size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('common.none') }} caption={<Typography.Text strong>{t('adm.forms.list')}</Typography.Text>}
        columns={[
          { title: t('adm.forms.key'), dataIndex: 'key', render: (k: string) => <Button type="link" style={{ padding: 0 }} onClick={() => setKey(k)}>{k}</Button> },
          { title: t('adm.forms.title'), dataIndex: 'title', render: title },
          { title: t('common.division'), dataIndex: 'division' },
          { title: t('adm.forms.latest'), dataIndex: 'latestVersion', render: (v: number | null) => (v === null ? '—' : `v${v}`) },
          { title: t('common.status'), dataIndex: 'status', render: status },
        ]}
      />
      {key && (
        <section aria-labelledby="yl-form-versions" style={{ marginTop: 24 }}>
          <Typography.Title level={2} id="yl-form-versions" style={{ fontSize: 18 }}>{t('adm.forms.versionsOf', { key })}</Typography.Title>
          <ProblemAlert error={versions.error} onRetry={versions.reload} />
          <Table<Version>
            rowKey="id" size="small" loading={versions.loading} dataSource={versions.data?.items ?? []} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('common.none') }}
            columns={[
              { title: t('adm.forms.version'), dataIndex: 'version', render: (v: number | null) => (v === null ? t('adm.forms.status.draft') : `v${v}`) },
              { title: t('common.division'), dataIndex: 'division' },
              { title: t('common.status'), dataIndex: 'status', render: status },
              { title: t('adm.forms.publishedAt'), dataIndex: 'publishedAt', className: 'yl-secondary', render: (v: string | null) => (v ? i18n.date(v) : '—') },
              {
                title: t('common.actions'), key: 'a',
                render: (_: unknown, v: Version) => (
                  <Space>
                    {v.version !== null && <Button size="small" onClick={() => void loadVersion(v.version!).then(setViewing, (err: unknown) => void message.error(errorMessage(err, i18n)))}>{t('common.view')}</Button>}
                    {v.status === 'published' && auth.can('forms:definition.manage') && <Button size="small" danger onClick={() => void withdraw(v)}>{t('adm.forms.withdraw')}</Button>}
                  </Space>
                ),
              },
            ]}
          />
          <Typography.Title level={3} style={{ fontSize: 16, marginTop: 16 }}>{t('adm.diff.compare')}</Typography.Title>
          <Compare versions={refs} load={(id) => loadVersion(Number(id))} />
        </section>
      )}
      <section aria-labelledby="yl-form-draft" style={{ marginTop: 24 }}>
        <Typography.Title level={2} id="yl-form-draft" style={{ fontSize: 18 }}>{t('adm.forms.draft')}</Typography.Title>
        <ProblemAlert error={error} />
        <div aria-live="polite">
          {problems && problems.length === 0 && <Alert type="success" showIcon title={t('adm.check.ok')} style={{ marginBottom: 12 }} />}
          {problems && problems.length > 0 && (
            <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('adm.check.problems', { n: problems.length })}
              description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{problems.map((p, i) => <li key={i}><code>{p.pointer}</code> {p.message}</li>)}</ul>} />
          )}
        </div>
        <Form form={form} layout="vertical" onValuesChange={draft.onValuesChange} initialValues={{ division: auth.user?.scopes[0] }}>
          <Form.Item name="division" label={t('common.division')} rules={[{ required: true }]}><DivisionPicker /></Form.Item>
          <Form.Item name="text" label={t('adm.forms.text')} extra={t('adm.forms.textHint')} rules={[{ required: true }]}>
            <Input.TextArea rows={12} spellCheck={false} style={{ fontFamily: 'monospace' }} />
          </Form.Item>
          <Space wrap>
            <Button onClick={() => void check()}>{t('adm.check.run')}</Button>
            <Button onClick={() => void publish(true)} loading={busy}>{t('adm.forms.saveDraft')}</Button>
            <Button type="primary" onClick={() => void publish(false)} loading={busy}>{t('adm.forms.publish')}</Button>
          </Space>
        </Form>
      </section>
      <Modal open={viewing !== null} onCancel={() => setViewing(null)} footer={null} title={t('adm.forms.view')} width={800}>
        <pre tabIndex={0} style={{ maxHeight: '60vh', overflow: 'auto', fontSize: 13 }}>{JSON.stringify(viewing, null, 2)}</pre>
      </Modal>
    </>
  );
}
