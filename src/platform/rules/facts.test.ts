// Facts from their sources — the applicant's account, the case, base registries — fetched lazily.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testCore, type TestCore } from '../../../test/db.js';
import { orgCodeCheckChar, residentIdCheckChar, usccCheckChar } from '../../core/validators/index.js';
import { createAccount } from '../identity/accounts.js';
import { ensureRoles } from '../identity/index.js';
import { evaluate, evaluateByKey, evaluateInline } from './engine.js';
import { MANAGE, publishRuleSet } from './service.js';
import { MemoryRegistry, registerBaseRegistry, registerFactProvider } from './facts.js';
import type { RuleSetBody } from './types.js';

const AT = new Date('2026-11-26T10:00:00+08:00');
const ID = '53030220081127123' + residentIdCheckChar('53030220081127123');
const ORG = 'MA6K0R1B' + orgCodeCheckChar('MA6K0R1B');
const USCC = `91530102${ORG}` + usccCheckChar(`91530102${ORG}`);
let t: TestCore;
let applicant: string;
let company: string;

const revealAudits = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'rules.fact.reveal'`.execute(t.core.db)).rows[0]!.n;

beforeAll(async () => {
  t = await testCore();
  await ensureRoles(t.core);
  const actor = { id: 'system:test' };
  applicant = (await createAccount(t.core, actor, { type: 'citizen', username: 'zhang_san', name: '张三', division: '530302', idNumber: ID })).id;
  company = (await createAccount(t.core, actor, { type: 'enterprise', username: 'yunling_co', name: '云岭科技有限公司', division: '530102', uscc: USCC, legalRepresentative: '李四' })).id;
});
afterAll(() => t.close());

describe('applicant.* from the account', () => {
  it('derives age, birth date and sex from the resident ID number and says why a minor fails', async () => {
    const rules: RuleSetBody = {
      rules: [{ name: 'adult', conditions: { all: [{ fact: 'applicant.age', operator: 'greaterThanInclusive', value: 18 }, { fact: 'applicant.type', operator: 'equal', value: 'citizen' }] }, event: { type: 'eligible' } }],
      facts: { 'applicant.age': { 'zh-CN': '申请人年龄', en: 'Applicant age' }, 'applicant.type': { 'zh-CN': '申请人类型', en: 'Applicant type' } },
    };
    const before = await revealAudits();
    const r = await evaluate(t.core, rules, { applicant: `user:${applicant}`, at: AT, actor: { id: 'user:clerk' }, purpose: 'case YN530302-20261126-000001' });
    expect(r.passed).toBe(false);
    expect(r.explanation).toEqual(['「申请人年龄」为 17，要求不小于 18']);
    // Decrypting the ID number is a read of personal data: audited once, with the purpose.
    expect(await revealAudits()).toBe(before + 1);
    const entry = (await sql<{ actor: string; purpose: string; object_id: string }>`SELECT actor, purpose, object_id FROM audit_log WHERE action = 'rules.fact.reveal' ORDER BY seq DESC LIMIT 1`.execute(t.core.db)).rows[0]!;
    expect(entry).toEqual({ actor: 'user:clerk', purpose: 'case YN530302-20261126-000001', object_id: applicant });
    const tomorrow = await evaluate(t.core, rules, { applicant, at: new Date('2026-11-27T08:00:00+08:00') });
    expect(tomorrow.passed).toBe(true);
  });

  it('gives the account fields and masks the ID number in explanations', async () => {
    const r = await evaluateInline({
      all: [
        { fact: 'applicant.name', operator: 'equal', value: '张三' },
        { fact: 'applicant.sex', operator: 'equal', value: 'female' },
        { fact: 'applicant.birthDate', operator: 'equal', value: '2008-11-27' },
        { fact: 'applicant.idNumber', operator: 'ageAtLeast', value: 18 },
        { fact: 'applicant.division', operator: 'inDivision', value: '530100' },
      ],
    }, { core: t.core, applicant, at: AT });
    expect(r.explanation).toEqual([
      '「申请人性别」为 男，要求等于 女',
      `「申请人身份证号码」为 5303**********${ID.slice(-4)}（17 周岁），要求年满 18 周岁`,
      '「申请人所属行政区划」为 麒麟区（530302），要求属于昆明市（530100）',
    ]);
  });

  it('reads no ID number (and audits nothing) when the rules do not need it', async () => {
    const before = await revealAudits();
    const r = await evaluateInline({ all: [{ fact: 'applicant.division', operator: 'inDivision', value: '530300' }] }, { core: t.core, applicant, at: AT });
    expect(r.passed).toBe(true);
    expect(await revealAudits()).toBe(before);
  });

  it('has no applicant facts without an applicant', async () => {
    const r = await evaluateInline({ all: [{ fact: 'applicant.age', operator: 'greaterThanInclusive', value: 18 }] }, { core: t.core, applicant: 'not-a-uuid', at: AT }, 'en');
    expect(r.explanation).toEqual(['"Applicant age" was not provided but must be at least 18']);
  });
});

describe('inside the caller\'s transaction', () => {
  it('reads the account, the rule set and division names through it (PGlite has one connection)', async () => {
    const p = { id: 'user:admin', name: 'admin', kind: 'staff' as const, permissions: new Set([MANAGE]), scopes: ['530000'] };
    await publishRuleSet(t.core, { principal: p, actor: { id: p.id }, lang: 'zh-CN' }, {
      key: 'services.local-resident', division: '530000', title: { 'zh-CN': '本地居民', en: 'Local resident' },
      rules: [{ name: 'local', conditions: { all: [{ fact: 'applicant.division', operator: 'inDivision', value: '530100' }, { fact: 'applicant.age', operator: 'greaterThanInclusive', value: 16 }] }, event: { type: 'eligible' } }],
      facts: { 'applicant.division': { 'zh-CN': '户籍所在地', en: 'Registered residence' }, 'applicant.age': { 'zh-CN': '年龄', en: 'Age' } },
    });
    const clerk = { id: 'user:clerk', name: 'clerk', kind: 'staff' as const, permissions: new Set<string>(), scopes: ['530302'] };
    const r = await t.core.db.transaction().execute(async (tx) => {
      await sql`SELECT 1`.execute(tx);
      return evaluateByKey(t.core, tx, 'services.local-resident', '530302', { at: AT, actor: { id: clerk.id } }, 'zh-CN', applicant);
    });
    expect(r.explanation).toEqual(['「户籍所在地」为 麒麟区（530302），要求属于昆明市（530100）']);
    const entry = (await sql<{ purpose: string }>`SELECT purpose FROM audit_log WHERE action = 'rules.fact.reveal' ORDER BY seq DESC LIMIT 1`.execute(t.core.db)).rows[0]!;
    expect(entry.purpose).toBe('rules:services.local-resident@1');
  });
});

describe('laziness', () => {
  it('never calls a provider for facts the rules do not reference', async () => {
    registerFactProvider('boom', () => {
      throw new Error('the boom provider must not be called');
    });
    const r = await evaluateInline({ all: [{ fact: 'case.amount', operator: 'lessThan', value: 100 }] }, { case: { amount: 50 }, at: AT });
    expect(r.passed).toBe(true);
  });

  it('skips facts of a lower-priority set once a higher one has decided, and fetches each fact once', async () => {
    let calls = 0;
    registerFactProvider('counted', () => {
      calls += 1;
      return 5;
    });
    const decided = await evaluateInline({
      all: [{ fact: 'case.ok', operator: 'equal', value: true, priority: 10 }, { fact: 'boom.anything', operator: 'equal', value: 1, priority: 1 }],
    }, { case: { ok: false }, at: AT });
    expect(decided.explanation).toEqual(['「case.ok」为 否，要求等于 是']);
    const twice = await evaluateInline({ all: [{ fact: 'counted.x', operator: 'greaterThan', value: 1 }, { fact: 'counted.x', operator: 'lessThan', value: 9 }] }, { at: AT });
    expect(twice.passed).toBe(true);
    expect(calls).toBe(1);
  });

  it('lets given values win over providers, and uses nothing else in values-only mode', async () => {
    const given = await evaluateInline({ all: [{ fact: 'boom.x', operator: 'equal', value: 1 }] }, { values: { 'boom.x': 1 }, at: AT });
    expect(given.passed).toBe(true);
    const only = await evaluateInline({ all: [{ fact: 'case.amount', operator: 'equal', value: 1 }] }, { case: { amount: 1 }, valuesOnly: true, values: {}, at: AT });
    expect(only.explanation).toEqual(['「case.amount」未提供，要求等于 1']);
  });
});

describe('case.* and registry.*', () => {
  it('walks the case object by the dotted path, own properties only', async () => {
    const r = await evaluateInline({ all: [{ fact: 'case.household.members', operator: 'greaterThanInclusive', value: 3 }, { fact: 'case.constructor', operator: 'equal', value: null }] }, { case: { household: { members: 2 } }, at: AT });
    expect(r.explanation).toEqual(['「case.household.members」为 2，要求不小于 3', '「case.constructor」未提供，要求等于 空']);
  });

  it('looks the applicant up in a base registry once per evaluation, by ID number or credit code', async () => {
    const household = new MemoryRegistry({ [ID]: { size: 4, head: '张大山', low_income: true } });
    registerBaseRegistry('household', household);
    const r = await evaluateInline({ all: [{ fact: 'registry.household.size', operator: 'greaterThanInclusive', value: 5 }, { fact: 'registry.household.low_income', operator: 'equal', value: true }] }, { core: t.core, applicant, at: AT });
    expect(r.explanation).toEqual(['「registry.household.size」为 4，要求不小于 5']);
    expect(household.lookups).toBe(1);
    const explicit = await evaluateInline({ all: [{ fact: 'registry.household.size', operator: 'equal', value: 4 }] }, { subject: { idNumber: ID }, at: AT });
    expect(explicit.passed).toBe(true);
    const nobody = await evaluateInline({ all: [{ fact: 'registry.household.size', operator: 'equal', value: 4 }] }, { subject: { idNumber: '110101199003070012' }, at: AT });
    expect(nobody.passed).toBe(false);
  });

  it('looks an enterprise up by its credit code', async () => {
    registerBaseRegistry('market', new MemoryRegistry({ [USCC]: { status: 'revoked' }, [ID]: { status: 'active' } }));
    const r = await evaluateInline({ all: [{ fact: 'registry.market.status', operator: 'equal', value: 'active' }] }, { core: t.core, applicant: company, at: AT });
    expect(r.explanation).toEqual(['「registry.market.status」为 revoked，要求等于 active']);
  });
});
