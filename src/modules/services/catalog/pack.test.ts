import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../../test/db.js';
import { DEFAULT_PACK_DIR, getItemVersion, loadServicesPack, type PackReport } from './index.js';
import { packItems } from './pack.js';
import { getForm, mergeForms } from '../../../platform/forms/index.js';

let t: Awaited<ReturnType<typeof testApp>>;
let first: PackReport;
const BUNDLES = {
  新生儿出生一件事: ['birth-certificate', 'household-birth-registration', 'resident-medical-insurance-enrolment', 'social-security-card', 'vaccination-certificate'],
  企业开办一件事: ['company-establishment', 'seal-engraving-filing', 'invoice-application', 'employer-social-insurance-registration', 'housing-fund-employer-registration'],
  退休一件事: ['retirement-application', 'pension-calculation', 'retiree-medical-insurance', 'housing-fund-retirement-withdrawal'],
};
const outboxCount = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox`.execute(t.core.db)).rows[0]!.n;
const search = async (q: string, division = '530102') =>
  (await t.app.inject({ method: 'GET', url: `/api/services/items?division=${division}&pageSize=100&q=${encodeURIComponent(q)}` })).json();

beforeAll(async () => {
  t = await testApp();
  first = await loadServicesPack(t.core);
});
afterAll(() => t.close());

describe('the services demo pack', () => {
  it('loads on a fresh database: 4 workflows, the forms, ≥ 30 province items across the departments, local implementations', async () => {
    expect(first.workflows.published.sort()).toEqual(['svc.countersign', 'svc.instant', 'svc.promised-1', 'svc.promised-2']);
    expect(first.forms.published).toEqual(expect.arrayContaining(['personal-applicant', 'enterprise-applicant', 'newborn', 'retirement', 'company-establishment']));
    const province = await t.app.inject({ method: 'GET', url: '/api/services/items?division=530000&pageSize=100' });
    const items = province.json().items as Array<{ department: { code: string } }>;
    expect(items.length).toBeGreaterThanOrEqual(30);
    expect(new Set(items.map((i) => i.department.code))).toEqual(new Set(['YN-SCJGJ', 'YN-MZT', 'YN-RST', 'YN-WJW', 'YN-GAT', 'YN-GJJ', 'YN-ZJT', 'YN-YBJ', 'YN-SWJ']));
    expect(first.notImplemented).toBe(1);
  });

  it('provides every bundle member key, and every pack item resolves in 五华区 (530102) except the one it does not implement', async () => {
    for (const keys of Object.values(BUNDLES)) {
      for (const key of keys) expect(await getItemVersion(t.core.db, { key, division: '530102' }), key).toMatchObject({ key, status: 'published' });
    }
    const { items } = await packItems(DEFAULT_PACK_DIR);
    const keys = [...new Set(items.map((i) => i.item.key))];
    for (const key of keys) {
      const v = await getItemVersion(t.core.db, { key, division: '530102' });
      if (key === 'commodity-housing-presale-permit') expect(v).toBeNull();
      else expect(v, key).not.toBeNull();
    }
    expect(await getItemVersion(t.core.db, { key: 'commodity-housing-presale-permit', division: '530100' })).toMatchObject({ department: { name: '昆明市住房和城乡建设局' }, division: '530100' });
  });

  it('五华区 and 昆明市 implementations carry their own bodies and implementation codes; others are inherited', async () => {
    expect(await getItemVersion(t.core.db, { key: 'marriage-registration', division: '530102' })).toMatchObject({ division: '530102', code: '000117001000530102WH01', department: { code: 'WH-MZJ' } });
    expect(await getItemVersion(t.core.db, { key: 'company-establishment', division: '530102' })).toMatchObject({ division: '530100', code: '000127001000530100000000', department: { code: 'KM-SCJGJ' } });
    expect(await getItemVersion(t.core.db, { key: 'individual-business-registration', division: '530102' })).toMatchObject({ handling: 'instant', promisedDays: 0, workflowKey: 'svc.instant' });
    expect(await getItemVersion(t.core.db, { key: 'individual-business-registration', division: '530103' })).toMatchObject({ handling: 'promised', promisedDays: 1, division: '530000' });
    expect(await getItemVersion(t.core.db, { key: 'resident-id-card', division: '530102' })).toMatchObject({ division: '530000', materials: [expect.objectContaining({ id: 'household', licenseType: '11100000000013127D002' }), expect.anything()] });
  });

  it('the forms of a bundle merge with each shared question asked once', async () => {
    const keys = [...new Set(await Promise.all(BUNDLES.新生儿出生一件事.map(async (key) => (await getItemVersion(t.core.db, { key, division: '530102' }))!.formKey!)))];
    const forms = await Promise.all(keys.map((k) => getForm(t.core.db, k, { division: '530102' })));
    const merged = mergeForms(forms.map((f) => f!));
    const applicant = (merged.schema.properties as Record<string, { properties?: Record<string, unknown> }>).applicant!;
    expect(Object.keys(applicant.properties!)).toEqual(expect.arrayContaining(['name', 'idNumber', 'mobile']));
  });

  it('is idempotent: loading it again publishes nothing and records nothing', async () => {
    const before = await outboxCount();
    const again = await loadServicesPack(t.core);
    expect(again.workflows.published).toEqual([]);
    expect(again.forms.published).toEqual([]);
    expect(again.items).toEqual({ published: 0, unchanged: first.items.published });
    expect(await outboxCount()).toBe(before);
  });

  it('a pack with a bad item writes no item and names the file, the item and the field', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-pack-'));
    fs.mkdirSync(path.join(dir, 'items'));
    fs.writeFileSync(path.join(dir, 'items', 'bad.yaml'), fs.readFileSync(path.join(DEFAULT_PACK_DIR, 'items', 'tax.yaml'), 'utf8')
      .replace('key: invoice-application', 'key: invoice-application-2').replace('legalDays: 20\n    promisedDays: 5', 'legalDays: 2\n    promisedDays: 5'));
    const err = await loadServicesPack(t.core, dir).catch((e) => e);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(err.code).toBe('DEFINITION_INVALID');
    expect(err.errors).toEqual([expect.objectContaining({ pointer: '/items/bad.yaml/2/promisedDays', code: 'promised-exceeds-legal' })]);
    expect(await getItemVersion(t.core.db, { key: 'invoice-application-2', division: '530000' })).toBeNull();
  });
});

describe('Chinese full-text search over the pack', () => {
  it('「营业执照」 finds 企业设立登记 through its keywords, ranked above items that only list the licence as a material', async () => {
    const keys = (await search('营业执照')).items.map((i: { key: string }) => i.key);
    // Both items have 营业执照 as a keyword (alias); the others merely require one as a material.
    expect(keys.slice(0, 2).sort()).toEqual(['company-establishment', 'individual-business-registration']);
    expect(keys).toEqual(expect.arrayContaining(['company-change-registration', 'food-business-license']));
  });

  it('「退休」 finds the retirement items of 退休一件事', async () => {
    const keys = (await search('退休')).items.map((i: { key: string }) => i.key);
    expect(keys).toEqual(expect.arrayContaining(BUNDLES.退休一件事));
    expect(keys).not.toContain('company-establishment');
  });

  it('combines search with a life event, and an item not implemented in the division is never found there', async () => {
    const r = await (await t.app.inject({ method: 'GET', url: `/api/services/items?division=530102&lifeEvent=birth&q=${encodeURIComponent('医保')}` })).json();
    expect(r.items.map((i: { key: string }) => i.key)).toEqual(['resident-medical-insurance-enrolment']);
    expect((await search('预售许可')).total).toBe(0);
    expect((await search('预售许可', '530100')).items[0].key).toBe('commodity-housing-presale-permit');
  });
});
