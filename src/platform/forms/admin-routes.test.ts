// The admin list of forms and the validate-only check of a definition, through the real routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { loadFormFile } from './load.js';
import { SAMPLE } from './fixtures/test-sample.js';
import type { FormDefinition } from './definition.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
let sample: FormDefinition;
const manager = (id: string, division: string): Principal => ({
  id, name: id, kind: 'staff', permissions: new Set(['forms:definition.manage']), scopes: [division],
  grants: [{ role: 'department_admin', permissions: new Set(['forms:definition.manage']), division }],
});
const PRINCIPALS: Record<string, Principal> = { prov: manager('user:prov', '530000'), km: manager('user:km', '530100'), qj: manager('user:qj', '530300') };
const call = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown, lang = 'zh-CN') =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${who}`, 'accept-language': lang }, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  t = await testApp();
  t.app.authenticators.push(async (r) => PRINCIPALS[/^Bearer (\w+)$/.exec(r.headers.authorization ?? '')?.[1] ?? ''] ?? null);
  sample = await loadFormFile(SAMPLE);
});
afterAll(() => t?.close());

describe('forms for the admin screens', () => {
  it('checks a definition without writing anything, every problem pointing into /definition', async () => {
    const ok = await call('km', 'POST', '/api/forms/check', { definition: { ...sample, division: '530100' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ valid: true, errors: [] });
    const bad = await call('km', 'POST', '/api/forms/check', { definition: { key: 'Bad Key', division: '530100', title: {}, schema: { type: 'array' } } }, 'en');
    expect(bad.json().valid).toBe(false);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/definition/key', '/definition/title/zh-CN', '/definition/schema/type']));
    expect(bad.json().errors.find((e: { pointer: string }) => e.pointer === '/definition/key').message).toMatch(/lower-case/);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM form_definition`.execute(t.core.db)).rows[0]!.n).toBe(0);
    expect((await call('nobody', 'POST', '/api/forms/check', { definition: {} })).statusCode).toBe(401);
  });

  it('lists each key\'s newest version per division that applies to the caller; drafts only where they manage', async () => {
    const publish = async (who: string, division: string, extra: Record<string, unknown> = {}) => {
      const r = await call(who, 'POST', '/api/forms', { key: sample.key, division, title: sample.title, schema: sample.schema, uiSchema: sample.uiSchema, ...extra });
      expect(r.statusCode, r.body).toBeLessThan(300);
    };
    await publish('prov', '530000');
    await publish('prov', '530000', { title: { 'zh-CN': '出生登记（第二版）', en: 'Birth registration v2' } });
    await publish('qj', '530300');
    await publish('km', '530100', { draft: true });
    const km = (await call('km', 'GET', '/api/forms')).json().items;
    expect(km.map((i: { division: string; status: string; latestVersion: number | null }) => [i.division, i.status, i.latestVersion])).toEqual([['530000', 'published', 2], ['530100', 'draft', null]]);
    const qj = (await call('qj', 'GET', '/api/forms')).json().items;
    expect(qj.map((i: { division: string }) => i.division)).toEqual(['530000', '530300']);
  });
});
