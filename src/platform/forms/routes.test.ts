import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { roleByCode } from '../identity/roles.js';
import { loadFormFile } from './load.js';
import { goodData, SAMPLE } from './fixtures/test-sample.js';
import type { FormDefinition } from './definition.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
let sample: FormDefinition;

const role = (code: string, id: string, division: string): Principal => {
  const perms = roleByCode(code)!.permissions;
  return { id, name: id, kind: 'staff', permissions: new Set(perms), scopes: [division], grants: [{ role: code, permissions: new Set(perms), division }] };
};
const PRINCIPALS: Record<string, Principal> = {
  yn: role('department_admin', 'user:yn-admin', '530000'),
  km: role('department_admin', 'user:km-admin', '530100'),
  clerk: role('window_clerk', 'user:wh-clerk', '530102'),
};

async function req(who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown, lang?: string) {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${who}`;
  if (lang) headers['accept-language'] = lang;
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

const insurance = {
  key: 'newborn-insurance', division: '530000', title: { 'zh-CN': '新生儿医保参保登记', en: 'Newborn health insurance' },
  schema: {
    type: 'object', required: ['applicant', 'childName'],
    properties: {
      applicant: { type: 'object', title: '监护人', properties: { idNumber: { 'x-kind': 'resident-id', title: '监护人身份证号码', 'x-field': 'applicant.idNumber' } } },
      childName: { type: 'string', title: '参保人姓名', minLength: 1 },
    },
  },
};

beforeAll(async () => {
  t = await testApp();
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer (\w+)$/.exec(r.headers.authorization ?? '');
    return m ? (PRINCIPALS[m[1]!] ?? null) : null;
  });
  sample = await loadFormFile(SAMPLE);
});
afterAll(() => t.close());

describe('publishing over HTTP', () => {
  it('needs a signed-in caller with forms:definition.manage in the division (problem+json)', async () => {
    const anon = await req(null, 'POST', '/api/forms', sample);
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anon.json()).toMatchObject({ type: '/problems/unauthenticated', title: '请先登录', status: 401, code: 'UNAUTHENTICATED', instance: '/api/forms' });
    const clerk = await req('clerk', 'POST', '/api/forms', sample);
    expect(clerk.statusCode).toBe(403);
    expect(clerk.json()).toMatchObject({ code: 'FORBIDDEN', permission: 'forms:definition.manage' });
    const other = await req('km', 'POST', '/api/forms', sample);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'FORBIDDEN', detail: '您无权管理行政区划 530000 的表单' });
  });

  it('publishes (201), and the same definition again is 200 with the same version', async () => {
    const r = await req('yn', 'POST', '/api/forms', sample);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ key: 'birth-registration', version: 1, division: '530000', status: 'published', title: { 'zh-CN': '出生登记' } });
    expect(r.json()).not.toHaveProperty('createdBy');
    const again = await req('yn', 'POST', '/api/forms', sample);
    expect(again.statusCode).toBe(200);
    expect(again.json().version).toBe(1);
  });

  it('a bad definition is DEFINITION_INVALID with every problem under /body, in the caller\'s language', async () => {
    const bad = { ...sample, key: 'birth-registration', schema: { type: 'object', properties: { a: { 'x-kind': 'passport' }, b: { type: 'strin' } } }, uiSchema: { c: {} } };
    const r = await req('yn', 'POST', '/api/forms', bad);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body).toMatchObject({ code: 'DEFINITION_INVALID', title: '配置定义不符合规范', detail: '表单定义有 3 处问题' });
    expect(body.errors.map((e: any) => `${e.pointer} ${e.code}`)).toEqual(['/body/schema/properties/a/x-kind unknown-kind', '/body/schema/properties/b/type schema', '/body/uiSchema/c ui-unknown-field']);
    const en = await req('yn', 'POST', '/api/forms', bad, 'en');
    expect(en.json().errors[2].message).toBe('The UI schema refers to no field: /c');
    const shape = await req('yn', 'POST', '/api/forms', { key: 'x' });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('reading and resolving (public)', () => {
  it('resolves county → prefecture → province, lists versions, and answers 404 as problem+json', async () => {
    const km = await req('km', 'POST', '/api/forms', { ...sample, division: '530100', title: { 'zh-CN': '出生登记（昆明）', en: 'Birth registration (Kunming)' } });
    expect(km.statusCode).toBe(201);
    expect(km.json().version).toBe(2);
    const wh = await req(null, 'GET', '/api/forms/birth-registration?division=530102');
    expect(wh.statusCode).toBe(200);
    expect(wh.json()).toMatchObject({ version: 2, division: '530100', title: { 'zh-CN': '出生登记（昆明）' } });
    expect(wh.json().schema.properties.applicant.properties.idNumber).toMatchObject({ 'x-kind': 'resident-id', format: 'resident-id' });
    expect(wh.json().uiSchema.marriageCertificate['x-visibleIf']).toEqual({ field: '/parentsMarried', equals: true });
    expect((await req(null, 'GET', '/api/forms/birth-registration?division=530302')).json().version).toBe(1);
    expect((await req(null, 'GET', '/api/forms/birth-registration?version=2')).json().division).toBe('530100');
    const versions = await req(null, 'GET', '/api/forms/birth-registration/versions?division=530102');
    expect(versions.json().items.map((f: any) => [f.version, f.division])).toEqual([[2, '530100'], [1, '530000']]);
    expect(versions.json().items[0]).not.toHaveProperty('schema');
    const missing = await req(null, 'GET', '/api/forms/no-such-form');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.json()).toMatchObject({ type: '/problems/not-found', code: 'NOT_FOUND', detail: '表单 no-such-form 不存在或未发布' });
    const badKey = await req(null, 'GET', '/api/forms/Not_A_Key');
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().errors[0].pointer).toBe('/params/key');
  });
});

describe('validation (public pre-check)', () => {
  it('lists every bad field with zh-CN messages, or English on request', async () => {
    const data = goodData();
    data.applicant.idNumber = '530102199003071239';
    data.fee = '-1';
    const r = await req(null, 'POST', '/api/forms/birth-registration/validate', { data, division: '530102' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      key: 'birth-registration', version: 2, valid: false, hidden: ['/data/unmarriedStatement', '/data/household/0/relationNote'],
      errors: [
        { pointer: '/data/applicant/idNumber', code: 'checksum', message: '「身份证号码」校验位不正确' },
        { pointer: '/data/fee', code: 'pattern', message: '「工本费」应为以元为单位的金额，最多两位小数，如 1280.50' },
      ],
    });
    const en = await req(null, 'POST', '/api/forms/birth-registration/validate', { data, division: '530102' }, 'en');
    expect(en.json().errors[0].message).toBe('Resident ID number has a wrong check digit');
    const ok = await req(null, 'POST', '/api/forms/birth-registration/validate', { data: goodData(), version: 1 });
    expect(ok.json()).toMatchObject({ version: 1, valid: true, errors: [] });
  });
});

describe('withdrawing', () => {
  it('needs the permission in that division; a withdrawn version is refused for new submissions', async () => {
    expect((await req('clerk', 'POST', '/api/forms/birth-registration/withdraw', { division: '530100' })).statusCode).toBe(403);
    expect((await req('km', 'POST', '/api/forms/birth-registration/withdraw', { division: '530000' })).statusCode).toBe(403);
    const r = await req('km', 'POST', '/api/forms/birth-registration/withdraw', { division: '530100' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ key: 'birth-registration', withdrawn: [{ version: 2, status: 'withdrawn', division: '530100' }] });
    const twice = await req('km', 'POST', '/api/forms/birth-registration/withdraw', { division: '530100' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('INVALID_STATE');
    const pinned = await req(null, 'POST', '/api/forms/birth-registration/validate', { data: goodData(), version: 2 });
    expect(pinned.statusCode).toBe(409);
    expect(pinned.json()).toMatchObject({ code: 'VERSION_WITHDRAWN', title: '该版本已撤回，请使用最新版本' });
    expect((await req(null, 'GET', '/api/forms/birth-registration?division=530102')).json().version).toBe(1);
    const events = (await sql<{ type: string; actor: string }>`SELECT type, actor FROM outbox WHERE type LIKE 'forms.form.%' ORDER BY seq`.execute(t.core.db)).rows;
    expect(events).toEqual([
      { type: 'forms.form.published', actor: 'user:yn-admin' },
      { type: 'forms.form.published', actor: 'user:km-admin' },
      { type: 'forms.form.withdrawn', actor: 'user:km-admin' },
    ]);
  });
});

describe('merging (public)', () => {
  it('merges published forms with deduplicated fields; conflicts and unknown forms are refused', async () => {
    expect((await req('yn', 'POST', '/api/forms', insurance)).statusCode).toBe(201);
    const r = await req(null, 'POST', '/api/forms/merge', { forms: [{ key: 'birth-registration' }, { key: 'newborn-insurance' }], division: '530102' });
    expect(r.statusCode, r.body).toBe(200);
    const m = r.json();
    expect(m.forms.map((f: any) => [f.key, f.version])).toEqual([['birth-registration', 1], ['newborn-insurance', 1]]);
    expect(m.mapping.filter((x: any) => x.merged === '/applicant/idNumber').map((x: any) => x.form)).toEqual(['birth-registration', 'newborn-insurance']);
    expect(Object.keys(m.schema.properties)).toEqual(['applicant', 'birth-registration', 'newborn-insurance']);

    const conflicting = { ...insurance, key: 'conflicting-form', schema: { type: 'object', properties: { id: { type: 'integer', 'x-field': 'applicant.idNumber' } } } };
    expect((await req('yn', 'POST', '/api/forms', conflicting)).statusCode).toBe(201);
    const c = await req(null, 'POST', '/api/forms/merge', { forms: [{ key: 'birth-registration' }, { key: 'conflicting-form' }] });
    expect(c.statusCode).toBe(400);
    expect(c.json()).toMatchObject({ code: 'DEFINITION_INVALID', errors: [{ pointer: '/body/forms/1', code: 'x-field-conflict' }] });
    expect(c.json().errors[0].message).toContain('birth-registration v1');
    expect(c.json().errors[0].message).toContain('conflicting-form v1');
    const missing = await req(null, 'POST', '/api/forms/merge', { forms: [{ key: 'birth-registration' }, { key: 'ghost' }] });
    expect(missing.statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents the forms routes', async () => {
    const spec = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/api/forms')).sort()).toEqual([
      '/api/forms', '/api/forms/check', '/api/forms/merge', '/api/forms/{key}', '/api/forms/{key}/validate', '/api/forms/{key}/versions', '/api/forms/{key}/withdraw',
    ]);
  });
});
