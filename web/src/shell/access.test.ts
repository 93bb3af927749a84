// Who sees which area and admin page: the same permission rule as the server (exact, *, module:*).
import { describe, expect, it } from 'vitest';
import { allows } from '../auth/AuthProvider';
import { ADMIN_PAGES, AREAS, canOpen } from './access';

const visible = (permissions: string[]) => AREAS.filter((a) => canOpen(a.anyOf, (p) => allows(permissions, p))).map((a) => a.id);

describe('navigation by permission', () => {
  it('shows the portal to everyone and staff areas by permission', () => {
    expect(visible([])).toEqual(['portal']);
    expect(visible(['services:application.create'])).toEqual(['portal']);
    expect(visible(['workflow:task.read', 'workflow:task.act'])).toEqual(['portal', 'workbench']);
    // A window clerk reads the org directory but is no administrator.
    expect(visible(['workflow:task.read', 'org:department.read'])).toEqual(['portal', 'workbench']);
    expect(visible(['identity:account.read'])).toEqual(['portal', 'admin']);
    expect(visible(['core:ops.read', 'core:audit.read'])).toEqual(['portal', 'admin', 'screen']);
    expect(visible(['*'])).toEqual(['portal', 'workbench', 'admin', 'screen']);
    expect(visible(['workflow:*'])).toEqual(['portal', 'workbench', 'admin', 'screen']);
  });

  it('gives each admin page one permission', () => {
    const pages = (permissions: string[]) => ADMIN_PAGES.filter((p) => allows(permissions, p.permission)).map((p) => p.path);
    expect(pages(['core:ops.read', 'core:audit.read'])).toEqual(['health', 'outbox', 'audit']);
    expect(pages(['identity:client.manage'])).toEqual(['clients']);
    expect(pages(['*'])).toEqual(['health', 'outbox', 'audit', 'workflows', 'clients', 'users', 'roles', 'departments', 'divisions', 'forms']);
    // A department administrator: accounts, departments, forms and workflows, not health or clients.
    expect(pages(['identity:account.read', 'org:department.read', 'forms:definition.manage', 'workflow:definition.manage'])).toEqual(['workflows', 'users', 'roles', 'departments', 'divisions', 'forms']);
  });
});
