// The escalation ladder, fired by core jobs: remind before the deadline (到期提醒), 催办 once it has
// passed, 督办 to a supervisor, 通报 after more days. A rung that fires after the case moved on,
// or while its clock is paused, does nothing (resuming the clock schedules the rungs afresh).
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { stateOf } from './definition.js';
import { definitionCached, lockInstance } from './engine.js';
import { resolveOwner } from './assignment.js';
import { isPaused, stepsOf, TIMER_JOB, type TimerPayload } from './deadlines.js';
import { history, type Working } from './transitions.js';
import { notifyTask } from './notices.js';
import type { Pause } from './tables.js';

const LEVEL = { remind: 0, urge: 1, supervise: 2, notice: 3 } as const;

export function registerEscalation(core: Core): void {
  core.jobs.define(TIMER_JOB, {
    maxAttempts: 10,
    handler: async (job) => {
      const p = job.payload as TimerPayload;
      await core.db.transaction().execute(async (tx) => {
        const row = await lockInstance(tx, p.instance);
        if (!row || row.status !== 'active') return;
        if (p.scope === 'state' && row.state_seq !== p.seq) return;
        if (p.scope === 'overall' && isPaused(row.pauses as Pause[])) return;
        const pub = await definitionCached(tx, row.definition_id);
        const state = stateOf(pub.definition, row.state);
        const step = stepsOf(pub.definition, state, p.scope)?.[p.step];
        if (!step) return;
        const now = core.clock.now();
        const w: Working = { row, def: pub.definition, definitionVersion: pub.version, actor: { id: 'system:workflow' }, now, completed: false };
        const tasks = await tx.selectFrom('wf_task').select(['id', 'assignee', 'role', 'department_id', 'escalation', 'due_at']).where('instance_id', '=', row.id).where('state_seq', '=', row.state_seq).where('status', '=', 'open').execute();
        for (const t of tasks) {
          // A task's recorded escalation only ever climbs (a late reminder never "calms" a 督办).
          if (step.kind !== 'remind' && LEVEL[step.kind] > (t.escalation ? LEVEL[t.escalation as keyof typeof LEVEL] : -1)) {
            await tx.updateTable('wf_task').set({ escalation: step.kind, supervised: sql`supervised OR ${step.kind === 'supervise' || step.kind === 'notice'}` }).where('id', '=', t.id).execute();
          }
          await notifyTask(core, tx, { kind: step.kind, taskId: t.id, instance: row, stateName: state.name['zh-CN'], owner: { role: t.role, departmentId: t.department_id, assignee: t.assignee }, dueAt: t.due_at ?? row.due_at });
        }
        if (step.to) {
          // The supervisor (督办人) hears about it too.
          const owner = await resolveOwner(tx, step.to, { key: row.key, state: row.state, division: row.division, instanceId: row.id, data: row.data });
          await notifyTask(core, tx, { kind: step.kind, instance: row, stateName: state.name['zh-CN'], owner, dueAt: row.state_due_at ?? row.due_at });
        }
        await history(tx, w, { kind: step.kind, from: row.state, to: row.state, detail: { scope: p.scope, step: p.step, tasks: tasks.map((t) => t.id) } });
        await recordChange(tx, w.actor, { action: `workflow.instance.${step.kind}`, object: { type: 'workflow.instance', id: row.id }, division: row.division, detail: { scope: p.scope, state: row.state, number: row.number } },
          { type: 'workflow.instance.escalated', payload: { kind: step.kind, scope: p.scope, key: row.key, number: row.number, state: row.state } });
      });
    },
  });
}
