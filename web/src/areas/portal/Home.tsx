// 办事大厅 — the citizens' and enterprises' portal, mobile-first: a welcome, a search box for the
// service catalog, browsing by life event, and (signed in) my applications, my benefits and the
// unread messages. Plain elements rather than antd's Card and Typography keep the first load small;
// the 一网通办 pages themselves are a separate chunk (services/).
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { api, unwrap } from '../../api/client';
import { useI18n, type MessageKey } from '../../i18n';
import { useLoad, ProblemAlert } from '../../shell/data';
import { usePageTitle } from '../../shell/title';
import { BenefitsCard } from './services/Benefits';

// Each card: its label and where it leads.
const SERVICES: { key: MessageKey; to: string }[] = [
  { key: 'portal.service.apply', to: '/portal/services' },
  { key: 'portal.service.progress', to: '/portal/services/mine' },
  { key: 'svc.track.title', to: '/portal/services/track' },
  { key: 'svc.ratings.title', to: '/portal/services/ratings' },
  { key: 'portal.service.hotline', to: '/portal/hotline' },
  { key: 'wal.title', to: '/portal/wallet' },
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

function SearchBox() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const go = (e: FormEvent) => {
    e.preventDefault();
    navigate(q.trim() ? `/portal/services?q=${encodeURIComponent(q.trim())}` : '/portal/services');
  };
  return (
    <form role="search" onSubmit={go} className="yl-home-search">
      <label htmlFor="home-q" style={{ display: 'block', fontWeight: 600, marginBottom: 4 }}>{t('svc.search.label')}</label>
      <div style={{ display: 'flex', gap: 8 }}>
        <input id="home-q" type="search" className="ant-input" style={{ flex: 1, minWidth: 0, padding: '6px 11px', border: '1px solid #8c8c8c', borderRadius: 6 }}
          value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('svc.search.placeholder')} />
        <button type="submit" className="ant-btn ant-btn-primary" style={{ padding: '6px 16px', borderRadius: 6, border: 0, background: '#0b4f8a', color: '#fff' }}>{t('svc.search.submit')}</button>
      </div>
    </form>
  );
}

function LifeEvents() {
  const { t, lang } = useI18n();
  const events = useLoad(() => unwrap(api.GET('/api/services/life-events')), []);
  const groups: Array<{ audience: string; title: MessageKey }> = [{ audience: 'person', title: 'svc.events.citizen' }, { audience: 'enterprise', title: 'svc.events.enterprise' }];
  return (
    <section aria-labelledby="yl-events">
      <h2 className="yl-section-title" id="yl-events">{t('svc.events.title')}</h2>
      <ProblemAlert error={events.error} onRetry={events.reload} />
      {groups.map((g) => (
        <div key={g.audience}>
          <h3 style={{ fontSize: 16, margin: '8px 0' }}>{t(g.title)}</h3>
          <ul style={{ listStyle: 'none', padding: 0, display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            {(events.data?.items ?? []).filter((e) => e.audience === g.audience).map((e) => (
              <li key={e.key}><Link className="yl-chip" to={`/portal/services?audience=${g.audience === 'person' ? 'citizen' : 'enterprise'}&event=${e.key}`}>{lang === 'en' ? e.en : e.zh}</Link></li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

interface Mine { items: Array<{ id: string; number: string; itemName: string; status: string; outcome: string | null }>; total: number }

function MyApplications() {
  const { t } = useI18n();
  const mine = useLoad(() => unwrap(api.GET('/api/services/applications/mine', { params: { query: { limit: 3, offset: 0 } } })) as unknown as Promise<Mine>, []);
  return (
    <section aria-labelledby="yl-mine">
      <h2 className="yl-section-title" id="yl-mine">{t('svc.mine.title')}</h2>
      <ProblemAlert error={mine.error} onRetry={mine.reload} />
      {mine.data && mine.data.total === 0 && <p>{t('svc.mine.empty')}</p>}
      <ul>
        {mine.data?.items.map((a) => <li key={a.id}><Link to={`/portal/services/mine/${a.id}`}>{a.itemName}</Link> · {a.number}</li>)}
      </ul>
      {mine.data && mine.data.total > 3 && <p><Link to="/portal/services/mine">{t('svc.mine.all', { n: mine.data.total })}</Link></p>}
    </section>
  );
}

export default function Home() {
  const { t } = useI18n();
  const auth = useAuth();
  usePageTitle('portal.title');
  const applicant = auth.status === 'signedIn' && auth.can('services:application.read-own');
  return (
    <>
      <h1 className="yl-page-title">{auth.user ? t('portal.welcome', { name: auth.user.name }) : t('portal.title')}</h1>
      <p className="yl-secondary">{t('portal.intro')}</p>
      {auth.status === 'signedOut' && <p>{t('portal.signInHint')}</p>}
      <SearchBox />
      <section aria-labelledby="yl-services">
        <h2 className="yl-section-title" id="yl-services">{t('portal.services')}</h2>
        <ul className="yl-cards" style={{ listStyle: 'none', padding: 0 }}>
          {SERVICES.map(({ key, to }) => (
            <li key={key} className="yl-card">
              <h3><Link to={to}>{t(key)}</Link></h3>
            </li>
          ))}
        </ul>
      </section>
      <LifeEvents />
      {applicant && <MyApplications />}
      {applicant && auth.user?.kind === 'citizen' && <BenefitsCard />}
      {auth.status === 'signedIn' && <Inbox />}
      {auth.can('workflow:task.read') && <p><Link to="/workbench">{t('nav.workbench')}</Link></p>}
    </>
  );
}
