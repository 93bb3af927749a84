// 免申即享: benefits granted to me without an application (a scheduled scan over registry data),
// each with why; accept, or decline with a reason.
import { useState } from 'react';
import { Alert, Button, Input, Space } from 'antd';
import { api, unwrap } from '../../../api/client';
import { errorMessage } from '../../../api/problem';
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';

export function BenefitsCard() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const list = useLoad(() => unwrap(api.GET('/api/services/benefits/mine')), []);
  const [reason, setReason] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const decide = async (id: string, how: 'accept' | 'decline') => {
    setError(null);
    try {
      if (how === 'accept') await unwrap(api.POST('/api/services/benefits/grants/{id}/accept', { params: { path: { id } } }));
      else await unwrap(api.POST('/api/services/benefits/grants/{id}/decline', { params: { path: { id } }, body: { reason: reason[id]?.trim() || t('svc.benefits.noReason') } }));
      list.reload();
    } catch (err) {
      setError(errorMessage(err, i18n));
    }
  };
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="svc-benefits">
      <h2 className="yl-section-title" id="svc-benefits">{t('svc.benefits.title')}</h2>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      {error && <Alert type="error" showIcon role="alert" title={error} />}
      {list.data && items.length === 0 && <p>{t('svc.benefits.none')}</p>}
      <ul className="yl-cards" style={{ listStyle: 'none', padding: 0 }}>
        {items.map((b) => (
          <li key={b.id} className="yl-card">
            <h3>{b.title[lang]}</h3>
            <p>{b.amount[lang]} · {b.period}</p>
            <p className="yl-secondary">{t(`svc.benefits.status.${b.status}` as 'svc.benefits.status.offered')}</p>
            {b.status === 'offered' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Button type="primary" onClick={() => void decide(b.id, 'accept')}>{t('svc.benefits.accept')}</Button>
                <Input aria-label={t('svc.benefits.reason')} placeholder={t('svc.benefits.reason')} value={reason[b.id] ?? ''} onChange={(e) => setReason((r) => ({ ...r, [b.id]: e.target.value }))} />
                <Button onClick={() => void decide(b.id, 'decline')}>{t('svc.benefits.decline')}</Button>
              </Space>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
