// 我的评价 (好差评): invitations to rate my finished cases, and the ones already rated. A rating is
// never required: no level is preselected, and a case never waits on it (GB/T 39734 §4.1).
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Form, Input, Radio } from 'antd';
import { api, unwrap } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { showFormErrors } from '../../../shared/forms/FormRenderer';

interface Invitation {
  id: string; caseNumber: string; itemKey: string; itemName: string; serviceType: string; completedAt: string; expiresAt: string; rated: boolean;
  levels: Array<{ stars: number; code: string; name: string }>; indicators: Array<{ code: string; name: string }>;
}

export default function Ratings() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('svc.ratings.title');
  const list = useLoad(() => unwrap(api.GET('/api/services/ratings/invitations/mine')) as unknown as Promise<{ items: Invitation[] }>, [i18n.lang]);
  const [done, setDone] = useState<string | null>(null);
  const pending = (list.data?.items ?? []).filter((x) => !x.rated && Date.parse(x.expiresAt) > Date.now());
  const past = (list.data?.items ?? []).filter((x) => x.rated);
  return (
    <>
      <h1 className="yl-page-title">{t('svc.ratings.title')}</h1>
      <p className="yl-secondary">{t('svc.ratings.intro')}</p>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <div aria-live="polite">{done && <Alert type="success" showIcon title={done} style={{ marginBottom: 12 }} />}</div>
      <section aria-labelledby="r-pending">
        <h2 className="yl-section-title" id="r-pending">{t('svc.ratings.pending')}</h2>
        {list.data && pending.length === 0 && <p>{t('svc.ratings.nonePending')}</p>}
        {pending.map((inv) => <RateForm key={inv.id} inv={inv} onDone={() => { setDone(t('svc.ratings.thanks', { name: inv.itemName })); list.reload(); }} />)}
      </section>
      <section aria-labelledby="r-past">
        <h2 className="yl-section-title" id="r-past">{t('svc.ratings.past')}</h2>
        {list.data && past.length === 0 && <p>{t('common.none')}</p>}
        <ul>{past.map((inv) => <li key={inv.id}>{inv.itemName} · {inv.caseNumber} · {i18n.date(inv.completedAt, false)}</li>)}</ul>
      </section>
      <p><Link to="/portal/services/mine">{t('svc.back.mine')}</Link></p>
    </>
  );
}

function RateForm({ inv, onDone }: { inv: Invitation; onDone(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form] = Form.useForm();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headId = `rate-${inv.id}`;
  const send = async (v: { level: number; indicators?: Record<string, number>; comment?: string }) => {
    setBusy(true);
    setError(null);
    const indicators = Object.fromEntries(Object.entries(v.indicators ?? {}).filter(([, s]) => typeof s === 'number'));
    try {
      await unwrap(api.POST('/api/services/ratings/invitations/{id}/rating', { params: { path: { id: inv.id } }, body: { level: v.level, indicators: { ...indicators, overall: v.level }, comment: v.comment?.trim() || null } }));
      onDone();
    } catch (err) {
      setError(showFormErrors(form, err, i18n, 'body').message);
    } finally {
      setBusy(false);
    }
  };
  const levels = inv.levels.map((l) => ({ value: l.stars, label: l.name }));
  return (
    <section className="yl-card" aria-labelledby={headId}>
      <h3 id={headId}>{inv.itemName}</h3>
      <p className="yl-secondary">{inv.caseNumber} · {t('svc.ratings.until', { date: i18n.date(inv.expiresAt, false) })}</p>
      <Form form={form} layout="vertical" onFinish={(v) => void send(v as { level: number })}>
        <Form.Item name="level" label={t('svc.ratings.level')} rules={[{ required: true, message: t('svc.ratings.levelRequired') }]}>
          <Radio.Group className="yl-svc-levels" options={levels} />
        </Form.Item>
        <fieldset className="yl-svc-group">
          <legend>{t('svc.ratings.indicators')}</legend>
          {inv.indicators.filter((x) => x.code !== 'overall').map((x) => (
            <Form.Item key={x.code} name={['indicators', x.code]} label={x.name}>
              <Radio.Group options={levels} />
            </Form.Item>
          ))}
        </fieldset>
        <Form.Item name="comment" label={t('svc.ratings.comment')}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
        {error && <p role="alert" className="yl-svc-error">{error}</p>}
        <Button type="primary" htmlType="submit" loading={busy}>{t('svc.ratings.submit')}</Button>
      </Form>
    </section>
  );
}
