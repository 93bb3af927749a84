// The frame of every page: skip link, header (name, language, elderly mode, account), the areas
// this user may open, the main landmark, and banners for an expired session or a lost network.
import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { Alert, Button, Switch } from 'antd';
import { useAuth } from '../auth/AuthProvider';
import { useT } from '../i18n';
import { AREAS, canOpen } from './access';
import { usePrefs } from './prefs';

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function Tools() {
  const t = useT();
  const auth = useAuth();
  const { lang, setLang, elderly, setElderly } = usePrefs();
  const other = lang === 'zh-CN' ? 'en' : 'zh-CN';
  const size = elderly ? 'large' : 'small';
  return (
    <div className="yl-tools">
      <Button size={size} lang={other} title={t('prefs.language')} onClick={() => setLang(other)}>{t('prefs.languageName')}</Button>
      <span>
        <Switch id="yl-elderly" size={elderly ? 'default' : 'small'} checked={elderly} onChange={setElderly} />{' '}
        <label htmlFor="yl-elderly">{t('prefs.elderly')}</label>
      </span>
      {auth.user && <span className="yl-user" title={t('auth.account', { name: auth.user.name })}>{auth.user.name}</span>}
      {auth.status === 'signedIn'
        ? <Button size={size} onClick={() => void auth.signOut()}>{t('auth.signOut')}</Button>
        : <Button size={size} onClick={() => void auth.signIn()} data-testid="sign-in">{t('auth.signIn')}</Button>}
    </div>
  );
}

export function Shell() {
  const t = useT();
  const auth = useAuth();
  const online = useOnline();
  const areas = AREAS.filter((a) => canOpen(a.anyOf, auth.can));
  return (
    <>
      <a className="yl-skip" href="#main">{t('app.skip')}</a>
      <header className="yl-header">
        <Link to="/portal" className="yl-brand">{t('app.name')}<small>{t('app.tagline')}</small></Link>
        <Tools />
      </header>
      <nav className="yl-nav" aria-label={t('nav.label')}>
        <ul>
          {areas.map((a) => <li key={a.id}><NavLink to={a.path}>{t(a.label)}</NavLink></li>)}
        </ul>
      </nav>
      <main id="main" className="yl-main" tabIndex={-1}>
        {!online && <Alert type="warning" showIcon role="alert" title={t('error.network')} style={{ marginBottom: 16 }} />}
        {auth.status === 'expired' && (
          <Alert type="warning" showIcon role="alert" title={t('auth.expired')} style={{ marginBottom: 16 }}
            action={<Button onClick={() => void auth.signIn()}>{t('auth.again')}</Button>} />
        )}
        <Outlet />
      </main>
      <footer className="yl-footer">{t('app.footer')}</footer>
    </>
  );
}
