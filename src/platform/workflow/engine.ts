// Cases on a workflow: start one, act on one. Every call is one transaction holding the case row
// lock: the state change, the tasks, the timers, the history row, the audit entry and the event
// commit together or not at all. A case keeps the definition version it started under.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Actor } from '../../core/audit/record.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError } from '../../core/http/errors.js';
import type { Principal } from '../../core/http/auth.js';
import { accountOf, ACT, assertMayIn, caseNotFound, holdsRole, maySee, rolesHeld, type WfCaller } from './access.js';
import { kindOf, stateOf, type ActionDef } from './definition.js';
import { definitionById, resolveDefinition, type PublishedDefinition } from './definitions.js';
import { diffData, mergeData } from './data.js';
import { checkRequirements } from './requirements.js';
import { attachToCase } from './attachments.js';
import { emitTransition, enterState, history, joinParent, leaveState, type InstanceRow, type Working } from './transitions.js';

// Published versions never change, so a process-wide cache by id is always right.
const definitions = new Map<string, PublishedDefinition>();
export async function definitionCached(ex: Executor, id: string): Promise<PublishedDefinition> {
  let d = definitions.get(id);
  if (!d) {
    d = await definitionById(ex, id);
    if (definitions.size > 500) definitions.clear();
    definitions.set(id, d);
  }
  return d;
}

export interface StartInput {
  key: string;
  division: string;
  title?: string;
  data?: Record<string, unknown>;
  /** `user:<uuid>` of the person the case is for (may follow and withdraw it). */
  applicant?: string | null;
  /** The human case number, when the caller issues one (see core/numbering). */
  number?: string | null;
}

