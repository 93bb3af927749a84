// 票据 — the payer's fiscal e-bills, newest first: payee, amount in yuan with the Chinese capitals
// (both as the bill states them), the date and the bill number; each links to its detail.
import { Link } from 'react-router';
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { loadBills } from './data';
import { Facts, Loading, useYuan } from './parts';

export default function Bills() {
  const i18n = useI18n();
  const { t } = i18n;
  const yuan = useYuan();
  const bills = useLoad(loadBills, []);
  const items = bills.data?.items ?? [];
  return (
    <section aria-labelledby="wal-bill-h">
      <h2 className="yl-section-title" id="wal-bill-h">{t('wal.bill.list')}</h2>
      <ProblemAlert error={bills.error} onRetry={bills.reload} />
      <Loading show={bills.loading && !bills.data} />
      {bills.data && items.length === 0 && <p data-testid="wal-bill-empty">{t('wal.bill.empty')}</p>}
      {items.length > 0 && <p className="yl-secondary">{t('wal.bill.count', { n: items.length })}</p>}
      <ul className="wal-list" data-testid="wal-bills">
        {items.map((b) => (
          <li key={`${b.billCode}-${b.billNumber}`} className="yl-card wal-card">
            <h3><Link to={`/portal/wallet/bills/${b.billCode}/${b.billNumber}`}>{b.payee.name}</Link></h3>
            <p className="wal-amount">{yuan(b.total)}</p>
            <Facts className="" facts={[
              { key: 'capital', label: t('wal.bill.capital'), value: b.totalCapital },
              { key: 'type', label: t('wal.bill.type'), value: b.billType.name },
              { key: 'date', label: t('wal.bill.date'), value: i18n.date(b.issuedAt, false) },
              { key: 'number', label: t('wal.bill.number'), value: `${b.billCode}-${b.billNumber}`, mono: true },
            ]} />
          </li>
        ))}
      </ul>
    </section>
  );
}
