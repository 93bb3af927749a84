// 我的办件: my applications, newest first, with status, case number and dates; and 办件查询 —
// public tracking by case number + mobile, without signing in.
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { Alert, Button, Form, Input, Pagination } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import { useAuth } from '../../../auth/AuthProvider';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { useStatusText, type Summary } from './common';

const LIMIT = 10;

export default function Mine() {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  usePageTitle('svc.mine.title');
  const [page, setPage] = useState(1);
  const statusText = useStatusText();
  const signedIn = auth.status === 'signedIn';
  const list = useLoad(() => (signedIn
    ? unwrap(api.GET('/api/services/applications/mine', { params: { query: { limit: LIMIT, offset: (page - 1) * LIMIT } } })) as unknown as Promise<{ items: Summary[]; total: number }>
    : Promise.resolve({ items: [], total: 0 })), [page, signedIn]);
  return (
    <>
      <h1 className="yl-page-title">{t('svc.mine.title')}</h1>
      <p><Link to="/portal/services/track">{t('svc.track.link')}</Link> · <Link to="/portal/services/ratings">{t('svc.ratings.title')}</Link></p>
      {!signedIn && <p>{t('svc.mine.signIn')}</p>}
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <p role="status" aria-live="polite">{list.loading ? t('app.loading') : signedIn && list.data ? t('common.total', { n: list.data.total }) : ''}</p>
      <ul className="yl-cards" style={{ listStyle: 'none', padding: 0 }}>
        {list.data?.items.map((a) => (
          <li key={a.id} className="yl-card">
            <h2 className="yl-svc-cardtitle"><Link to={`/portal/services/mine/${a.id}`}>{a.itemName}</Link></h2>
            <dl className="yl-svc-facts">
              <div><dt>{t('svc.mine.number')}</dt><dd>{a.number}</dd></div>
              <div><dt>{t('common.status')}</dt><dd><span className={`yl-svc-status yl-svc-status-${a.outcome ?? a.status}`}>{statusText(a.status, a.outcome)}</span></dd></div>
              <div><dt>{t('svc.mine.submitted')}</dt><dd>{i18n.date(a.submittedAt)}</dd></div>
            </dl>
          </li>
        ))}
      </ul>
      {signedIn && list.data && list.data.total === 0 && <p>{t('svc.mine.empty')} <Link to="/portal/services">{t('svc.search.title')}</Link></p>}
      {list.data && list.data.total > LIMIT && <Pagination simple current={page} pageSize={LIMIT} total={list.data.total} onChange={setPage} />}
    </>
  );
}

interface Tracked { number: string; itemName: string; status: string; outcome: string | null; statusText: string; handlingDivision: string; submittedAt: string; updatedAt: string; completedAt: string | null }

export function Track() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('svc.track.title');
  const location = useLocation();
  const [result, setResult] = useState<Tracked | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const statusText = useStatusText();
  const onFinish = async (v: { number: string; mobile: string }) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await unwrap(api.GET('/api/services/track', { params: { query: { number: v.number.trim(), mobile: v.mobile.trim() } } })) as unknown as Tracked);
    } catch (err) {
      setError(errorMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1 className="yl-page-title">{t('svc.track.title')}</h1>
      <p className="yl-secondary">{t('svc.track.intro')}</p>
      <Form layout="vertical" onFinish={(v) => void onFinish(v as { number: string; mobile: string })} initialValues={{ number: new URLSearchParams(location.search).get('number') ?? '' }}>
        <Form.Item name="number" label={t('svc.mine.number')} rules={[{ required: true, message: t('svc.track.numberRequired') }]}><Input autoComplete="off" /></Form.Item>
        <Form.Item name="mobile" label={t('svc.track.mobile')} rules={[{ required: true, message: t('svc.track.mobileRequired') }]}><Input inputMode="tel" autoComplete="tel" /></Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('svc.track.submit')}</Button>
      </Form>
      <div aria-live="polite" style={{ marginTop: 16 }}>
        {error && <Alert type="error" showIcon title={error} />}
        {result && (
          <section className="yl-card" aria-labelledby="track-result">
            <h2 className="yl-svc-cardtitle" id="track-result">{result.itemName}</h2>
            <dl className="yl-svc-facts">
              <div><dt>{t('svc.mine.number')}</dt><dd>{result.number}</dd></div>
              <div><dt>{t('common.status')}</dt><dd>{statusText(result.status, result.outcome)}</dd></div>
              <div><dt>{t('svc.mine.submitted')}</dt><dd>{i18n.date(result.submittedAt)}</dd></div>
              <div><dt>{t('svc.mine.updated')}</dt><dd>{i18n.date(result.updatedAt)}</dd></div>
            </dl>
          </section>
        )}
      </div>
    </>
  );
}
