// From an assignment rule to a task's owner: a queue (role + department in the case's division),
// one holder picked round-robin, a named person, or the previous handler of an earlier state.
import { sql } from 'kysely';
import type { Executor } from '../../core/db/types.js';
import { AppError } from '../../core/http/errors.js';
import type { Assignment } from './definition.js';
import { divisionChain } from './definitions.js';
import { valueAt } from './data.js';

export interface Owner {
  role: string | null;
  departmentId: string | null;
  assignee: string | null;
}

/** Department by code: the case's own division first, then its ancestors. */
async function departmentByCode(ex: Executor, code: string, division: string): Promise<string> {
  const chain = divisionChain(division);
  const rows = await ex.selectFrom('department').select(['id', 'division']).where('code', '=', code).where('division', 'in', chain).execute();
  for (const d of chain) {
    const hit = rows.find((r) => r.division === d);
    if (hit) return hit.id;
  }
  throw new AppError('INVALID_STATE', { 'zh-CN': `流程配置的部门「${code}」在 ${division} 及上级区划中不存在`, en: `Department ${code} does not exist for division ${division}` });
}

/** Active accounts holding `role` in a subtree that contains `division` (optionally in one department). */
export async function roleHolders(ex: Executor, role: string, division: string, departmentId: string | null): Promise<string[]> {
  const chain = divisionChain(division);
  const rows = await sql<{ account_id: string }>`
    SELECT DISTINCT ra.account_id FROM role_assignment ra JOIN account a ON a.id = ra.account_id
    WHERE ra.role_code = ${role} AND ra.revoked_at IS NULL AND a.status = 'active'
      AND ra.division IN (${sql.join(chain)})
      AND (${departmentId}::uuid IS NULL OR ra.department_id = ${departmentId}::uuid OR (ra.department_id IS NULL AND a.department_id = ${departmentId}::uuid))
    ORDER BY ra.account_id`.execute(ex);
  return rows.rows.map((r) => r.account_id);
}

export async function resolveOwner(ex: Executor, a: Assignment, ctx: { key: string; state: string; division: string; instanceId: string; data?: unknown }): Promise<Owner> {
  if (a.person) return { role: null, departmentId: null, assignee: a.person };
  if (a.previous) {
    const prev = await ex.selectFrom('wf_task').select(['completed_by', 'role', 'department_id']).where('instance_id', '=', ctx.instanceId).where('state', '=', a.previous)
      .where('status', '=', 'done').where('completed_by', 'like', 'user:%').orderBy('state_seq', 'desc').limit(1).executeTakeFirst();
    if (!prev) throw new AppError('INVALID_STATE', { 'zh-CN': `找不到环节「${a.previous}」的办理人`, en: `Nobody handled state ${a.previous}` });
    return { role: prev.role, departmentId: prev.department_id, assignee: prev.completed_by!.slice(5) };
  }
  const role = a.role!;
  const fromData = a.departmentFrom ? valueAt(ctx.data, a.departmentFrom) : undefined;
  if (a.departmentFrom && (typeof fromData !== 'string' || !fromData)) {
    throw new AppError('VALIDATION_FAILED', { 'zh-CN': '办件数据中缺少承办部门', en: 'The case data names no department' }, [{ pointer: `/data${a.departmentFrom}`, code: 'required', message: '请指定承办部门编码' }]);
  }
  const code = a.department ?? (fromData as string | undefined);
  const departmentId = code ? await departmentByCode(ex, code, ctx.division) : null;
  if (a.strategy !== 'round-robin') return { role, departmentId, assignee: null };
  const holders = await roleHolders(ex, role, ctx.division, departmentId);
  if (!holders.length) return { role, departmentId, assignee: null };
  // The cursor row exists before it is read and is locked for the rest of the transaction, so two
  // cases never pick the same "next" (the first ever pick is the first holder).
  await sql`INSERT INTO wf_round_robin (key, state, division, role, last_account) VALUES (${ctx.key}, ${ctx.state}, ${ctx.division}, ${role}, ${holders[holders.length - 1]!})
    ON CONFLICT DO NOTHING`.execute(ex);
  const cur = await sql<{ last_account: string }>`SELECT last_account FROM wf_round_robin
    WHERE key = ${ctx.key} AND state = ${ctx.state} AND division = ${ctx.division} AND role = ${role} FOR UPDATE`.execute(ex);
  const last = cur.rows[0]?.last_account;
  const next = holders.find((h) => !last || h > last) ?? holders[0]!;
  await sql`UPDATE wf_round_robin SET last_account = ${next} WHERE key = ${ctx.key} AND state = ${ctx.state} AND division = ${ctx.division} AND role = ${role}`.execute(ex);
  return { role, departmentId, assignee: next };
}
