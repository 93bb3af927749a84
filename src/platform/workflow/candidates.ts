// Who a task may be handed to (改派), and the staff names a case page shows. One query decides
// both the list the workbench offers and what `reassign` accepts, so a clerk is never offered a
// colleague the server then refuses, and nobody outside the list can be picked by id.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Principal } from '../../core/http/auth.js';
import { AppError } from '../../core/http/errors.js';
import { accountOf, ACT, holdsRole, mayIn, SUPERVISE, taskNotFound } from './access.js';
import { divisionChain } from './definitions.js';

export interface Colleague {
  id: string;
  name: string;
  /** The department the account is placed in (org placement), if any. */
  department: string | null;
}

export interface TaskRef {
  role: string | null;
  division: string;
  department_id: string | null;
  assignee: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Active staff a task may be reassigned to: holders of the task's role in a subtree containing the
 * case's division (in the task's department, when it names one — a grant bound to a department
 * counts there, an unbound one in the person's own department); for a task assigned to a person
 * (no role), holders of any role granting `workflow:task.act` there. Never the current assignee.
 */
export async function reassignTargets(ex: Executor, t: TaskRef, opts: { q?: string; only?: string; limit?: number } = {}): Promise<Colleague[]> {
  if (opts.only !== undefined && !UUID.test(opts.only)) return [];
  const granted = t.role ? sql`ra.role_code = ${t.role}` : sql`${ACT} = ANY(r.permissions)`;
  const q = opts.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await sql<Colleague>`
    SELECT a.id, a.name, d.name AS department FROM account a LEFT JOIN department d ON d.id = a.department_id
    WHERE a.type = 'staff' AND a.status = 'active'
      AND EXISTS (SELECT 1 FROM role_assignment ra JOIN role r ON r.code = ra.role_code
        WHERE ra.account_id = a.id AND ra.revoked_at IS NULL AND ra.division IN (${sql.join(divisionChain(t.division))}) AND ${granted}
          AND (${t.department_id}::uuid IS NULL OR ra.department_id = ${t.department_id}::uuid OR (ra.department_id IS NULL AND a.department_id = ${t.department_id}::uuid)))
      ${t.assignee ? sql`AND a.id <> ${t.assignee}::uuid` : sql``}
      ${opts.only !== undefined ? sql`AND a.id = ${opts.only}::uuid` : sql``}
      ${like ? sql`AND a.name ILIKE ${like}` : sql``}
    ORDER BY a.name, a.id LIMIT ${opts.limit ?? 50}`.execute(ex);
  return rows.rows.map((r) => ({ id: r.id, name: r.name, department: r.department ?? null }));
}

/** Does the caller see this task at all (else 404)? Its assignee, a holder of its role there, or a supervisor. */
export function seesTask(p: Principal, t: TaskRef): boolean {
  const me = accountOf(p);
  return (!!t.assignee && t.assignee === me) || (!!t.role && holdsRole(p, t.role, t.division, t.department_id)) || mayIn(p, SUPERVISE, t.division);
}

export const mayReassign = (p: Principal, t: TaskRef): boolean => (!!t.assignee && t.assignee === accountOf(p)) || mayIn(p, SUPERVISE, t.division);

export const reassignForbidden = () => new AppError('FORBIDDEN', { 'zh-CN': '只有当前办理人或督办人可以改派', en: 'Only the assignee or a supervisor may reassign' });
export const taskClosed = () => new AppError('INVALID_STATE', { 'zh-CN': '任务已办结或已取消', en: 'The task is no longer open' });

/** GET /api/workflow/tasks/:id/candidates — read-only, so nothing is audited; the same checks as reassign. */
export async function taskCandidates(core: Core, p: Principal, taskId: string, q?: string): Promise<Colleague[]> {
  const t = await core.db.selectFrom('wf_task').select(['role', 'division', 'department_id', 'assignee', 'status']).where('id', '=', taskId).executeTakeFirst();
  if (!t || !seesTask(p, t)) throw taskNotFound();
  if (t.status !== 'open') throw taskClosed();
  if (!mayReassign(p, t)) throw reassignForbidden();
  return reassignTargets(core.db, t, { q, limit: 50 });
}

/**
 * Names of the staff accounts among `ids` (account uuids or `user:<uuid>` actors), with their
 * department. Citizens and enterprises are never named here: they stay 申请人, masked elsewhere.
 */
export async function staffNames(ex: Executor, ids: Iterable<string | null | undefined>): Promise<Record<string, { name: string; department: string | null }>> {
  const wanted = new Set<string>();
  for (const id of ids) {
    const u = id?.replace(/^user:/, '');
    if (u && UUID.test(u)) wanted.add(u.toLowerCase());
  }
  if (!wanted.size) return {};
  const rows = await ex.selectFrom('account').leftJoin('department', 'department.id', 'account.department_id')
    .select(['account.id', 'account.name', 'department.name as department'])
    .where('account.id', 'in', [...wanted]).where('account.type', '=', 'staff').execute();
  return Object.fromEntries(rows.map((r) => [r.id, { name: r.name, department: r.department ?? null }]));
}
