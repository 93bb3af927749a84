// 流程定义: look a workflow up by key and division (every version that applies, with its status),
// view a version, withdraw one, and publish a new version; the server's problems appear next to the
// field they name (a definition's own problems under the definition).
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { errorMessage, showFieldErrors, type FieldProblem } from '../../api/problem';
import { useI18n } from '../../i18n';
import { ProblemAlert } from '../../shell/data';
import { useDraft } from '../../shell/draft';
import { TAG } from '../../shell/theme';

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
    let definition: unknown;
    try {
      definition = JSON.parse(p.definition);
    } catch (err) {
      publishForm.setFields([{ name: 'definition', errors: [t('workflow.invalidJson', { detail: (err as Error).message })] }]);
      return;
    }
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
      <Form form={lookupForm} layout="inline" onFinish={(q) => void lookup(q)} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="key" label={t('workflow.key')} rules={[{ required: true }]}><Input autoComplete="off" /></Form.Item>
        <Form.Item name="division" label={t('common.division')} rules={[{ required: true }]} initialValue="530000"><Input inputMode="numeric" /></Form.Item>
        <Form.Item><Button type="primary" htmlType="submit">{t('workflow.lookup')}</Button></Form.Item>
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
      <Typography.Title level={2} style={{ marginTop: 24 }}>{t('workflow.publish')}</Typography.Title>
      {rest.length > 0 && <Alert type="error" showIcon title={rest.map((e) => `${e.pointer} ${e.message}`).join('；')} style={{ marginBottom: 16 }} />}
      <Form form={publishForm} layout="vertical" onFinish={(p) => void publish(p)} onValuesChange={draft.onValuesChange}>
        <Form.Item name="division" label={t('common.division')} rules={[{ required: true }]} initialValue="530000"><Input inputMode="numeric" /></Form.Item>
        <Form.Item name="definition" label={t('workflow.definition')} rules={[{ required: true }]}>
          <Input.TextArea rows={10} spellCheck={false} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('workflow.publish')}</Button>
      </Form>
      <Modal open={!!viewing} onCancel={() => setViewing(null)} footer={null} title={viewing ? `${viewing.key} v${viewing.version}` : ''} width={800}>
        <pre style={{ maxHeight: '60vh', overflow: 'auto', fontSize: 13 }}>{JSON.stringify(viewing?.definition, null, 2)}</pre>
      </Modal>
    </>
  );
}
