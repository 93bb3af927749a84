// 流程定义: every workflow that applies in the administrator's divisions; look one up by key and
// division (every version that applies, with its status), view a version, withdraw one, compare two
// (a line diff), check a draft without publishing it, and publish a new version (JSON or YAML);
// the server's problems appear next to the field they name (a definition's own problems under it).
import { useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { errorMessage, showFieldErrors, type FieldProblem } from '../../api/problem';
import { useI18n } from '../../i18n';
import { ProblemAlert } from '../../shell/data';
import { useDraft } from '../../shell/draft';
import { TAG } from '../../shell/theme';
import { useLoad } from '../../shell/data';
import { usePageTitle } from '../../shell/title';
import Compare from './Compare';
import { parseDefinition } from './ui';

interface Lookup { key: string; division: string }
interface Publish { division: string; definition: string }
type Version = { id: string; key: string; version: number; division: string; status: string; publishedBy: string; publishedAt: string; definition?: unknown };

export default function Workflows() {
  const i18n = useI18n();
  const { t } = i18n;
  const { message } = App.useApp();
  const [lookupForm] = Form.useForm<Lookup>();
  const [publishForm] = Form.useForm<Publish>();
  const draft = useDraft('workflow-publish', publishForm);
  const [versions, setVersions] = useState<Version[] | null>(null);
  const [current, setCurrent] = useState<Lookup | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [viewing, setViewing] = useState<Version | null>(null);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState<FieldProblem[] | null>(null);
  usePageTitle('admin.workflows');
  const all = useLoad(() => unwrap(api.GET('/api/workflow/definitions')), []);
  type Item = NonNullable<typeof all.data>['items'][number];
  const refs = useMemo(() => (versions ?? []).map((v) => ({ id: v.id, label: `v${v.version} · ${v.division}` })), [versions]);
  const byId = (id: string) => Promise.resolve(versions?.find((v) => v.id === id)?.definition);

  /** The definition typed in (JSON or YAML), or null with the reason at the field. */
  const typed = async (text: string): Promise<{ value: unknown } | null> => {
    const parsed = await parseDefinition(text);
    if (parsed.ok) return { value: parsed.value };
    publishForm.setFields([{ name: 'definition', errors: [t('workflow.invalidJson', { detail: parsed.message })] }]);
    return null;
  };

  const check = async () => {
    setRest([]);
    setChecked(null);
    const text = publishForm.getFieldValue('definition') as string | undefined;
    if (!text) return void publishForm.validateFields(['definition']);
    const d = await typed(text);
    if (!d) return;
    try {
      const r = await unwrap(api.POST('/api/workflow/definitions/validate', { body: { definition: d.value } }));
      setChecked(r.errors);
    } catch (err) {
      setError(err);
    }
  };

  const lookup = async (q: Lookup) => {
    setError(null);
    try {
      const r = await unwrap(api.GET('/api/workflow/definitions/{key}/versions', { params: { path: { key: q.key }, query: { division: q.division } } }));
      setVersions(r.items as Version[]);
      setCurrent(q);
    } catch (err) {
      setError(err);
      showFieldErrors(lookupForm, err);
    }
  };

  const withdraw = async (v: Version) => {
    try {
      await unwrap(api.POST('/api/workflow/definitions/{key}/withdraw', { params: { path: { key: v.key } }, body: { division: v.division, version: v.version } }));
      void message.success(t('workflow.withdrawn', { version: v.version }));
      if (current) await lookup(current);
    } catch (err) {
      void message.error(errorMessage(err, i18n));
    }
  };

  const publish = async (p: Publish) => {
    setRest([]);
    setChecked(null);
    const parsed = await typed(p.definition);
    if (!parsed) return;
    const definition = parsed.value;
    setBusy(true);
    try {
      const d = await unwrap(api.POST('/api/workflow/definitions', { body: { division: p.division, definition } }));
      void message.success(t('workflow.published', { key: d.key, version: d.version }));
      draft.clear();
      lookupForm.setFieldsValue({ key: d.key, division: d.division });
      await lookup({ key: d.key, division: d.division });
    } catch (err) {
      setRest(showFieldErrors(publishForm, err));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Title level={1}>{t('admin.workflows')}</Typography.Title>
      <ProblemAlert error={error} />
      <ProblemAlert error={all.error} onRetry={all.reload} />
      <Table<Item>
        rowKey={(r) => `${r.key}:${r.division}`} size="small" loading={all.loading} dataSource={all.data?.items ?? []} pagination={{ pageSize: 10, hideOnSinglePage: true }} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('common.none') }} caption={<Typography.Text strong>{t('adm.wf.list')}</Typography.Text>} style={{ marginBottom: 16 }}
        columns={[
          { title: t('workflow.key'), dataIndex: 'key', render: (k: string, r: Item) => <Button type="link" style={{ padding: 0 }} onClick={() => { lookupForm.setFieldsValue({ key: k, division: r.division }); void lookup({ key: k, division: r.division }); }}>{k}</Button> },
          { title: t('adm.forms.title'), dataIndex: 'title' },
          { title: t('common.division'), dataIndex: 'division' },
          // The newest version, marked only when withdrawn (a published one is the normal case).
          { title: t('adm.forms.latest'), dataIndex: 'latestVersion', render: (v: number, r: Item) => (r.status === 'withdrawn' ? <>v{v} <Tag color={TAG.neutral}>{t('workflow.status.withdrawn')}</Tag></> : `v${v}`) },
        ]}
      />
      <Form form={lookupForm} layout="vertical" className="yl-search-form" onFinish={(q) => void lookup(q)} style={{ marginBottom: 16 }}>
        <Form.Item name="key" label={t('workflow.key')} rules={[{ required: true }]}><Input autoComplete="off" /></Form.Item>
        <Form.Item name="division" label={t('common.division')} rules={[{ required: true }]} initialValue="530000"><Input inputMode="numeric" /></Form.Item>
        <Form.Item className="yl-actions"><Button type="primary" htmlType="submit">{t('workflow.lookup')}</Button></Form.Item>
      </Form>
      {versions && (
        <Table<Version>
          rowKey="id" size="small" dataSource={versions} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('common.none') }}
          caption={<Typography.Text strong>{t('workflow.versions')}</Typography.Text>}
          columns={[
            { title: t('workflow.version'), dataIndex: 'version' },
            { title: t('common.division'), dataIndex: 'division' },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'published' ? TAG.ok : TAG.neutral}>{s === 'published' || s === 'withdrawn' ? t(`workflow.status.${s}`) : s}</Tag> },
            { title: t('workflow.publishedAt'), dataIndex: 'publishedAt', render: (v: string) => i18n.date(v) },
            {
              title: t('common.actions'), key: 'a',
              render: (_: unknown, v: Version) => (
                <Space>
                  <Button size="small" onClick={() => setViewing(v)}>{t('common.view')}</Button>
                  {v.status === 'published' && <Button size="small" danger onClick={() => void withdraw(v)}>{t('workflow.withdraw')}</Button>}
                </Space>
              ),
            },
          ]}
        />
      )}
      {versions && (
        <section aria-labelledby="yl-wf-compare" style={{ marginTop: 16 }}>
          <Typography.Title level={2} id="yl-wf-compare" style={{ fontSize: 18 }}>{t('adm.diff.compare')}</Typography.Title>
          <Compare versions={refs} load={byId} />
        </section>
      )}
      <Typography.Title level={2} style={{ marginTop: 24 }}>{t('workflow.publish')}</Typography.Title>
      <div aria-live="polite">
        {checked && checked.length === 0 && <Alert type="success" showIcon title={t('adm.check.ok')} style={{ marginBottom: 12 }} />}
        {checked && checked.length > 0 && (
          <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('adm.check.problems', { n: checked.length })}
            description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{checked.map((p, i) => <li key={i}><code>{p.pointer}</code> {p.message}</li>)}</ul>} />
        )}
      </div>
      {rest.length > 0 && <Alert type="error" showIcon title={rest.map((e) => `${e.pointer} ${e.message}`).join('；')} style={{ marginBottom: 16 }} />}
      <Form form={publishForm} layout="vertical" onFinish={(p) => void publish(p)} onValuesChange={draft.onValuesChange}>
        <Form.Item name="division" label={t('common.division')} rules={[{ required: true }]} initialValue="530000"><Input inputMode="numeric" /></Form.Item>
        <Form.Item name="definition" label={t('workflow.definition')} rules={[{ required: true }]}>
          <Input.TextArea rows={10} spellCheck={false} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Space wrap>
          <Button onClick={() => void check()}>{t('adm.check.run')}</Button>
          <Button type="primary" htmlType="submit" loading={busy}>{t('workflow.publish')}</Button>
        </Space>
      </Form>
      <Modal open={!!viewing} onCancel={() => setViewing(null)} footer={null} title={viewing ? `${viewing.key} v${viewing.version}` : ''} width={800}>
        <pre style={{ maxHeight: '60vh', overflow: 'auto', fontSize: 13 }}>{JSON.stringify(viewing?.definition, null, 2)}</pre>
      </Modal>
    </>
  );
}
