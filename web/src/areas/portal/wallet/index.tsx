// /portal/wallet — 我的卡包: the signed-in resident's (or enterprise's) e-licenses and e-bills, and
// who may use / has used the licenses. Three sections reached by links (so the phone's back button
// and a bookmark work): 证照 (index), 票据 (bills), 授权记录 (authorizations); details at
// licenses/:identifier and bills/:billCode/:billNumber. Signed-out visitors are asked to sign in.
import { lazy, Suspense, type ReactNode } from 'react';
import { Button } from 'antd';
import { NavLink, Route, Routes, useLocation } from 'react-router';
import { useAuth } from '../../../auth/AuthProvider';
import { useT } from '../../../i18n';
import { Notice } from '../../../shell/Notice';
import { NotFound } from '../../../shell/NotFound';
import { usePageTitle } from '../../../shell/title';
import './wallet.css';

const Licenses = lazy(() => import('./Licenses'));
const LicenseDetail = lazy(() => import('./LicenseDetail'));
const Bills = lazy(() => import('./Bills'));
const BillDetail = lazy(() => import('./BillDetail'));
const Authorizations = lazy(() => import('./Authorizations'));

/** The heading and the section links shared by the three list pages. */
function Sections({ children }: { children: ReactNode }) {
  const t = useT();
  usePageTitle('wal.title');
  return (
    <>
      <h1 className="yl-page-title">{t('wal.title')}</h1>
      <p className="yl-secondary">{t('wal.intro')}</p>
      <nav aria-label={t('wal.tabs')}>
        <ul className="wal-tabs">
          <li><NavLink end to="/portal/wallet">{t('wal.tab.licenses')}</NavLink></li>
          <li><NavLink to="/portal/wallet/bills" end>{t('wal.tab.bills')}</NavLink></li>
          <li><NavLink to="/portal/wallet/authorizations">{t('wal.tab.auth')}</NavLink></li>
        </ul>
      </nav>
      <Suspense fallback={<p role="status">{t('wal.loading')}</p>}>{children}</Suspense>
    </>
  );
}

export default function Wallet() {
  const t = useT();
  const auth = useAuth();
  const where = useLocation();
  usePageTitle('wal.title');
  if (auth.status === 'loading') return <p role="status">{t('app.loading')}</p>;
  if (!auth.user) {
    return <Notice tone="info" title={t('wal.signIn')} extra={<Button type="primary" size="large" onClick={() => void auth.signIn(where.pathname)}>{t('auth.signIn')}</Button>} />;
  }
  // Staff accounts hold no licenses: say so instead of showing the API's refusal.
  if (auth.user.kind !== 'citizen' && auth.user.kind !== 'enterprise') return <Notice tone="info" title={t('wal.notHolder')} />;
  return (
    <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
      <Routes>
        <Route index element={<Sections><Licenses /></Sections>} />
        <Route path="bills" element={<Sections><Bills /></Sections>} />
        <Route path="authorizations" element={<Sections><Authorizations /></Sections>} />
        <Route path="licenses/:identifier" element={<LicenseDetail />} />
        <Route path="bills/:billCode/:billNumber" element={<BillDetail />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
