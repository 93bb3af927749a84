// The 办件's own content on the case page: form data rendered with the form's field titles (the
// form in force where it is handled), the materials (files to download, e-license references with
// their verification), and the result once decided.
import { useEffect, useState, type ReactNode } from 'react';
import { App, Button, Descriptions, List, Space, Tag, Typography } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage } from '../../../api/problem';
import { TAG } from '../../../shell/theme';
import { useI18n, type I18n } from '../../../i18n';
import { fieldsOf, type Field } from '../../../shared/forms/schema';
import type { ApplicationView } from './types';
import type { CaseBundle } from './load';
import { downloadFile } from './files';

const SYSTEM_KEYS = new Set(['materials', 'item', 'acceptingDivision', 'channel', 'corrections']);

export function FileButton({ id, name }: { id: string; name?: string }) {
  const i18n = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const label = name ?? i18n.t('case.file', { id: id.slice(0, 8) });
  return (
    <Button size="small" loading={busy} aria-label={i18n.t('case.download', { name: label })} onClick={() => {
      setBusy(true);
      downloadFile(id, label).catch((err: unknown) => void message.error(errorMessage(err, i18n))).finally(() => setBusy(false));
    }}>{label}</Button>
  );
}

function show(v: unknown, f: Field | null, i18n: I18n): ReactNode {
  if (v === undefined || v === null || v === '') return '—';
  if (typeof v === 'boolean') return i18n.t(v ? 'case.yes' : 'case.no');
  if (f?.kind === 'attachment' && Array.isArray(v)) return <Space wrap>{(v as string[]).map((id) => <FileButton key={id} id={id} />)}</Space>;
  if (f?.kind === 'address' && typeof v === 'object') {
    const a = v as { division?: string; detail?: string };
    return [a.division, a.detail].filter(Boolean).join(' ');
  }
  if (f?.kind === 'date-range' && typeof v === 'object') {
    const r = v as { start?: string; end?: string };
    return `${r.start ?? ''} — ${r.end ?? ''}`;
  }
  if (f?.kind === 'license-ref' && typeof v === 'object') return String((v as { identifier?: string }).identifier ?? JSON.stringify(v));
  if (typeof v === 'object') return <code>{JSON.stringify(v)}</code>;
  return String(v);
}

function Fields({ fields, data }: { fields: Field[]; data: Record<string, unknown> }) {
  const i18n = useI18n();
  const label = (f: Field) => (i18n.lang === 'en' ? f.label.en : f.label.zh);
  const items: ReactNode[] = [];
  for (const f of fields) {
    const v = data?.[f.name];
    if (f.kind === 'group') {
      items.push(
        <div key={f.name} className="yl-case-group">
          <Typography.Title level={3}>{label(f)}</Typography.Title>
          <Fields fields={f.children} data={(v ?? {}) as Record<string, unknown>} />
        </div>,
      );
    } else if (f.kind === 'table' && Array.isArray(v)) {
      items.push(
        <div key={f.name} className="yl-case-group">
          <Typography.Title level={3}>{label(f)}</Typography.Title>
          {(v as Record<string, unknown>[]).map((row, i) => (
            <div key={i}><Typography.Text strong>{i18n.t('case.row', { n: i + 1 })}</Typography.Text><Fields fields={f.children} data={row} /></div>
          ))}
        </div>,
      );
    }
  }
  const plain = fields.filter((f) => f.kind !== 'group' && f.kind !== 'table');
  return (
    <>
      {plain.length > 0 && (
        <Descriptions bordered size="small" column={1}>
          {plain.map((f) => <Descriptions.Item key={f.name} label={label(f)}>{show(data?.[f.name], f, i18n)}</Descriptions.Item>)}
        </Descriptions>
      )}
      {items}
    </>
  );
}

export function FormDataView({ data, form }: { data: Record<string, unknown>; form: CaseBundle['form'] }) {
  const i18n = useI18n();
  const fields = form ? fieldsOf(form.schema, form.uiSchema) : null;
  return (
    <section aria-labelledby="case-form">
      <Typography.Title level={2} id="case-form">{i18n.t('case.formData')}</Typography.Title>
      {fields ? <Fields fields={fields} data={data} /> : (
        <Descriptions bordered size="small" column={1}>
          {Object.entries(data).filter(([k]) => !SYSTEM_KEYS.has(k)).map(([k, v]) => <Descriptions.Item key={k} label={k}>{show(v, null, i18n)}</Descriptions.Item>)}
        </Descriptions>
      )}
    </section>
  );
}

