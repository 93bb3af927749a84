// Intake (受理): channels, demand types, the category tree, caller privacy, refusal codes,
// duplicates, emergency words, idempotency and every bad field at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';
import { categories } from './catalog.js';
import { DUPLICATE_THRESHOLD } from './duplicates.js';
import { publishHotlineWorkflows } from './workflow-def.js';

let w: World;
beforeAll(async () => { w = await makeWorld(); });
afterAll(async () => { await w?.close(); });

describe('category tree', () => {
  it('ships a real-sized three-level tree with paths', async () => {
    const tree = await categories();
    expect(tree.size).toBeGreaterThan(300);
    expect(tree.get('120101')).toMatchObject({ name: '停水', path: '水电气讯/供水/停水', leaf: true, parent: '1201' });
    const tops = [...tree.values()].filter((c) => !c.parent).map((c) => c.name);
    for (const name of ['城乡建设', '住房保障', '交通运输', '市场监管', '劳动保障', '教育', '卫生健康', '公安', '生态环境', '农业农村', '民政']) expect(tops).toContain(name);
    const r = await w.ok('op', 'GET', '/api/hotline/categories');
    expect(r.items.length).toBe(tree.size);
  });
});

describe('workflow definitions', () => {
  it('are published once: a restart with unchanged files adds no version', async () => {
    await w.intake();
    await publishHotlineWorkflows(w.core);
    await publishHotlineWorkflows(w.core);
    const versions = await w.core.db.selectFrom('wf_definition').select(['key', 'version']).where('key', 'like', 'hotline.%').orderBy('key').execute();
    expect(versions).toEqual([{ key: 'hotline.kb', version: 1 }, { key: 'hotline.order', version: 1 }]);
  });
});

