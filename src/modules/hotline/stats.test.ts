// 一网统管 figures: counts, on-time rate, response time and satisfaction for a division and period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';
import { FIGURES_JOB, hotWords } from './figures.js';

let w: World;
beforeAll(async () => { w = await makeWorld(); });
afterAll(async () => { await w?.close(); });

const run = async (id: string, steps: Array<[Parameters<World['ok']>[0], string, object]>) => { for (const [who, s, b] of steps) await w.ok(who, 'POST', `/api/hotline/orders/${id}/${s}`, b); };

describe('stats', () => {
  it('reports orders, on-time rate, response time and satisfaction within the caller\'s scope', async () => {
    const a = await w.intake({ demandType: '咨询', categoryCode: '020401', content: '公积金怎么提取' });
    await run(a.order.id, [['op', 'answer', { reply: '见办事指南' }]]);
    const b = await w.intake();
    w.clock.advance(2 * 3_600_000);
    await run(b.order.id, [['disp', 'dispatch', { departmentId: w.units['HL-WATER'] }], ['water', 'sign', {}], ['water', 'reply', { reply: '已修复' }], ['disp', 'review', { approve: true }], ['op', 'callback', { satisfaction: 'satisfied' }]]);
    const c = await w.intake({ urgency: 'urgent' });
    await run(c.order.id, [['disp', 'dispatch', { departmentId: w.units['HL-WATER'] }], ['water', 'sign', {}]]);
    w.clock.advance(30 * 3_600_000); // c is now past its 24-hour limit
    await run(c.order.id, [['water', 'reply', { reply: '迟到的答复' }], ['disp', 'review', { approve: true }], ['op', 'callback', { satisfaction: 'dissatisfied', unitAtFault: false }]]);
    await w.intake({ refusal: { code: 'litigation' } });
    const s = await w.ok('disp', 'GET', '/api/hotline/stats?division=530102&from=2026-11-24&to=2026-11-25');
    expect(s).toMatchObject({ orders: 4, refused: 1, byDemandType: { '投诉': 3, '咨询': 1 }, byChannel: { phone: 4 }, replied: 3, onTimeRate: 0.667, signed: 2, callbacks: 2, satisfactionRate: 0.5 });
    expect(s.responseHours).toBe(1);
    // The series per Beijing day: three orders on the 24th (two replied on time, one late), the refused one on the 25th.
    expect(s.perDay).toEqual([
      { day: '2026-11-24', orders: 3, replied: 3, onTime: 2, satisfied: 1, callbacks: 2 },
      { day: '2026-11-25', orders: 1, replied: 0, onTime: 0, satisfied: 0, callbacks: 0 },
    ]);
    // Hot words of the titles: three of the four are the default complaint about 停水.
    expect(s.hotWords[0]).toEqual({ word: expect.any(String), n: 3 });
    expect(s.hotWords).toContainEqual({ word: '停水', n: 3 });
    expect(s.hotWords).toContainEqual({ word: '公积金', n: 1 });
    // A county has no child divisions to drill into.
    expect(s.byDivision).toEqual([]);
    expect((await w.ok('disp', 'GET', '/api/hotline/stats?division=530102&from=2026-12-01&to=2026-12-02')).orders).toBe(0);
    expect((await w.call('disp', 'GET', '/api/hotline/stats?division=530302&from=2026-11-24&to=2026-11-25')).statusCode).toBe(403);
    const bad = await w.call('disp', 'GET', '/api/hotline/stats?division=999999&from=2026-13-01&to=x');
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/query/division', '/query/from', '/query/to']);
    // Same date rules as the applications' figures: a real calendar day, from ≤ to, at most 366 days — in Chinese.
    const errs = async (q: string) => { const r = await w.call('disp', 'GET', `/api/hotline/stats?division=530102&${q}`); expect(r.statusCode, r.body).toBe(400); return r.json().errors; };
    expect(await errs('from=2026-02-30&to=2026-03-01')).toEqual([{ pointer: '/query/from', code: 'format', message: '开始日期须为有效日期（YYYY-MM-DD）' }]);
    expect(await errs('from=2026-11-25&to=2026-11-24')).toEqual([{ pointer: '/query/to', code: 'range', message: '结束日期不能早于开始日期' }]);
    expect(await errs('from=2025-11-24&to=2026-11-25')).toEqual([{ pointer: '/query/to', code: 'range', message: '统计期间最长 366 天' }]);
    // Without dates: the last 30 Beijing days up to today (the 25th).
    expect(await w.ok('disp', 'GET', '/api/hotline/stats?division=530102')).toMatchObject({ from: '2026-10-27', to: '2026-11-25', orders: 4 });
  });

  it('emits yesterday\'s figures per division as the nightly event hotline.figures.daily, then schedules the next night', async () => {
    // Now 2026-11-25 18:00 Beijing: the job set for 00:10 on the 25th is due and reports the 24th.
    expect(await w.runJobs()).toBeGreaterThan(0);
    const events = await w.core.db.selectFrom('outbox').select(['division', 'payload', 'aggregate_id']).where('type', '=', FIGURES_JOB).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ division: '530102', aggregate_id: '530102:2026-11-24' });
    // The refused order came in on the 25th (after the clock moved on 30 hours).
    expect(events[0]!.payload).toMatchObject({ division: '530102', day: '2026-11-24', orders: 3, refused: 0, replied: 3, onTimeRate: 0.667, signed: 2, responseHours: 1, callbacks: 2, satisfactionRate: 0.5 });
    // Two of the day's three titles are the default complaint (停水 in 盘龙区's 小区); the third asks about 公积金.
    const words = (events[0]!.payload as { hotWords: Array<{ word: string; n: number }> }).hotWords;
    // The words of that title, twice, bar the fillers (小区, 三天, 不给, 尽快); then the 公积金 title's, once.
    expect(words.filter((x) => x.n === 2).map((x) => x.word).sort()).toEqual(['停水', '公司', '物业', '盘龙区', '自来水', '说法', '连续'].sort());
    expect(words.slice(7).every((x) => x.n === 1)).toBe(true);
    expect(words.map((x) => x.word)).toContain('公积金');
    const next = await w.core.db.selectFrom('job').select(['run_at', 'status']).where('key', '=', 'hotline:figures:daily').where('status', '=', 'pending').executeTakeFirstOrThrow();
    expect(new Date(next.run_at).toISOString()).toBe('2026-11-25T16:10:00.000Z');
    expect(hotWords(['连续三天停水', '又停水了', '井盖缺失'], 1)).toEqual([{ word: '停水', n: 2 }]);
    // How callers talk and spans of time are not hot words.
    const words2 = hotWords(['反映小区一直停水希望尽快解决', '两天停水问题', '三个月没人处理井盖'], 10).map((x) => x.word);
    expect(words2).toContain('停水');
    expect(words2).toContain('井盖');
    for (const filler of ['反映', '一直', '希望', '尽快', '解决', '两天', '三个月', '问题', '处理', '没人']) expect(words2).not.toContain(filler);
  });

  it('serves today\'s figures per division as Prometheus gauges on /metrics', async () => {
    const before = (await w.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(before).toContain('# TYPE yunling_hotline_orders_today gauge');
    // Today is the 25th: the refused order of the first test.
    expect(before).toContain('yunling_hotline_orders_today{division="530102"} 1\n');
    await w.intake();
    const m = (await w.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(m).toContain('yunling_hotline_orders_today{division="530102"} 2\n');
    expect(m).toMatch(/yunling_hotline_overdue_open_today\{division="530102"\} 0/);
  });

  it('reveals the caller\'s full number to hotline staff only, with a reason, and audits it', async () => {
    const { order } = await w.intake();
    expect(order.caller.phone).toBe('138****5678');
    const url = `/api/hotline/orders/${order.id}/reveal-phone`;
    const noReason = await w.call('disp', 'POST', url, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ pointer: '/body/reason', code: 'required' })]);
    expect(await w.ok('disp', 'POST', url, { reason: '回访需要联系来电人' })).toEqual({ phone: '13812345678', orderNumber: order.number });
    await w.ok('disp', 'POST', `/api/hotline/orders/${order.id}/dispatch`, { departmentId: w.units['HL-WATER'] });
    expect((await w.call('water', 'POST', url, { reason: '想联系来电人' })).statusCode).toBe(403);
    expect((await w.call('disp_qj', 'POST', url, { reason: '想联系来电人' })).statusCode).toBe(404);
    expect((await w.ok('water', 'GET', `/api/hotline/orders/${order.id}`)).caller.phone).toBe('138****5678');
    const audit = await w.core.db.selectFrom('audit_log').select(['actor', 'purpose', 'object_id']).where('action', '=', 'hotline.order.reveal-phone').execute();
    expect(audit).toEqual([{ actor: expect.stringContaining(w.ids.disp!), purpose: '回访需要联系来电人', object_id: order.id }]);
    expect(await w.core.db.selectFrom('outbox').select('type').where('type', '=', 'hotline.order.phone-revealed').where('aggregate_id', '=', order.id).execute()).toHaveLength(1);
  });

  it('gives one row per child division (county level at most) with orders, open and overdue open orders', async () => {
    const url = '/api/hotline/stats?division=530100&from=2026-11-25&to=2026-11-26';
    const row = async () => (await w.ok('sysadmin', 'GET', url)).byDivision.find((d: { division: string }) => d.division === '530102');
    const before = await row();
    expect(before).toMatchObject({ name: '五华区', level: 'county' });
    const km = await w.ok('sysadmin', 'GET', url);
    expect(km.byDivision.every((d: { level: string }) => d.level === 'county')).toBe(true);
    expect(km.byDivision.reduce((n: number, d: { orders: number }) => n + d.orders, 0)).toBe(km.orders);
    // An urgent order (24 clock hours), dispatched and left open: open now, overdue a day later.
    const { order } = await w.intake({ urgency: 'urgent' });
    await w.ok('disp', 'POST', `/api/hotline/orders/${order.id}/dispatch`, { departmentId: w.units['HL-WATER'] });
    expect(await row()).toEqual({ ...before, orders: before.orders + 1, open: before.open + 1 });
    w.clock.advance(25 * 3_600_000);
    expect(await row()).toEqual({ ...before, orders: before.orders + 1, open: before.open + 1, overdueOpen: before.overdueOpen + 1 });
    // The province's rows are its prefectures; the dispatcher of 五华区 may not read 昆明市 as a whole.
    const yn = await w.ok('sysadmin', 'GET', '/api/hotline/stats?division=530000&from=2026-11-24&to=2026-11-26');
    expect(yn.byDivision.find((d: { division: string }) => d.division === '530100')).toMatchObject({ name: '昆明市', level: 'prefecture', orders: yn.orders });
    expect((await w.call('disp', 'GET', url)).statusCode).toBe(403);
  });
});
