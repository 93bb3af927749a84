// Inboxes: my tasks, my department's unclaimed tasks, due soon, overdue, supervised; claim,
// release and reassign; counts per state for dashboards. Every list is limited to the divisions
// (and departments) where the caller holds the task's role.
import { sql, type RawBuilder } from 'kysely';
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { scopesFor } from '../../core/http/auth.js';
import type { Principal } from '../../core/http/auth.js';
import { divisionScopeSql, scopePrefix } from '../../core/divisions/service.js';
import { accountOf, holdsRole, mayIn, READ, SUPERVISE, taskNotFound, type WfCaller } from './access.js';
import { mayReassign, reassignForbidden, reassignTargets, seesTask, taskClosed } from './candidates.js';
import { definitionCached, lockInstance } from './engine.js';
import { stateOf } from './definition.js';
import { history, type Working } from './transitions.js';
import { notifyTask } from './notices.js';

export type InboxView = 'mine' | 'department' | 'due-soon' | 'overdue' | 'supervised';

export interface TaskItem {
  id: string;
  instanceId: string;
  number: string | null;
  key: string;
  title: string;
  division: string;
  state: string;
  role: string | null;
  departmentId: string | null;
  assignee: string | null;
  dueAt: string | null;
  escalation: string | null;
  supervised: boolean;
  createdAt: string;
}

/** Unclaimed tasks the caller could claim: their role, their subtree, their department (if the task names one). */
function claimableSql(p: Principal): RawBuilder<boolean> {
  const grants = p.grants ?? [];
  if (!grants.length) return sql<boolean>`false`;
  return sql<boolean>`(t.assignee IS NULL AND (${sql.join(grants.map((g) => {
    const dept = g.department ?? p.department ?? null;
    return sql`(t.role = ${g.role} AND t.division LIKE ${scopePrefix(g.division) + '%'} AND (t.department_id IS NULL OR t.department_id = ${dept}::uuid))`;
  }), sql` OR `)}))`;
}

export async function listTasks(core: Core, p: Principal, view: InboxView, opts: { limit: number; offset: number }): Promise<{ total: number; items: TaskItem[] }> {
  const me = accountOf(p);
  const now = core.clock.now();
  const mine = me ? sql<boolean>`t.assignee = ${me}::uuid` : sql<boolean>`false`;
  const either = sql<boolean>`(${mine} OR ${claimableSql(p)})`;
  const where: Record<InboxView, RawBuilder<boolean>> = {
    mine,
    department: claimableSql(p),
    'due-soon': sql<boolean>`(${either} AND t.due_at >= ${now} AND t.due_at <= ${core.calendar.addWorkingDays(now, 1).due ?? now})`,
    overdue: sql<boolean>`(${either} AND t.due_at < ${now})`,
    supervised: sql<boolean>`(t.supervised AND ${divisionScopeSql('t.division', scopesFor(p, SUPERVISE))})`,
  };
  const cond = where[view];
  const rows = await sql<Record<string, unknown>>`
    SELECT t.id, t.instance_id, i.number, i.key, i.title, t.division, t.state, t.role, t.department_id, t.assignee, t.due_at, t.escalation, t.supervised, t.created_at,
           count(*) OVER () AS total
    FROM wf_task t JOIN wf_instance i ON i.id = t.instance_id
    WHERE t.status = 'open' AND ${cond}
    ORDER BY t.due_at ASC NULLS LAST, t.created_at ASC
    LIMIT ${opts.limit} OFFSET ${opts.offset}`.execute(core.db);
  const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
  return {
    total: Number(rows.rows[0]?.total ?? 0),
    items: rows.rows.map((r) => ({
      id: r.id as string, instanceId: r.instance_id as string, number: r.number as string | null, key: r.key as string, title: r.title as string, division: r.division as string,
      state: r.state as string, role: r.role as string | null, departmentId: r.department_id as string | null, assignee: r.assignee as string | null, dueAt: iso(r.due_at),
      escalation: r.escalation as string | null, supervised: r.supervised as boolean, createdAt: iso(r.created_at)!,
    })),
  };
}

type TaskOp = 'claim' | 'release' | 'reassign';

