// 我的诉求 — a resident's own requests, newest first, each with its state, deadline and the reply
// once there is one; links to file a new request or ask the smart text service.
import { Link } from 'react-router';
import { useI18n } from '../../../i18n';
import { ProblemAlert, useLoad } from '../../../shell/data';
import { usePageTitle } from '../../../shell/title';
import { hl } from '../../workbench/hotline/api';
import { StatusTag } from '../../workbench/hotline/parts';

export default function MyRequests() {
  const i18n = useI18n();
  const { t } = i18n;
  usePageTitle('hl.mine.title');
  const list = useLoad(() => hl.list('mine'), []);
  const items = [...(list.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <h1 className="yl-page-title">{t('hl.mine.title')}</h1>
      <p className="yl-secondary">{t('hl.mine.intro')}</p>
      <p className="hl-row">
        <Link to="/portal/hotline/new">{t('hl.mine.new')}</Link>
        <Link to="/portal/hotline/chat">{t('hl.mine.chat')}</Link>
      </p>
      <ProblemAlert error={list.error} onRetry={list.reload} />
      <section aria-labelledby="hl-mine-list">
        <h2 id="hl-mine-list" className="yl-section-title">{t('hl.mine.list')}</h2>
        {list.loading && !list.data && <p role="status">{t('app.loading')}</p>}
        {list.data && items.length === 0 && <p>{t('hl.mine.empty')}</p>}
        <ul className="yl-cards" style={{ listStyle: 'none', padding: 0 }} data-testid="my-requests">
          {items.map((o) => (
            <li key={o.id} className="yl-card">
              <h3><Link to={`/portal/hotline/orders/${o.id}`}>{o.title}</Link></h3>
              <p>{o.number} <StatusTag status={o.status} /></p>
              <p className="hl-muted">{o.category.path} · {i18n.date(o.createdAt)}</p>
              {o.reply && <p>{t('hl.reply')}：{o.reply}</p>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
