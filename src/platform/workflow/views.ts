// A case as its reader sees it: state, deadlines, open tasks, the actions this reader may take
// now, sub-cases and the complete history (who, on behalf of whom, when, what, comment, diff, files).
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { caseNotFound, maySee, rolesHeld } from './access.js';
import { kindOf, stateOf } from './definition.js';
import { definitionCached } from './engine.js';
import { isPaused } from './deadlines.js';
import type { InstanceRow } from './transitions.js';
import type { Pause } from './tables.js';
import { staffNames } from './candidates.js';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export async function caseView(core: Core, p: Principal, id: string, lang: 'zh-CN' | 'en' = 'zh-CN') {
  const row = (await core.db.selectFrom('wf_instance').selectAll().where('id', '=', id).executeTakeFirst()) as InstanceRow | undefined;
  if (!row || !maySee(p, row)) throw caseNotFound();
  const pub = await definitionCached(core.db, row.definition_id);
  const def = pub.definition;
  const state = stateOf(def, row.state);
  const name = (t: { 'zh-CN': string; en?: string }) => (lang === 'en' ? (t.en ?? t['zh-CN']) : t['zh-CN']);
  const [tasks, hist, children] = await Promise.all([
    core.db.selectFrom('wf_task').selectAll().where('instance_id', '=', id).where('state_seq', '=', row.state_seq).orderBy('created_at').execute(),
    core.db.selectFrom('wf_history').selectAll().where('instance_id', '=', id).orderBy('id').execute(),
    core.db.selectFrom('wf_instance').select(['id', 'key', 'number', 'title', 'state', 'status', 'outcome', 'division']).where('parent_id', '=', id).orderBy('created_at').execute(),
  ]);
  // Staff who acted or hold a task, by name and department; the applicant stays 申请人 even when staff.
  const people = [
    ...hist.flatMap((h) => { const d = (h.detail ?? {}) as Record<string, unknown>; return [h.actor, h.on_behalf_of, typeof d.from === 'string' ? d.from : null, typeof d.to === 'string' ? d.to : null]; }),
    ...tasks.flatMap((t) => [t.assignee, t.completed_by]),
  ].filter((x) => x && x !== row.applicant && `user:${x}` !== row.applicant);
  const applicant = !!row.applicant && (row.applicant === p.id || row.applicant === p.onBehalfOf);
  // Colleagues see each other's names; the applicant reading their own case sees departments' work,
  // not the officials' names (the portal shows steps and results, never who clicked).
  const actors = applicant ? {} : await staffNames(core.db, people);
  const actions = row.status === 'completed' && !def.actions.some((a) => a.from.includes(row.state))
    ? []
    : def.actions.filter((a) => a.from.includes(row.state) && ((a.roles.includes('applicant') && applicant) || rolesHeld(p, a.roles, row.division).length > 0))
      .map((a) => ({ id: a.id, name: name(a.name), to: a.to, vote: a.vote ?? null, requires: a.requires ?? {} }));
  return {
    id: row.id, number: row.number, key: row.key, version: pub.version, definitionDivision: pub.division, division: row.division, title: row.title,
    state: row.state, stateName: name(state.name), stateKind: kindOf(state), status: row.status, outcome: row.outcome, applicant: row.applicant,
    data: row.data as Record<string, unknown>, parentId: row.parent_id, paused: isPaused(row.pauses as Pause[]), pauses: row.pauses as Pause[],
    createdAt: iso(row.created_at)!, updatedAt: iso(row.updated_at)!, stateEnteredAt: iso(row.state_entered_at)!, stateDueAt: iso(row.state_due_at), dueAt: iso(row.due_at),
    rowVersion: row.row_version,
    tasks: tasks.map((t) => ({ id: t.id, state: t.state, status: t.status, role: t.role, departmentId: t.department_id, assignee: t.assignee, vote: t.vote, dueAt: iso(t.due_at), escalation: t.escalation, supervised: t.supervised })),
    actions,
    children: children.map((c) => ({ ...c })),
    history: hist.map((h) => ({
      at: iso(h.at)!, actor: h.actor, onBehalfOf: h.on_behalf_of, kind: h.kind, action: h.action, from: h.from_state, to: h.to_state, comment: h.comment,
      diff: (h.diff as unknown[] | null) ?? [], attachments: (h.attachments as string[] | null) ?? [], detail: h.detail as Record<string, unknown>,
    })),
    actors,
  };
}

export type CaseView = Awaited<ReturnType<typeof caseView>>;
