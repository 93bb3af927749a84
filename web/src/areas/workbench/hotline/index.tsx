// /workbench/hotline — the 12345 screens for staff: the operator console (hotline:order.create),
// the unit inbox (hotline:order.handle), the supervisor view (hotline:order.read: dispatchers act on the queues, operators make the callbacks) and the order
// detail. The sub-navigation shows what the user's roles allow; the index opens the first of them.
import { lazy, Suspense } from 'react';
import { App } from 'antd';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useAuth } from '../../../auth/AuthProvider';
import { useT, type MessageKey } from '../../../i18n';
import { Notice } from '../../../shell/Notice';
import { NotFound } from '../../../shell/NotFound';
import './hotline.css';

const Console = lazy(() => import('./Console'));
const OrderDetail = lazy(() => import('./OrderDetail'));
const UnitInbox = lazy(() => import('./Lists').then((m) => ({ default: m.UnitInbox })));
const Supervisor = lazy(() => import('./Lists').then((m) => ({ default: m.Supervisor })));

const PAGES: Array<{ path: string; label: MessageKey; permission: string }> = [
  { path: 'console', label: 'hl.nav.console', permission: 'hotline:order.create' },
  { path: 'supervisor', label: 'hl.nav.supervisor', permission: 'hotline:order.read' },
  { path: 'inbox', label: 'hl.nav.inbox', permission: 'hotline:order.handle' },
];

export default function Routes_() {
  const t = useT();
  const auth = useAuth();
  const mine = PAGES.filter((p) => auth.can(p.permission));
  return (
    <App>
      {mine.length > 1 && (
        <nav aria-label={t('hl.nav.label')} className="yl-subnav">
          {mine.map((p) => <NavLink key={p.path} to={`/workbench/hotline/${p.path}`}>{t(p.label)}</NavLink>)}
        </nav>
      )}
      <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
        <Routes>
          <Route index element={mine[0] ? <Navigate to={mine[0].path} replace /> : <Notice tone="info" title={t('hl.noRole')} />} />
          <Route path="console" element={<Console />} />
          <Route path="inbox" element={<UnitInbox />} />
          <Route path="supervisor" element={<Supervisor />} />
          <Route path="orders/:id" element={<OrderDetail />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </App>
  );
}
