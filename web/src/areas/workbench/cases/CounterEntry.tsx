// 窗口收件 (/workbench/cases/new): a window clerk enters an application for a person identified by
// resident ID — the same item form (the shared form renderer) and the same materials as online
// (线上线下同标准), POST /api/services/applications/counter. What was typed is kept as a draft;
// the idempotency key survives a retry, so a double submit never makes two cases.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/client';
import { showFieldErrors, type FieldProblem } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthProvider';
import { useI18n } from '../../../i18n';
import { ProblemAlert } from '../../../shell/data';
import { useDraft } from '../../../shell/draft';
import { usePageTitle } from '../../../shell/title';
import { FormRenderer, showFormErrors } from '../../../shared/forms/FormRenderer';
import { compact, fieldsOf, materialIndex, visibleData, type JsonSchema, type UiNode } from '../../../shared/forms/schema';
import { AttachmentInput, LicenseInput, type FileNames } from '../../../shared/forms/widgets';

interface Material { id: string; name: string; required: boolean; licenseType?: string | null; accept?: string[]; maxBytes?: number }
interface Loaded { item: { key: string; name: string; materials: Material[] }; form: { schema: JsonSchema; uiSchema: UiNode } | null; division: string }
type Given = Record<string, { fileIds?: string[]; license?: { typeCode?: string; identifier?: string } }>;

const KEY_STORE = 'yl.counter.key.';
function submitKey(item: string): string {
  const k = sessionStorage.getItem(KEY_STORE + item) ?? `counter-${crypto.randomUUID()}`;
  sessionStorage.setItem(KEY_STORE + item, k);
  return k;
}

export default function CounterEntryPage() {
  return <App><CounterEntry /></App>;
}

