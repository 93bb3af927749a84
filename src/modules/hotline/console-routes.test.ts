// The screens' helper routes: caller history by phone (scoped to the operator's division), the
// duplicate check before saving, the dispatcher's units, and an order's history shaped per reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';

let w: World;
beforeAll(async () => { w = await makeWorld(); });
afterAll(async () => { await w?.close(); });

describe('caller history', () => {
  it('lists earlier orders of the same number, however it is written, newest first', async () => {
    const a = await w.intake({ caller: { name: '陈一', phone: '13955550001' }, content: '小区路灯坏了一个月没人修。' });
    const b = await w.intake({ caller: { name: '陈一', phone: '13955550001' }, content: '楼下餐馆油烟扰民，晚上十点还在营业。' });
    await w.intake({ caller: { name: '别人', phone: '13955550002' } });
    const r = await w.ok('op', 'GET', '/api/hotline/console/caller-history?phone=139%205555%200001');
    expect(r.items.map((i: { id: string }) => i.id)).toEqual([b.order.id, a.order.id]);
    expect(r.items[0]).toMatchObject({ number: b.order.number, status: 'accepted', demandType: '投诉', categoryPath: '水电气讯/供水/停水' });
  });

  it('is for operators only, and names a bad number', async () => {
    await w.intake({ caller: { phone: '13955550003' } });
    const other = await w.call('disp_qj', 'GET', '/api/hotline/console/caller-history?phone=13955550003');
    expect(other.statusCode).toBe(403); // dispatchers do not register calls
    const bad = await w.call('op', 'GET', '/api/hotline/console/caller-history?phone=12345');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ pointer: '/querystring/phone', code: 'format' });
    expect((await w.call('water', 'GET', '/api/hotline/console/caller-history?phone=13955550003')).statusCode).toBe(403);
  });
});

describe('duplicate check before saving', () => {
  it('finds an open order of the same caller with similar text', async () => {
    const first = await w.intake({ caller: { phone: '13955550010' }, content: '青年路100号小区连续三天停水，请尽快恢复供水。' });
    const r = await w.ok('op', 'POST', '/api/hotline/console/duplicates', { phone: '13955550010', division: '530102', categoryCode: '120101', text: '青年路100号小区停水三天了，请尽快恢复供水' });
    expect(r.items[0]).toMatchObject({ id: first.order.id, sameCaller: true });
    const none = await w.ok('op', 'POST', '/api/hotline/console/duplicates', { division: '530102', categoryCode: '120101', text: '表扬公交司机拾金不昧' });
    expect(none.items.some((d: { id: string }) => d.id === first.order.id)).toBe(false);
    expect((await w.call('op', 'POST', '/api/hotline/console/duplicates', { division: '530302', categoryCode: '120101', text: '停水' })).statusCode).toBe(403);
  });
});

describe('units and history', () => {
  it('lists only units in the dispatcher\'s division', async () => {
    const r = await w.ok('disp', 'GET', '/api/hotline/console/units');
    const ids = r.items.map((u: { id: string }) => u.id);
    expect(ids).toEqual(expect.arrayContaining([w.units['HL-WATER'], w.units['HL-ROAD']]));
    expect(ids).not.toContain(w.units['HL-QJ']);
  });

  it('shows the steps with remarks to staff, progress and the answer only to the citizen, nothing to strangers', async () => {
    const { order } = await w.intake({ caller: { name: '王五', phone: '13900882011' }, channel: 'web' }, 'citizen');
    await w.ok('disp', 'POST', `/api/hotline/orders/${order.id}/dispatch`, { departmentId: w.units['HL-WATER'], comment: '内部备注：请加急' });
    await w.ok('water', 'POST', `/api/hotline/orders/${order.id}/sign`, {});
    await w.ok('water', 'POST', `/api/hotline/orders/${order.id}/return`, { reasonCode: 'not-our-duty', legalBasis: '《城市供水条例》第七条' });
    const staff = await w.ok('disp', 'GET', `/api/hotline/console/orders/${order.id}/history`);
    expect(staff.relation).toBe('hotline');
    expect(staff.steps.map((s: { action: string }) => s.action)).toEqual(['accept', 'dispatch', 'sign', 'return']);
    expect(staff.steps[1].comment).toBe('内部备注：请加急');
    expect(staff.returns[0]).toMatchObject({ reasonCode: 'not-our-duty', legalBasis: '《城市供水条例》第七条', decision: null });
    expect(staff.unit).toMatchObject({ id: w.units['HL-WATER'] });
    const mine = await w.ok('citizen', 'GET', `/api/hotline/console/orders/${order.id}/history`);
    expect(mine.relation).toBe('applicant');
    expect(mine.steps.map((s: { action: string }) => s.action)).toEqual(['accept', 'dispatch', 'sign', 'return']);
    expect(mine.steps.every((s: { comment: string | null }) => s.comment === null)).toBe(true);
    expect(mine.returns).toEqual([]);
    expect((await w.call('stranger', 'GET', `/api/hotline/console/orders/${order.id}/history`)).statusCode).toBe(404);
    expect((await w.call('road', 'GET', `/api/hotline/console/orders/${order.id}/history`)).statusCode).toBe(404);
  });
});
