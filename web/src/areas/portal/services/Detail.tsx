// 办件详情 (the applicant's view): status, due date, the timeline of the case, what the office asked
// for in 补正 and the way to answer it (upload the listed materials, fix the listed fields), withdraw,
// the result when 办结, and the way to rate it.
import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { Alert, Button, Form, Input, Popconfirm } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage } from '../../../api/problem';
import { useI18n, type MessageKey } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { AttachmentInput } from '../../../shared/forms/widgets';
import { downloadFile, useStatusText, type Correction, type Detail as DetailT } from './common';

const ACTION_KEY: Record<string, MessageKey> = {
  submit: 'svc.action.submit', accept: 'svc.action.accept', reject: 'svc.action.reject', request_correction: 'svc.action.request_correction',
  resubmit: 'svc.action.resubmit', approve: 'svc.action.approve', refuse: 'svc.action.refuse', withdraw: 'svc.action.withdraw',
};

export default function Detail() {
  const { id = '' } = useParams();
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('svc.detail.title');
  const location = useLocation();
  const statusText = useStatusText();
  const app = useLoad(() => unwrap(api.GET('/api/services/applications/{id}', { params: { path: { id } } })) as unknown as Promise<DetailT>, [id]);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>((location.state as { submitted?: boolean } | null)?.submitted ? t('svc.detail.submitted') : null);
  const a = app.data;

  const act = async (action: string, body: Record<string, unknown>) => {
    setError(null);
    try {
      await unwrap(api.POST('/api/services/applications/{id}/actions/{action}', { params: { path: { id, action } }, body }));
      setDone(action === 'withdraw' ? t('svc.detail.withdrawn') : t('svc.detail.resubmitted'));
      app.reload();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <p><Link to="/portal/services/mine">{t('svc.back.mine')}</Link></p>
      <ProblemAlert error={app.error} onRetry={app.reload} />
      {!a && !app.error && <p role="status">{t('app.loading')}</p>}
      <div aria-live="polite">{done && <Alert type="success" showIcon title={done} style={{ marginBottom: 12 }} />}</div>
      {error !== null && <Alert type="error" showIcon role="alert" title={errorMessage(error, i18n)} style={{ marginBottom: 12 }} />}
      {a && (
        <article>
          <h1 className="yl-page-title">{a.itemName}</h1>
          <dl className="yl-svc-facts">
            <div><dt>{t('svc.mine.number')}</dt><dd data-testid="case-number">{a.number}</dd></div>
            <div><dt>{t('common.status')}</dt><dd data-testid="case-status"><span className={`yl-svc-status yl-svc-status-${a.outcome ?? a.status}`}>{statusText(a.status, a.outcome)}</span></dd></div>
            <div><dt>{t('svc.mine.submitted')}</dt><dd>{i18n.date(a.submittedAt)}</dd></div>
            {a.case?.dueAt && a.status !== 'completed' && <div><dt>{t('svc.detail.due')}</dt><dd>{i18n.date(a.case.dueAt)}{a.case.paused ? ` ${t('svc.detail.paused')}` : ''}</dd></div>}
            {a.completedAt && <div><dt>{t('svc.detail.completed')}</dt><dd>{i18n.date(a.completedAt)}</dd></div>}
          </dl>
          {a.status === 'completed' && <Result a={a} />}
          {a.status === 'correction' && a.case?.corrections && <Corrections list={a.case.corrections} materials={a.materials} onSend={(b) => act('resubmit', b)} />}
          {a.children.length > 0 && (
            <section aria-labelledby="d-children">
              <h2 className="yl-section-title" id="d-children">{t('svc.detail.children')}</h2>
              <ul>{a.children.map((c) => <li key={c.id}><Link to={`/portal/services/mine/${c.id}`}>{c.itemName}</Link> · {c.number} · {statusText(c.status, c.outcome)}</li>)}</ul>
            </section>
          )}
          {a.case && (
            <section aria-labelledby="d-timeline">
              <h2 className="yl-section-title" id="d-timeline">{t('svc.detail.timeline')}</h2>
              <ol className="yl-svc-timeline">
                {a.case.history.map((h, i) => (
                  <li key={i}>
                    <time dateTime={h.at}>{i18n.date(h.at)}</time>
                    <div><strong>{h.action ? (ACTION_KEY[h.action] ? t(ACTION_KEY[h.action]!) : h.action) : t('svc.action.submit')}</strong></div>
                    {h.comment && <div>{h.comment}</div>}
                  </li>
                ))}
              </ol>
            </section>
          )}
          {a.status !== 'completed' ? (
            <p>
              <Popconfirm title={t('svc.detail.withdrawConfirm')} okText={t('svc.detail.withdraw')} cancelText={t('common.cancel')} onConfirm={() => act('withdraw', { comment: t('svc.detail.withdrawComment') })}>
                <Button danger>{t('svc.detail.withdraw')}</Button>
              </Popconfirm>
            </p>
          ) : null}
          {a.status === 'completed' && a.outcome !== 'withdrawn' && <p><Link to="/portal/services/ratings">{t('svc.detail.rate')}</Link></p>}
        </article>
      )}
    </>
  );
}

function Result({ a }: { a: DetailT }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [err, setErr] = useState<string | null>(null);
  const r = a.result;
  return (
    <section aria-labelledby="d-result" className="yl-card">
      <h2 className="yl-section-title" id="d-result">{t('svc.detail.result')}</h2>
      {a.outcome === 'approved' && (
        <>
          {r?.text && <p data-testid="result-text">{r.text}</p>}
          {r?.fileId && <Button onClick={() => downloadFile(r.fileId!, `${a.number}.pdf`).catch((e: unknown) => setErr(errorMessage(e, i18n)))}>{t('svc.detail.download')}</Button>}
          {r?.partial && <p>{t('svc.detail.partial')}</p>}
        </>
      )}
      {(a.outcome === 'refused' || a.outcome === 'rejected') && (
        <>
          {r?.reasons && <p><strong>{t('svc.detail.reasons')}</strong>{r.reasons}</p>}
          {r?.legalBasis && <p><strong>{t('svc.detail.legalBasis')}</strong>{r.legalBasis}</p>}
        </>
      )}
      {a.outcome === 'withdrawn' && <p>{t('svc.outcome.withdrawn')}</p>}
      {err && <p role="alert" className="yl-svc-error">{err}</p>}
    </section>
  );
}

function Corrections({ list, materials, onSend }: { list: Correction[]; materials: DetailT['materials']; onSend(body: Record<string, unknown>): Promise<void> }) {
  const { t } = useI18n();
  const [files, setFiles] = useState<Record<string, string[]>>({});
  const [names, setNames] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const nameOf = (materialId?: string) => materials.find((m) => m.materialId === materialId)?.name ?? materialId ?? '';
  const send = async (v: { comment?: string; fields?: Record<string, string> }) => {
    setBusy(true);
    const fields = Object.fromEntries(Object.entries(v.fields ?? {}).filter(([, x]) => x?.trim()));
    await onSend({
      comment: v.comment?.trim() || t('svc.correct.defaultComment'),
      attachments: Object.values(files).flat(),
      ...(Object.keys(fields).length ? { data: { correctedFields: fields } } : {}),
    });
    setBusy(false);
  };
  return (
    <section aria-labelledby="d-corr" className="yl-card">
      <h2 className="yl-section-title" id="d-corr">{t('svc.correct.title')}</h2>
      <p>{t('svc.correct.intro')}</p>
      <Form form={form} layout="vertical" onFinish={(v) => void send(v as { comment?: string; fields?: Record<string, string> })}>
        <ol>
          {list.map((c, i) => (
            <li key={i}>
              <p>{c.materialId ? <strong>{nameOf(c.materialId)}：</strong> : c.field ? <strong>{c.field}：</strong> : null}{c.note}</p>
              {c.materialId && (
                <div>
                  <label htmlFor={`corr-${i}`} className="yl-svc-label">{t('svc.material.choose', { name: nameOf(c.materialId) })}</label>
                  <AttachmentInput id={`corr-${i}`} value={files[c.materialId] ?? []} onChange={(ids) => setFiles((f) => ({ ...f, [c.materialId!]: ids }))}
                    names={names} onNamed={(fid, n) => setNames((x) => ({ ...x, [fid]: n }))} label={nameOf(c.materialId)} />
                </div>
              )}
              {c.field && <Form.Item name={['fields', c.field]} label={t('svc.correct.fieldValue', { field: c.field })}><Input /></Form.Item>}
            </li>
          ))}
        </ol>
        <Form.Item name="comment" label={t('svc.correct.comment')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('svc.correct.send')}</Button>
      </Form>
    </section>
  );
}
