// After an intake is saved: the order number, the 110 prompt when emergency words were heard
// (一键转接), the duplicates found (merge), and dispatch with the suggested unit for staff who may
// dispatch. Every result is announced; errors appear next to the control that caused them.
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Select } from 'antd';
import { errorMessage } from '../../../api/problem';
import { useAuth } from '../../../auth/AuthProvider';
import { useI18n } from '../../../i18n';
import { hl, type IntakeResult, type Order } from './api';
import { DispatchPanel } from './Actions';
import { StatusTag } from './parts';

export function AfterSave({ result, answered, onNew }: { result: IntakeResult; answered: boolean; onNew(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const auth = useAuth();
  const [order, setOrder] = useState<Order>(result.order);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [into, setInto] = useState<string | undefined>(result.duplicates[0]?.id);
  const canDispatch = auth.can('hotline:order.dispatch');
  const status = answered && order.status === 'accepted' ? 'answered' : order.status;

  const run = async (action: string, body: unknown) => {
    setBusy(true);
    setError(null);
    try {
      setOrder(await hl.step(order.id, action, body));
    } catch (err) {
      setError(errorMessage(err, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section id="hl-after" aria-labelledby="hl-after-title" className="hl-panel" style={{ marginTop: 16 }}>
      <h2 id="hl-after-title" className="yl-section-title" tabIndex={-1}>{t('hl.console.result')}</h2>
      <p role="status" aria-live="polite">
        {t('hl.console.resultNumber', { number: order.number })} <StatusTag status={status} />{' '}
        <Link to={`/workbench/hotline/orders/${order.id}`}>{t('hl.openOrder')}</Link>
      </p>
      {answered && <p>{t('hl.console.answered')}</p>}
      {result.transferSuggested && order.status === 'accepted' && !answered && (
        <Alert type="warning" showIcon role="alert" style={{ marginBottom: 12 }}
          title={t('hl.console.emergency', { words: result.emergencyWords.join('、') })}
          action={<Button id="hl-police" danger loading={busy} onClick={() => void run('transfer-110', { transferType: 'one-click' })} aria-keyshortcuts="Alt+J">{t('hl.console.transfer110')}</Button>} />
      )}
      {order.status === 'transferred' && <p>{t('hl.console.transferred')}</p>}
      {result.duplicates.length > 0 && order.status === 'accepted' && !answered && canDispatch && (
        <div className="hl-row" style={{ alignItems: 'end', marginBottom: 12 }}>
          <label htmlFor="hl-merge-into">{t('hl.console.mergeInto')}</label>
          <Select id="hl-merge-into" style={{ minWidth: 220 }} value={into} onChange={setInto} options={result.duplicates.map((d) => ({ value: d.id, label: `${d.number}（${Math.round(d.similarity * 100)}%）` }))} />
          <Button loading={busy} onClick={() => void run('merge', { into })}>{t('hl.console.merge')}</Button>
        </div>
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 12 }} />}
      {order.status === 'accepted' && !answered && (canDispatch
        ? <DispatchPanel order={order} onDone={setOrder} />
        : <p>{t('hl.console.toDispatcher')}</p>)}
      <Button onClick={onNew} aria-keyshortcuts="Alt+N">{t('hl.console.new')}</Button>
    </section>
  );
}
