// Every branch of the work-order lifecycle on the workflow engine, through the HTTP API, with
// real accounts: dispatch, sign-for, return and arbitration, extension, reply, review, callback,
// reopen, instant answers, merge and co-handling (首接负责).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';

let w: World;
beforeAll(async () => { w = await makeWorld(); });
afterAll(async () => { await w?.close(); });

const step = (who: Parameters<World['call']>[0], id: string, name: string, body: unknown = {}) => w.call(who, 'POST', `/api/hotline/orders/${id}/${name}`, body);
const must = async (who: Parameters<World['call']>[0], id: string, name: string, body: unknown = {}) => {
  const r = await step(who, id, name, body);
  expect(r.statusCode, `${name} as ${who}: ${r.body}`).toBe(200);
  return r.json();
};
const events = async (id: string) => (await w.core.db.selectFrom('outbox').select('type').where('aggregate_id', '=', id).orderBy('seq').execute()).map((e) => e.type);

describe('the closed loop', () => {
  it('accept → dispatch → sign → reply → review → callback → closed; a second sign-for and a reply after closure are errors', async () => {
    const { order } = await w.intake({ caller: { name: '王小明', phone: '13812345678', anonymous: true } });
    const d = await must('disp', order.id, 'dispatch', { departmentId: w.units['HL-WATER'], comment: '请供水单位核实' });
    expect(d).toMatchObject({ status: 'dispatched', unitDepartmentId: w.units['HL-WATER'] });
    // The unit sees the order in its inbox, with the anonymous caller hidden.
    const inbox = await w.ok('water', 'GET', '/api/hotline/orders?view=unit');
    expect(inbox.items.map((o: { id: string }) => o.id)).toContain(order.id);
    const seen = await w.ok('water', 'GET', `/api/hotline/orders/${order.id}`);
    expect(seen.caller).toEqual({ name: null, phone: null, anonymous: true });
    expect((await w.ok('op', 'GET', `/api/hotline/orders/${order.id}`)).caller.phone).toBe('138****5678');
    // Another unit may not sign for it.
    expect((await step('road', order.id, 'sign')).statusCode).toBe(404);
    const s = await must('water', order.id, 'sign');
    expect(s.status).toBe('handling');
    expect(s.signedAt).toBeTruthy();
    const again = await step('water2', order.id, 'sign');
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('已签收');
    const empty = await step('water', order.id, 'reply', { reply: ' ' });
    expect(empty.json().errors).toEqual([expect.objectContaining({ pointer: '/body/reply', code: 'required' })]);
    expect((await must('water', order.id, 'reply', { reply: '已抢修管网，周三恢复供水。' })).status).toBe('review');
    expect((await must('disp', order.id, 'review', { approve: true })).status).toBe('callback');
    const closed = await must('op', order.id, 'callback', { satisfaction: 'satisfied' });
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
    const late = await step('water', order.id, 'reply', { reply: '补充答复' });
    expect(late.statusCode).toBe(409);
    expect(late.json().detail).toContain('已办结');
    expect(await events(order.id)).toEqual(['hotline.order.accepted', 'hotline.order.dispatch', 'hotline.order.sign', 'hotline.order.reply', 'hotline.order.approve-reply', 'hotline.order.close']);
    const c = await w.ok('disp', 'GET', `/api/workflow/instances/${order.caseId}`);
    expect(JSON.stringify(c)).toContain('closed');
  });

  it('answers a 咨询 at once from the knowledge base (即时办结)', async () => {
    const { order } = await w.intake({ demandType: '咨询', categoryCode: '020401', content: '公积金提取要带什么材料？' });
    expect((await step('op', order.id, 'answer', {})).json().errors).toEqual([expect.objectContaining({ pointer: '/body/reply' })]);
    const r = await must('op', order.id, 'answer', { reply: '携带身份证和提取证明到公积金中心窗口办理。' });
    expect(r).toMatchObject({ status: 'answered', reply: '携带身份证和提取证明到公积金中心窗口办理。' });
    expect(r.closedAt).toBeTruthy();
  });

  it('dispatches only within the dispatcher\'s division and only by a dispatcher', async () => {
    const { order } = await w.intake();
    const out = await step('disp', order.id, 'dispatch', { departmentId: w.units['HL-QJ'] });
    expect(out.statusCode).toBe(400);
    expect(out.json().errors).toEqual([expect.objectContaining({ pointer: '/body/departmentId', code: 'out-of-division' })]);
    const unknown = await step('disp', order.id, 'dispatch', { departmentId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.json().errors).toEqual([expect.objectContaining({ pointer: '/body/departmentId', code: 'unknown' })]);
    expect((await step('op', order.id, 'dispatch', { departmentId: w.units['HL-WATER'] })).statusCode).toBe(403);
    expect((await step('disp_qj', order.id, 'dispatch', { departmentId: w.units['HL-QJ'] })).statusCode).toBe(404);
    expect((await w.ok('disp', 'GET', `/api/hotline/orders/${order.id}`)).status).toBe('accepted');
  });
});

describe('退单 and arbitration', () => {
  it('returns with a reason code and legal basis; the hotline redispatches or overrules (force-assign)', async () => {
    const { order } = await w.intake();
    await must('disp', order.id, 'dispatch', { departmentId: w.units['HL-WATER'] });
    const bad = await step('water', order.id, 'return', { reasonCode: 'meh', legalBasis: '' });
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/legalBasis', '/body/reasonCode']);
    const r = await must('water', order.id, 'return', { reasonCode: 'not-our-duty', legalBasis: '《昆明市城市供水用水管理条例》第十条：二次供水设施由物业管理' });
    expect(r).toMatchObject({ status: 'returned', returnCount: 1 });
    const same = await step('disp', order.id, 'return-decision', { decision: 'redispatch', departmentId: w.units['HL-WATER'] });
    expect(same.json().errors).toEqual([expect.objectContaining({ code: 'same-unit' })]);
    const re = await must('disp', order.id, 'return-decision', { decision: 'redispatch', departmentId: w.units['HL-ROAD'] });
    expect(re).toMatchObject({ status: 'dispatched', unitDepartmentId: w.units['HL-ROAD'], signedAt: null });
    expect((await step('water', order.id, 'sign')).statusCode).toBe(404);
    await must('road', order.id, 'return', { reasonCode: 'overlapping-duty', legalBasis: '职能交叉，应由供水单位处理' });
    const forced = await must('disp', order.id, 'return-decision', { decision: 'overrule', comment: '经审定属道路养护单位职责' });
    expect(forced).toMatchObject({ status: 'dispatched', forced: true, returnCount: 2, unitDepartmentId: w.units['HL-ROAD'] });
    const again = await step('road', order.id, 'return', { reasonCode: 'not-our-duty', legalBasis: '再次退单' });
    expect(again.statusCode).toBe(409);
    const returns = await w.core.db.selectFrom('hotline_return').select(['reason_code', 'decision']).where('order_id', '=', order.id).orderBy('created_at').execute();
    expect(returns).toEqual([{ reason_code: 'not-our-duty', decision: 'redispatched' }, { reason_code: 'overlapping-duty', decision: 'overruled' }]);
  });
});

describe('延期', () => {
  it('is requested before the deadline and approved (deadline moves) or refused', async () => {
    const { order } = await w.intake();
    await must('disp', order.id, 'dispatch', { departmentId: w.units['HL-WATER'] });
    await must('water', order.id, 'sign');
    const bad = await step('water', order.id, 'extension', { workingDays: 0, reason: '', legalBasis: '' });
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/legalBasis', '/body/reason', '/body/workingDays']);
    const asked = await must('water', order.id, 'extension', { workingDays: 5, reason: '需要更换主管道', legalBasis: '《城市供水条例》第二十二条' });
    expect(asked.status).toBe('extension');
    const ok = await must('disp', order.id, 'extension-decision', { approve: true });
    // 15 working days from Tue 24 Nov → Tue 15 Dec; +5 working days → Tue 22 Dec.
    expect(ok).toMatchObject({ status: 'handling', dueAt: '2026-12-22T15:59:59.999Z' });
    await must('water', order.id, 'extension', { workingDays: 3, reason: '仍需协调', legalBasis: '同上' });
    const no = await must('disp', order.id, 'extension-decision', { approve: false, comment: '不予延期' });
    expect(no).toMatchObject({ status: 'handling', dueAt: '2026-12-22T15:59:59.999Z' });
    expect((await step('disp', order.id, 'extension-decision', { approve: true })).statusCode).toBe(409);
  });

  it('cannot be requested after the deadline has passed', async () => {
    const { order } = await w.intake({ urgency: 'urgent' });
    await must('disp', order.id, 'dispatch', { departmentId: w.units['HL-WATER'] });
    await must('water', order.id, 'sign');
    w.clock.advance(25 * 3_600_000);
    try {
      const late = await step('water', order.id, 'extension', { workingDays: 2, reason: '来不及', legalBasis: '无' });
      expect(late.statusCode).toBe(409);
      expect(late.json().detail).toContain('届满前');
    } finally {
      w.clock.advance(-25 * 3_600_000);
    }
  });
});

describe('callback', () => {
  it('reopens (重办) with a fresh time limit when the caller is dissatisfied and the unit is at fault; closes otherwise', async () => {
    const { order } = await w.intake({ demandType: '求助' });
    await must('disp', order.id, 'dispatch', { departmentId: w.units['HL-WATER'] });
    await must('water', order.id, 'sign');
    await must('water', order.id, 'reply', { reply: '已处理' });
    const rejected = await must('disp', order.id, 'review', { approve: false, comment: '答复过于简单' });
    expect(rejected.status).toBe('handling');
    await must('water', order.id, 'reply', { reply: '已派人上门维修，管道已更换' });
    await must('disp', order.id, 'review', { approve: true });
    expect((await step('op', order.id, 'callback', { satisfaction: 'meh' })).json().errors).toEqual([expect.objectContaining({ pointer: '/body/satisfaction' })]);
    const re = await must('op', order.id, 'callback', { satisfaction: 'dissatisfied', unitAtFault: true, comment: '实际未修好' });
    expect(re).toMatchObject({ status: 'handling', reopenCount: 1, repliedAt: null });
    await must('water', order.id, 'reply', { reply: '再次上门，已修复并回访确认' });
    await must('disp', order.id, 'review', { approve: true });
    const closed = await must('op', order.id, 'callback', { satisfaction: 'dissatisfied', unitAtFault: false, comment: '诉求超出政策范围' });
    expect(closed).toMatchObject({ status: 'closed', satisfaction: 'dissatisfied', reopenCount: 1 });
  });
});

describe('duplicates and 首接负责', () => {
  it('merges a duplicate into an open order, never into a finished one', async () => {
    const a = await w.intake({ content: '青年路路灯全部不亮，晚上很危险', categoryCode: '010203' });
    const b = await w.intake({ content: '青年路的路灯都不亮了，晚上走路很危险', categoryCode: '010203' });
    expect(b.duplicates.map((d: { id: string }) => d.id)).toContain(a.order.id);
    const m = await must('disp', b.order.id, 'merge', { into: a.order.id });
    expect(m).toMatchObject({ status: 'merged', mergedInto: a.order.id });
    const c = await w.intake({ content: '路灯不亮', categoryCode: '010203' });
    expect((await step('disp', c.order.id, 'merge', { into: b.order.id })).json().errors).toEqual([expect.objectContaining({ pointer: '/body/into', code: 'closed' })]);
    expect((await step('disp', c.order.id, 'merge', { into: c.order.id })).statusCode).toBe(400);
  });

  it('lets the first unit bring in co-handlers and reply only once all have reported', async () => {
    const { order } = await w.intake({ content: '道路开挖导致水管破裂，路面积水严重' });
    await must('disp', order.id, 'dispatch', { departmentId: w.units['HL-WATER'] });
    expect((await step('water', order.id, 'co-handlers', { departmentIds: [w.units['HL-ROAD']] })).statusCode).toBe(409);
    await must('water', order.id, 'sign');
    expect((await step('road', order.id, 'co-handlers', { departmentIds: [w.units['HL-QJ']] })).statusCode).toBe(404);
    const bad = await step('water', order.id, 'co-handlers', { departmentIds: [w.units['HL-ROAD'], w.units['HL-WATER']] });
    expect(bad.json().errors).toEqual([expect.objectContaining({ pointer: '/body/departmentIds/1', code: 'lead' })]);
    const co = await must('water', order.id, 'co-handlers', { departmentIds: [w.units['HL-ROAD']] });
    expect(co.coHandlers).toEqual([{ departmentId: w.units['HL-ROAD'], status: 'open', reply: null }]);
    expect((await w.ok('road', 'GET', '/api/hotline/orders?view=unit')).items.map((o: { id: string }) => o.id)).toContain(order.id);
    const early = await step('water', order.id, 'reply', { reply: '已修复' });
    expect(early.statusCode).toBe(409);
    expect((await step('road', order.id, 'reply', { reply: '越权答复' })).statusCode).toBe(403);
    await must('road', order.id, 'co-reply', { reply: '路面已恢复' });
    expect((await must('water', order.id, 'reply', { reply: '水管已修复，路面已恢复' })).status).toBe('review');
  });
});