type Verification = { status: string; signatureValid: boolean; typeName: string; licenseNumber: string };

function LicenseStatus({ identifier }: { identifier: string }) {
  const i18n = useI18n();
  const [v, setV] = useState<Verification | null | 'error'>(null);
  useEffect(() => {
    let live = true;
    unwrap(api.GET('/api/licenses/{identifier}/verify', { params: { path: { identifier } } }))
      .then((r) => live && setV(r as Verification), () => live && setV('error'));
    return () => { live = false; };
  }, [identifier]);
  if (v === null) return <Tag>{i18n.t('case.license.checking')}</Tag>;
  if (v === 'error') return <Tag color={TAG.bad}>{i18n.t('case.license.unverified')}</Tag>;
  const ok = v.signatureValid && v.status === 'valid';
  return <Tag color={ok ? TAG.ok : TAG.bad}>{ok ? i18n.t('case.license.valid', { name: v.typeName }) : i18n.t('case.license.invalid', { status: v.status })}</Tag>;
}

export function MaterialsView({ application, materials }: { application: ApplicationView; materials: CaseBundle['materials'] }) {
  const { t } = useI18n();
  const given = new Map(application.materials.map((m) => [m.materialId, m]));
  const rows = materials.length ? materials.map((m) => ({ id: m.id, name: m.name, required: m.required, given: given.get(m.id) }))
    : application.materials.map((m) => ({ id: m.materialId, name: m.name, required: false, given: m }));
  return (
    <section aria-labelledby="case-materials">
      <Typography.Title level={2} id="case-materials">{t('case.materials')}</Typography.Title>
      <List
        bordered dataSource={rows} rowKey="id"
        renderItem={(m) => (
          <List.Item>
            <Space direction="vertical" size={4} style={{ width: '100%' }}>
              <Space wrap><Typography.Text strong>{m.name}</Typography.Text>{m.required && <Tag>{t('case.material.required')}</Tag>}</Space>
              {!m.given || (!m.given.fileIds.length && !m.given.license) ? <Typography.Text type="secondary">{t('case.material.missing')}</Typography.Text> : null}
              {m.given && m.given.fileIds.length > 0 && <Space wrap>{m.given.fileIds.map((id, i) => <FileButton key={id} id={id} name={`${m.name}${m.given!.fileIds.length > 1 ? ` (${i + 1})` : ''}`} />)}</Space>}
              {m.given?.license && (
                <Space wrap>
                  <span>{t('case.material.license', { id: m.given.license.id })}</span>
                  <LicenseStatus identifier={m.given.license.id} />
                </Space>
              )}
            </Space>
          </List.Item>
        )}
      />
    </section>
  );
}

export function ResultView({ application }: { application: ApplicationView }) {
  const { t } = useI18n();
  const r = application.result as { fileId?: string; text?: string; reasons?: string; legalBasis?: string } | null;
  if (!r || !application.outcome) return null;
  return (
    <section aria-labelledby="case-result">
      <Typography.Title level={2} id="case-result">{t('case.result')}</Typography.Title>
      <Descriptions bordered size="small" column={1}>
        <Descriptions.Item label={t('case.outcome')}>{t(`case.outcome.${application.outcome}` as 'case.outcome.approved')}</Descriptions.Item>
        {r.text && <Descriptions.Item label={t('case.result.text')}>{r.text}</Descriptions.Item>}
        {r.fileId && <Descriptions.Item label={t('case.result.file')}><FileButton id={r.fileId} name={t('case.result.file')} /></Descriptions.Item>}
        {r.reasons && <Descriptions.Item label={t('case.result.reasons')}>{r.reasons}</Descriptions.Item>}
        {r.legalBasis && <Descriptions.Item label={t('case.legalBasis')}>{r.legalBasis}</Descriptions.Item>}
      </Descriptions>
    </section>
  );
}
