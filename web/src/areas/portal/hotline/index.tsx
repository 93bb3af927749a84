// /portal/hotline — 12345 for residents, mobile-first: my requests with their progress, filing a
// new request (web channel), and the smart text service (chat) that can turn into a request.
// Signed-out visitors are asked to sign in first (every request has an owner).
import { lazy, Suspense } from 'react';
import { App, Button } from 'antd';
import { Route, Routes, useLocation } from 'react-router';
import { useAuth } from '../../../auth/AuthProvider';
import { useT } from '../../../i18n';
import { Notice } from '../../../shell/Notice';
import { NotFound } from '../../../shell/NotFound';
import '../../workbench/hotline/hotline.css';

const MyRequests = lazy(() => import('./MyRequests'));
const RequestDetail = lazy(() => import('./RequestDetail'));
const NewRequest = lazy(() => import('./NewRequest'));
const Chat = lazy(() => import('./Chat'));

export default function Routes_() {
  const t = useT();
  const auth = useAuth();
  const where = useLocation();
  if (auth.status === 'loading') return <p role="status">{t('app.loading')}</p>;
  if (!auth.user) {
    return <Notice tone="info" title={t('hl.portal.signIn')} extra={<Button type="primary" onClick={() => void auth.signIn(where.pathname)}>{t('auth.signIn')}</Button>} />;
  }
  return (
    <App>
      <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
        <Routes>
          <Route index element={<MyRequests />} />
          <Route path="new" element={<NewRequest />} />
          <Route path="chat" element={<Chat />} />
          <Route path="orders/:id" element={<RequestDetail />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </App>
  );
}
