// 工作台 — staff's routes: the task inbox, case detail and actions (cases/), and the 12345 hotline
// console, unit inbox and supervisor view (hotline/). A sub-navigation shows what the roles allow.
import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useAuth } from '../../auth/AuthProvider';
import { useT } from '../../i18n';
import { NotFound } from '../../shell/NotFound';
import Inbox from './Inbox';

const Cases = lazy(() => import('./cases/index'));
const Hotline = lazy(() => import('./hotline/index'));

const HOTLINE = ['hotline:order.create', 'hotline:order.read', 'hotline:order.handle', 'hotline:order.dispatch'];

export default function Workbench() {
  const t = useT();
  const auth = useAuth();
  const hotline = HOTLINE.some((p) => auth.can(p));
  return (
    <>
      {hotline && (
        <nav aria-label={t('workbench.sections')} className="yl-subnav">
          <NavLink to="/workbench" end>{t('workbench.inbox')}</NavLink>
          <NavLink to="/workbench/hotline">{t('hl.title')}</NavLink>
        </nav>
      )}
      <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
        <Routes>
          <Route index element={<Inbox />} />
          <Route path="cases/*" element={<Cases />} />
          <Route path="hotline/*" element={<Hotline />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </>
  );
}
