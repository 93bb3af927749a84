// 差评 → rectification on the workflow engine: 核实 → 整改/解释 → 回复评价人 → 回访 → 办结, the
// 15-working-day limit and its ladder, 申诉复核 by the division above, scoping, local time limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRatingsWorld, type RatingsWorld, type Who } from './test-world.js';
import { ensureRectificationDefinition, rectificationFile } from './rectification.js';
import { loadDefinitionFile } from '../../../platform/workflow/index.js';

let w: RatingsWorld;
beforeAll(async () => { w = await makeRatingsWorld(); });
afterAll(async () => { await w?.close(); });

const act = (who: Who, caseId: string, action: string, body: Record<string, unknown>) => w.call(who, 'POST', `/api/workflow/instances/${caseId}/actions/${action}`, body);
const actOk = async (who: Who, caseId: string, action: string, body: Record<string, unknown>) => {
  const r = await act(who, caseId, action, body);
  expect(r.statusCode, `${action} as ${who}: ${r.body}`).toBe(200);
  return r.json();
};
async function badRating(level = 2, comment = '窗口让我跑了三趟') {
  const app = await w.completeApplication();
  const inv = await w.invitationOf(app.id);
  return w.ok('citizen', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level, comment }, 201);
}
const visitBad = (division = '530102', departmentCode = 'WH-SCJG', who: Who = 'km_clerk') =>
  w.ok(who, 'POST', '/api/services/ratings/counter', { division, departmentCode, window: 'B01', level: 1, comment: '态度差', idempotencyKey: `v-${Math.random().toString(36).slice(2, 12)}` }, 201);

