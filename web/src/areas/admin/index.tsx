// 系统管理 — the administrators' area: a menu of the pages this user's permissions allow, each page
// at /admin/<page>. The first allowed page opens by default.
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { App as AntApp, Typography } from 'antd';
import { useAuth } from '../../auth/AuthProvider';
import { useT } from '../../i18n';
import { ADMIN_PAGES } from '../../shell/access';
import { usePageTitle } from '../../shell/title';
import { Notice } from '../../shell/Notice';
import Health from './Health';
import Outbox from './Outbox';
import Audit from './Audit';
import Workflows from './Workflows';
import Clients from './Clients';
import Users from './Users';
import Roles from './Roles';
import Departments from './Departments';
import Divisions from './Divisions';
import Forms from './Forms';
import './admin.css';

const PAGES: Record<string, () => React.JSX.Element> = {
  health: Health, outbox: Outbox, audit: Audit, workflows: Workflows, clients: Clients,
  users: Users, roles: Roles, departments: Departments, divisions: Divisions, forms: Forms,
};

export default function Admin() {
  const t = useT();
  const auth = useAuth();
  usePageTitle('admin.title');
  const allowed = ADMIN_PAGES.filter((p) => auth.can(p.permission));
  if (!allowed.length) return <Notice tone="warning" title={t('error.forbidden')} />;
  return (
    // AntApp: message and modal hooks for the admin pages (the shell does without them).
    <AntApp className="yl-admin">
      <nav className="yl-admin-menu" aria-label={t('admin.menu')}>
        <Typography.Title level={2} style={{ fontSize: 16 }}>{t('admin.title')}</Typography.Title>
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} className="yl-admin-links">
          {allowed.map((p) => (
            <li key={p.path}><NavLink to={`/admin/${p.path}`} style={{ display: 'block', padding: '8px 4px' }}>{t(p.label)}</NavLink></li>
          ))}
        </ul>
      </nav>
      <div className="yl-admin-body">
        <Routes>
          <Route index element={<Navigate to={allowed[0]!.path} replace />} />
          {allowed.map((p) => {
            const Page = PAGES[p.path]!;
            return <Route key={p.path} path={p.path} element={<Page />} />;
          })}
          <Route path="*" element={<Notice tone="warning" title={t('error.pageNotFound')} />} />
        </Routes>
      </div>
    </AntApp>
  );
}
