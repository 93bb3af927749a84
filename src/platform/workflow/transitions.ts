// Entering and leaving states, inside the caller's transaction: tasks (one per assignee, or one per
// countersigner), deadlines and their timers, the overall clock's pauses, sub-cases, and the join
// back into the parent when sub-cases finish.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Actor } from '../../core/audit/record.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { kindOf, stateOf, type Definition, type StateDef } from './definition.js';
import { resolveOwner } from './assignment.js';
import { addDuration, cancelRungs, isPaused, overallDue, scheduleRungs } from './deadlines.js';
import type { Pause, WfInstanceTable } from './tables.js';
import type { Selectable } from 'kysely';
import { notifyTask } from './notices.js';

export type InstanceRow = Selectable<WfInstanceTable>;

/** A mutable copy of the case row that the transition functions update, then save() writes. */
export interface Working {
  row: InstanceRow;
  def: Definition;
  definitionVersion: number;
  actor: Actor;
  now: Date;
  /** Cases whose parent must be checked for a join once this transaction's writes are in. */
  completed: boolean;
}

export async function history(ex: Executor, w: Working, entry: { kind: string; action?: string | null; from?: string | null; to?: string | null; comment?: string | null; diff?: unknown; attachments?: string[] | null; detail?: Record<string, unknown> }): Promise<void> {
  await ex.insertInto('wf_history').values({
    instance_id: w.row.id, at: w.now, actor: w.actor.id, on_behalf_of: w.actor.onBehalfOf ?? null, kind: entry.kind, action: entry.action ?? null,
    from_state: entry.from ?? null, to_state: entry.to ?? null, comment: entry.comment ?? null,
    diff: entry.diff === undefined ? null : JSON.stringify(entry.diff), attachments: entry.attachments ? JSON.stringify(entry.attachments) : null,
    detail: JSON.stringify(entry.detail ?? {}),
  }).execute();
}

export async function leaveState(core: Core, ex: Executor, w: Working): Promise<void> {
  const s = stateOf(w.def, w.row.state);
  await ex.updateTable('wf_task').set({ status: 'cancelled', completed_at: w.now }).where('instance_id', '=', w.row.id).where('state_seq', '=', w.row.state_seq).where('status', '=', 'open').execute();
  await cancelRungs(core, ex, w.row.id, 'state', s.escalation);
  if (s.pausesClock) {
    const pauses = (w.row.pauses as Pause[]).map((p) => (p.to ? p : { ...p, to: w.now.toISOString() }));
    w.row.pauses = pauses;
  }
}

export async function enterState(core: Core, ex: Executor, w: Working, stateId: string): Promise<void> {
  const s = stateOf(w.def, stateId);
  const wasPaused = isPaused(w.row.pauses as Pause[]);
  w.row.state = stateId;
  w.row.state_seq += 1;
  w.row.state_entered_at = w.now;
  w.row.state_due_at = s.sla ? addDuration(core, w.now, s.sla, w.row.division) : null;
  if (s.pausesClock && !wasPaused) w.row.pauses = [...(w.row.pauses as Pause[]), { from: w.now.toISOString(), to: null }];
  const kind = kindOf(s);
  if (kind === 'final') {
    w.row.status = 'completed';
    w.row.outcome = s.outcome ?? 'completed';
    w.row.state_due_at = null;
    await cancelRungs(core, ex, w.row.id, 'overall', w.def.escalation);
    w.completed = true;
  } else {
    w.row.status = 'active';
    w.row.outcome = null;
  }
  // The overall clock: recomputed on every entry (a pause opened or closed, an extension granted).
  const paused = isPaused(w.row.pauses as Pause[]);
  const due = kind === 'final' ? null : overallDue(core, w.def, w.row as never);
  const overallChanged = kind !== 'final' && (paused !== wasPaused || (due?.getTime() ?? null) !== (w.row.due_at ? new Date(w.row.due_at).getTime() : null));
  w.row.due_at = kind === 'final' ? w.row.due_at : due;
  if (overallChanged) {
    if (paused) await cancelRungs(core, ex, w.row.id, 'overall', w.def.escalation);
    else await scheduleRungs(core, ex, w.row.id, 'overall', 0, due, w.def.escalation, w.row.division);
  }
  if (kind === 'task' && s.assignment) await createTask(core, ex, w, s, s.assignment);
  if (kind === 'countersign') for (const a of s.countersign!.assignees) await createTask(core, ex, w, s, a);
  if (kind === 'subcases') await spawnSubcases(core, ex, w, s);
  await scheduleRungs(core, ex, w.row.id, 'state', w.row.state_seq, w.row.state_due_at ? new Date(w.row.state_due_at) : null, s.escalation, w.row.division);
}

