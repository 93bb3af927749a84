// 诉求详情 — one of my requests: what I asked, where it stands, the progress timeline (steps and
// times; remarks only where they are the answer to me) and the reply.
import { Link, useParams } from 'react-router';
import { useI18n, type MessageKey } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { hl } from '../../workbench/hotline/api';
import { StatusTag, Timeline } from '../../workbench/hotline/parts';

export default function RequestDetail() {
  const { id = '' } = useParams();
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('hl.mine.detail');
  const order = useLoad(() => hl.order(id), [id]);
  const history = useLoad(() => hl.history(id), [id]);
  const o = order.data;
  return (
    <>
      <p><Link to="/portal/hotline">{t('hl.mine.back')}</Link></p>
      <h1 className="yl-page-title">{o?.title ?? t('hl.mine.detail')}</h1>
      <ProblemAlert error={order.error ?? history.error} onRetry={() => { order.reload(); history.reload(); }} />
      {o && (
        <section aria-labelledby="hl-req-facts">
          <h2 id="hl-req-facts" className="yl-section-title">{t('hl.mine.facts')}</h2>
          <p>{o.number} <StatusTag status={o.status} /></p>
          <p data-testid="request-status">{t('hl.detail.now', { status: t(`hl.status.${o.status}` as MessageKey) })}</p>
          {o.dueAt && <p>{t('hl.mine.due', { date: i18n.date(o.dueAt) })}</p>}
          <p style={{ whiteSpace: 'pre-wrap' }}>{o.content}</p>
          {o.reply && (
            <>
              <h3>{t('hl.reply')}</h3>
              <p style={{ whiteSpace: 'pre-wrap' }} data-testid="request-reply">{o.reply}</p>
            </>
          )}
        </section>
      )}
      {history.data && (
        <section aria-labelledby="hl-req-progress">
          <h2 id="hl-req-progress" className="yl-section-title">{t('hl.mine.progress')}</h2>
          <Timeline history={history.data} />
        </section>
      )}
    </>
  );
}
