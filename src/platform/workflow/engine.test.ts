import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { makeWorld, fixture, type World } from './fixtures/world.js';
import { checkDefinition } from './definition.js';
import { pdf } from '../files/test-fixtures.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
  await w.publish('sample-approval.yaml');
  await w.publish('sample-sub.yaml');
});
afterAll(() => w.close());

const start = (data: Record<string, unknown> = { applicant: { name: '张三' } }, division = '530102', who: 'clerk1' | 'qj_clerk' = 'clerk1') =>
  w.ok(who, 'POST', '/api/workflow/instances', { key: 'sample.approval', division, data, applicant: w.ids.citizen }, 201);
const act = (who: Parameters<World['call']>[0], id: string, action: string, body: Record<string, unknown> = {}) => w.call(who, 'POST', `/api/workflow/instances/${id}/actions/${action}`, body);
const actOk = async (who: Parameters<World['call']>[0], id: string, action: string, body: Record<string, unknown> = {}) => {
  const r = await act(who, id, action, body);
  expect(r.statusCode, `${action} as ${who}: ${r.body}`).toBe(200);
  return r.json();
};

describe('definitions', () => {
  it('refuses a broken definition, listing every problem', async () => {
    const def = (await fixture('sample-approval.yaml')) as any;
    def.initial = 'nowhere';
    def.actions[0].to = 'limbo';
    def.states.push({ id: 'orphan', name: { 'zh-CN': '孤立' }, assignment: { role: 'approver' } });
    const r = await w.call('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition: def });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('DEFINITION_INVALID');
    const codes = body.errors.map((e: { pointer: string; code: string }) => `${e.pointer} ${e.code}`);
    expect(codes).toEqual(expect.arrayContaining(['/definition/initial unknown-state', '/definition/actions/0/to unknown-state', `/definition/states/${def.states.length - 1} dead-end`]));
  });

  it('checks shape with JSON Schema before meaning', () => {
    const problems = checkDefinition({ key: 'X', title: {}, states: [], actions: [] });
    expect(problems.map((p) => p.pointer)).toEqual(expect.arrayContaining(['/definition/key', '/definition/title', '/definition', '/definition/states']));
  });

  it('refuses publishing without the permission in that division', async () => {
    const r = await w.call('km_admin', 'POST', '/api/workflow/definitions', { division: '530000', definition: await fixture('sample-sub.yaml') });
    expect(r.statusCode).toBe(403);
    const c = await w.call('clerk1', 'POST', '/api/workflow/definitions', { division: '530102', definition: await fixture('sample-sub.yaml') });
    expect(c.statusCode).toBe(403);
  });

  it('keeps a case on the version it started under; a county override wins over the province', async () => {
    const v1case = await start();
    const def = (await fixture('sample-approval.yaml')) as any;
    def.title['zh-CN'] = '示例审批流程（第二版）';
    def.states[0].sla = { workingDays: 2 };
    const v2 = await w.ok('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition: def }, 201);
    expect(v2.version).toBe(2);
    const v2case = await start();
    expect(v1case.version).toBe(1);
    expect(v2case.version).toBe(2);
    expect((await w.ok('clerk1', 'GET', `/api/workflow/instances/${v1case.id}`)).version).toBe(1);
    // The case on v1 still acts under v1's rules (its state SLA stays 1 working day).
    expect(new Date(v1case.stateDueAt).getTime()).toBeLessThan(new Date(v2case.stateDueAt).getTime());

    def.title['zh-CN'] = '五华区示例审批流程';
    await w.ok('km_admin', 'POST', '/api/workflow/definitions', { division: '530102', definition: def }, 201);
    expect((await w.ok('clerk1', 'GET', '/api/workflow/definitions/sample.approval?division=530102')).division).toBe('530102');
    expect((await w.ok('clerk1', 'GET', '/api/workflow/definitions/sample.approval?division=530103')).division).toBe('530000');
    const county = await start();
    expect(county.definitionDivision).toBe('530102');
    // Withdrawing the county version falls back to the province's newest.
    await w.ok('km_admin', 'POST', '/api/workflow/definitions/sample.approval/withdraw', { division: '530102', version: 1 });
    expect((await start()).definitionDivision).toBe('530000');
    const versions = await w.ok('clerk1', 'GET', '/api/workflow/definitions/sample.approval/versions?division=530102');
    expect(versions.items.map((v: any) => `${v.division}/v${v.version}/${v.status}`)).toEqual(['530000/v2/published', '530000/v1/published', '530102/v1/withdrawn']);
  });
});

describe('a case through every kind of step', () => {
  it('queues, claims, requires, pauses for 补正, extends, countersigns, reuses the previous handler, and approves', async () => {
    const c = await start({});
    expect(c.state).toBe('submitted');
    expect(c.dueAt).toBe('2026-12-10T15:59:59.999Z'); // 10 working days from Thu 26 Nov, end of day CST
    // The clerks' department queue shows it; Qujing's does not.
    const queue = await w.ok('clerk2', 'GET', '/api/workflow/tasks?view=department');
    expect(queue.items.map((t: any) => t.instanceId)).toContain(c.id);
    expect((await w.ok('qj_clerk', 'GET', '/api/workflow/tasks?view=department')).items.map((t: any) => t.instanceId)).not.toContain(c.id);

    // Accept needs the applicant's name: every missing thing is named.
    const bad = await act('clerk1', c.id, 'accept');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ pointer: '/data/applicant/name', code: 'required' })]);
    // 补正 without a comment or the list of corrections: both named.
    const bad2 = await act('clerk1', c.id, 'request_correction');
    expect(bad2.json().errors.map((e: any) => e.pointer)).toEqual(['/comment', '/data/corrections']);

    const corr = await actOk('clerk1', c.id, 'request_correction', { comment: '请补充户口簿首页', data: { corrections: ['户口簿首页'] } });
    expect(corr.state).toBe('correction');
    expect(corr.paused).toBe(true);
    expect(corr.dueAt).toBeNull();
    // The clerk cannot resubmit for the applicant; the applicant can, five days later.
    expect((await act('clerk1', c.id, 'resubmit')).statusCode).toBe(403);
    w.clock.set('2026-12-01T10:00:00+08:00');
    const back = await actOk('citizen', c.id, 'resubmit', { data: { applicant: { name: '张三' }, corrections: null } });
    expect(back.paused).toBe(false);
    // Paused 26 Nov – 1 Dec (27 Nov, 30 Nov, 1 Dec are working days): 10 Dec becomes 15 Dec.
    expect(back.dueAt).toBe('2026-12-15T15:59:59.999Z');
    expect(back.data).toEqual({ applicant: { name: '张三' } });

    const accepted = await actOk('clerk2', c.id, 'accept', { comment: '材料齐全，予以受理' });
    expect(accepted.state).toBe('review');
    // Round robin among the 530102 approvers: the task went to exactly one named approver.
    const [task] = accepted.tasks;
    expect(task.assignee).not.toBeNull();
    const reviewer = Object.entries(w.ids).find(([, id]) => id === task.assignee)![0] as 'approverA';
    const other = reviewer === 'approverA' ? 'approverB' : 'approverA';
    expect((await act(other, c.id, 'to_countersign')).statusCode).toBe(403);

    await actOk(reviewer, c.id, 'request_extension', { comment: '需现场核查' });
    const granted = await actOk('km_admin', c.id, 'grant_extension');
    expect(granted.state).toBe('review');
    expect(granted.dueAt).toBe('2026-12-22T15:59:59.999Z'); // 15 Dec + 5 working days
    const reviewer2 = Object.entries(w.ids).find(([, id]) => id === granted.tasks[0].assignee)![0] as 'approverA';

    const cs = await actOk(reviewer2, c.id, 'to_countersign');
    expect(cs.state).toBe('countersign');
    expect(cs.tasks.map((t: any) => t.departmentId).sort()).toEqual([w.departments['WF-D1'], w.departments['WF-D2']].sort());
    // Only the two departments' approvers may vote; the first approval does not move the case.
    expect((await act('approverA', c.id, 'cs_approve')).statusCode).toBe(403);
    const half = await actOk('approverD1', c.id, 'cs_approve');
    expect(half.state).toBe('countersign');
    expect((await act('approverD1', c.id, 'cs_approve')).statusCode).toBe(403);
    const done = await actOk('approverD2', c.id, 'cs_approve');
    expect(done.state).toBe('final_review');
    // 复核 goes back to whoever handled 审查 last.
    expect(done.tasks[0].assignee).toBe(w.ids[reviewer2]);
    const approved = await actOk(reviewer2, c.id, 'approve', { comment: '同意' });
    expect(approved).toMatchObject({ state: 'approved', status: 'completed', outcome: 'approved' });
    expect(approved.history.map((h: any) => `${h.kind}:${h.action ?? ''}`)).toEqual([
      'start:', 'action:request_correction', 'action:resubmit', 'action:accept', 'action:request_extension', 'action:grant_extension', 'action:to_countersign', 'vote:cs_approve', 'action:cs_approve', 'action:approve',
    ]);
    const resub = approved.history.find((h: any) => h.action === 'resubmit');
    expect(resub).toMatchObject({ actor: `user:${w.ids.citizen}`, from: 'correction', to: 'submitted' });
    expect(resub.diff).toEqual([{ pointer: '/applicant/name', after: '张三' }, { pointer: '/corrections', before: ['户口簿首页'] }]);
    // Every transition is audited and evented in the same transaction.
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE object_id = ${c.id} AND action LIKE 'workflow.instance.%'`.execute(w.core.db);
    const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE aggregate_id = ${c.id} AND type IN ('workflow.instance.transitioned','workflow.instance.started','workflow.instance.voted')`.execute(w.core.db);
    expect(audits.rows[0]!.n).toBe(10);
    expect(events.rows[0]!.n).toBe(10);
  });

  it('countersign: one disagreement refuses at once; reopen brings a refused case back', async () => {
    const c = await start();
    await actOk('clerk1', c.id, 'accept');
    const rev = (await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`)).tasks[0].assignee;
    const reviewer = Object.entries(w.ids).find(([, id]) => id === rev)![0] as 'approverA';
    await actOk(reviewer, c.id, 'to_countersign');
    const noComment = await act('approverD2', c.id, 'cs_reject');
    expect(noComment.statusCode).toBe(400);
    const refused = await actOk('approverD2', c.id, 'cs_reject', { comment: '选址不符合规划' });
    expect(refused).toMatchObject({ state: 'refused', outcome: 'refused' });
    // D1's vote is no longer asked for.
    const d1 = await w.core.db.selectFrom('wf_task').select('status').where('instance_id', '=', c.id).where('department_id', '=', w.departments['WF-D1']!).executeTakeFirstOrThrow();
    expect(d1.status).toBe('cancelled');
    expect((await act('clerk1', c.id, 'accept')).json().code).toBe('INVALID_STATE');
    const reopened = await actOk('km_admin', c.id, 'reopen', { comment: '申诉复核后重新审查' });
    expect(reopened).toMatchObject({ state: 'review', status: 'active', outcome: null });
  });

  it('sub-cases fan out to departments, run on their own, and join back when all are done', async () => {
    const c = await start();
    await actOk('clerk1', c.id, 'accept');
    const rev = (await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`)).tasks[0].assignee;
    const reviewer = Object.entries(w.ids).find(([, id]) => id === rev)![0] as 'approverA';
    const fanned = await actOk(reviewer, c.id, 'fan_out', { data: { subcases: [{ definition: 'sample.sub', title: '卫健部门' }, { definition: 'sample.sub', title: '公安部门' }] } });
    expect(fanned.state).toBe('bundle');
    expect(fanned.children).toHaveLength(2);
    expect(fanned.children.every((k: any) => k.state === 'handle' && k.key === 'sample.sub')).toBe(true);
    // The parent waits for the system join; nobody can push it on by hand.
    expect((await act(reviewer, c.id, 'joined')).statusCode).toBe(403);
    await actOk('clerk1', fanned.children[0].id, 'finish');
    expect((await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`)).state).toBe('bundle');
    await actOk('clerk2', fanned.children[1].id, 'finish');
    const joined = await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`);
    expect(joined.state).toBe('final_review');
    expect(joined.history.at(-1)).toMatchObject({ actor: 'system:workflow', action: 'joined', from: 'bundle', to: 'final_review' });
    expect(joined.tasks[0].assignee).toBe(rev);
  });

  it('the applicant may withdraw, nobody else; a stale version is refused', async () => {
    const c = await start();
    expect((await act('stranger', c.id, 'withdraw')).statusCode).toBe(404);
    expect((await act('clerk1', c.id, 'withdraw')).statusCode).toBe(403);
    const stale = await act('citizen', c.id, 'withdraw', { expectedVersion: c.rowVersion + 5 });
    expect(stale.statusCode).toBe(409);
    const done = await actOk('citizen', c.id, 'withdraw', { expectedVersion: c.rowVersion });
    expect(done).toMatchObject({ state: 'withdrawn', outcome: 'withdrawn', status: 'completed' });
    const open = await w.core.db.selectFrom('wf_task').select('status').where('instance_id', '=', c.id).execute();
    expect(open.map((t) => t.status)).toEqual(['cancelled']);
  });
});

