import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildItem, catalogWorld } from './test-world.js';
import { getItemVersion, getItemVersionById } from './index.js';

let w: Awaited<ReturnType<typeof catalogWorld>>;
beforeAll(async () => { w = await catalogWorld(); });
afterAll(() => w.close());

const events = async (type: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE type = ${type}`.execute(w.core.db)).rows[0]!.n;
const audits = async (action: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`.execute(w.core.db)).rows[0]!.n;

describe('publishing an item', () => {
  it('publishes (201) with the defaults filled in, audited and evented; unchanged again is 200 with the same version', async () => {
    const created = await w.ok('yn', 'POST', '/api/services/items', buildItem(), 201);
    expect(created).toMatchObject({
      key: 'marriage-registration', version: 1, status: 'published', division: '530000', basicCode: '000117001000', code: '000117001000530000000000',
      handling: 'instant', legalDays: 1, promisedDays: 0, department: { code: 'YN-MZT', name: '云南省民政厅' }, formKey: 'test-applicant', workflowKey: 'test.simple',
      lifeEvents: ['marriage'],
    });
    expect(created.materials[0]).toEqual({ id: 'id-card', name: '居民身份证', required: true, source: '申请人自备', copies: 1, licenseType: '11100000000013127D001', accept: ['application/pdf', 'image/jpeg', 'image/png'], maxBytes: 10485760 });
    const again = await w.ok('yn', 'POST', '/api/services/items', buildItem(), 200);
    expect(again.id).toBe(created.id);
    expect(await events('services.item.published')).toBe(1);
    expect(await audits('services.item.publish')).toBe(1);
    const v2 = await w.ok('yn', 'POST', '/api/services/items', buildItem({ hours: '周一至周六 9:00-17:00' }), 201);
    expect(v2.version).toBe(2);
    expect(await events('services.item.published')).toBe(2);
  });

  it('the guide shows every element of the version in force', async () => {
    const g = await w.ok(null, 'GET', '/api/services/items/marriage-registration?division=530102');
    expect(g).toMatchObject({
      name: '内地居民婚姻登记', version: 2, itemType: '行政确认', legalBasis: ['《婚姻登记条例》（国务院令第387号）第四条'], conditions: expect.stringContaining('法定婚龄'),
      fees: { charged: false, items: [] }, channels: ['window'], onlineDepth: 0, visits: 1, serviceObjects: ['citizen'], place: '婚姻登记处',
      hours: '周一至周六 9:00-17:00', consultation: '0871-12345', complaint: '12345 政务服务便民热线', keywords: ['结婚登记', '领证'],
    });
  });

  it('refuses bad input naming every bad field at once — 承诺 ≤ 法定 included — in zh-CN and English, writing nothing', async () => {
    const bad = buildItem({
      key: 'bad-item', name: '', legalDays: 5, promisedDays: 9, handling: 'promised', itemType: '许可' as never,
      fees: { charged: true, items: [] },
      materials: [{ id: 'a', name: '甲', required: true, source: '申请人自备', copies: 1 }, { id: 'a', name: '乙', required: true, source: '申请人自备', copies: -1 }],
    });
    const r = await w.call('yn', 'POST', '/api/services/items', bad);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    const byPointer = Object.fromEntries(body.errors.map((e: { pointer: string; message: string }) => [e.pointer, e.message]));
    expect(byPointer['/body/name']).toBe('「事项名称」至少 1 个字符');
    expect(byPointer['/body/itemType']).toMatch(/^「事项类型」只能是：行政许可/);
    expect(byPointer['/body/promisedDays']).toBe('「承诺办结时限」（9 个工作日）不能超过「法定办结时限」（5 个工作日）');
    expect(byPointer['/body/fees/items']).toBe('收费事项应列明「收费项目」及收费依据');
    expect(byPointer['/body/materials/1/copies']).toBe('第 2 项申请材料「份数」不能小于 0');
    expect(byPointer['/body/materials/1/id']).toBe('第 2 项申请材料的「材料标识」a 与第 1 项重复');
    const en = await w.call('yn', 'POST', '/api/services/items', bad, 'en');
    expect(en.json().errors.find((e: { pointer: string }) => e.pointer === '/body/promisedDays').message).toBe('Promised time limit (9 working days) must not exceed the statutory limit (5)');
    expect((await w.call(null, 'GET', '/api/services/items/bad-item')).statusCode).toBe(404);
  });

  it('a form or workflow that does not resolve in the division is DEFINITION_INVALID naming it', async () => {
    const r = await w.call('yn', 'POST', '/api/services/items', buildItem({ key: 'dangling', formKey: 'no-such-form', workflowKey: 'no.such' }));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'DEFINITION_INVALID' });
    expect(r.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/formKey', '/body/workflowKey']);
    expect(r.json().errors[0].message).toContain('没有已发布的流程定义');
  });

  it('needs services:item.manage in the item\'s division', async () => {
    expect((await w.call(null, 'POST', '/api/services/items', buildItem())).statusCode).toBe(401);
    const clerk = await w.call('clerk', 'POST', '/api/services/items', buildItem({ division: '530102' }));
    expect(clerk.statusCode).toBe(403);
    const km = await w.call('km', 'POST', '/api/services/items', buildItem());
    expect(km.statusCode).toBe(403);
    expect(km.json().detail).toBe('您无权管理行政区划 530000 的政务服务事项');
  });

  it('keeps the basic code of an item across divisions', async () => {
    const r = await w.call('km', 'POST', '/api/services/items', buildItem({ division: '530100', basicCode: '999999999999' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([expect.objectContaining({ pointer: '/body/basicCode', code: 'basic-code-mismatch' })]);
  });

  it('a published version cannot be edited in the database, only withdrawn', async () => {
    await expect(sql`UPDATE svc_item_version SET name = '改名' WHERE version = 1`.execute(w.core.db)).rejects.toThrow(/only withdrawing/);
    await expect(sql`DELETE FROM svc_item_version`.execute(w.core.db)).rejects.toThrow(/cannot be deleted/);
  });
});

describe('implementation lists: province → prefecture → county', () => {
  it('a county inherits the province item, overrides it with a local implementation code, and falls back when that is withdrawn', async () => {
    const inherited = await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' });
    expect(inherited).toMatchObject({ division: '530000', version: 2 });
    const local = await w.ok('wh', 'POST', '/api/services/items', buildItem({ division: '530102', code: '000117001000530102000000WH', place: '五华区婚姻登记处', department: { code: 'WH-MZJ', name: '五华区民政局' } }), 201);
    expect(local).toMatchObject({ division: '530102', version: 3, code: '000117001000530102000000WH' });
    expect(await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' })).toMatchObject({ id: local.id, department: { name: '五华区民政局' } });
    expect(await getItemVersion(w.core.db, { code: '000117001000530102000000WH', division: '530102001' })).toMatchObject({ id: local.id });
    expect(await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530103' })).toMatchObject({ division: '530000', version: 2 });
    const withdrawn = await w.ok('wh', 'POST', '/api/services/items/marriage-registration/withdraw', { division: '530102' });
    expect(withdrawn).toMatchObject({ id: local.id, status: 'withdrawn' });
    expect(await events('services.item.withdrawn')).toBe(1);
    expect(await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' })).toMatchObject({ division: '530000', version: 2 });
    // A case pinned to the withdrawn version still reads it.
    expect(await getItemVersionById(w.core.db, local.id)).toMatchObject({ status: 'withdrawn', code: '000117001000530102000000WH' });
    expect((await w.call('wh', 'POST', '/api/services/items/marriage-registration/withdraw', { division: '530102', version: 3 })).statusCode).toBe(409);
    expect(await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102', version: 1 })).toMatchObject({ version: 1, division: '530000' });
  });

  it('a county marks an inherited item not implemented there: gone from its list and guide, still in force elsewhere', async () => {
    expect((await w.call('wh', 'PUT', '/api/services/items/marriage-registration/implementation', { division: '530103', implemented: false })).statusCode).toBe(403);
    const r = await w.ok('wh', 'PUT', '/api/services/items/marriage-registration/implementation', { division: '530102', implemented: false, note: '由市级统一办理' });
    expect(r).toEqual({ key: 'marriage-registration', division: '530102', implemented: false, note: '由市级统一办理' });
    expect(await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' })).toBeNull();
    expect((await w.call(null, 'GET', '/api/services/items/marriage-registration?division=530102')).statusCode).toBe(404);
    expect((await w.ok(null, 'GET', '/api/services/items?division=530102')).items.map((i: { key: string }) => i.key)).not.toContain('marriage-registration');
    expect((await w.ok(null, 'GET', '/api/services/items?division=530103')).items.map((i: { key: string }) => i.key)).toContain('marriage-registration');
    expect(await events('services.item.not-implemented')).toBe(1);
    await w.ok('wh', 'PUT', '/api/services/items/marriage-registration/implementation', { division: '530102', implemented: true });
    expect(await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' })).toMatchObject({ division: '530000' });
  });
});

describe('browsing', () => {
  it('lists by life event with paging, and refuses an unknown life event naming it', async () => {
    await w.ok('yn', 'POST', '/api/services/items', buildItem({ key: 'birth-thing', name: '出生医学证明办理', basicCode: '000117009000', lifeEvents: ['birth'], keywords: [] }), 201);
    await w.ok('yn', 'POST', '/api/services/items', buildItem({ key: 'birth-other', name: '新生儿落户', basicCode: '000117010000', lifeEvents: ['birth'], keywords: [] }), 201);
    const p1 = await w.ok(null, 'GET', '/api/services/items?division=530102&lifeEvent=birth&pageSize=1');
    expect(p1).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    const p2 = await w.ok(null, 'GET', '/api/services/items?division=530102&lifeEvent=birth&pageSize=1&page=2');
    expect(new Set([p1.items[0].key, p2.items[0].key])).toEqual(new Set(['birth-thing', 'birth-other']));
    expect(await w.ok(null, 'GET', '/api/services/items?division=530102&lifeEvent=birth&pageSize=1&page=3')).toMatchObject({ items: [], total: 2 });
    const bad = await w.call(null, 'GET', '/api/services/items?lifeEvent=nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ pointer: '/query/lifeEvent' });
    expect((await w.ok(null, 'GET', '/api/services/life-events')).items.find((e: { key: string }) => e.key === 'retirement').zh).toBe('退休');
  });

  it('searches Chinese text by name and keywords', async () => {
    const r = await w.ok(null, 'GET', `/api/services/items?division=530102&q=${encodeURIComponent('领证')}`);
    expect(r.items.map((i: { key: string }) => i.key)).toEqual(['marriage-registration']);
    const byName = await w.ok(null, 'GET', `/api/services/items?division=530102&q=${encodeURIComponent('新生儿')}`);
    expect(byName.items.map((i: { key: string }) => i.key)).toEqual(['birth-other']);
    // The name weighs more than the conditions text: the item named 婚姻登记 comes first.
    const ranked = await w.ok(null, 'GET', `/api/services/items?division=530102&q=${encodeURIComponent('婚姻')}`);
    expect(ranked.items[0].key).toBe('marriage-registration');
    const none = await w.ok(null, 'GET', `/api/services/items?division=530102&q=${encodeURIComponent('婚结')}`);
    expect(none.total).toBe(0);
  });
});
