// Routes: the shell around everything; one lazily loaded chunk per area.
import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Shell } from './shell/Shell';
import { AreaGate } from './shell/AreaGate';
import { NotFound } from './shell/NotFound';
import Callback from './auth/Callback';

const Portal = lazy(() => import('./areas/portal/index'));
const Workbench = lazy(() => import('./areas/workbench/index'));
const Admin = lazy(() => import('./areas/admin/index'));
const Screen = lazy(() => import('./areas/screen/index'));

export function App() {
  return (
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Navigate to="/portal" replace />} />
        <Route path="portal/*" element={<AreaGate area="portal"><Portal /></AreaGate>} />
        <Route path="workbench/*" element={<AreaGate area="workbench"><Workbench /></AreaGate>} />
        <Route path="admin/*" element={<AreaGate area="admin"><Admin /></AreaGate>} />
        <Route path="screen/*" element={<AreaGate area="screen"><Screen /></AreaGate>} />
        <Route path="auth/callback" element={<Callback />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
