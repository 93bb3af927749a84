import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './fixtures/world.js';
import { diffData, mergeData } from './data.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
  await w.publish('sample-approval.yaml');
});
afterAll(() => w.close());

const start = (title: string) => w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'sample.approval', division: '530102', title, data: { applicant: { name: '张三' } }, applicant: w.ids.citizen }, 201);
const ids = (r: { items: Array<{ instanceId: string }> }) => r.items.map((t) => t.instanceId);

describe('inboxes', () => {
  it('claim takes a task from the department queue; release puts it back; nobody can claim a claimed task', async () => {
    const c = await start('认领测试');
    const taskId = c.tasks[0].id;
    expect(ids(await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=department'))).toContain(c.id);
    const claimed = await w.ok('clerk1', 'POST', `/api/workflow/tasks/${taskId}/claim`);
    expect(claimed.assignee).toBe(w.ids.clerk1);
    expect(ids(await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=mine'))).toContain(c.id);
    expect(ids(await w.ok('clerk2', 'GET', '/api/workflow/tasks?view=department'))).not.toContain(c.id);
    const again = await w.call('clerk2', 'POST', `/api/workflow/tasks/${taskId}/claim`);
    expect(again.statusCode).toBe(409);
    // Someone else's claimed task cannot be completed by a colleague.
    expect((await w.call('clerk2', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, {})).statusCode).toBe(403);
    // An approver holds no window_clerk role: the queue task is not theirs to claim.
    expect((await w.call('approverA', 'POST', `/api/workflow/tasks/${taskId}/release`)).statusCode).toBe(404);
    expect((await w.call('clerk2', 'POST', `/api/workflow/tasks/${taskId}/release`)).statusCode).toBe(403);
    const released = await w.ok('clerk1', 'POST', `/api/workflow/tasks/${taskId}/release`);
    expect(released.assignee).toBeNull();
    expect(ids(await w.ok('clerk2', 'GET', '/api/workflow/tasks?view=department'))).toContain(c.id);
    const view = await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`);
    expect(view.history.map((h: any) => h.kind)).toEqual(['start', 'claim', 'release']);
  });

  it('reassign: the assignee or a supervisor hands a task to another holder of the role, never to someone without it', async () => {
    const c = await start('改派测试');
    const taskId = c.tasks[0].id;
    await w.ok('clerk1', 'POST', `/api/workflow/tasks/${taskId}/claim`);
    const bad = await w.call('clerk1', 'POST', `/api/workflow/tasks/${taskId}/reassign`, { to: w.ids.approverA });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].pointer).toBe('/body/to');
    expect((await w.call('clerk2', 'POST', `/api/workflow/tasks/${taskId}/reassign`, { to: w.ids.clerk2 })).statusCode).toBe(403);
    const moved = await w.ok('km_admin', 'POST', `/api/workflow/tasks/${taskId}/reassign`, { to: w.ids.clerk2 });
    expect(moved.assignee).toBe(w.ids.clerk2);
    await w.ok('clerk2', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, {});
    // The new assignee is told (an event the notice subscriber turns into messages).
    const told = await w.core.db.selectFrom('outbox').select('payload').where('aggregate_id', '=', c.id).where('type', '=', 'workflow.task.assigned').execute();
    expect(told.some((e) => (e.payload as { assignee: string }).assignee === w.ids.clerk2)).toBe(true);
  });

  it('round robin spreads review tasks evenly over the approvers who hold the role there', async () => {
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await start(`轮派 ${i}`);
      const accepted = await w.ok('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, {});
      picks.push(accepted.tasks[0].assignee);
    }
    // Four 530102 approvers (A, B, D1, D2), each picked once, in a stable order.
    expect(new Set(picks).size).toBe(4);
    expect(new Set(picks)).toEqual(new Set([w.ids.approverA, w.ids.approverB, w.ids.approverD1, w.ids.approverD2]));
  });

  it('due soon, overdue and counts per state follow the clock', async () => {
    const c = await start('到期测试');
    // Due end of Fri 27 Nov (one working day): due soon now, overdue on Monday.
    expect(ids(await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=due-soon'))).toContain(c.id);
    expect(ids(await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=overdue'))).not.toContain(c.id);
    const before = await w.ok('km_admin', 'GET', '/api/workflow/counts?division=530102&key=sample.approval');
    const submitted = before.items.find((x: any) => x.state === 'submitted');
    expect(submitted.open).toBeGreaterThanOrEqual(1);
    w.clock.set('2026-11-30T09:00:00+08:00');
    try {
      expect(ids(await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=overdue'))).toContain(c.id);
      const after = await w.ok('km_admin', 'GET', '/api/workflow/counts?division=530102&key=sample.approval');
      expect(after.items.find((x: any) => x.state === 'submitted').overdue).toBe(submitted.open);
    } finally {
      w.clock.set('2026-11-26T09:00:00+08:00');
    }
  });

  it('pages the inbox and reports the total', async () => {
    const page = await w.ok('clerk1', 'GET', '/api/workflow/tasks?view=department&limit=1&offset=0');
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThan(1);
    const bad = await w.call('clerk1', 'GET', '/api/workflow/tasks?view=everything&limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: any) => e.pointer).sort()).toEqual(['/query/limit', '/query/view']);
  });
});

describe('department from the case data', () => {
  it('routes the task to the department the case names, and refuses a case that names none', async () => {
    const definition = {
      key: 'dept.from', title: { 'zh-CN': '按数据分派' }, initial: 'handle',
      states: [
        { id: 'handle', name: { 'zh-CN': '承办' }, assignment: { role: 'approver', departmentFrom: '/department' } },
        { id: 'done', name: { 'zh-CN': '办结' }, kind: 'final', outcome: 'completed' },
      ],
      actions: [{ id: 'finish', name: { 'zh-CN': '办结' }, from: ['handle'], to: 'done', roles: ['approver'] }],
    };
    await w.ok('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition }, 201);
    const c = await w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'dept.from', division: '530102', data: { department: 'WF-D2' } }, 201);
    expect(c.tasks[0].departmentId).toBe(w.departments['WF-D2']);
    expect((await w.call('approverD1', 'POST', `/api/workflow/instances/${c.id}/actions/finish`, {})).statusCode).toBe(403);
    expect((await w.ok('approverD2', 'POST', `/api/workflow/instances/${c.id}/actions/finish`, {})).state).toBe('done');
    const none = await w.call('clerk1', 'POST', '/api/workflow/instances', { key: 'dept.from', division: '530102', data: {} });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].pointer).toBe('/data/department');
  });
});

describe('overall limit from the case data', () => {
  it("uses the case's own working days (e.g. an item's promised days), else the definition's", async () => {
    const definition = {
      key: 'sla.from', title: { 'zh-CN': '承诺时限' }, initial: 'handle', sla: { workingDays: 10 }, slaFromData: '/promisedDays',
      states: [
        { id: 'handle', name: { 'zh-CN': '承办' }, assignment: { role: 'window_clerk' } },
        { id: 'done', name: { 'zh-CN': '办结' }, kind: 'final', outcome: 'completed' },
      ],
      actions: [{ id: 'finish', name: { 'zh-CN': '办结' }, from: ['handle'], to: 'done', roles: ['window_clerk'] }],
    };
    await w.ok('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition }, 201);
    const three = await w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'sla.from', division: '530102', data: { promisedDays: 3 } }, 201);
    expect(three.dueAt).toBe('2026-12-01T15:59:59.999Z'); // Thu 26 Nov + 3 working days
    const none = await w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'sla.from', division: '530102', data: {} }, 201);
    expect(none.dueAt).toBe('2026-12-10T15:59:59.999Z');
    const bad = await w.call('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition: { ...definition, key: 'sla.bad', sla: undefined } });
    expect(bad.json().errors.map((e: any) => e.pointer)).toContain('/definition/sla');
  });
});

describe('case data', () => {
  it('merges objects deeply, replaces arrays, removes on null, and diffs leaf by leaf', () => {
    const a = { applicant: { name: '张三', mobile: '13800000000' }, items: [1, 2], note: 'x' };
    const b = mergeData(a, { applicant: { name: '张四' }, items: [3], note: null, added: { deep: { v: 1 } } });
    expect(b).toEqual({ applicant: { name: '张四', mobile: '13800000000' }, items: [3], added: { deep: { v: 1 } } });
    expect(diffData(a, b)).toEqual([
      { pointer: '/added/deep/v', after: 1 },
      { pointer: '/applicant/name', before: '张三', after: '张四' },
      { pointer: '/items', before: [1, 2], after: [3] },
      { pointer: '/note', before: 'x' },
    ]);
    expect(diffData({ 'a/b': 1 }, { 'a/b': 2 })).toEqual([{ pointer: '/a~1b', before: 1, after: 2 }]);
  });
});