describe('attachments', () => {
  it('files submitted with an action belong to the case: its readers may download them, nobody else', async () => {
    const c = await start();
    const up = await w.app.inject({ method: 'POST', url: '/api/files?accept=application/pdf', headers: { authorization: 'Bearer wf:citizen', 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent('户口簿.pdf') }, payload: pdf('hukou') });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().id;
    // Someone else's upload cannot be slipped into the case.
    const foreign = await act('citizen', c.id, 'withdraw', { attachments: [c.id] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].pointer).toBe("/attachments/0");
    await actOk('clerk1', c.id, 'request_correction', { comment: '补户口簿', data: { corrections: ['户口簿'] } });
    const back = await actOk('citizen', c.id, 'resubmit', { attachments: [fileId] });
    expect(back.history.at(-1).attachments).toEqual([fileId]);
    const get = (who: Parameters<World['call']>[0]) => w.call(who, 'GET', `/api/files/${fileId}`);
    expect((await get('clerk2')).statusCode).toBe(200);
    expect((await get('citizen')).statusCode).toBe(200);
    expect((await get('qj_clerk')).statusCode).toBe(404);
    expect((await get('stranger')).statusCode).toBe(404);
  });
});

describe('division isolation', () => {
  it('a Qujing clerk cannot read, act on, claim or count a Kunming case, even knowing its ids', async () => {
    const c = await start();
    const taskId = c.tasks[0].id;
    expect((await w.call('qj_clerk', 'GET', `/api/workflow/instances/${c.id}`)).statusCode).toBe(404);
    expect((await act('qj_clerk', c.id, 'accept', { data: { applicant: { name: 'x' } } })).statusCode).toBe(404);
    expect((await w.call('qj_clerk', 'POST', `/api/workflow/tasks/${taskId}/claim`)).statusCode).toBe(404);
    expect((await w.call('stranger', 'GET', `/api/workflow/instances/${c.id}`)).statusCode).toBe(404);
    const counts = await w.ok('qj_clerk', 'GET', '/api/workflow/counts');
    expect(counts.items.every((x: any) => x.key !== 'sample.approval')).toBe(true);
    expect((await w.call('qj_clerk', 'GET', '/api/workflow/counts?division=530102')).statusCode).toBe(403);
    expect((await w.call('qj_clerk', 'POST', '/api/workflow/instances', { key: 'sample.approval', division: '530102', data: {} })).statusCode).toBe(403);
    // A Qujing case lives on its own: Kunming's queue never shows it.
    const q = await start({ applicant: { name: '王五' } }, '530302', 'qj_clerk');
    expect((await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=department')).items.map((t: any) => t.instanceId)).not.toContain(q.id);
    expect((await w.call('clerk1', 'GET', `/api/workflow/instances/${q.id}`)).statusCode).toBe(404);
  });
});
