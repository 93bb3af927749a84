// One e-bill: every field of the payer's view (payer code masked by the API), the item table (it
// scrolls inside itself on a phone), the totals in figures and in capitals, the signed PDF and the
// public check page (票据代码 + 号码 + 校验码). Taken from GET /api/licenses/mine/bills.
import { useParams } from 'react-router';
import { useI18n } from '../../../i18n';
import { Notice } from '../../../shell/Notice';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { billVerifyPath, downloadBillPdf, loadBills, useDivisionNames } from './data';
import { BackLink, Facts, Loading, PdfButton, QrCode, useYuan } from './parts';

export default function BillDetail() {
  const i18n = useI18n();
  const { t } = i18n;
  const yuan = useYuan();
  usePageTitle('wal.bill.facts');
  const { billCode = '', billNumber = '' } = useParams();
  const bills = useLoad(loadBills, []);
  const b = bills.data?.items.find((x) => x.billCode === billCode && x.billNumber === billNumber);
  const division = useDivisionNames(b ? [b.division] : []);
  if (bills.error) return <><BackLink /><ProblemAlert error={bills.error} onRetry={bills.reload} /></>;
  if (!bills.data) return <Loading show />;
  if (!b) return <><Notice tone="warning" title={t('wal.bill.notFound')} /><BackLink /></>;
  const verify = billVerifyPath(b);
  return (
    <>
      <BackLink />
      <h1 className="yl-page-title">{b.billType.name}</h1>
      <p className="wal-amount" data-testid="wal-bill-total">{yuan(b.total)} · {b.totalCapital}</p>
      <section aria-labelledby="wal-bfacts-h">
        <h2 className="yl-section-title" id="wal-bfacts-h">{t('wal.bill.facts')}</h2>
        <Facts testId="wal-bill-facts" facts={[
          { key: 'code', label: t('wal.bill.code'), value: b.billCode, mono: true },
          { key: 'number', label: t('wal.bill.number'), value: b.billNumber, mono: true },
          { key: 'check', label: t('wal.bill.checkCode'), value: b.checkCode, mono: true },
          { key: 'type', label: t('wal.bill.type'), value: `${b.billType.code} ${b.billType.name}` },
          { key: 'payee', label: t('wal.bill.payee'), value: b.payee.name },
          { key: 'payeeCode', label: t('wal.bill.payeeCode'), value: b.payee.code, mono: true },
          { key: 'payer', label: t('wal.bill.payer'), value: b.payer.name },
          { key: 'payerCode', label: t('wal.bill.payerCode'), value: b.payer.codeMasked, mono: true },
          { key: 'total', label: t('wal.bill.total'), value: yuan(b.total) },
          { key: 'capital', label: t('wal.bill.totalCapital'), value: b.totalCapital },
          { key: 'channel', label: t('wal.bill.channel'), value: b.payment.channelName },
          { key: 'paidAt', label: t('wal.bill.paidAt'), value: i18n.date(b.payment.paidAt) },
          { key: 'tx', label: t('wal.bill.transactionId'), value: b.payment.transactionId, mono: true },
          { key: 'issuedAt', label: t('wal.bill.issuedAt'), value: i18n.date(b.issuedAt) },
          { key: 'division', label: t('wal.bill.division'), value: division(b.division) },
          { key: 'caseRef', label: t('wal.bill.caseRef'), value: b.caseRef, mono: true },
          { key: 'remark', label: t('wal.bill.remark'), value: b.remark },
          { key: 'alg', label: t('wal.bill.algorithm'), value: b.algorithm },
          { key: 'keyId', label: t('wal.bill.keyId'), value: b.keyId, mono: true },
        ]} />
      </section>
      <section aria-labelledby="wal-items-h">
        <h2 className="yl-section-title" id="wal-items-h">{t('wal.bill.items')}</h2>
        <div className="wal-scroll" role="region" aria-labelledby="wal-items-h" tabIndex={0}>
          <table className="wal-table" data-testid="wal-bill-items">
            <thead>
              <tr>
                <th scope="col">{t('wal.bill.item.name')}</th>
                <th scope="col">{t('wal.bill.item.code')}</th>
                <th scope="col">{t('wal.bill.item.quantity')}</th>
                <th scope="col">{t('wal.bill.item.unit')}</th>
                <th scope="col">{t('wal.bill.item.unitPrice')}</th>
                <th scope="col">{t('wal.bill.item.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {b.items.map((it, i) => (
                <tr key={i}>
                  <th scope="row">{it.name}</th>
                  <td className="wal-mono">{it.code ?? ''}</td>
                  <td className="num">{it.quantity}</td>
                  <td>{it.unit}</td>
                  <td className="num">{it.unitPrice ?? ''}</td>
                  <td className="num">{it.amount}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('wal.bill.sum')}</th>
                <td colSpan={4}>{b.totalCapital}</td>
                <td className="num">{b.total}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>
      <div className="wal-actions">
        <PdfButton testId="wal-bill-pdf" label={t('wal.bill.pdf')} hint={t('wal.bill.pdfHint')} download={() => downloadBillPdf(b, b.billType.name)} />
      </div>
      <section aria-labelledby="wal-bverify-h">
        <h2 className="yl-section-title" id="wal-bverify-h">{t('wal.bill.verify')}</h2>
        <div className="wal-verify">
          <QrCode text={`${window.location.origin}${verify}`} label={t('wal.bill.qr')} />
          <div>
            <p>{t('wal.bill.verifyHint')}</p>
            <p><a href={verify} target="_blank" rel="noopener" data-testid="wal-bill-verify-link">{t('wal.bill.verifyLink')}<span className="yl-secondary">{t('wal.openInNew')}</span></a></p>
          </div>
        </div>
      </section>
    </>
  );
}