function CounterEntry() {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  const navigate = useNavigate();
  usePageTitle('case.counter.title');
  const home = auth.user?.grants?.find((g) => g.role === 'window_clerk')?.division ?? auth.user?.scopes?.[0] ?? '';
  const [pick] = Form.useForm<{ itemKey: string; division: string }>();
  const [meta] = Form.useForm<{ applicantIdNumber: string }>();
  const [data] = Form.useForm<Record<string, unknown>>();
  const pickDraft = useDraft('counter.pick', pick);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const dataDraft = useDraft(`counter.data.${loaded?.item.key ?? '-'}`, data);
  const metaDraft = useDraft('counter.meta', meta);
  const [given, setGiven] = useState<Given>({});
  const [names, setNames] = useState<FileNames>({});
  const [error, setError] = useState<unknown>(null);
  const [rest, setRest] = useState<FieldProblem[]>([]);
  const [materialErrors, setMaterialErrors] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);

  const load = async (v: { itemKey: string; division: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(api.GET('/api/services/applications/prefill', { params: { query: { itemKey: v.itemKey.trim(), division: v.division.trim() } } })) as unknown as Loaded;
      // The clerk's own profile must never fill in the citizen's form: only the form is used.
      setLoaded({ item: r.item, form: r.form as Loaded['form'], division: v.division.trim() });
    } catch (err) {
      showFieldErrors(pick, err);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!loaded) return;
    try {
      await Promise.all([meta.validateFields(), data.validateFields()]);
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    setRest([]);
    setMaterialErrors({});
    const values = data.getFieldsValue(true) as Record<string, unknown>;
    const clean = loaded.form ? compact(visibleData(fieldsOf(loaded.form.schema, loaded.form.uiSchema), values)) as Record<string, unknown> : {};
    const materials = loaded.item.materials
      .map((m) => ({ m, g: given[m.id] }))
      .filter(({ g }) => g && ((g.fileIds?.length ?? 0) > 0 || g.license?.identifier))
      .map(({ m, g }) => ({ materialId: m.id, ...(g!.license?.identifier ? { license: { type: g!.license.typeCode ?? m.licenseType ?? '', id: g!.license.identifier } } : { fileIds: g!.fileIds }) }));
    try {
      const r = await unwrap(api.POST('/api/services/applications/counter', {
        body: { itemKey: loaded.item.key, division: loaded.division, data: clean ?? {}, materials, applicantIdNumber: meta.getFieldValue('applicantIdNumber').trim(), idempotencyKey: submitKey(loaded.item.key) },
      })) as unknown as { instanceId: string | null };
      sessionStorage.removeItem(KEY_STORE + loaded.item.key);
      dataDraft.clear();
      metaDraft.clear();
      navigate(r.instanceId ? `/workbench/cases/${r.instanceId}` : '/workbench/cases');
    } catch (err) {
      setError(err);
      const placed = showFormErrors(data, err, i18n);
      const byMaterial: Record<string, string[]> = {};
      const others: FieldProblem[] = [];
      for (const fe of placed.rest) {
        if (fe.pointer === '/body/applicantIdNumber') { meta.setFields([{ name: 'applicantIdNumber', errors: [fe.message] }]); continue; }
        const i = materialIndex(fe.pointer);
        const id = i !== null ? materials[i]?.materialId : fe.pointer === '/body/materials' ? loaded.item.materials.find((m) => fe.message.includes(m.name))?.id : undefined;
        if (id) (byMaterial[id] ??= []).push(fe.message);
        else others.push(fe);
      }
      setMaterialErrors(byMaterial);
      setRest(others);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Title level={1}>{t('case.counter.title')}</Typography.Title>
      <p>{t('case.counter.intro')}</p>
      <ProblemAlert error={error} />
      {rest.length > 0 && <Alert type="error" showIcon role="alert" title={rest.map((e) => e.message).join('；')} style={{ marginBottom: 16 }} />}
      <Form form={pick} layout="vertical" onFinish={(v) => void load(v)} onValuesChange={pickDraft.onValuesChange} initialValues={{ division: home }} style={{ maxWidth: 640 }}>
        <Space wrap align="end">
          <Form.Item name="itemKey" label={t('case.counter.itemKey')} rules={[{ required: true, message: t('case.required') }]}><Input autoComplete="off" spellCheck={false} /></Form.Item>
          <Form.Item name="division" label={t('case.counter.division')} rules={[{ required: true, message: t('case.required') }]}><Input autoComplete="off" inputMode="numeric" /></Form.Item>
          <Form.Item><Button htmlType="submit" loading={busy && !loaded}>{t('case.counter.load')}</Button></Form.Item>
        </Space>
      </Form>
      {loaded && (
        <section aria-labelledby="counter-form">
          <Typography.Title level={2} id="counter-form">{loaded.item.name}</Typography.Title>
          <Form form={meta} layout="vertical" onValuesChange={metaDraft.onValuesChange} style={{ maxWidth: 640 }}>
            <Form.Item name="applicantIdNumber" label={t('case.counter.idNumber')} extra={t('case.counter.idHint')} rules={[{ required: true, message: t('case.required') }]}>
              <Input autoComplete="off" spellCheck={false} />
            </Form.Item>
          </Form>
          {loaded.form
            ? <Form form={data} layout="vertical" onValuesChange={dataDraft.onValuesChange} style={{ maxWidth: 720 }}>
              <FormRenderer form={data} schema={loaded.form.schema} uiSchema={loaded.form.uiSchema} fileNames={names} onFileNamed={(id, n) => setNames((x) => ({ ...x, [id]: n }))} />
            </Form>
            : <p>{t('case.counter.noForm')}</p>}
          <Typography.Title level={3}>{t('case.materials')}</Typography.Title>
          {loaded.item.materials.map((m) => (
            <Card key={m.id} size="small" style={{ marginBottom: 12 }} title={<Space wrap><span>{m.name}</span>{m.required && <Tag>{t('case.material.required')}</Tag>}</Space>}>
              <label htmlFor={`mat-${m.id}`} className="yl-case-upload-label">{t('case.counter.upload', { name: m.name })}</label>
              <AttachmentInput id={`mat-${m.id}`} label={m.name} names={names} onNamed={(id, n) => setNames((x) => ({ ...x, [id]: n }))} accept={m.accept} maxBytes={m.maxBytes}
                value={given[m.id]?.fileIds} onChange={(ids) => setGiven((g) => ({ ...g, [m.id]: { ...g[m.id], fileIds: ids } }))} />
              {m.licenseType && (
                <div style={{ marginTop: 8 }}>
                  <label htmlFor={`lic-input-${m.id}`}>{t('case.counter.license')}</label>
                  <LicenseInput id={`lic-input-${m.id}`} types={[m.licenseType]} value={given[m.id]?.license}
                    onChange={(v) => setGiven((g) => ({ ...g, [m.id]: { ...g[m.id], license: v as { typeCode?: string; identifier?: string } } }))} />
                </div>
              )}
              {materialErrors[m.id] && <Alert type="error" role="alert" showIcon title={materialErrors[m.id]!.join('；')} style={{ marginTop: 8 }} />}
            </Card>
          ))}
          <Button type="primary" onClick={() => void submit()} loading={busy}>{t('case.counter.submit')}</Button>
        </section>
      )}
    </>
  );
}
