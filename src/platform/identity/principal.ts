// From an account (and, when acting for someone, a delegation) to the Principal that access
// control checks: one Grant per active role assignment.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Grant, Principal } from '../../core/http/auth.js';

export async function loadPrincipal(core: Core, accountId: string, opts: { mfa?: boolean; actingFor?: string | null } = {}): Promise<Principal | null> {
  const a = await core.db.selectFrom('account').select(['id', 'name', 'type', 'status', 'division', 'department_id']).where('id', '=', accountId).executeTakeFirst();
  if (!a || a.status !== 'active') return null;
  const rows = (await sql<{ role_code: string; division: string; department_id: string | null; permissions: string[]; requires_mfa: boolean }>`
    SELECT ra.role_code, ra.division, ra.department_id, r.permissions, r.requires_mfa
    FROM role_assignment ra JOIN role r ON r.code = ra.role_code
    WHERE ra.account_id = ${accountId} AND ra.revoked_at IS NULL ORDER BY ra.granted_at`.execute(core.db)).rows;
  // A role that requires a second factor grants nothing in a session that has not passed one.
  const grants: Grant[] = rows
    .filter((r) => !r.requires_mfa || opts.mfa)
    .map((r) => ({ role: r.role_code, permissions: new Set(r.permissions), division: r.division, department: r.department_id }));
  const permissions = new Set<string>();
  for (const g of grants) for (const p of g.permissions) permissions.add(p);
  return {
    id: `user:${a.id}`,
    name: a.name,
    kind: a.type,
    accountType: a.type,
    permissions,
    scopes: [...new Set(grants.map((g) => g.division))],
    department: a.department_id,
    onBehalfOf: opts.actingFor ? `user:${opts.actingFor}` : null,
    grants,
    mfa: !!opts.mfa,
  };
}

export async function rolesOf(core: Core, accountId: string): Promise<Array<{ role: string; division: string; departmentId: string | null; requiresMfa: boolean }>> {
  const rows = (await sql<{ role_code: string; division: string; department_id: string | null; requires_mfa: boolean }>`
    SELECT ra.role_code, ra.division, ra.department_id, r.requires_mfa FROM role_assignment ra JOIN role r ON r.code = ra.role_code
    WHERE ra.account_id = ${accountId} AND ra.revoked_at IS NULL ORDER BY ra.granted_at`.execute(core.db)).rows;
  return rows.map((r) => ({ role: r.role_code, division: r.division, departmentId: r.department_id, requiresMfa: r.requires_mfa }));
}
