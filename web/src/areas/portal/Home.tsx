// 办事大厅 — the citizens' and enterprises' portal, mobile-first: a welcome, the common services,
// and (signed in) the unread messages. The services module fills the cards in as it lands.
// Plain elements rather than antd's Card and Typography keep the portal's first load small.
import { Link } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { api, unwrap } from '../../api/client';
import { useI18n, type MessageKey } from '../../i18n';
import { useLoad, ProblemAlert } from '../../shell/data';
import { usePageTitle } from '../../shell/title';

// Each card: its label and where it leads (null: not open yet).
const SERVICES: { key: MessageKey; to: string | null }[] = [
  { key: 'portal.service.apply', to: '/portal/services' },
  { key: 'portal.service.progress', to: '/portal/services/mine' },
  { key: 'portal.service.hotline', to: '/portal/hotline' },
  { key: 'portal.service.policy', to: null },
];

function Inbox() {
  const { t } = useI18n();
  const inbox = useLoad(() => unwrap(api.GET('/api/notify/inbox', { params: { query: { limit: 5, offset: 0, unreadOnly: true } } })), []);
  return (
    <section aria-labelledby="yl-inbox">
      <h2 className="yl-section-title" id="yl-inbox">{t('portal.inbox')}</h2>
      <ProblemAlert error={inbox.error} onRetry={inbox.reload} />
      {inbox.data && <p>{t('portal.unread', { n: inbox.data.unread })}</p>}
    </section>
  );
}

export default function Home() {
  const { t } = useI18n();
  const auth = useAuth();
  usePageTitle('portal.title');
  return (
    <>
      <h1 className="yl-page-title">{auth.user ? t('portal.welcome', { name: auth.user.name }) : t('portal.title')}</h1>
      <p className="yl-secondary">{t('portal.intro')}</p>
      {auth.status === 'signedOut' && <p>{t('portal.signInHint')}</p>}
      <section aria-labelledby="yl-services">
        <h2 className="yl-section-title" id="yl-services">{t('portal.services')}</h2>
        <ul className="yl-cards" style={{ listStyle: 'none', padding: 0 }}>
          {SERVICES.map(({ key, to }) => (
            <li key={key} className="yl-card">
              <h3>{to ? <Link to={to}>{t(key)}</Link> : t(key)}</h3>
              {!to && <p>{t('portal.comingSoon')}</p>}
            </li>
          ))}
        </ul>
      </section>
      {auth.status === 'signedIn' && <Inbox />}
      {auth.can('workflow:task.read') && <p><Link to="/workbench">{t('nav.workbench')}</Link></p>}
    </>
  );
}
