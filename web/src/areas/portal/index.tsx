// 办事大厅 — the portal's routes: the home page, 一网通办 (services/, owned by the services pages)
// the 12345 hotline (hotline/: my requests and the chat) and
// 我的卡包 (wallet/: e-licenses and e-bills). Each feature is its own chunk.
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { useT } from '../../i18n';
import { NotFound } from '../../shell/NotFound';
import Home from './Home';

const Services = lazy(() => import('./services/index'));
const Hotline = lazy(() => import('./hotline/index'));
const Wallet = lazy(() => import('./wallet/index'));

export default function Portal() {
  const t = useT();
  return (
    <Suspense fallback={<p role="status">{t('app.loading')}</p>}>
      <Routes>
        <Route index element={<Home />} />
        <Route path="services/*" element={<Services />} />
        <Route path="hotline/*" element={<Hotline />} />
        <Route path="wallet/*" element={<Wallet />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
