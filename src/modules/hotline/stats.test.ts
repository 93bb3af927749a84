// 一网统管 figures: counts, on-time rate, response time and satisfaction for a division and period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';

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
    expect((await w.ok('disp', 'GET', '/api/hotline/stats?division=530102&from=2026-12-01&to=2026-12-02')).orders).toBe(0);
    expect((await w.call('disp', 'GET', '/api/hotline/stats?division=530302&from=2026-11-24&to=2026-11-25')).statusCode).toBe(403);
    const bad = await w.call('disp', 'GET', '/api/hotline/stats?division=999999&from=2026-13-01&to=x');
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/querystring/division', '/querystring/from', '/querystring/to']);
  });
});
