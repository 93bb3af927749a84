// 工单详情 — one order with its full history (steps, returns, extensions, 督办 rungs) and the
// steps the reader may take now: the unit's (sign, reply, return, extension) or the hotline's
// (dispatch, arbitration, extension decision, review, callback). Caller details come masked from
// the server; a caller who asked for anonymity is hidden from the unit.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { hl, type Order } from './api';
import { HotlineActions, UnitActions } from './Actions';
import { OrderFacts, Timeline } from './parts';

export default function OrderDetail() {
  const { id = '' } = useParams();
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('hl.detail.title');
  const [fresh, setFresh] = useState<Order | null>(null);
  const order = useLoad(() => hl.order(id), [id]);
  const history = useLoad(() => hl.history(id), [id, fresh?.updatedAt]);
  const o = fresh?.id === id ? fresh : order.data;
  const h = history.data;
  const done = (next: Order) => setFresh(next);
  return (
    <>
      <p><Link to="/workbench/hotline">{t('hl.back')}</Link></p>
      <h1 className="yl-page-title">{o ? t('hl.detail.heading', { number: o.number }) : t('hl.detail.title')}</h1>
      <ProblemAlert error={order.error ?? history.error} onRetry={() => { order.reload(); history.reload(); }} />
      {o && (
        <>
          <h2 className="yl-section-title">{o.title}</h2>
          <OrderFacts order={o} unitName={h?.unit?.name} />
          <section aria-labelledby="hl-steps" style={{ marginTop: 16 }}>
            <h2 id="hl-steps" className="yl-section-title">{t('hl.detail.act')}</h2>
            <div aria-live="polite" data-testid="order-status">{t('hl.detail.now', { status: t(`hl.status.${o.status}` as MessageKey) })}</div>
            {h?.relation === 'unit' && <UnitActions order={o} onDone={done} />}
            {h?.relation === 'hotline' && <HotlineActions order={o} onDone={done} />}
          </section>
        </>
      )}
      {h && (
        <section aria-labelledby="hl-hist" style={{ marginTop: 16 }}>
          <h2 id="hl-hist" className="yl-section-title">{t('hl.detail.history')}</h2>
          <Timeline history={h} />
          {h.returns.length > 0 && (
            <>
              <h3>{t('hl.detail.returns')}</h3>
              <ul className="hl-list">
                {h.returns.map((r, n) => <li key={n}>{i18n.date(r.at)} · {r.reasonCode} · {t('hl.legalBasis')}：{r.legalBasis}{r.decision ? ` · ${t(`hl.decision.${r.decision}` as MessageKey)}` : ` · ${t('hl.decision.pending')}`}</li>)}
              </ul>
            </>
          )}
          {h.extensions.length > 0 && (
            <>
              <h3>{t('hl.detail.extensions')}</h3>
              <ul className="hl-list">
                {h.extensions.map((e, n) => <li key={n}>{i18n.date(e.at)} · {t('hl.detail.extDays', { n: e.workingDays })} · {e.reason} · {t('hl.legalBasis')}：{e.legalBasis} · <Tag>{t(`hl.ext.${e.status}` as MessageKey)}</Tag></li>)}
              </ul>
            </>
          )}
          <h3>{t('hl.detail.supervision')}</h3>
          {h.supervision.length === 0 ? <p className="hl-muted">{t('hl.detail.noSupervision')}</p> : (
            <ul className="hl-list">
              {h.supervision.map((s, n) => <li key={n}>{t(`hl.rung.${s.kind}` as MessageKey)} · {i18n.date(s.at)}</li>)}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