async function createTask(core: Core, ex: Executor, w: Working, s: StateDef, a: NonNullable<StateDef['assignment']>): Promise<void> {
  const owner = await resolveOwner(ex, a, { key: w.row.key, state: s.id, division: w.row.division, instanceId: w.row.id, data: w.row.data });
  const task = await ex.insertInto('wf_task').values({
    instance_id: w.row.id, state: s.id, state_seq: w.row.state_seq, division: w.row.division, role: owner.role, department_id: owner.departmentId,
    assignee: owner.assignee, due_at: w.row.state_due_at, created_at: w.now, claimed_at: owner.assignee ? w.now : null,
  }).returning('id').executeTakeFirstOrThrow();
  await notifyTask(core, ex, { kind: 'assigned', taskId: task.id, instance: w.row, stateName: s.name['zh-CN'], owner, dueAt: w.row.state_due_at });
}

/** The sub-case list: fixed in the definition, or read from the case data at `itemsFrom`. */
function subcaseItems(w: Working, s: StateDef): Array<{ definition: string; division?: string; title?: string; data?: Record<string, unknown> }> {
  const sc = s.subcases!;
  if (sc.items) return sc.items;
  let node: unknown = w.row.data;
  for (const part of sc.itemsFrom!.slice(1).split('/')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  if (!Array.isArray(node) || !node.length || !node.every((x) => x && typeof x === 'object' && typeof (x as { definition?: unknown }).definition === 'string')) {
    throw new AppError('VALIDATION_FAILED', { 'zh-CN': '子件清单缺失或格式不正确', en: 'The sub-case list is missing or malformed' }, [{ pointer: `/data${sc.itemsFrom}`, code: 'subcases', message: '须为包含 definition 的对象数组' }]);
  }
  return node as never;
}

async function spawnSubcases(core: Core, ex: Executor, w: Working, s: StateDef): Promise<void> {
  const { startChild } = await import('./engine.js');
  for (const item of subcaseItems(w, s)) {
    await startChild(core, ex, w, { key: item.definition, division: item.division ?? w.row.division, title: item.title, data: item.data ?? w.row.data });
  }
}

/** After a case completes: if its parent waits on sub-cases and the join condition holds, fire the join. */
export async function joinParent(core: Core, ex: Executor, child: InstanceRow): Promise<void> {
  if (!child.parent_id) return;
  const parentRow = (await sql<InstanceRow>`SELECT * FROM wf_instance WHERE id = ${child.parent_id} FOR UPDATE`.execute(ex)).rows[0];
  if (!parentRow || parentRow.status !== 'active') return;
  const { definitionCached, applyAction } = await import('./engine.js');
  const def = await definitionCached(ex, parentRow.definition_id);
  const s = stateOf(def.definition, parentRow.state);
  if (kindOf(s) !== 'subcases') return;
  const children = await ex.selectFrom('wf_instance').select(['id', 'status', 'outcome']).where('parent_id', '=', parentRow.id)
    .where('parent_seq', '=', parentRow.state_seq).execute();
  const done = children.filter((c) => c.status === 'completed');
  if (s.subcases!.join === 'all' ? done.length < children.length : done.length === 0) return;
  await applyAction(core, ex, parentRow, def, s.subcases!.onJoin, { id: 'system:workflow' }, { comment: null, data: {}, attachments: [], system: true, detail: { subcases: children.map((c) => ({ id: c.id, outcome: c.outcome })) } });
}

export async function emitTransition(ex: Executor, w: Working, action: string, from: string): Promise<void> {
  await recordChange(ex, w.actor, { action: 'workflow.instance.transition', object: { type: 'workflow.instance', id: w.row.id }, division: w.row.division, detail: { action, from, to: w.row.state, number: w.row.number } },
    { type: 'workflow.instance.transitioned', payload: { key: w.row.key, number: w.row.number, action, from, to: w.row.state, status: w.row.status, outcome: w.row.outcome } });
}
