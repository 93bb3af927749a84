// Who hears about a task: the workflow emits `workflow.task.assigned` / `workflow.task.escalated`
// in the transaction that makes the change; a durable subscriber turns each event into messages
// for the assignee (or, for a queue, the holders of the role), through the notify engine's
// templates, preferences and retries. A rolled-back change therefore never sends a message.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { emit } from '../../core/audit/record.js';
import { consumeOnce } from '../../core/events/bus.js';
import { roleHolders, type Owner } from './assignment.js';

interface TaskNotice {
  kind: 'assigned' | 'remind' | 'urge' | 'supervise' | 'notice';
  taskId?: string | null;
  instance: { id: string; number: string | null; key: string; title: string; division: string };
  stateName: string;
  owner: Owner;
  dueAt?: Date | string | null;
}

export async function notifyTask(_core: Core, ex: Executor, n: TaskNotice): Promise<void> {
  await emit(ex, { id: 'system:workflow' }, {
    type: n.kind === 'assigned' ? 'workflow.task.assigned' : 'workflow.task.escalated',
    aggregate: { type: 'workflow.instance', id: n.instance.id },
    division: n.instance.division,
    payload: {
      kind: n.kind, task: n.taskId ?? null, number: n.instance.number, key: n.instance.key, title: n.instance.title, state: n.stateName,
      assignee: n.owner.assignee, role: n.owner.role, department: n.owner.departmentId, dueAt: n.dueAt ? new Date(n.dueAt).toISOString() : null,
    },
  });
}

const TEMPLATES: Record<TaskNotice['kind'], string> = {
  assigned: 'workflow.task-assigned',
  remind: 'workflow.task-reminder',
  urge: 'workflow.task-overdue',
  supervise: 'workflow.task-supervised',
  notice: 'workflow.case-notice',
};

/** At most this many queue members are messaged for one task (a whole province's clerks is noise). */
const MAX_QUEUE_RECIPIENTS = 50;

export function registerNotices(core: Core): void {
  core.events.subscribe('workflow.notices', 'workflow.task.*', async (event) => {
    const p = event.payload as { kind: TaskNotice['kind']; number: string | null; title: string; state: string; assignee: string | null; role: string | null; department: string | null; dueAt: string | null };
    await core.db.transaction().execute(async (tx) => {
      if (!(await consumeOnce(tx, 'workflow.notices', event.id))) return;
      const to = p.assignee ? [p.assignee] : p.role ? (await roleHolders(tx, p.role, event.division ?? '', p.department)).slice(0, MAX_QUEUE_RECIPIENTS) : [];
      const { notify } = await import('../notify/index.js');
      const due = p.dueAt ? new Date(p.dueAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '';
      for (const account of to) {
        await notify(core, tx, {
          to: account, template: TEMPLATES[p.kind], purpose: `workflow:${event.aggregateId}`,
          data: { caseNumber: p.number ?? '', title: p.title, state: p.state, dueAt: due || '—' },
        });
      }
    });
  });
}
