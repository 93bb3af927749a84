import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import { divisionScopeSql, inDivisions, isWithin, scopePrefix } from './service.js';
import { loadProvince } from './dataset.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('the Yunnan division hierarchy', () => {
  it('holds the province, 16 prefecture-level divisions, all 129 county-level divisions and the townships', async () => {
    const r = (await sql<{ level: string; n: number }>`SELECT level, count(*)::int AS n FROM division GROUP BY level`.execute(t.core.db)).rows;
    const by = Object.fromEntries(r.map((x) => [x.level, x.n]));
    expect(by).toMatchObject({ province: 1, prefecture: 16, county: 129 });
    expect(by.township).toBeGreaterThan(1400);
    expect(loadProvince().length).toBe(by.province + by.prefecture + by.county + by.township);
  });

  it('GET /api/divisions?parent=530000 lists the 16 prefectures with their GB/T 2260 codes', async () => {
    const r = await t.app.inject({ url: '/api/divisions?parent=530000' });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as Array<{ code: string; name: string }>;
    expect(items.map((d) => d.code)).toEqual(['530100', '530300', '530400', '530500', '530600', '530700', '530800', '530900', '532300', '532500', '532600', '532800', '532900', '533100', '533300', '533400']);
    expect(items[0]).toMatchObject({ name: '昆明市', level: 'prefecture', parentCode: '530000', fullName: '云南省昆明市' });
  });

  it('lists counties of a prefecture and townships of a county', async () => {
    const km = (await t.app.inject({ url: '/api/divisions?parent=530100' })).json().items;
    expect(km.map((d: any) => d.name)).toEqual(expect.arrayContaining(['五华区', '盘龙区', '官渡区', '西山区', '呈贡区', '安宁市']));
    const wh = (await t.app.inject({ url: '/api/divisions?parent=530102' })).json().items;
    expect(wh.length).toBeGreaterThan(5);
    expect(wh[0].code).toMatch(/^530102\d{3}$/);
    expect(wh[0].level).toBe('township');
  });

  it('without a parent lists the province; one division comes with its ancestors', async () => {
    expect((await t.app.inject({ url: '/api/divisions' })).json().items.map((d: any) => d.code)).toEqual(['530000']);
    const d = (await t.app.inject({ url: '/api/divisions/532801' })).json();
    expect(d).toMatchObject({ code: '532801', name: '景洪市', level: 'county', fullName: '云南省西双版纳傣族自治州景洪市' });
    expect(d.ancestors.map((a: any) => a.code)).toEqual(['530000', '532800']);
  });

  it('rejects malformed codes and unknown parents', async () => {
    expect((await t.app.inject({ url: '/api/divisions?parent=53' })).statusCode).toBe(400);
    const r = await t.app.inject({ url: '/api/divisions?parent=539900' });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('DIVISION_NOT_FOUND');
  });
});

describe('division scoping', () => {
  it('computes subtree prefixes', () => {
    expect(scopePrefix('530000')).toBe('53');
    expect(scopePrefix('530100')).toBe('5301');
    expect(scopePrefix('530102')).toBe('530102');
    expect(scopePrefix('530102001')).toBe('530102001');
    expect(isWithin('530102001', '530100')).toBe(true);
    expect(isWithin('530302', '530100')).toBe(false);
    expect(isWithin(null, '530000')).toBe(false);
    expect(() => scopePrefix('5301')).toThrow(RangeError);
  });

  it('restricts queries to a subtree and denies everything without a scope', async () => {
    const kunming = await t.core.db.selectFrom('division').select('code').where(inDivisions('code', ['530100'])).execute();
    expect(kunming.length).toBeGreaterThan(14);
    expect(kunming.every((d) => d.code.startsWith('5301'))).toBe(true);
    const two = await t.core.db.selectFrom('division').select('code').where(inDivisions('code', ['530102', '530302'])).execute();
    expect(new Set(two.map((d) => d.code.slice(0, 6)))).toEqual(new Set(['530102', '530302']));
    expect(await t.core.db.selectFrom('division').select('code').where(inDivisions('code', [])).execute()).toEqual([]);
    const raw = await sql<{ n: number }>`SELECT count(*)::int AS n FROM division WHERE ${divisionScopeSql('code', ['530300'])}`.execute(t.core.db);
    expect(raw.rows[0]!.n).toBe(kunming.length === 0 ? -1 : (await t.core.db.selectFrom('division').select('code').where('code', 'like', '5303%').execute()).length);
  });
});
