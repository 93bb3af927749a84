// 改派 by name: the colleagues a task may go to are exactly those reassign accepts, within the
// case's division; the case view names the staff in its history and tasks, never the citizen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type Who, type World } from './fixtures/world.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
  await w.publish('sample-approval.yaml');
});
afterAll(() => w.close());

const start = (title: string) => w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'sample.approval', division: '530102', title, data: { applicant: { name: '张三' } }, applicant: w.ids.citizen }, 201);
const candidates = async (who: Who, taskId: string, q?: string) =>
  (await w.ok(who, 'GET', `/api/workflow/tasks/${taskId}/candidates${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`)).items as Array<{ id: string; name: string; department: string | null }>;
const names = (items: Array<{ name: string }>) => items.map((c) => c.name);
const reassign = (who: Who, taskId: string, to: string) => w.call(who, 'POST', `/api/workflow/tasks/${taskId}/reassign`, { to });

describe('reassign candidates', () => {
  it('lists the holders of the task role in the division, and reassign accepts exactly them', async () => {
    const c = await start('改派候选');
    const taskId = c.tasks[0].id;
    // A supervisor, on a queued task: both clerks of 五华区; nobody of 曲靖 (530302), no approver.
    const listed = await candidates('km_admin', taskId);
    expect(names(listed)).toEqual(['clerk1', 'clerk2']);
    expect(listed[0]).toEqual({ id: w.ids.clerk1, name: 'clerk1', department: null });
    for (const outsider of ['qj_clerk', 'approverA', 'km_admin', 'citizen'] as const) {
      const r = await reassign('km_admin', taskId, w.ids[outsider]!);
      expect(r.statusCode, outsider).toBe(400);
      expect(r.json().errors[0].pointer).toBe('/body/to');
    }
    const moved = await w.ok('km_admin', 'POST', `/api/workflow/tasks/${taskId}/reassign`, { to: listed[1]!.id });
    expect(moved.assignee).toBe(w.ids.clerk2);

    // The assignee asks: the current assignee is not offered (nor accepted), the other clerk is.
    expect(names(await candidates('clerk2', taskId))).toEqual(['clerk1']);
    expect((await reassign('clerk2', taskId, w.ids.clerk2!)).statusCode).toBe(400);
    expect(names(await candidates('clerk2', taskId, 'erk1'))).toEqual(['clerk1']);
    expect(await candidates('clerk2', taskId, 'approver')).toEqual([]);
    // LIKE wildcards in the filter are plain characters.
    expect(await candidates('clerk2', taskId, '%')).toEqual([]);
  });

  it('answers like reassign: 403 for a holder who is neither assignee nor supervisor, 404 for anyone who cannot see the task', async () => {
    const c = await start('改派权限');
    const taskId = c.tasks[0].id;
    await w.ok('clerk1', 'POST', `/api/workflow/tasks/${taskId}/claim`);
    expect((await w.call('clerk2', 'GET', `/api/workflow/tasks/${taskId}/candidates`)).statusCode).toBe(403);
    expect((await reassign('clerk2', taskId, w.ids.clerk2!)).statusCode).toBe(403);
    for (const who of ['approverA', 'qj_clerk'] as const) {
      expect((await w.call(who, 'GET', `/api/workflow/tasks/${taskId}/candidates`)).statusCode, who).toBe(404);
      expect((await reassign(who, taskId, w.ids.clerk2!)).statusCode, who).toBe(404);
    }
    expect((await w.call('citizen', 'GET', `/api/workflow/tasks/${taskId}/candidates`)).statusCode).toBe(403);
    expect((await w.call('km_admin', 'GET', '/api/workflow/tasks/00000000-0000-4000-8000-000000000000/candidates')).statusCode).toBe(404);
    // A supervisor over the province (an ancestor division) may.
    expect((await w.call('admin', 'GET', `/api/workflow/tasks/${taskId}/candidates`)).statusCode).toBe(200);
  });

  it('a department-bound countersign task is offered only to that department\'s holders', async () => {
    const c = await start('会签改派');
    await w.ok('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, {});
    const rev = (await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`)).tasks[0].assignee;
    const reviewer = Object.entries(w.ids).find(([, id]) => id === rev)![0] as Who;
    const cs = await w.ok(reviewer, 'POST', `/api/workflow/instances/${c.id}/actions/to_countersign`, {});
    const d1 = cs.tasks.find((t: { departmentId: string }) => t.departmentId === w.departments['WF-D1']);
    const listed = await candidates('km_admin', d1.id);
    expect(listed).toEqual([{ id: w.ids.approverD1, name: 'approverD1', department: 'WF-D1 测试部门' }]);
    expect((await reassign('km_admin', d1.id, w.ids.approverA!)).statusCode).toBe(400);
    expect((await reassign('km_admin', d1.id, w.ids.approverD2!)).statusCode).toBe(400);
  });

  it('a task assigned to a person may go to any active staff who can act on tasks there', async () => {
    await w.ok('admin', 'POST', '/api/workflow/definitions', {
      division: '530102',
      definition: {
        key: 'test.person', title: { 'zh-CN': '指定办理人' }, initial: 'handle',
        states: [
          { id: 'handle', name: { 'zh-CN': '办理' }, assignment: { person: w.ids.clerk1 } },
          { id: 'done', name: { 'zh-CN': '办结' }, kind: 'final', outcome: 'completed' },
        ],
        actions: [{ id: 'finish', name: { 'zh-CN': '办结' }, from: ['handle'], to: 'done', roles: ['window_clerk', 'approver'] }],
      },
    }, 201);
    const c = await w.ok('clerk1', 'POST', '/api/workflow/instances', { key: 'test.person', division: '530102' }, 201);
    const taskId = c.tasks[0].id;
    expect(c.tasks[0]).toMatchObject({ assignee: w.ids.clerk1, role: null });
    // Window clerks and approvers act on tasks; the department administrator only supervises.
    expect(names(await candidates('clerk1', taskId))).toEqual(['approverA', 'approverB', 'approverD1', 'approverD2', 'clerk2']);
    expect((await reassign('clerk1', taskId, w.ids.km_admin!)).statusCode).toBe(400);
    expect((await reassign('clerk1', taskId, w.ids.qj_approver!)).statusCode).toBe(400);
    const moved = await w.ok('clerk1', 'POST', `/api/workflow/tasks/${taskId}/reassign`, { to: w.ids.approverB });
    expect(moved.assignee).toBe(w.ids.approverB);
  });
});

describe('the case names its staff', () => {
  it('actors: staff by name and department, for colleagues reading the case; the citizen neither named nor told names', async () => {
    const c = await start('姓名');
    await w.ok('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/request_correction`, { comment: '请补充', data: { corrections: ['户口簿'] } });
    await w.ok('citizen', 'POST', `/api/workflow/instances/${c.id}/actions/resubmit`, { data: { corrections: null } });
    const taskId = (await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`)).tasks[0].id;
    await w.ok('km_admin', 'POST', `/api/workflow/tasks/${taskId}/reassign`, { to: w.ids.clerk2 });
    const view = await w.ok('clerk2', 'GET', `/api/workflow/instances/${c.id}`);
    expect(view.history.map((h: { kind: string }) => h.kind)).toEqual(['start', 'action', 'action', 'reassign']);
    expect(view.history.some((h: { actor: string }) => h.actor === `user:${w.ids.citizen}`)).toBe(true);
    expect(view.actors).toEqual({
      [w.ids.clerk1!]: { name: 'clerk1', department: null },
      [w.ids.clerk2!]: { name: 'clerk2', department: null },
      [w.ids.km_admin!]: { name: 'km_admin', department: null },
    });
    expect(JSON.stringify(view.actors)).not.toContain('张三');
    // The applicant reads the same case without the officials' names (the steps, not who clicked).
    const own = await w.ok('citizen', 'GET', `/api/workflow/instances/${c.id}`);
    expect(own.history).toHaveLength(4);
    expect(own.actors).toEqual({});
    // Anyone else: no case, no names.
    expect((await w.call('stranger', 'GET', `/api/workflow/instances/${c.id}`)).statusCode).toBe(404);
    expect((await w.call('qj_clerk', 'GET', `/api/workflow/instances/${c.id}`)).statusCode).toBe(404);
  });

  it('a placed colleague comes with the department', async () => {
    const c = await start('部门');
    await w.ok('clerk1', 'POST', `/api/workflow/instances/${c.id}/actions/accept`, {});
    const rev = (await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`)).tasks[0].assignee;
    const reviewer = Object.entries(w.ids).find(([, id]) => id === rev)![0] as Who;
    await w.ok(reviewer, 'POST', `/api/workflow/instances/${c.id}/actions/to_countersign`, {});
    await w.ok('approverD1', 'POST', `/api/workflow/instances/${c.id}/actions/cs_approve`, {});
    const view = await w.ok('clerk1', 'GET', `/api/workflow/instances/${c.id}`);
    expect(view.actors[w.ids.approverD1!]).toEqual({ name: 'approverD1', department: 'WF-D1 测试部门' });
    expect(view.actors[rev].name).toBe(reviewer);
  });
});