describe('intake', () => {
  it('accepts an order: human number, case opened, deadline by demand type, phone encrypted and masked', async () => {
    const r = await w.intake();
    expect(r.created).toBe(true);
    expect(r.order.number).toMatch(/^RX530102-20261124-\d{6}$/);
    expect(r.order).toMatchObject({ status: 'accepted', demandType: '投诉', category: { code: '120101', path: '水电气讯/供水/停水' }, caller: { name: '王**', phone: '138****5678', anonymous: false } });
    // 投诉: 15 working days from Tue 24 Nov 2026 → Tue 15 Dec, end of day (CST).
    expect(r.order.dueAt).toBe('2026-12-15T15:59:59.999Z');
    expect(r.order.caseId).toBeTruthy();
    const row = await w.core.db.selectFrom('hotline_order').selectAll().where('id', '=', r.order.id).executeTakeFirstOrThrow();
    expect(row.caller_phone_enc!.toString('latin1')).not.toContain('13812345678');
    expect(w.core.crypto.decrypt(w.core.keys.field, row.caller_phone_enc!, 'hotline.caller.phone').toString()).toBe('13812345678');
    const c = await w.ok('disp', 'GET', `/api/workflow/instances/${r.order.caseId}`);
    expect(c.state ?? c.instance?.state).toBe('accepted');
  });

  it('gives 咨询 2 working days and urgent orders hours', async () => {
    const a = await w.intake({ demandType: '咨询' });
    expect(a.order.dueAt).toBe('2026-11-26T15:59:59.999Z');
    const b = await w.intake({ demandType: '求助', urgency: 'urgent' });
    expect(b.order.dueAt).toBe('2026-11-25T02:00:00.000Z');
  });

  it('uses a division\'s own time limit when set (county overrides the default)', async () => {
    await w.ok('admin', 'PUT', '/api/hotline/time-limits', { division: '530102', demandType: '咨询', workingDays: 3, urgentHours: 2 });
    const a = await w.intake({ demandType: '咨询' });
    expect(a.order.dueAt).toBe('2026-11-27T15:59:59.999Z');
    expect(a.order.timeLimit).toMatchObject({ workingDays: 3, source: '530102' });
    const bad = await w.call('admin', 'PUT', '/api/hotline/time-limits', { division: '530102', demandType: '闲聊', workingDays: 0, urgentHours: 500 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/demandType', '/body/urgentHours', '/body/workingDays']);
    expect((await w.call('op', 'PUT', '/api/hotline/time-limits', { division: '530102', demandType: '咨询', workingDays: 1, urgentHours: 1 })).statusCode).toBe(403);
  });

  it('names every bad field at once, zh-CN first and in English on request', async () => {
    const r = await w.call('op', 'POST', '/api/hotline/orders', {
      channel: 'pigeon', demandType: '闲聊', categoryCode: '999999', content: '   ', title: '长'.repeat(101),
      caller: { phone: '1234' }, location: { division: '999999', lat: 95 },
    });
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/caller/phone', '/body/categoryCode', '/body/channel', '/body/content', '/body/demandType', '/body/location/division', '/body/location/lat', '/body/location/lng', '/body/title',
    ].sort());
    const en = await w.call('op', 'POST', '/api/hotline/orders', { ...w.order(), content: 'x'.repeat(4001) }, { 'accept-language': 'en' });
    expect(en.statusCode).toBe(400);
    expect(en.json().errors).toEqual([expect.objectContaining({ pointer: '/body/content', code: 'maxLength' })]);
    expect(en.json().title).toBe('The request has invalid fields');
    const notLeaf = await w.call('op', 'POST', '/api/hotline/orders', w.order({ categoryCode: '1201' }));
    expect(notLeaf.json().errors).toEqual([expect.objectContaining({ pointer: '/body/categoryCode', code: 'not-leaf' })]);
    expect(await w.core.db.selectFrom('hotline_order').select('id').where('channel', '=', 'pigeon').execute()).toEqual([]);
  });

  it('accepts landlines and mobile numbers written the way people write them', async () => {
    const a = await w.intake({ caller: { phone: '0871-63123456' } });
    expect(a.order.caller.phone).toBe('0871****56');
    const b = await w.intake({ caller: { phone: '+86 139-0000-1111' } });
    expect(b.order.caller.phone).toBe('139****1111');
  });

  it('refuses only with a coded reason from the exclusion list, and opens no case', async () => {
    const r = await w.intake({ refusal: { code: 'litigation', note: '已进入诉讼程序' } });
    expect(r.order).toMatchObject({ status: 'refused', refusal: { code: 'litigation' }, caseId: null, dueAt: null });
    const bad = await w.call('op', 'POST', '/api/hotline/orders', w.order({ refusal: { code: 'dont-like-it' } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ pointer: '/body/refusal/code' })]);
  });

  it('flags emergency words for a 110 transfer', async () => {
    const r = await w.intake({ content: '楼下有人持刀打架，已经有人受伤了', demandType: '求助' });
    expect(r.transferSuggested).toBe(true);
    expect(r.emergencyWords).toEqual(expect.arrayContaining(['持刀', '打架', '有人受伤']));
    expect((await w.intake({ content: '咨询公积金提取需要什么材料', categoryCode: '020401', demandType: '咨询' })).transferSuggested).toBe(false);
  });

  it('warns about duplicates: same caller or same place and topic, similar text', async () => {
    const first = await w.intake({ caller: { phone: '13700001111' }, content: '翠湖小区三号楼从周一开始停水，至今没有恢复，老人孩子生活困难' });
    const again = await w.intake({ caller: { phone: '13700001111' }, content: '翠湖小区三号楼停水到现在还没有恢复，生活很困难' });
    expect(again.duplicates[0]).toMatchObject({ id: first.order.id, sameCaller: true });
    expect(again.duplicates[0].similarity).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD);
    const unrelated = await w.intake({ caller: { phone: '13700002222' }, content: '咨询一下新生儿落户需要带哪些证件', categoryCode: '080101', demandType: '咨询' });
    expect(unrelated.duplicates).toEqual([]);
  });

  it('makes a retried submission with the same Idempotency-Key return the first order', async () => {
    const payload = w.order({ content: '幂等测试：路灯不亮已经一周了', categoryCode: '010203' });
    const a = await w.call('op', 'POST', '/api/hotline/orders', payload, { 'idempotency-key': 'k-1' });
    const b = await w.call('op', 'POST', '/api/hotline/orders', payload, { 'idempotency-key': 'k-1' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json().order.id).toBe(a.json().order.id);
    const c = await w.call('op', 'POST', '/api/hotline/orders', { ...payload, content: '别的内容' }, { 'idempotency-key': 'k-1' });
    expect(c.statusCode).toBe(409);
    expect(c.json().code).toBe('IDEMPOTENCY_CONFLICT');
    // A double tap: both answers name the same single order.
    const tap = w.order({ content: '双击测试：井盖缺失', categoryCode: '010202' });
    const both = await Promise.all([1, 2].map(() => w.call('op', 'POST', '/api/hotline/orders', tap, { 'idempotency-key': 'k-2' })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(new Set(both.map((r) => r.json().order.id)).size).toBe(1);
    expect((await w.core.db.selectFrom('hotline_order').select('id').where('idempotency_key', '=', 'k-2').execute()).length).toBe(1);
  });

  it('scopes intake and reading by division; citizens file and see only their own', async () => {
    const out = await w.call('op', 'POST', '/api/hotline/orders', w.order({ location: { division: '530302' } }));
    expect(out.statusCode).toBe(403);
    const mine = await w.intake({ channel: 'app' }, 'citizen');
    expect((await w.call('citizen', 'GET', `/api/hotline/orders/${mine.order.id}`)).statusCode).toBe(200);
    const list = await w.ok('citizen', 'GET', '/api/hotline/orders?view=mine');
    expect(list.items.map((o: { id: string; status: string }) => [o.id, o.status])).toEqual([[mine.order.id, 'accepted']]);
    expect((await w.ok('citizen', 'GET', '/api/hotline/orders?view=hotline')).items).toEqual([]);
    expect((await w.ok('stranger', 'GET', '/api/hotline/orders?view=mine')).items).toEqual([]);
    expect((await w.call('stranger', 'GET', `/api/hotline/orders/${mine.order.id}`)).statusCode).toBe(404);
    expect((await w.call('disp_qj', 'GET', `/api/hotline/orders/${mine.order.id}`)).statusCode).toBe(404);
    expect((await w.call('water', 'GET', `/api/hotline/orders/${mine.order.id}`)).statusCode).toBe(404);
  });
});