async function insertInstance(core: Core, ex: Executor, actor: Actor, input: StartInput, parent: { id: string; seq: number } | null): Promise<Working> {
  const def = await resolveDefinition(ex, input.key, input.division);
  if (!def) throw new AppError('NOT_FOUND', { 'zh-CN': `区划 ${input.division} 没有可用的流程「${input.key}」`, en: `No published workflow ${input.key} for ${input.division}` });
  const now = core.clock.now();
  const row = await ex.insertInto('wf_instance').values({
    definition_id: def.id, key: def.key, division: input.division, number: input.number ?? null, title: input.title ?? def.definition.title['zh-CN'],
    state: def.definition.initial, state_seq: 0, applicant: input.applicant ?? null, data: JSON.stringify(input.data ?? {}),
    parent_id: parent?.id ?? null, parent_seq: parent?.seq ?? null, created_at: now, updated_at: now, state_entered_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  definitions.set(def.id, def);
  const w: Working = { row, def: def.definition, definitionVersion: def.version, actor, now, completed: false };
  await enterState(core, ex, w, def.definition.initial);
  await history(ex, w, { kind: 'start', to: w.row.state, detail: { version: def.version, division: def.division, parent: parent?.id ?? null } });
  await save(ex, w);
  await recordChange(ex, actor, { action: 'workflow.instance.start', object: { type: 'workflow.instance', id: row.id }, division: input.division, detail: { key: def.key, version: def.version, number: row.number, parent: parent?.id ?? null } },
    { type: 'workflow.instance.started', payload: { key: def.key, version: def.version, number: row.number, state: w.row.state, parent: parent?.id ?? null } });
  return w;
}

/** Start a case in the caller's transaction (for modules that open cases as part of their own writes). */
export async function startInstance(core: Core, ex: Executor, actor: Actor, input: StartInput): Promise<InstanceRow> {
  const w = await insertInstance(core, ex, actor, input, null);
  return w.row;
}

export async function startChild(core: Core, ex: Executor, parent: Working, item: { key: string; division: string; title?: string; data?: Record<string, unknown> }): Promise<void> {
  await insertInstance(core, ex, parent.actor, { ...item, applicant: parent.row.applicant }, { id: parent.row.id, seq: parent.row.state_seq });
}

/** Start a case over HTTP: staff with workflow:task.act in the division. */
export async function start(core: Core, caller: WfCaller, input: StartInput): Promise<InstanceRow> {
  assertMayIn(caller.principal, ACT, input.division);
  return core.db.transaction().execute((tx) => startInstance(core, tx, caller.actor, input));
}

async function save(ex: Executor, w: Working): Promise<void> {
  const r = w.row;
  await ex.updateTable('wf_instance').set({
    state: r.state, state_seq: r.state_seq, status: r.status, outcome: r.outcome, data: JSON.stringify(r.data), pauses: JSON.stringify(r.pauses),
    extension: JSON.stringify(r.extension), updated_at: w.now, state_entered_at: r.state_entered_at, state_due_at: r.state_due_at, due_at: r.due_at,
    row_version: sql`row_version + 1`,
  }).where('id', '=', r.id).execute();
  r.row_version += 1;
}

export interface ActInput {
  comment?: string | null;
  data?: Record<string, unknown>;
  attachments?: string[];
  /** Optimistic check: the row version the caller saw (409 if the case moved since). */
  expectedVersion?: number;
}

interface ApplyOptions extends ActInput {
  system?: boolean;
  detail?: Record<string, unknown>;
  principal?: Principal;
  lang?: 'zh-CN' | 'en';
  taskId?: string | null;
}

export async function lockInstance(ex: Executor, id: string): Promise<InstanceRow | undefined> {
  return (await sql<InstanceRow>`SELECT * FROM wf_instance WHERE id = ${id} FOR UPDATE`.execute(ex)).rows[0];
}

/** The open task of the current state that this caller may complete (theirs, or claimable from the queue). */
async function taskFor(ex: Executor, p: Principal, row: InstanceRow, roles: string[]): Promise<{ id: string; assignee: string | null } | null> {
  const me = accountOf(p);
  const tasks = await ex.selectFrom('wf_task').select(['id', 'assignee', 'role', 'department_id']).where('instance_id', '=', row.id).where('state_seq', '=', row.state_seq).where('status', '=', 'open').orderBy('created_at').execute();
  const mine = tasks.find((t) => me && t.assignee === me);
  if (mine) return mine;
  const claimable = tasks.find((t) => !t.assignee && t.role && roles.includes(t.role) && holdsRole(p, t.role, row.division, t.department_id));
  return claimable ?? null;
}

export async function act(core: Core, caller: WfCaller, id: string, actionId: string, input: ActInput): Promise<InstanceRow> {
  return core.db.transaction().execute(async (tx) => {
    const row = await lockInstance(tx, id);
    if (!row || !maySee(caller.principal, row)) throw caseNotFound();
    const def = await definitionCached(tx, row.definition_id);
    return applyAction(core, tx, row, def, actionId, caller.actor, { ...input, principal: caller.principal, lang: caller.lang });
  });
}

const refuse = (zh: string, en: string) => new AppError('FORBIDDEN', { 'zh-CN': zh, en });

export async function applyAction(core: Core, ex: Executor, row: InstanceRow, pub: PublishedDefinition, actionId: string, actor: Actor, opts: ApplyOptions): Promise<InstanceRow> {
  const def = pub.definition;
  const action = def.actions.find((a) => a.id === actionId);
  if (!action) throw new AppError('NOT_FOUND', { 'zh-CN': `流程中没有操作「${actionId}」`, en: `No action ${actionId} in this workflow` });
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.row_version) {
    throw new AppError('CONFLICT', { 'zh-CN': '办件已被他人处理，请刷新后重试', en: 'The case changed since you loaded it' }, undefined, { currentVersion: row.row_version });
  }
  if (!action.from.includes(row.state)) {
    throw new AppError('INVALID_STATE', { 'zh-CN': `办件当前处于「${stateOf(def, row.state).name['zh-CN']}」，不能执行「${action.name['zh-CN']}」`, en: `Cannot ${action.name.en ?? action.id} in state ${row.state}` });
  }
  const state = stateOf(def, row.state);
  let task: { id: string; assignee: string | null } | null = null;
  if (!opts.system) {
    const p = opts.principal!;
    const asApplicant = action.roles.includes('applicant') && !!row.applicant && (row.applicant === p.id || row.applicant === p.onBehalfOf);
    if (!asApplicant) {
      const roles = rolesHeld(p, action.roles, row.division);
      if (!roles.length) throw refuse(`您的角色不能执行「${action.name['zh-CN']}」`, `Your role may not ${action.id}`);
      const k = kindOf(state);
      if (k === 'task' || k === 'countersign') {
        task = await taskFor(ex, p, row, roles);
        if (!task) throw refuse('此任务不在您的待办中（已由他人认领或不属于您的部门）', 'This task is not yours (claimed by someone else or another department)');
      }
    }
    const problems: FieldError[] = await checkRequirements(core, ex, { row, action, input: opts, lang: opts.lang ?? 'zh-CN', principal: p, definitionDivision: pub.division });
    if (problems.length) throw new AppError('VALIDATION_FAILED', { 'zh-CN': `「${action.name['zh-CN']}」还缺少 ${problems.length} 项内容`, en: `${problems.length} problems with ${action.id}` }, problems);
  }
  const now = core.clock.now();
  const w: Working = { row, def, definitionVersion: pub.version, actor, now, completed: false };
  const before = row.data as Record<string, unknown>;
  if (opts.data && Object.keys(opts.data).length) row.data = mergeData(before, opts.data);
  const diff = diffData(before, row.data);
  if (opts.attachments?.length) {
    await attachToCase(ex, actor, opts.attachments, row);
  }
  if (action.extend) {
    const ext = row.extension as { workingDays: number; workingHours: number };
    row.extension = 'workingDays' in action.extend ? { ...ext, workingDays: ext.workingDays + action.extend.workingDays } : { ...ext, workingHours: ext.workingHours + action.extend.workingHours };
  }
  if (task) {
    await ex.updateTable('wf_task').set({ status: 'done', vote: action.vote ?? null, completed_at: now, completed_by: actor.id, assignee: task.assignee ?? accountOf(opts.principal!), claimed_at: sql`coalesce(claimed_at, ${now})` })
      .where('id', '=', task.id).execute();
  }
  const from = row.state;
  const decided = action.vote ? await countersignDecided(ex, row, state, action) : true;
  const common = { action: action.id, comment: opts.comment ?? null, diff: diff.length ? diff : undefined, attachments: opts.attachments?.length ? opts.attachments : null, detail: { ...(opts.detail ?? {}), ...(action.vote ? { vote: action.vote } : {}), ...(task ? { task: task.id } : {}) } };
  if (!decided) {
    await history(ex, w, { kind: 'vote', from, to: from, ...common });
    await save(ex, w);
    await recordChange(ex, actor, { action: 'workflow.instance.vote', object: { type: 'workflow.instance', id: row.id }, division: row.division, detail: { action: action.id, vote: action.vote } },
      { type: 'workflow.instance.voted', payload: { key: row.key, number: row.number, action: action.id, vote: action.vote, state: from } });
    return row;
  }
  await leaveState(core, ex, w);
  await enterState(core, ex, w, action.to);
  await history(ex, w, { kind: 'action', from, to: w.row.state, ...common });
  await save(ex, w);
  await emitTransition(ex, w, action.id, from);
  if (w.completed) await joinParent(core, ex, w.row);
  return w.row;
}

/** Has this vote decided the countersign? `all`: one reject or every approval; `any`: the quorum of approvals, or too many rejections to reach it. */
async function countersignDecided(ex: Executor, row: InstanceRow, state: ReturnType<typeof stateOf>, action: ActionDef): Promise<boolean> {
  const cs = state.countersign!;
  const votes = await ex.selectFrom('wf_task').select(['vote', 'status']).where('instance_id', '=', row.id).where('state_seq', '=', row.state_seq).where('status', '!=', 'cancelled').execute();
  const total = votes.length;
  const approvals = votes.filter((v) => v.vote === 'approve').length;
  const rejections = votes.filter((v) => v.vote === 'reject').length;
  const quorum = cs.mode === 'all' ? total : (cs.quorum ?? 1);
  if (action.vote === 'approve') return approvals >= quorum;
  return rejections > total - quorum;
}
