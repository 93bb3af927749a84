// Which areas and pages a user may see: the permission each needs (the server enforces the same
// permissions on every API call; this only keeps the navigation honest).
import type { MessageKey } from '../i18n';

export type AreaId = 'portal' | 'workbench' | 'admin' | 'screen';

export interface AreaDef {
  id: AreaId;
  path: string;
  label: MessageKey;
  /** Any one of these permissions opens the area; none listed = open to everyone. */
  anyOf: string[];
}

export const AREAS: AreaDef[] = [
  { id: 'portal', path: '/portal', label: 'nav.portal', anyOf: [] },
  { id: 'workbench', path: '/workbench', label: 'nav.workbench', anyOf: ['workflow:task.read'] },
  { id: 'admin', path: '/admin', label: 'nav.admin', anyOf: ['core:ops.read', 'identity:client.manage', 'workflow:definition.manage', 'core:audit.read', 'identity:account.read', 'org:department.manage', 'forms:definition.manage'] },
  { id: 'screen', path: '/screen', label: 'nav.screen', anyOf: ['workflow:task.supervise', 'core:ops.read'] },
];

export interface AdminPageDef {
  path: string;
  label: MessageKey;
  permission: string;
}

export const ADMIN_PAGES: AdminPageDef[] = [
  { path: 'health', label: 'admin.health', permission: 'core:ops.read' },
  { path: 'outbox', label: 'admin.outbox', permission: 'core:ops.read' },
  { path: 'audit', label: 'admin.audit', permission: 'core:audit.read' },
  { path: 'workflows', label: 'admin.workflows', permission: 'workflow:definition.manage' },
  { path: 'clients', label: 'admin.clients', permission: 'identity:client.manage' },
  { path: 'users', label: 'adm.users', permission: 'identity:account.read' },
  { path: 'roles', label: 'adm.roles', permission: 'identity:account.read' },
  { path: 'departments', label: 'adm.depts', permission: 'org:department.read' },
  { path: 'divisions', label: 'adm.divisions', permission: 'org:department.read' },
  { path: 'forms', label: 'adm.forms', permission: 'forms:definition.manage' },
];

export const canOpen = (anyOf: string[], can: (p: string) => boolean): boolean => anyOf.length === 0 || anyOf.some(can);
