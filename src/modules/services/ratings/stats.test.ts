// Statistics with exact numbers: per level, satisfaction, rectified and callback rates, grouped by
// item, department and division, in the caller's scope, with date ranges; upheld appeals excluded;
// the public results page (aggregates only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRatingsWorld, type RatingsWorld, type Who } from './test-world.js';

let w: RatingsWorld;
const act = async (who: Who, caseId: string, action: string, body: Record<string, unknown>) => {
  const r = await w.call(who, 'POST', `/api/workflow/instances/${caseId}/actions/${action}`, body);
  expect(r.statusCode, r.body).toBe(200);
};
const web = async (level: number, over: Record<string, unknown> = {}) => {
  const app = await w.completeApplication(over);
  const inv = await w.invitationOf(app.id);
  return w.ok('citizen', 'POST', `/api/services/ratings/invitations/${inv!.id}/rating`, { level, comment: `评价内容 ${level}` }, 201);
};
const staff = (who: Who, path: 'counter' | 'hotline', body: Record<string, unknown>) =>
  w.ok(who, 'POST', `/api/services/ratings/${path}`, { idempotencyKey: `s-${Math.random().toString(36).slice(2, 12)}`, ...body }, 201);

beforeAll(async () => {
  w = await makeRatingsWorld();
  // 五华区 (530102), 2026-11-26: 企业设立登记 ×5 at 市场监管, a window visit and a hotline call at 民政.
  for (const level of [5, 5, 4]) await web(level);
  const closed = await web(2);
  await web(1);
  await staff('km_clerk', 'counter', { division: '530102', departmentCode: 'WH-MZ', window: 'C02', level: 4 });
  const appealed = await staff('km_clerk', 'counter', { division: '530102', departmentCode: 'WH-MZ', window: 'C02', level: 1, comment: '乱评' });
  await staff('km_hotline', 'hotline', { division: '530102', departmentCode: 'WH-MZ', level: 2, callerMobile: '13900002222', comment: '电话打不通' });
  // 麒麟区 (530302).
  await staff('qj_clerk', 'counter', { division: '530302', departmentCode: 'QL-SCJG', window: '1', level: 5 });
  await staff('qj_clerk', 'counter', { division: '530302', departmentCode: 'QL-SCJG', window: '1', level: 2 });
  // 2026-11-28: one more in 五华区, another item.
  w.clock.advance(2 * 86_400_000);
  await web(3, { itemKey: 'individual-business', itemName: '个体工商户登记' });
  w.clock.advance(-2 * 86_400_000);
  // One 差评 is rectified through to 办结 with its callback; one is excluded by an upheld appeal.
  await act('km_approver', closed.rectificationId, 'confirm', { comment: '属实' });
  await act('km_approver', closed.rectificationId, 'rectified', { comment: '已整改', data: { rectification: { measures: '培训' } } });
  await act('km_approver', closed.rectificationId, 'reply', { data: { reply: { text: '已整改' } } });
  await act('km_admin', closed.rectificationId, 'callback_done', { comment: '满意', data: { callback: { result: 'satisfied' } } });
  await act('km_approver_mz', appealed.rectificationId, 'appeal', { comment: '恶意', data: { appeal: { reason: 'malicious' } } });
  await w.ok('city_admin', 'POST', `/api/services/ratings/${appealed.id}/appeal-decision`, { upheld: true, comment: '成立' });
  await w.dispatch();
});
afterAll(async () => { await w?.close(); });

const levels = (l5: number, l4: number, l3: number, l2: number, l1: number) => ({ 非常满意: l5, 满意: l4, 基本满意: l3, 不满意: l2, 非常不满意: l1 });

