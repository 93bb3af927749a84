// 批量导入: a CSV or .xlsx of departments or staff, checked first (dry run) or imported — all rows
// or none; the server's per-row report is shown as a table (row, column, problem).
import { useState } from 'react';
import { Alert, Button, Checkbox, Radio, Space, Table, Typography } from 'antd';
import { api, unwrap } from '../../api/client';
import { useI18n } from '../../i18n';
import { ProblemAlert } from '../../shell/data';

type Kind = 'departments' | 'staff';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export default function DeptImport({ onImported }: { onImported(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [kind, setKind] = useState<Kind>('departments');
  const [dryRun, setDryRun] = useState(true);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<Awaited<ReturnType<typeof send>> | null>(null);

  async function send(f: File) {
    const type = /\.xlsx$/i.test(f.name) ? XLSX : 'text/csv';
    return unwrap(api.POST('/api/org/import', {
      params: { query: { kind, dryRun } }, body: f as never, bodySerializer: (b: unknown) => b as BodyInit, headers: { 'content-type': type },
    }));
  }

  // The template needs the bearer token, so it is fetched and handed to the browser as a file.
  const template = async () => {
    try {
      const blob = await unwrap(api.GET('/api/org/import/template', { params: { query: { kind, format: 'xlsx' } }, parseAs: 'blob' })) as Blob;
      const url = URL.createObjectURL(blob);
      const a = Object.assign(document.createElement('a'), { href: url, download: `${t(`adm.import.${kind}`)}.xlsx` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(err);
    }
  };

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const r = await send(file);
      setReport(r);
      if (r.ok && !r.dryRun) onImported();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="yl-import" style={{ marginTop: 32 }}>
      <Typography.Title level={2} id="yl-import" style={{ fontSize: 18 }}>{t('adm.import')}</Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Radio.Group aria-label={t('adm.import.kind')} value={kind} onChange={(e) => setKind(e.target.value as Kind)}
          options={(['departments', 'staff'] as const).map((k) => ({ value: k, label: t(`adm.import.${k}`) }))} />
        <Space wrap>
          <Button type="link" style={{ padding: 0 }} onClick={() => void template()}>{t('adm.import.template')}</Button>
        </Space>
        <label htmlFor="yl-import-file">{t('adm.import.file')}</label>
        <input id="yl-import-file" type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <Checkbox checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>{t('adm.import.dryRun')}</Checkbox>
        <Button type="primary" disabled={!file} loading={busy} onClick={() => void run()}>{dryRun ? t('adm.import.check') : t('adm.import.run')}</Button>
      </Space>
      <div aria-live="polite" style={{ marginTop: 16 }}>
        <ProblemAlert error={error} />
        {report && (
          <>
            <Alert type={report.ok ? 'success' : 'error'} showIcon style={{ marginBottom: 12 }}
              title={report.ok
                ? t(report.dryRun ? 'adm.import.wouldCreate' : 'adm.import.created', { rows: report.rows, created: report.created })
                : t('adm.import.failed', { rows: report.rows, errors: report.errors.length })} />
            {report.errors.length > 0 && (
              <Table rowKey={(e) => `${e.row}:${e.column}:${e.code}`} size="small" dataSource={report.errors} pagination={false} scroll={{ x: 'max-content' }}
                caption={t('adm.import.report')}
                columns={[
                  { title: t('adm.import.row'), dataIndex: 'row' },
                  { title: t('adm.import.column'), dataIndex: 'column' },
                  { title: t('adm.import.problem'), dataIndex: 'message' },
                ]} />
            )}
          </>
        )}
      </div>
    </section>
  );
}