describe('a 差评 opens a rectification item for the handling department', () => {
  it('goes 核实 → 整改 → 回复评价人 → 回访 → 办结; the rater gets the reply; the rating follows the case', async () => {
    const r = await badRating();
    expect(r).toMatchObject({ bad: true, levelName: '不满意', rectificationState: 'verify' });
    expect(r.rectificationNumber).toMatch(/^ZG530102-\d{8}-\d{6}$/);
    const c = await w.ok('km_approver', 'GET', `/api/workflow/instances/${r.rectificationId}`);
    expect(c).toMatchObject({ key: 'svc.rectification', state: 'verify', stateName: '核实', division: '530102', number: r.rectificationNumber });
    expect(c.data.rating).toMatchObject({ id: r.id, level: 2, comment: '窗口让我跑了三趟', itemName: '企业设立登记' });
    expect(c.data.departmentCode).toBe('WH-SCJG');
    // The rater stays confidential: nothing in the case names or identifies them.
    expect(JSON.stringify(c)).not.toContain(w.ids.citizen);
    expect(JSON.stringify(c)).not.toContain('张三');
    expect(c.tasks).toMatchObject([{ state: 'verify', role: 'approver', status: 'open' }]);
    // 15 working days on the division's calendar (no holidays in this stretch: 2026-12-17).
    const expected = w.core.calendar.addWorkingDays(new Date(c.createdAt), 15, { division: '530102' }).due!;
    expect(c.dueAt).toBe(expected.toISOString());
    expect(new Date(new Date(c.dueAt).getTime() + 8 * 3_600_000).toISOString().slice(0, 10)).toBe('2026-12-17');

    await actOk('km_approver', r.rectificationId, 'confirm', { comment: '经核实，材料一次性告知不到位' });
    const missing = await act('km_approver', r.rectificationId, 'rectified', { comment: '已整改' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/data/rectification/measures');
    await actOk('km_approver', r.rectificationId, 'rectified', { comment: '已整改', data: { rectification: { measures: '修订一次性告知单，窗口培训' } } });
    await actOk('km_approver', r.rectificationId, 'reply', { data: { reply: { text: '您反映的问题属实，我们已修订告知单并加强培训，感谢监督。' } } });
    await w.dispatch();
    let view = await w.ok('km_admin', 'GET', `/api/services/ratings/${r.id}`);
    expect(view).toMatchObject({ rectificationState: 'callback', rectified: false, callbackDone: false });
    expect(view.repliedAt).not.toBeNull();
    const msg = await w.core.db.selectFrom('notification').select(['body', 'channel']).where('template_key', '=', 'services.rating-reply').where('account_id', '=', w.ids.citizen).execute();
    expect(msg.map((m) => m.channel).sort()).toEqual(['inbox', 'sms']);
    expect(msg[0]!.body).toContain('我们已修订告知单并加强培训');

    // 100% callback: the item cannot close without it, and the approver cannot do it themselves.
    expect((await act('km_approver', r.rectificationId, 'callback_done', { comment: '已回访', data: { callback: { result: 'satisfied' } } })).statusCode).toBe(403);
    await actOk('km_admin', r.rectificationId, 'callback_done', { comment: '电话回访，评价人表示满意', data: { callback: { result: 'satisfied' } } });
    await w.dispatch();
    view = await w.ok('km_admin', 'GET', `/api/services/ratings/${r.id}`);
    expect(view).toMatchObject({ rectificationState: 'closed', rectified: true, callbackDone: true, excluded: false });
    expect(view.closedAt).not.toBeNull();
  });

  it('a rating without a basis is explained instead; a callback that finds the rater unsatisfied sends it back to 整改', async () => {
    const r = await visitBad();
    expect(r.rectificationState).toBe('verify');
    await actOk('km_approver', r.rectificationId, 'explain', { comment: '按规定须本人到场' });
    await actOk('km_approver', r.rectificationId, 'explained', { comment: '已解释', data: { rectification: { explanation: '依据《…条例》第十条须本人到场办理' } } });
    await actOk('km_approver', r.rectificationId, 'reply', { data: { reply: { text: '已向您说明依据' } } });
    const back = await actOk('km_admin', r.rectificationId, 'callback_reopen', { comment: '评价人仍不满意' });
    expect(back.state).toBe('rectify');
    await w.dispatch();
    expect(await w.ok('km_admin', 'GET', `/api/services/ratings/${r.id}`)).toMatchObject({ rectificationState: 'rectify', callbackDone: true, rectified: false });
  });

  it('overdue items climb the ladder: 催办 on the 核实 step and on the 15-day limit, 督办 to the department administrators', async () => {
    const r = await badRating(1, '非常不满意');
    // Due 2026-12-17; 督办 two and 通报 five working days later (2026-12-24): 35 days on, all have fired.
    w.clock.advance(35 * 86_400_000);
    for (let k = 0; k < 50 && (await w.core.jobs.runDue(50)) > 0; k++);
    const c = await w.ok('km_approver', 'GET', `/api/workflow/instances/${r.rectificationId}`);
    expect(c.tasks[0]).toMatchObject({ escalation: 'notice', supervised: true });
    const rungs = c.history.filter((h: { kind: string }) => ['urge', 'supervise', 'notice'].includes(h.kind)).map((h: { kind: string; detail: { scope: string } }) => `${h.detail.scope}:${h.kind}`);
    expect(rungs).toEqual(expect.arrayContaining(['state:urge', 'overall:urge', 'overall:supervise', 'overall:notice']));
    w.clock.advance(-35 * 86_400_000);
  });
});

describe('谁办理、谁负责: the item goes to the rated department\'s own approvers', () => {
  const queueOf = async (who: Who) => (await w.ok(who, 'GET', '/api/workflow/tasks?view=department&limit=200')).items.map((t: { instanceId: string }) => t.instanceId);

  it('a 差评 of 民政 reaches 民政\'s approver only, not 市场监管\'s in the same division — and the other way round', async () => {
    const mz = await visitBad('530102', 'WH-MZ');
    const scjg = await badRating(1, '材料要求反复变');
    const cMz = await w.ok('km_admin', 'GET', `/api/workflow/instances/${mz.rectificationId}`);
    expect(cMz.data.departmentCode).toBe('WH-MZ');
    expect(cMz.tasks).toMatchObject([{ state: 'verify', role: 'approver', departmentId: w.departments['WH-MZ'], assignee: null, status: 'open' }]);
    const cScjg = await w.ok('km_admin', 'GET', `/api/workflow/instances/${scjg.rectificationId}`);
    expect(cScjg.tasks).toMatchObject([{ state: 'verify', departmentId: w.departments['WH-SCJG'] }]);

    const mzQueue = await queueOf('km_approver_mz');
    const scjgQueue = await queueOf('km_approver');
    expect(mzQueue).toContain(mz.rectificationId);
    expect(mzQueue).not.toContain(scjg.rectificationId);
    expect(scjgQueue).toContain(scjg.rectificationId);
    expect(scjgQueue).not.toContain(mz.rectificationId);

    // The approver of the other department can neither claim (the task is not theirs to see) nor act on it; nothing changes.
    const task = cMz.tasks[0].id as string;
    expect((await w.call('km_approver', 'POST', `/api/workflow/tasks/${task}/claim`, {})).statusCode).toBe(404);
    expect((await act('km_approver', mz.rectificationId, 'confirm', { comment: '越权核实' })).statusCode).toBe(403);
    expect((await w.ok('km_admin', 'GET', `/api/workflow/instances/${mz.rectificationId}`)).state).toBe('verify');
    // The rated department's approver can, and the item follows them through 整改 (previous: verify).
    await actOk('km_approver_mz', mz.rectificationId, 'confirm', { comment: '经核实属实' });
    const after = await w.ok('km_admin', 'GET', `/api/workflow/instances/${mz.rectificationId}`);
    expect(after.state).toBe('rectify');
    expect(after.tasks.find((t: { status: string }) => t.status === 'open')).toMatchObject({ assignee: w.ids.km_approver_mz, departmentId: w.departments['WH-MZ'] });
  });

  it('a department not in the organisation register (e.g. a catalog-only code) falls back to the division\'s approvers', async () => {
    const app = await w.completeApplication({ departmentCode: 'WH-NOT-REGISTERED' });
    const inv = await w.invitationOf(app.id);
    const r = await w.ok('citizen', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level: 1, comment: '没人管' }, 201);
    const c = await w.ok('km_admin', 'GET', `/api/workflow/instances/${r.rectificationId}`);
    expect(c).toMatchObject({ key: 'svc.rectification.division', state: 'verify', data: { departmentCode: 'WH-NOT-REGISTERED' } });
    expect(c.tasks).toMatchObject([{ state: 'verify', role: 'approver', departmentId: null }]);
    expect(await queueOf('km_approver')).toContain(r.rectificationId);
    expect(await queueOf('km_approver_mz')).toContain(r.rectificationId);
    // Same process, and the rating still follows the case.
    await actOk('km_approver', r.rectificationId, 'confirm', { comment: '属实' });
    await w.dispatch();
    expect(await w.ok('km_admin', 'GET', `/api/services/ratings/${r.id}`)).toMatchObject({ rectificationState: 'rectify' });
  });
});

describe('申诉复核 (appeal)', () => {
  it('the department appeals a malicious rating; only a department administrator of the division above decides; upheld → excluded', async () => {
    const r = await visitBad();
    const noReason = await act('km_approver', r.rectificationId, 'appeal', { comment: '恶意评价' });
    expect(noReason.statusCode).toBe(400);
    const appealed = await actOk('km_approver', r.rectificationId, 'appeal', { comment: '评价人当日未到窗口，系误评', data: { appeal: { reason: 'mistaken' } } });
    expect(appealed).toMatchObject({ state: 'appeal', paused: true });
    const decide = (who: Who, upheld: boolean) => w.call(who, 'POST', `/api/services/ratings/${r.id}/appeal-decision`, { upheld, comment: '经调取监控核实' });
    // The county's own administrator may not decide, nor may anyone through the generic workflow route.
    expect((await decide('km_admin', true)).statusCode).toBe(403);
    expect((await act('city_admin', r.rectificationId, 'appeal_upheld', { comment: 'x' })).statusCode).toBe(403);
    expect((await decide('qj_admin', true)).statusCode).toBe(404);
    expect((await decide('km_approver', true)).statusCode).toBe(403);
    const done = await w.ok('city_admin', 'POST', `/api/services/ratings/${r.id}/appeal-decision`, { upheld: true, comment: '经调取监控核实，申诉成立' });
    expect(done).toMatchObject({ excluded: true, rectificationState: 'excluded' });
    const c = await w.ok('km_admin', 'GET', `/api/workflow/instances/${r.rectificationId}`);
    expect(c).toMatchObject({ state: 'excluded', status: 'completed' });
    expect(c.history.at(-1)).toMatchObject({ action: 'appeal_upheld', actor: `user:${w.ids.city_admin}`, comment: '经调取监控核实，申诉成立' });
    await w.dispatch();
    expect(await w.ok('km_admin', 'GET', `/api/services/ratings/${r.id}`)).toMatchObject({ excluded: true, rectificationState: 'excluded' });
    // A decided appeal cannot be decided again.
    expect((await decide('city_admin', false)).statusCode).toBe(409);
  });

  it('a rejected appeal sends the item back to 核实 and the rating keeps counting', async () => {
    const r = await visitBad();
    await actOk('km_approver', r.rectificationId, 'appeal', { comment: '恶意评价', data: { appeal: { reason: 'malicious' } } });
    const done = await w.ok('city_admin', 'POST', `/api/services/ratings/${r.id}/appeal-decision`, { upheld: false, comment: '证据不足，申诉不成立' });
    expect(done).toMatchObject({ excluded: false, rectificationState: 'verify' });
  });
});

describe('scoping', () => {
  it('a Qujing administrator sees neither Kunming\'s rectification items nor its ratings; Kunming sees its own only', async () => {
    const km = await visitBad();
    const qj = await visitBad('530302', 'QL-SCJG', 'qj_clerk');
    const qjList = await w.ok('qj_admin', 'GET', '/api/services/ratings/rectifications?limit=200');
    expect(qjList.items.map((i: { id: string }) => i.id)).toContain(qj.id);
    expect(qjList.items.every((i: { division: string }) => i.division.startsWith('5303'))).toBe(true);
    expect((await w.call('qj_admin', 'GET', `/api/services/ratings/${km.id}`)).statusCode).toBe(404);
    expect((await w.call('qj_admin', 'GET', `/api/workflow/instances/${km.rectificationId}`)).statusCode).toBe(404);
    expect((await w.call('qj_admin', 'GET', '/api/services/ratings/rectifications?division=530102')).statusCode).toBe(403);
    const kmList = await w.ok('km_admin', 'GET', '/api/services/ratings/rectifications?limit=200&state=verify');
    expect(kmList.items.map((i: { id: string }) => i.id)).toContain(km.id);
    expect(kmList.items.map((i: { id: string }) => i.id)).not.toContain(qj.id);
    expect((await w.call('citizen', 'GET', '/api/services/ratings/rectifications')).statusCode).toBe(403);
  });
});

describe('the definition and its local time limit', () => {
  it('is published once at province level; a county may publish its own limit (e.g. 5 working days) for new items', async () => {
    expect(await ensureRectificationDefinition(w.core)).toEqual({ published: false, version: 1 });
    const def = (await loadDefinitionFile(rectificationFile())) as { sla: { workingDays: number } };
    await w.ok('km_admin', 'POST', '/api/workflow/definitions', { division: '530102', definition: { ...def, sla: { workingDays: 5 } } }, 201);
    const r = await visitBad();
    const c = await w.ok('km_admin', 'GET', `/api/workflow/instances/${r.rectificationId}`);
    expect(c.definitionDivision).toBe('530102');
    expect(c.dueAt).toBe(w.core.calendar.addWorkingDays(new Date(c.createdAt), 5, { division: '530102' }).due!.toISOString());
    const qj = await visitBad('530302', 'QL-SCJG', 'qj_clerk');
    expect((await w.ok('qj_admin', 'GET', `/api/workflow/instances/${qj.rectificationId}`)).definitionDivision).toBe('530000');
  });
});