describe('statistics for staff', () => {
  it('by department: exact counts and rates; the excluded rating counts nowhere', async () => {
    const s = await w.ok('km_admin', 'GET', '/api/services/ratings/stats?groupBy=department');
    expect(s.totals).toEqual({ total: 8, levels: levels(2, 2, 1, 2, 1), good: 5, bad: 3, rectified: 1, calledBack: 1, satisfactionRate: 0.625, rectifiedRate: 0.3333, callbackRate: 0.3333 });
    expect(s.excluded).toBe(1);
    expect(s.groups).toEqual([
      { key: 'WH-MZ', name: '五华区民政局', total: 2, levels: levels(0, 1, 0, 1, 0), good: 1, bad: 1, rectified: 0, calledBack: 0, satisfactionRate: 0.5, rectifiedRate: 0, callbackRate: 0 },
      { key: 'WH-SCJG', name: '五华区市场监督管理局', total: 6, levels: levels(2, 1, 1, 1, 1), good: 4, bad: 2, rectified: 1, calledBack: 1, satisfactionRate: 0.6667, rectifiedRate: 0.5, callbackRate: 0.5 },
    ]);
  });

  it('by item and by division', async () => {
    const items = await w.ok('km_clerk', 'GET', '/api/services/ratings/stats?groupBy=item&division=530102');
    expect(items.groups.map((g: { key: string; name: string; total: number; satisfactionRate: number }) => [g.key, g.name, g.total, g.satisfactionRate])).toEqual([
      ['', '窗口服务（无具体事项）', 2, 0.5],
      ['company-establishment', '企业设立登记', 5, 0.6],
      ['individual-business', '个体工商户登记', 1, 1],
    ]);
    const divisions = await w.ok('city_admin', 'GET', '/api/services/ratings/stats?groupBy=division');
    expect(divisions.groups.map((g: { key: string; name: string; total: number }) => [g.key, g.name, g.total])).toEqual([['530102', '五华区', 8]]);
  });

  it('a date range counts the ratings of those Beijing days only', async () => {
    const day = await w.ok('km_admin', 'GET', '/api/services/ratings/stats?from=2026-11-28&to=2026-11-28');
    expect(day.totals).toMatchObject({ total: 1, levels: levels(0, 0, 1, 0, 0), satisfactionRate: 1, rectifiedRate: null, callbackRate: null });
    const before = await w.ok('km_admin', 'GET', '/api/services/ratings/stats?to=2026-11-27');
    expect(before.totals.total).toBe(7);
    const bad = await w.call('km_admin', 'GET', '/api/services/ratings/stats?from=2026-11-28&to=2026-11-01&groupBy=nothing');
    expect(bad.statusCode).toBe(400);
    const backwards = await w.call('km_admin', 'GET', '/api/services/ratings/stats?from=2026-11-28&to=2026-11-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toMatchObject([{ pointer: '/querystring/to' }]);
  });

  it('is scoped: Qujing sees Qujing; asking for Kunming is 403; citizens get nothing', async () => {
    const qj = await w.ok('qj_admin', 'GET', '/api/services/ratings/stats?groupBy=department');
    expect(qj.totals).toMatchObject({ total: 2, levels: levels(1, 0, 0, 1, 0), bad: 1, satisfactionRate: 0.5 });
    expect(qj.groups.map((g: { key: string }) => g.key)).toEqual(['QL-SCJG']);
    expect((await w.call('qj_admin', 'GET', '/api/services/ratings/stats?division=530102')).statusCode).toBe(403);
    expect((await w.call('km_admin', 'GET', '/api/services/ratings/stats?division=530100')).statusCode).toBe(403);
    expect((await w.call('citizen', 'GET', '/api/services/ratings/stats')).statusCode).toBe(403);
    expect((await w.call('anon', 'GET', '/api/services/ratings/stats')).statusCode).toBe(401);
  });
});

describe('the public results page', () => {
  it('shows aggregates per department and item without sign-in, and nothing personal', async () => {
    const r = await w.call('anon', 'GET', '/api/services/ratings/public?division=530100');
    expect(r.statusCode).toBe(200);
    const p = r.json();
    expect(p).toMatchObject({ division: '530100', divisionName: '昆明市' });
    expect(p.totals).toMatchObject({ total: 8, good: 5, bad: 3, rectified: 1, satisfactionRate: 0.625, rectifiedRate: 0.3333 });
    expect(p.byDepartment.map((g: { name: string; total: number }) => [g.name, g.total])).toEqual([['五华区民政局', 2], ['五华区市场监督管理局', 6]]);
    expect(p.byItem.map((g: { key: string; total: number }) => [g.key, g.total])).toEqual([['', 2], ['company-establishment', 5], ['individual-business', 1]]);
    for (const secret of ['评价内容', '乱评', '电话打不通', '139', w.ids.citizen, 'YN530102', 'ZG530102']) expect(r.body).not.toContain(secret);
    const province = await w.ok('anon', 'GET', '/api/services/ratings/public');
    expect(province.totals.total).toBe(10);
    expect((await w.call('anon', 'GET', '/api/services/ratings/public?division=539999')).statusCode).toBe(404);
  });

  it('publishes the scale: the five levels and both indicator sets', async () => {
    const s = await w.ok('anon', 'GET', '/api/services/ratings/scale');
    expect(s.levels.map((l: { stars: number; 'zh-CN': string }) => `${l.stars}${l['zh-CN']}`)).toEqual(['5非常满意', '4满意', '3基本满意', '2不满意', '1非常不满意']);
    expect(s.indicators.online.map((i: { 'zh-CN': string }) => i['zh-CN'])).toEqual(['整体满意度', '办事效率', '办事指南精确度', '办事便捷度', '平台操作性']);
    expect(s.indicators.offline.map((i: { 'zh-CN': string }) => i['zh-CN'])).toEqual(['整体满意度', '服务效率', '服务水平', '服务态度']);
  });
});
