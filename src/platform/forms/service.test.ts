import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testCore } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { createAccount } from '../identity/accounts.js';
import { ensureRoles } from '../identity/index.js';
import { roleByCode } from '../identity/roles.js';
import { loadFormFile } from './load.js';
import { formVersions, getForm, publishForm, withdrawForm } from './service.js';
import { validateSubmission } from './validate.js';
import { prefill, registerPrefill } from './prefill.js';
import { normalizeSchema, type FormDefinition } from './definition.js';
import { goodData, rid, SAMPLE } from './fixtures/test-sample.js';
import type { Caller } from './types.js';

type T = Awaited<ReturnType<typeof testCore>>;
let t: T;
let sample: FormDefinition;

const ADMIN = roleByCode('department_admin')!.permissions;
const admin = (id: string, division: string): Principal => ({
  id, name: id, kind: 'staff', permissions: new Set(ADMIN), scopes: [division],
  grants: [{ role: 'department_admin', permissions: new Set(ADMIN), division }],
});
const as = (p: Principal): Caller => ({ principal: p, actor: { id: p.id, requestId: 'test' }, lang: 'zh-CN' });
const province = as(admin('user:yn-admin', '530000'));
const kunming = as(admin('user:km-admin', '530100'));
const wuhua = as(admin('user:wh-admin', '530102'));

const rows = async (q: ReturnType<typeof sql>) => (await q.execute(t.core.db)).rows as any[];

beforeAll(async () => {
  t = await testCore();
  await ensureRoles(t.core);
  sample = await loadFormFile(SAMPLE);
});
afterAll(() => t.close());

