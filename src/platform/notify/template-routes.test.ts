import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { BUILTIN_TEMPLATES, registerTemplate, registeredTemplates } from './builtin.js';
import { effectiveTemplate, ensureBuiltinTemplates, renderTemplate } from './template-store.js';
import { appWith, auditActions, bearer, events, staff, type T } from './test-kit.js';

const MANAGE = 'notify:template.manage';
let t: T;

beforeAll(async () => {
  t = await appWith({
    province: staff('user:province-admin', [MANAGE], '530000'),
    km: staff('user:km-admin', [MANAGE], '530100'),
    qj: staff('user:qj-admin', [MANAGE], '530300'),
    clerk: staff('user:clerk', ['workflow:task.read'], '530102'),
  });
});
afterAll(() => t.close());

const publish = (who: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/notify/templates', headers: bearer(who, headers), payload: body });

const accepted = (division: string, zh: string) => ({
  key: 'services.case-accepted', division, category: 'case-status', channels: ['inbox', 'sms'], placeholders: ['caseNumber', 'itemName', 'deadline'],
  subject: { 'zh-CN': '已受理：{{itemName}}', en: 'Accepted: {{itemName}}' },
  body: { 'zh-CN': zh, en: 'Case {{caseNumber}} accepted, decision by {{deadline}}.' },
});

describe('built-in templates', () => {
  it('are published at province level when the app starts, and seeding again changes nothing', async () => {
    const r = await t.app.inject({ url: '/api/notify/templates', headers: bearer('province') });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as any[];
    // The platform's own templates and those other modules register (benefits, ratings…), each once.
    expect(items.map((i) => i.key).sort()).toEqual(registeredTemplates().map((b) => b.key).sort());
    expect(items.map((i) => i.key)).toEqual(expect.arrayContaining(BUILTIN_TEMPLATES.map((b) => b.key)));
    expect(items.every((i) => i.division === '530000' && i.version === 1 && i.builtin && i.createdBy === 'system:notify')).toBe(true);
    expect(items.find((i) => i.key === 'workflow.task-overdue').body['zh-CN']).toContain('【催办】');
    expect(await ensureBuiltinTemplates(t.core)).toBe(0);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM notify_template`.execute(t.core.db)).rows[0]!.n).toBe(registeredTemplates().length);
  });

  it('follow the code while untouched, and never override a version an administrator published', async () => {
    const original = BUILTIN_TEMPLATES.find((b) => b.key === 'services.case-status-changed')!;
    registerTemplate({ ...original, body: { ...original.body, 'zh-CN': `${original.body['zh-CN']}（新）` } });
    expect(await ensureBuiltinTemplates(t.core)).toBe(1);
    const v2 = await effectiveTemplate(t.core.db, 'services.case-status-changed');
    expect([v2.version, v2.builtin, v2.body['zh-CN'].endsWith('（新）')]).toEqual([2, true, true]);

    const own = await publish('province', { ...original, division: '530000', body: { 'zh-CN': '办件 {{caseNumber}} 现为 {{status}}。', en: 'Case {{caseNumber}} is now {{status}}.' } });
    expect(own.statusCode, own.body).toBe(201);
    registerTemplate({ ...original, body: { ...original.body, 'zh-CN': `${original.body['zh-CN']}（再改）` } });
    expect(await ensureBuiltinTemplates(t.core)).toBe(0);
    const latest = await effectiveTemplate(t.core.db, 'services.case-status-changed');
    expect([latest.version, latest.builtin, latest.body['zh-CN']]).toEqual([3, false, '办件 {{caseNumber}} 现为 {{status}}。']);
    registerTemplate(original);
  });
});

describe('publishing', () => {
  it('adds versions per division, keeps earlier ones, and a county inherits its prefecture\'s override', async () => {
    const v1 = await publish('km', accepted('530100', '昆明：办件 {{caseNumber}} 已受理，{{deadline}} 前办结。'));
    expect(v1.statusCode, v1.body).toBe(201);
    expect(v1.json()).toMatchObject({ key: 'services.case-accepted', division: '530100', version: 1, builtin: false, createdBy: 'user:km-admin', smsBody: null });
    const v2 = await publish('km', accepted('530100', '昆明：办件 {{caseNumber}} 已受理（{{itemName}}），{{deadline}} 前办结。'));
    expect(v2.json().version).toBe(2);

    const data = { caseNumber: 'YN530102-20261126-000001', itemName: '设立登记', deadline: '2026-12-03' };
    expect((await renderTemplate(t.core.db, 'services.case-accepted', data, { division: '530102' })).body).toBe('昆明：办件 YN530102-20261126-000001 已受理（设立登记），2026-12-03 前办结。');
    expect((await renderTemplate(t.core.db, 'services.case-accepted', data, { division: '530102', version: 1 })).body).toBe('昆明：办件 YN530102-20261126-000001 已受理，2026-12-03 前办结。');
    const elsewhere = await renderTemplate(t.core.db, 'services.case-accepted', data, { division: '530302', lang: 'en', channel: 'sms' });
    expect([elsewhere.division, elsewhere.version, elsewhere.body]).toEqual(['530000', 1, '[Yunling] "设立登记" accepted as case YN530102-20261126-000001; decision by 2026-12-03.']);

    expect(await auditActions(t, 'notify.template.publish')).toHaveLength(registeredTemplates().length + 1 + 1 + 2);
    const published = (await events(t, 'notify.template.published')).map((e) => e.payload).filter((p) => p.division === '530100');
    expect(published.map((p) => [p.key, p.version])).toEqual([['services.case-accepted', 1], ['services.case-accepted', 2]]);
  });

  it('lists what the caller may manage plus the templates above it, and every version of one key', async () => {
    expect((await publish('qj', accepted('530300', '曲靖：{{caseNumber}} 已受理，{{deadline}} 前办结。'))).statusCode).toBe(201);
    const km = (await t.app.inject({ url: '/api/notify/templates', headers: bearer('km') })).json().items as any[];
    expect(new Set(km.map((i) => i.division))).toEqual(new Set(['530000', '530100']));
    const versions = (await t.app.inject({ url: '/api/notify/templates?key=services.case-accepted', headers: bearer('km') })).json().items as any[];
    expect(versions.map((i) => [i.division, i.version])).toEqual([['530000', 1], ['530100', 2], ['530100', 1]]);
  });

  it('refuses a division outside the caller\'s scope (403) and callers without the permission', async () => {
    const r = await publish('km', accepted('530000', '{{caseNumber}}'));
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toBe('您无权操作行政区划 530000 的数据');
    expect((await t.app.inject({ url: '/api/notify/templates', headers: bearer('clerk') })).statusCode).toBe(403);
  });

  it('names every problem of a bad template at once (zh-CN, or English on request) and writes nothing', async () => {
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notify_template`.execute(t.core.db)).rows[0]!.n;
    const bad = {
      ...accepted('530100', '办件 {{caseNumber}}，联系 {{contact}}'),
      key: 'Services Case', placeholders: ['caseNumber', 'itemName', 'deadline', 'deadline'],
      smsBody: { 'zh-CN': '短'.repeat(501), en: '{{caseNumber' },
    };
    const r = await publish('km', bad);
    expect(r.statusCode).toBe(400);
    const p = r.json();
    expect(p.code).toBe('DEFINITION_INVALID');
    expect(p.errors.map((e: any) => `${e.pointer} ${e.code}`)).toEqual([
      '/body/key pattern', '/body/placeholders/3 duplicate', '/body/body/zh-CN undeclared-placeholder', '/body/smsBody/en placeholder-syntax', '/body/smsBody/zh-CN sms-length',
    ]);
    expect(p.errors[2].message).toBe('使用了未声明的占位符：contact');
    const en = await publish('km', bad, { 'accept-language': 'en' });
    expect(en.json().errors[2].message).toBe('Undeclared placeholders: contact');
    const shape = await publish('km', { key: 'a.b', channels: ['fax'], extra: 1 });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().errors.map((e: any) => e.pointer)).toEqual(expect.arrayContaining(['/body/category', '/body/placeholders', '/body/subject', '/body/body', '/body/channels/0', '/body/extra']));
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM notify_template`.execute(t.core.db)).rows[0]!.n).toBe(before);
  });
});
