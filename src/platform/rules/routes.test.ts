// The rules API through real routes: publish, read (inherited), versions, withdraw, dry runs, and
// who is refused what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { roleByCode } from '../identity/roles.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;

const ADMIN = roleByCode('department_admin')!.permissions;
const CLERK = roleByCode('window_clerk')!.permissions;
const person = (id: string, role: string, perms: string[], division: string): Principal => ({
  id: `user:${id}`, name: id, kind: 'staff', permissions: new Set(perms), scopes: [division], grants: [{ role, permissions: new Set(perms), division }],
});
const PRINCIPALS: Record<string, Principal> = {
  yn: person('yn-admin', 'department_admin', ADMIN, '530000'),
  km: person('km-admin', 'department_admin', ADMIN, '530100'),
  wh: person('wh-admin', 'department_admin', ADMIN, '530102'),
  qj: person('qj-admin', 'department_admin', ADMIN, '530300'),
  clerk: person('wh-clerk', 'window_clerk', CLERK, '530102'),
};

async function req(who: string | null, method: 'GET' | 'POST', url: string, payload?: unknown, lang?: string) {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${who}`;
  if (lang) headers['accept-language'] = lang;
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

const KEY = 'services.minor-travel';
const definition = (division: string, minAge: number, extra: Record<string, unknown> = {}) => ({
  key: KEY, division,
  title: { 'zh-CN': '未成年人出行证明', en: 'Travel certificate for minors' },
  rules: [{
    name: 'eligible',
    conditions: { all: [{ fact: 'applicant.birthDate', operator: 'ageBelow', value: 18 }, { any: [{ fact: 'case.guardianConsent', operator: 'equal', value: true }, { fact: 'applicant.birthDate', operator: 'ageAtLeast', value: minAge }] }] },
    event: { type: 'eligible' },
  }],
  facts: { 'applicant.birthDate': { 'zh-CN': '申请人出生日期', en: 'Applicant date of birth' }, 'case.guardianConsent': { 'zh-CN': '监护人同意', en: 'Guardian consent' } },
  ...extra,
});

beforeAll(async () => {
  t = await testApp();
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer (\w+)$/.exec(r.headers.authorization ?? '');
    return m ? (PRINCIPALS[m[1]!] ?? null) : null;
  });
});
afterAll(() => t.close());

describe('publishing', () => {
  it('publishes in the caller\'s divisions and refuses elsewhere or without the permission', async () => {
    const p = await req('yn', 'POST', '/api/rules', definition('530000', 16));
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ key: KEY, version: 1, division: '530000', status: 'published', createdBy: 'user:yn-admin' });
    const km = await req('km', 'POST', '/api/rules', definition('530100', 14));
    expect(km.statusCode).toBe(201);
    expect(km.json().version).toBe(2);

    const up = await req('km', 'POST', '/api/rules', definition('530000', 10));
    expect(up.statusCode).toBe(403);
    expect(up.headers['content-type']).toContain('application/problem+json');
    expect(up.json()).toMatchObject({ code: 'FORBIDDEN', detail: '您无权管理行政区划 530000 的规则' });
    const clerk = await req('clerk', 'POST', '/api/rules', definition('530102', 10));
    expect(clerk.statusCode).toBe(403);
    expect(clerk.json()).toMatchObject({ code: 'FORBIDDEN', permission: 'rules:ruleset.manage' });
    expect((await req(null, 'POST', '/api/rules', definition('530102', 10))).statusCode).toBe(401);
  });

  it('answers DEFINITION_INVALID naming every bad field, in zh-CN or en', async () => {
    const bad = { ...definition('530102', 10), title: { 'zh-CN': '' }, facts: {} };
    const zh = await req('wh', 'POST', '/api/rules', bad);
    expect(zh.statusCode).toBe(400);
    expect(zh.json()).toMatchObject({
      code: 'DEFINITION_INVALID', title: '配置定义不符合规范',
      errors: [
        { pointer: '/body/title/en', code: 'required', message: '必填项' },
        { pointer: '/body/title/zh-CN', code: 'minLength', message: '至少 1 个字符' },
        { pointer: '/body/facts/applicant.birthDate', code: 'required', message: '请为事实「applicant.birthDate」提供中英文名称' },
        { pointer: '/body/facts/case.guardianConsent', code: 'required', message: '请为事实「case.guardianConsent」提供中英文名称' },
      ],
    });
    const en = await req('wh', 'POST', '/api/rules', bad, 'en');
    expect(en.json().title).toBe('The definition is invalid');
    expect(en.json().errors.map((e: { message: string }) => e.message)).toEqual(['is required', 'must have at least 1 characters', 'give fact applicant.birthDate a label in zh-CN and en', 'give fact case.guardianConsent a label in zh-CN and en']);
  });
});

describe('reading', () => {
  it('shows a county the rule set it inherits, and each version above it', async () => {
    const r = await req('wh', 'GET', `/api/rules/${KEY}?division=530102`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ version: 2, division: '530100', title: { 'zh-CN': '未成年人出行证明' } });
    const v = await req('wh', 'GET', `/api/rules/${KEY}/versions?division=530102`);
    expect(v.json().items.map((x: { version: number; division: string }) => [x.version, x.division])).toEqual([[2, '530100'], [1, '530000']]);
    const qj = await req('qj', 'GET', `/api/rules/${KEY}?division=530302`);
    expect(qj.json()).toMatchObject({ version: 1, division: '530000' });
  });

  it('refuses another prefecture\'s division and answers 404 for an unknown key or bad version', async () => {
    const r = await req('qj', 'GET', `/api/rules/${KEY}?division=530102`);
    expect(r.statusCode).toBe(403);
    expect((await req('wh', 'GET', '/api/rules/services.nothing?division=530102')).json()).toMatchObject({ code: 'NOT_FOUND', detail: '规则集 services.nothing 不存在' });
    expect((await req('qj', 'GET', `/api/rules/${KEY}?division=530302&version=2`)).statusCode).toBe(404);
    const badKey = await req('wh', 'GET', '/api/rules/Not%20A%20Key?division=530102');
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().errors[0].pointer).toBe('/params/key');
  });
});

describe('dry runs', () => {
  it('evaluates the applicable rule set with the given facts and explains the failure', async () => {
    // Born 2014-06-01: 12 on the evaluation date.
    const facts = { 'applicant.birthDate': '2014-06-01', 'case.guardianConsent': false };
    const zh = await req('wh', 'POST', `/api/rules/${KEY}/evaluate`, { division: '530102', facts, at: '2026-11-26T10:00:00+08:00' });
    expect(zh.statusCode, zh.body).toBe(200);
    const why = '以下条件均未满足，需至少满足其中一项：（1）「监护人同意」为 否，要求等于 是；（2）「申请人出生日期」为 2014-06-01（12 周岁），要求年满 14 周岁';
    expect(zh.json()).toEqual({
      ruleSet: { id: expect.any(String), key: KEY, version: 2, division: '530100', status: 'published' },
      passed: false, outcomes: [], explanation: [why],
      rules: [{ name: 'eligible', required: true, passed: false, explanation: [why] }],
    });
    const en = await req('wh', 'POST', `/api/rules/${KEY}/evaluate`, { division: '530102', facts: { 'applicant.birthDate': '2008-01-01', 'case.guardianConsent': true } }, 'en');
    expect(en.json().explanation).toEqual(['"Applicant date of birth" is 2008-01-01 (age 18) but must show an age under 18']);
    const ok = await req('wh', 'POST', `/api/rules/${KEY}/evaluate`, { division: '530102', facts: { 'applicant.birthDate': '2012-01-01', 'case.guardianConsent': false } });
    expect(ok.json()).toMatchObject({ passed: true, outcomes: [{ type: 'eligible' }], explanation: [] });
    const missing = await req('wh', 'POST', `/api/rules/${KEY}/evaluate`, { division: '530102' });
    expect(missing.json().explanation[0]).toBe('「申请人出生日期」未提供，要求未满 18 周岁');
  });

  it('tests a draft before it is published, by version', async () => {
    const d = await req('km', 'POST', '/api/rules', definition('530100', 12, { draft: true }));
    expect(d.json()).toMatchObject({ version: 3, status: 'draft' });
    const r = await req('wh', 'POST', `/api/rules/${KEY}/evaluate`, { division: '530102', version: 3, facts: { 'applicant.birthDate': '2014-06-01', 'case.guardianConsent': false }, at: '2026-11-26T10:00:00+08:00' });
    expect(r.json()).toMatchObject({ ruleSet: { version: 3, status: 'draft' }, passed: true });
    // Still not what applies.
    expect((await req('wh', 'GET', `/api/rules/${KEY}?division=530102`)).json().version).toBe(2);
    const pub = await req('km', 'POST', `/api/rules/${KEY}/publish`, { version: 3 });
    expect(pub.json()).toMatchObject({ version: 3, status: 'published' });
    expect((await req('wh', 'GET', `/api/rules/${KEY}?division=530102`)).json().version).toBe(3);
  });
});

describe('withdrawing', () => {
  it('lets only the defining division\'s administrators withdraw; others get 403 (inherited) or 404', async () => {
    const wh = await req('wh', 'POST', `/api/rules/${KEY}/withdraw`, { version: 3 });
    expect(wh.statusCode).toBe(403);
    const qj = await req('qj', 'POST', `/api/rules/${KEY}/withdraw`, { version: 3 });
    expect(qj.statusCode).toBe(404);
    const km = await req('km', 'POST', `/api/rules/${KEY}/withdraw`, { version: 3 });
    expect(km.statusCode).toBe(200);
    expect(km.json()).toMatchObject({ version: 3, status: 'withdrawn' });
    expect((await req('wh', 'GET', `/api/rules/${KEY}?division=530102`)).json().version).toBe(2);
    const pinned = await req('wh', 'GET', `/api/rules/${KEY}?division=530102&version=3`, undefined, 'en');
    expect(pinned.statusCode).toBe(409);
    expect(pinned.json()).toMatchObject({ code: 'VERSION_WITHDRAWN', detail: `Version 3 of rule set ${KEY} was withdrawn` });
    const again = await req('km', 'POST', `/api/rules/${KEY}/withdraw`, { version: 3 });
    expect(again.json()).toMatchObject({ code: 'INVALID_STATE', detail: '第 3 版已撤回' });
  });
});