describe('versions', () => {
  it('publishes v1, audited and evented in the same transaction; the same definition again creates nothing', async () => {
    const r = await publishForm(t.core, province, sample);
    expect(r.created).toBe(true);
    expect(r.form).toMatchObject({ key: 'birth-registration', version: 1, division: '530000', status: 'published', createdBy: 'user:yn-admin' });
    const again = await publishForm(t.core, province, sample);
    expect(again).toMatchObject({ created: false, form: { id: r.form.id, version: 1 } });
    expect(await rows(sql`SELECT actor, object_id, division, detail->>'key' AS key, detail->>'version' AS version FROM audit_log WHERE action = 'forms.form.publish'`))
      .toEqual([{ actor: 'user:yn-admin', object_id: r.form.id, division: '530000', key: 'birth-registration', version: '1' }]);
    expect(await rows(sql`SELECT type, aggregate_id, payload FROM outbox WHERE type = 'forms.form.published'`))
      .toEqual([{ type: 'forms.form.published', aggregate_id: r.form.id, payload: { id: r.form.id, key: 'birth-registration', version: 1, division: '530000' } }]);
  });

  it('a new version never changes the old one: data valid only under v2 is refused by v1', async () => {
    const v2def = { ...sample, schema: { ...sample.schema, properties: { ...sample.schema.properties, remark: { type: 'string', title: '备注' } } } };
    const v2 = (await publishForm(t.core, province, v2def)).form;
    expect(v2.version).toBe(2);
    const v1 = (await getForm(t.core.db, 'birth-registration', { version: 1 }))!;
    expect(v1.schema.properties).not.toHaveProperty('remark');
    const data = { ...goodData(), remark: '加急' };
    expect(await validateSubmission(v2, data, 'zh-CN')).toEqual([]);
    expect(await validateSubmission(v1, data, 'zh-CN')).toEqual([{ pointer: '/data/remark', code: 'additionalProperties', message: '「remark」不是本表单的字段' }]);
    expect((await getForm(t.core.db, 'birth-registration'))!.version).toBe(2);
  });

  it('the database refuses to change or delete a published version', async () => {
    await expect(sql`UPDATE form_definition SET schema = '{}' WHERE key = 'birth-registration' AND version = 1`.execute(t.core.db)).rejects.toThrow(/only withdrawing/);
    await expect(sql`DELETE FROM form_definition WHERE key = 'birth-registration' AND version = 1`.execute(t.core.db)).rejects.toThrow(/cannot be deleted/);
  });

  it('refuses to publish outside the caller\'s divisions, and an unknown division', async () => {
    await expect(publishForm(t.core, kunming, sample)).rejects.toMatchObject({ code: 'FORBIDDEN', detail: { 'zh-CN': '您无权管理行政区划 530000 的表单' } });
    await expect(publishForm(t.core, kunming, { ...sample, division: '530302' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(publishForm(t.core, province, { ...sample, division: '539900' })).rejects.toMatchObject({
      code: 'DEFINITION_INVALID', errors: [{ pointer: '/division', code: 'unknown', message: '行政区划 539900 不存在' }],
    });
  });
});

describe('division inheritance and overrides', () => {
  it('county → prefecture → province; a division may publish its own version of the same key', async () => {
    const resolve = async (division?: string) => {
      const f = await getForm(t.core.db, 'birth-registration', { division });
      return f && `${f.division} v${f.version}`;
    };
    expect(await resolve('530102')).toBe('530000 v2');
    const km = (await publishForm(t.core, kunming, { ...sample, division: '530100', title: { 'zh-CN': '出生登记（昆明）', en: 'Birth registration (Kunming)' } })).form;
    expect(km.version).toBe(3);
    const wh = (await publishForm(t.core, wuhua, { ...sample, division: '530102', title: { 'zh-CN': '出生登记（五华）' } })).form;
    expect(wh.version).toBe(4);
    expect(await resolve('530102')).toBe('530102 v4');
    expect(await resolve('530102001')).toBe('530102 v4');
    expect(await resolve('530103')).toBe('530100 v3');
    expect(await resolve('530302')).toBe('530000 v2');
    expect(await resolve(undefined)).toBe('530000 v2');
    expect(await getForm(t.core.db, 'no-such-form', { division: '530102' })).toBeNull();
  });

  it('withdrawing: one version, or the whole form in a division (which then inherits again)', async () => {
    await expect(withdrawForm(t.core, kunming, 'birth-registration', { division: '530000' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const w = await withdrawForm(t.core, kunming, 'birth-registration', { division: '530100' });
    expect(w.map((f) => [f.version, f.status])).toEqual([[3, 'withdrawn']]);
    expect((await getForm(t.core.db, 'birth-registration', { division: '530103' }))!.version).toBe(2);
    // A case started on v3 still reads v3.
    expect((await getForm(t.core.db, 'birth-registration', { version: 3 }))!.status).toBe('withdrawn');
    await expect(withdrawForm(t.core, kunming, 'birth-registration', { division: '530100' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(withdrawForm(t.core, kunming, 'birth-registration', { division: '530100', version: 9 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Withdrawing the province's newest version makes the previous one current again.
    await withdrawForm(t.core, province, 'birth-registration', { division: '530000', version: 2 });
    expect((await getForm(t.core.db, 'birth-registration', { division: '530103' }))!.version).toBe(1);
    expect(await rows(sql`SELECT payload FROM outbox WHERE type = 'forms.form.withdrawn' ORDER BY seq`))
      .toEqual([{ payload: expect.objectContaining({ key: 'birth-registration', version: 3, division: '530100' }) }, { payload: expect.objectContaining({ version: 2, division: '530000' }) }]);
  });

  it('drafts: one per division, replaced in place, seen only by those who manage it, consumed by publishing', async () => {
    const d1 = (await publishForm(t.core, wuhua, { ...sample, division: '530102', draft: true })).form;
    const d2 = (await publishForm(t.core, wuhua, { ...sample, division: '530102', draft: true, title: { 'zh-CN': '草稿二' } })).form;
    expect(d2).toMatchObject({ id: d1.id, version: null, status: 'draft', title: { 'zh-CN': '草稿二' } });
    expect((await getForm(t.core.db, 'birth-registration', { division: '530102' }))!.version).toBe(4);
    const publicList = await formVersions(t.core.db, 'birth-registration', { division: '530102' });
    expect(publicList.map((f) => f.version)).toEqual([4, 3, 2, 1]);
    const managerList = await formVersions(t.core.db, 'birth-registration', { division: '530102', principal: wuhua.principal });
    expect(managerList.map((f) => f.version)).toEqual([null, 4, 3, 2, 1]);
    const published = (await publishForm(t.core, wuhua, { ...sample, division: '530102', title: { 'zh-CN': '出生登记（五华二版）' } })).form;
    expect(published).toMatchObject({ id: d1.id, version: 5, status: 'published' });
  });
});

describe('prefill', () => {
  let citizenId: string;

  beforeAll(async () => {
    citizenId = (await createAccount(t.core, { id: 'system:test' }, {
      type: 'citizen', username: 'li.hua', name: '李华', division: '530102',
      idNumber: rid('53010219900307123'), mobile: '138 1234 5678', address: '五华区人民中路 1 号',
    })).id;
  });

  it('fills the applicant\'s fields from the account (decrypted), and audits the read', async () => {
    const form = (await getForm(t.core.db, 'birth-registration', { version: 1 }))!;
    const citizen: Principal = { id: `user:${citizenId}`, name: '李华', kind: 'citizen', permissions: new Set(), scopes: ['530000'] };
    const data = await prefill(t.core, form, citizen);
    expect(data).toEqual({ applicant: { name: '李华', idNumber: rid('53010219900307123'), mobile: '13812345678', address: { division: '530102', detail: '五华区人民中路 1 号' } } });
    expect(await validateSubmission(form, { ...goodData(), ...data }, 'zh-CN')).toEqual([]);
    expect(await rows(sql`SELECT actor, object_id, purpose, detail FROM audit_log WHERE action = 'forms.prefill.profile'`))
      .toEqual([{ actor: `user:${citizenId}`, object_id: citizenId, purpose: 'prefill birth-registration v1', detail: { fields: ['address', 'idNumber', 'mobile'] } }]);
  });

  it('an agent acting for someone gets that person\'s profile; a non-account caller gets nothing', async () => {
    const form = (await getForm(t.core.db, 'birth-registration', { version: 1 }))!;
    const agent: Principal = { id: 'user:00000000-0000-4000-8000-000000000001', name: '代办人', kind: 'citizen', permissions: new Set(), scopes: [], onBehalfOf: `user:${citizenId}` };
    expect(((await prefill(t.core, form, agent)).applicant as any).name).toBe('李华');
    const system: Principal = { id: 'system:test', name: 'test', kind: 'system', permissions: new Set(), scopes: [] };
    expect(await prefill(t.core, form, system)).toEqual({});
  });

  it('plugins are async and keyed by prefix; a failing one is skipped', async () => {
    registerPrefill('test-registry', async ({ keys }) => Object.fromEntries(keys.map((k) => [k, k === 'test-registry.hukou' ? '昆明市五华区' : null])));
    registerPrefill('test-broken', async () => { throw new Error('registry down'); });
    const form = { key: 'p', schema: normalizeSchema({ properties: { hukou: { type: 'string', 'x-prefill': 'test-registry.hukou' }, other: { type: 'string', 'x-prefill': 'test-registry.none' }, broken: { type: 'string', 'x-prefill': 'test-broken.x' } } }), uiSchema: {} };
    const p: Principal = { id: 'user:x', name: 'x', kind: 'citizen', permissions: new Set(), scopes: [] };
    expect(await prefill(t.core, form, p)).toEqual({ hukou: '昆明市五华区' });
    expect(() => registerPrefill('test-registry', async () => ({}))).toThrow(/already registered/);
  });
});
