import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './fixtures/world.js';
import { rungTime } from './deadlines.js';

// National Day 2026: 1–7 Oct off; Sat 10 Oct is a make-up working day (调休上班).
let w: World;
beforeAll(async () => {
  w = await makeWorld({ clock: '2026-09-30T09:00:00+08:00' });
  await w.publish('sample-approval.yaml');
});
afterAll(() => w.close());

const kinds = async (id: string) => (await w.ok('clerk1', 'GET', `/api/workflow/instances/${id}`)).history.map((h: any) => h.kind).filter((k: string) => k !== 'start');
const at = async (iso: string) => {
  w.clock.set(iso);
  await w.runJobs();
};

describe('escalation ladder on the working calendar', () => {
  it('reminds, urges (催办), supervises (督办) and publishes a notice (通报) across the holiday and the make-up day', async () => {
    const c = await w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'sample.approval', division: '530102', data: {}, applicant: w.ids.citizen }, 201);
    // One working day after Wed 30 Sep is Thu 8 Oct (the holiday does not count).
    expect(c.stateDueAt).toBe('2026-10-08T15:59:59.999Z');
    // Ten working days: 8, 9, 10 (Saturday, make-up), 12–16, 19, 20 Oct.
    expect(c.dueAt).toBe('2026-10-20T15:59:59.999Z');

    await at('2026-10-08T15:00:00+08:00');
    expect(await kinds(c.id)).toEqual([]);
    // Two office hours before the end of the 8th's office day (17:30) is 15:30.
    await at('2026-10-08T15:31:00+08:00');
    expect(await kinds(c.id)).toEqual(['remind']);
    await at('2026-10-09T00:00:01+08:00');
    expect(await kinds(c.id)).toEqual(['remind', 'urge']);
    let task = (await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=overdue')).items.find((t: any) => t.instanceId === c.id);
    expect(task).toMatchObject({ escalation: 'urge', supervised: false });
    await at('2026-10-10T00:00:01+08:00');
    expect(await kinds(c.id)).toEqual(['remind', 'urge', 'supervise']);
    // 督办 puts it on the supervisors' list (the department administrator's, per the definition).
    const sup = await w.ok('km_admin', 'GET', '/api/workflow/tasks?view=supervised');
    expect(sup.items.map((t: any) => t.instanceId)).toContain(c.id);
    // 通报 two working days after the deadline: 9 Oct and the make-up Saturday 10 Oct, so at the end of the 10th, not the 12th.
    await at('2026-10-11T00:00:01+08:00');
    expect(await kinds(c.id)).toEqual(['remind', 'urge', 'supervise', 'notice']);
    task = (await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=overdue')).items.find((t: any) => t.instanceId === c.id);
    expect(task).toMatchObject({ escalation: 'notice', supervised: true });
    // Each rung was audited and messages were queued for the clerks' queue.
    const escalated = await w.core.db.selectFrom('outbox').select(['type', 'payload']).where('aggregate_id', '=', c.id).where('type', '=', 'workflow.task.escalated').orderBy('seq').execute();
    expect(escalated.map((e) => (e.payload as { kind: string }).kind)).toEqual(['remind', 'urge', 'supervise', 'supervise', 'notice']);
    // The notice subscriber turns them into messages: each clerk of the queue gets the 催办 in the inbox
    // and by SMS; the 督办 reaches the department administrator.
    while ((await w.core.events.dispatchBatch(100)) > 0);
    const sent = await w.core.db.selectFrom('notification').select(['account_id', 'template_key', 'channel', 'body']).where('purpose', '=', `workflow:${c.id}`).execute();
    const got = (who: string, template: string) => sent.filter((n) => n.account_id === w.ids[who] && n.template_key === template).map((n) => n.channel).sort();
    expect(got('clerk1', 'workflow.task-overdue')).toEqual(['inbox', 'sms']);
    expect(got('clerk2', 'workflow.task-overdue')).toEqual(['inbox', 'sms']);
    expect(got('km_admin', 'workflow.task-supervised')).toContain('inbox');
    expect(got('qj_clerk', 'workflow.task-overdue')).toEqual([]);
    expect(sent.find((n) => n.template_key === 'workflow.task-overdue')!.body).toContain('待受理');
  });

  it('a rung that fires after the case moved on does nothing; leaving the state cancels its rungs', async () => {
    w.clock.set('2026-09-30T09:00:00+08:00');
    const c = await w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'sample.approval', division: '530102', data: { applicant: { name: '张三' } }, applicant: w.ids.citizen }, 201);
    await w.ok('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, {});
    const pending = await w.core.db.selectFrom('job').select(['key', 'status']).where('key', 'like', `wf:${c.id}:state:%`).execute();
    expect(pending.length).toBeGreaterThan(0);
    // The 'submitted' rungs are cancelled; 'review' has no ladder.
    expect(pending.every((j) => j.status === 'cancelled')).toBe(true);
    await at('2026-10-12T09:00:00+08:00');
    expect(await kinds(c.id)).toEqual(['action']);
  });

  it('while the clock is paused (补正) the overall ladder waits, and resumes with the moved deadline', async () => {
    w.clock.set('2026-11-02T09:00:00+08:00');
    const c = await w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'sample.approval', division: '530102', data: {}, applicant: w.ids.citizen }, 201);
    expect(c.dueAt).toBe('2026-11-16T15:59:59.999Z');
    await w.ok('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/request_correction`, { comment: '缺材料', data: { corrections: ['身份证'] } });
    const overall = await w.core.db.selectFrom('job').select(['status']).where('key', '=', `wf:${c.id}:overall:0`).executeTakeFirstOrThrow();
    expect(overall.status).toBe('cancelled');
    // A month passes in 补正: no 通报 for the paused case.
    await at('2026-12-01T09:00:00+08:00');
    expect(await kinds(c.id)).toEqual(['action']);
    const back = await w.ok('citizen', 'POST', `/api/workflow/instances/${c.id}/actions/resubmit`, {});
    // Paused from the day it started (2 Nov) to 1 Dec: all ten working days run from 2 Dec → 15 Dec.
    expect(back.dueAt).toBe('2026-12-15T15:59:59.999Z');
    const jobs = await w.core.db.selectFrom('job').select(['status', 'run_at']).where('key', '=', `wf:${c.id}:overall:0`).execute();
    expect(jobs.map((j) => j.status).sort()).toEqual(['cancelled', 'pending']);
    const job = jobs.find((j) => j.status === 'pending')!;
    // 通报 one working day after the moved deadline.
    expect(new Date(job.run_at).toISOString()).toBe('2026-12-16T15:59:59.999Z');
  });
});

describe('rungTime', () => {
  it('finds the earliest instant from which the given office time still reaches the deadline', () => {
    const due = new Date('2026-10-08T15:59:59.999Z');
    const t = rungTime(w.core, due, { kind: 'remind', before: { workingDays: 1 } }, '530102', new Date('2026-09-30T01:00:00Z'));
    // One working day before the 8th is Wed 30 Sep: from any instant on the 30th, +1 working day is the 8th.
    expect(t.toISOString()).toBe('2026-09-30T01:00:00.000Z');
    const u = rungTime(w.core, due, { kind: 'remind', before: { workingDays: 1 } }, '530102', new Date('2026-09-01T00:00:00Z'));
    expect(u.getTime()).toBeGreaterThanOrEqual(new Date('2026-09-29T16:00:00Z').getTime());
    expect(u.getTime()).toBeLessThan(new Date('2026-09-29T16:01:00Z').getTime());
  });
});
