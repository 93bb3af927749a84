// 12345 ↔ 110: transfers both ways with the 110 case number and transfer type, progress and
// feedback, and the emergency-word prompt at intake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';

let w: World;
let key: string;
beforeAll(async () => {
  w = await makeWorld();
  key = (await w.ok('sysadmin', 'POST', '/api/hotline/clients', { name: '五华区110接处警平台', kind: 'police-110', division: '530102' }, 201)).apiKey;
});
afterAll(async () => { await w?.close(); });

const police = (method: 'GET' | 'POST', url: string, payload?: object, apiKey = key) => w.app.inject({ method, url, headers: { 'x-api-key': apiKey }, ...(payload ? { payload } : {}) });

describe('12345 → 110', () => {
  it('transfers an emergency flagged at intake (one-click), records 110 feedback and ends the order here', async () => {
    const r = await w.intake({ demandType: '求助', content: '邻居家着火了，有人被困', categoryCode: '080503' });
    expect(r.transferSuggested).toBe(true);
    const bad = await w.call('op', 'POST', `/api/hotline/orders/${r.order.id}/transfer-110`, { transferType: 'pigeon', policeCaseNo: '!' });
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/policeCaseNo', '/body/transferType']);
    const t = await w.ok('op', 'POST', `/api/hotline/orders/${r.order.id}/transfer-110`, { transferType: 'one-click', note: '一键转接110' });
    expect(t).toMatchObject({ status: 'transferred', transfer: { transferType: 'one-click' } });
    expect((await w.core.db.selectFrom('outbox').select('type').where('aggregate_id', '=', r.order.id).where('type', '=', 'hotline.order.transfer-110').execute()).length).toBe(1);
    const fb = await police('POST', '/api/hotline/110/feedback', { number: r.order.number, policeCaseNo: 'JQ530102202611240001', status: 'handled', note: '已出警处置' });
    expect(fb.statusCode).toBe(200);
    const s = await police('GET', '/api/hotline/110/transfers/JQ530102202611240001');
    expect(s.json()).toMatchObject({ number: r.order.number, status: 'transferred', updates: [{ direction: 'to-110', status: 'transferred' }, { direction: 'from-110', status: 'handled', note: '已出警处置' }] });
    expect((await police('POST', '/api/hotline/110/feedback', { number: r.order.number, status: 'handled' }, 'wrong')).statusCode).toBe(403);
  });

  it('pushes an order already in work only as a system push', async () => {
    const r = await w.intake({ content: '小区门口有人长期聚众赌博', demandType: '举报', categoryCode: '080404' });
    await w.ok('disp', 'POST', `/api/hotline/orders/${r.order.id}/dispatch`, { departmentId: w.units['HL-ROAD'] });
    const phone = await w.call('disp', 'POST', `/api/hotline/orders/${r.order.id}/transfer-110`, { transferType: 'one-click' });
    expect(phone.statusCode, phone.body).toBe(409);
    expect((await w.call('road', 'POST', `/api/hotline/orders/${r.order.id}/transfer-110`, { transferType: 'push' })).statusCode).toBe(403);
    const t = await w.ok('disp', 'POST', `/api/hotline/orders/${r.order.id}/transfer-110`, { transferType: 'push', note: '涉嫌违法犯罪线索' });
    expect(t.status).toBe('transferred');
    expect((await w.call('road', 'POST', `/api/hotline/orders/${r.order.id}/sign`)).statusCode).toBe(409);
  });
});

describe('110 → 12345', () => {
  it('turns a non-police matter into an order with the 110 case number, once, and reports its progress', async () => {
    const body = { policeCaseNo: 'JQ530102202611240099', transferType: 'push', demandType: '求助', categoryCode: '120101', content: '群众报警称小区停水，非警务事项转12345', caller: { phone: '13900001234' }, location: { division: '530102', address: '五华区某小区' } };
    expect((await police('POST', '/api/hotline/110/transfers', body, 'nope')).statusCode).toBe(403);
    const bad = await police('POST', '/api/hotline/110/transfers', { ...body, policeCaseNo: undefined, transferType: 'fax', content: '' });
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/policeCaseNo', '/body/transferType']);
    const r = await police('POST', '/api/hotline/110/transfers', body);
    expect(r.statusCode).toBe(201);
    expect(r.json().order).toMatchObject({ channel: 'police-110', status: 'accepted', transfer: { sourcePlatform: '110', transferType: 'push', policeCaseNo: 'JQ530102202611240099' } });
    const again = await police('POST', '/api/hotline/110/transfers', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().order.id).toBe(r.json().order.id);
    const id = r.json().order.id;
    await w.ok('disp', 'POST', `/api/hotline/orders/${id}/dispatch`, { departmentId: w.units['HL-WATER'] });
    expect((await police('GET', '/api/hotline/110/transfers/JQ530102202611240099')).json()).toMatchObject({ status: 'dispatched', reply: null });
    await w.ok('water', 'POST', `/api/hotline/orders/${id}/sign`);
    await w.ok('water', 'POST', `/api/hotline/orders/${id}/reply`, { reply: '已恢复供水' });
    await w.ok('disp', 'POST', `/api/hotline/orders/${id}/review`, { approve: true });
    await w.ok('op', 'POST', `/api/hotline/orders/${id}/callback`, { satisfaction: 'satisfied' });
    expect((await police('GET', '/api/hotline/110/transfers/JQ530102202611240099')).json()).toMatchObject({ status: 'closed', reply: '已恢复供水' });
    expect((await police('GET', '/api/hotline/110/transfers/JQ000')).statusCode).toBe(404);
  });
});