/** Claim (take from the queue), release (back to the queue), reassign (supervisor or holder → another holder). */
export async function changeTask(core: Core, caller: WfCaller, taskId: string, op: TaskOp, to?: string): Promise<TaskItem> {
  const p = caller.principal;
  const me = accountOf(p);
  await core.db.transaction().execute(async (tx) => {
    const t0 = await tx.selectFrom('wf_task').select(['instance_id']).where('id', '=', taskId).executeTakeFirst();
    if (!t0) throw taskNotFound();
    const row = await lockInstance(tx, t0.instance_id);
    const t = await tx.selectFrom('wf_task').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
    if (!row || !seesTask(p, t)) throw taskNotFound();
    if (t.status !== 'open') throw taskClosed();
    const supervisor = mayIn(p, SUPERVISE, t.division);
    let assignee: string | null;
    if (op === 'claim') {
      if (t.assignee) throw new AppError('CONFLICT', { 'zh-CN': '任务已被认领', en: 'The task has already been claimed' });
      if (!t.role || !holdsRole(p, t.role, t.division, t.department_id) || !me) throw new AppError('FORBIDDEN', { 'zh-CN': '您不能认领此任务', en: 'You may not claim this task' });
      assignee = me;
    } else if (op === 'release') {
      if (t.assignee !== me && !supervisor) throw new AppError('FORBIDDEN', { 'zh-CN': '只能退回自己认领的任务', en: 'You can only release your own task' });
      if (!t.role) throw new AppError('INVALID_STATE', { 'zh-CN': '指定到人的任务不能退回公共队列，请改派', en: 'A task assigned to a person cannot go back to a queue; reassign it' });
      assignee = null;
    } else {
      if (!mayReassign(p, t)) throw reassignForbidden();
      if (!to) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/to', code: 'required', message: '请指定改派对象' }]);
      if (to === t.assignee) {
        throw new AppError('VALIDATION_FAILED', { 'zh-CN': '任务已由此人办理', en: 'The task is already theirs' }, [{ pointer: '/body/to', code: 'same', message: '改派对象就是当前办理人' }]);
      }
      // Exactly the colleagues GET …/candidates lists (without its name filter and page size).
      if (!(await reassignTargets(tx, t, { only: to })).length) {
        throw new AppError('VALIDATION_FAILED', { 'zh-CN': '改派对象不具备该环节的角色', en: 'The new assignee does not hold the role' },
          [{ pointer: '/body/to', code: 'role', message: t.role ? `改派对象须是在本区划具有「${t.role}」角色的在岗工作人员` : '改派对象须是在本区划可办理待办的在岗工作人员' }]);
      }
      assignee = to;
    }
    const now = core.clock.now();
    await tx.updateTable('wf_task').set({ assignee, claimed_at: assignee ? now : null }).where('id', '=', taskId).execute();
    const pub = await definitionCached(tx, row.definition_id);
    const w: Working = { row, def: pub.definition, definitionVersion: pub.version, actor: caller.actor, now, completed: false };
    await history(tx, w, { kind: op, from: row.state, to: row.state, detail: { task: taskId, from: t.assignee, to: assignee } });
    await recordChange(tx, caller.actor, { action: `workflow.task.${op}`, object: { type: 'workflow.task', id: taskId }, division: t.division, detail: { instance: row.id, from: t.assignee, to: assignee } },
      { type: `workflow.task.${op === 'claim' ? 'claimed' : op === 'release' ? 'released' : 'reassigned'}`, aggregate: { type: 'workflow.instance', id: row.id }, payload: { task: taskId, from: t.assignee, to: assignee, number: row.number } });
    if (op === 'reassign' && assignee) {
      await notifyTask(core, tx, { kind: 'assigned', taskId, instance: row, stateName: stateOf(pub.definition, row.state).name['zh-CN'], owner: { role: t.role, departmentId: t.department_id, assignee }, dueAt: t.due_at });
    }
  });
  const list = await sql<Record<string, unknown>>`SELECT t.*, i.number, i.key, i.title FROM wf_task t JOIN wf_instance i ON i.id = t.instance_id WHERE t.id = ${taskId}`.execute(core.db);
  const r = list.rows[0]!;
  const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
  return {
    id: r.id as string, instanceId: r.instance_id as string, number: r.number as string | null, key: r.key as string, title: r.title as string, division: r.division as string, state: r.state as string,
    role: r.role as string | null, departmentId: r.department_id as string | null, assignee: r.assignee as string | null, dueAt: iso(r.due_at), escalation: r.escalation as string | null,
    supervised: r.supervised as boolean, createdAt: iso(r.created_at)!,
  };
}

/** A title in both languages (a definition's `en` is optional: zh-CN stands in). */
export interface Names { 'zh-CN': string; en: string }
const names = (t: { 'zh-CN': string; en?: string } | undefined, fallback: string): Names => ({ 'zh-CN': t?.['zh-CN'] ?? fallback, en: t?.en || t?.['zh-CN'] || fallback });

/**
 * Open cases per workflow and state (and how many are overdue), within the caller's read scope,
 * with the workflow's and the state's display names from the published definition the cases run
 * on (the most recently published among them, when cases run on several versions).
 */
export async function stateCounts(core: Core, p: Principal, filter: { division?: string; key?: string }): Promise<Array<{ key: string; state: string; open: number; overdue: number; workflowName: Names; stateName: Names }>> {
  let scopes = [...scopesFor(p, READ), ...scopesFor(p, SUPERVISE)];
  if (filter.division) scopes = scopes.some((s) => filter.division!.startsWith(scopePrefix(s))) ? [filter.division] : [];
  const now = core.clock.now();
  const rows = await sql<{ key: string; state: string; definition_id: string; open: number; overdue: number }>`
    SELECT key, state, definition_id, count(*)::int AS open, count(*) FILTER (WHERE due_at < ${now} OR state_due_at < ${now})::int AS overdue
    FROM wf_instance WHERE status = 'active' AND ${divisionScopeSql('division', scopes)} ${filter.key ? sql`AND key = ${filter.key}` : sql``}
    GROUP BY key, state, definition_id ORDER BY key, state`.execute(core.db);
  const defs = new Map<string, Awaited<ReturnType<typeof definitionCached>>>();
  for (const id of new Set(rows.rows.map((r) => r.definition_id))) defs.set(id, await definitionCached(core.db, id));
  const out = new Map<string, { key: string; state: string; open: number; overdue: number; publishedAt: number; workflowName: Names; stateName: Names }>();
  for (const r of rows.rows) {
    const d = defs.get(r.definition_id)!;
    const k = `${r.key}\u0000${r.state}`;
    const prev = out.get(k);
    const newer = !prev || d.publishedAt.getTime() > prev.publishedAt;
    out.set(k, {
      key: r.key, state: r.state, open: (prev?.open ?? 0) + r.open, overdue: (prev?.overdue ?? 0) + r.overdue,
      publishedAt: newer ? d.publishedAt.getTime() : prev.publishedAt,
      workflowName: newer ? names(d.definition.title, r.key) : prev.workflowName,
      stateName: newer ? names(d.definition.states.find((s) => s.id === r.state)?.name, r.state) : prev.stateName,
    });
  }
  return [...out.values()].map(({ publishedAt: _p, ...item }) => item);
}
