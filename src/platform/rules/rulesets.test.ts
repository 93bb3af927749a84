// Rule sets as versioned data: versions, province → prefecture → county inheritance, drafts,
// withdrawal, validation on publish, audit and events, and the pack file loader.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testCore, type TestCore } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { evaluate } from './engine.js';
import { getRuleSet } from './store.js';
import { loadRuleSetFile } from './loader.js';
import { MANAGE, publishDraft, publishRuleSet, withdrawRuleSet, type Caller } from './service.js';
import type { RuleSetInput } from './types.js';

let t: TestCore;
const admin = (division: string): Caller => {
  const p: Principal = { id: `user:admin-${division}`, name: `管理员 ${division}`, kind: 'staff', permissions: new Set([MANAGE]), scopes: [division], grants: [{ role: 'department_admin', permissions: new Set([MANAGE]), division }] };
  return { principal: p, actor: { id: p.id, requestId: 'req-1' }, lang: 'zh-CN' };
};
const province = admin('530000');
const kunming = admin('530100');

/** A subsidy rule set whose age limit says which version answered. */
function subsidy(division: string, minAge: number, extra: Partial<RuleSetInput> = {}): RuleSetInput {
  return {
    key: 'services.elderly-subsidy', division,
    title: { 'zh-CN': '高龄津贴申领条件', en: 'Elderly subsidy eligibility' },
    rules: [{ name: 'age', conditions: { all: [{ fact: 'case.age', operator: 'greaterThanInclusive', value: minAge }] }, event: { type: 'eligible', params: { minAge } } }],
    facts: { 'case.age': { 'zh-CN': '申请人年龄', en: 'Applicant age' } },
    ...extra,
  };
}
const applying = async (division: string) => (await getRuleSet(t.core.db, 'services.elderly-subsidy', { division })).version;

beforeAll(async () => {
  t = await testCore();
});
afterAll(() => t.close());

describe('versions and inheritance', () => {
  it('numbers versions per key and applies the nearest division\'s newest published one', async () => {
    expect((await publishRuleSet(t.core, province, subsidy('530000', 80))).version).toBe(1);
    expect((await publishRuleSet(t.core, kunming, subsidy('530100', 75))).version).toBe(2);
    const v3 = await publishRuleSet(t.core, province, subsidy('530000', 85));
    expect(v3).toMatchObject({ version: 3, division: '530000', status: 'published', createdBy: 'user:admin-530000', withdrawnAt: null });
    expect(await applying('530102')).toBe(2); // 五华区 inherits 昆明市's override
    expect(await applying('530100')).toBe(2);
    expect(await applying('530302')).toBe(3); // 麒麟区 inherits the province's newest
    expect(await applying('530000')).toBe(3);
    expect(await applying('530102001')).toBe(2); // a township under 五华区
  });

  it('evaluates the version that applies, and a pinned version keeps applying after a newer one', async () => {
    const wuhua = await getRuleSet(t.core.db, 'services.elderly-subsidy', { division: '530102' });
    const r = await evaluate(t.core, wuhua, { case: { age: 74 } });
    expect(r.explanation).toEqual(['「申请人年龄」为 74，要求不小于 75']);
    const pinned = await getRuleSet(t.core.db, 'services.elderly-subsidy', { version: 1, division: '530102' });
    expect((await evaluate(t.core, pinned, { case: { age: 80 } })).outcomes).toEqual([{ type: 'eligible', params: { minAge: 80 } }]);
    // 昆明市's version does not apply in 曲靖市.
    await expect(getRuleSet(t.core.db, 'services.elderly-subsidy', { version: 2, division: '530302' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getRuleSet(t.core.db, 'services.no-such-key', { division: '530102' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('falls back to the inherited rule set when an override is withdrawn, and refuses the withdrawn version', async () => {
    const w = await withdrawRuleSet(t.core, kunming, 'services.elderly-subsidy', 2);
    expect(w).toMatchObject({ version: 2, status: 'withdrawn' });
    expect(w.withdrawnAt).not.toBeNull();
    expect(await applying('530102')).toBe(3);
    await expect(getRuleSet(t.core.db, 'services.elderly-subsidy', { version: 2 })).rejects.toMatchObject({ code: 'VERSION_WITHDRAWN', detail: { 'zh-CN': '规则集 services.elderly-subsidy 第 2 版已撤回' } });
    await expect(withdrawRuleSet(t.core, kunming, 'services.elderly-subsidy', 2)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('keeps drafts out of resolution until they are published', async () => {
    const draft = await publishRuleSet(t.core, province, subsidy('530000', 70, { draft: true }));
    expect(draft).toMatchObject({ version: 4, status: 'draft', publishedAt: null });
    expect(await applying('530302')).toBe(3);
    await expect(getRuleSet(t.core.db, 'services.elderly-subsidy', { version: 4 })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await getRuleSet(t.core.db, 'services.elderly-subsidy', { version: 4, includeDrafts: true })).status).toBe('draft');
    const published = await publishDraft(t.core, province, 'services.elderly-subsidy', 4);
    expect(published.status).toBe('published');
    expect(published.publishedAt).not.toBeNull();
    expect(await applying('530302')).toBe(4);
    await expect(publishDraft(t.core, province, 'services.elderly-subsidy', 4)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('writes an audit entry and an event for every change', async () => {
    const audits = (await sql<{ action: string; n: number }>`SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'rules.ruleset.%' GROUP BY action ORDER BY action`.execute(t.core.db)).rows;
    expect(audits).toEqual([{ action: 'rules.ruleset.draft', n: 1 }, { action: 'rules.ruleset.publish', n: 4 }, { action: 'rules.ruleset.withdraw', n: 1 }]);
    const events = (await sql<{ type: string; payload: any; division: string }>`SELECT type, payload, division FROM outbox WHERE type LIKE 'rules.ruleset.%' ORDER BY seq`.execute(t.core.db)).rows;
    expect(events.map((e) => e.type)).toEqual(['rules.ruleset.published', 'rules.ruleset.published', 'rules.ruleset.published', 'rules.ruleset.withdrawn', 'rules.ruleset.drafted', 'rules.ruleset.published']);
    expect(events[3]).toMatchObject({ division: '530100', payload: { key: 'services.elderly-subsidy', version: 2, division: '530100', status: 'withdrawn' } });
  });

  it('gives concurrent publishes of one key distinct consecutive versions', async () => {
    const many = await Promise.all(Array.from({ length: 6 }, (_, i) => publishRuleSet(t.core, province, { ...subsidy('530000', 60 + i), key: 'services.concurrent' })));
    expect(many.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('validation on publish', () => {
  it('lists every problem of a definition at once and stores nothing', async () => {
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM rules_ruleset`.execute(t.core.db)).rows[0]!.n;
    const bad = {
      key: 'Bad Key', division: '530100', title: { 'zh-CN': '坏规则' },
      rules: [
        { name: 'a', conditions: { all: [{ fact: 'case.age', operator: 'greaterThanInclusive', value: 18 }, { fact: 'case.region', operator: 'inDivision', value: '53010' }] }, event: { type: 'ok' } },
        { name: 'a', conditions: { any: [{ fact: 'case.plate', operator: 'matches', value: '([' }, { fact: 'case.x', operator: 'isBig', value: 1 }] }, event: { type: 'ok' } },
        { name: 'b', conditions: { not: { fact: 'case.age', operator: 'matches', value: '^(\\d+)+$' } }, event: { type: 'ok' } },
      ],
      facts: { 'case.age': { 'zh-CN': '年龄', en: 'Age' } },
    };
    const err = await publishRuleSet(t.core, kunming, bad as unknown as RuleSetInput).catch((e) => e);
    expect(err.code).toBe('DEFINITION_INVALID');
    expect(err.errors).toEqual([
      { pointer: '/body/key', code: 'pattern', message: '格式不正确' },
      { pointer: '/body/title/en', code: 'required', message: '必填项' },
      { pointer: '/body/rules/1/conditions/any/1/operator', code: 'enum', message: expect.stringMatching(/^只能是：equal、notEqual、/) },
      { pointer: '/body/rules/0/conditions/all/1/value', code: 'value', message: '应为行政区划代码或其列表' },
      { pointer: '/body/rules/1/name', code: 'unique', message: '规则名称 a 重复' },
      { pointer: '/body/rules/1/conditions/any/0/value', code: 'value', message: '不是有效的正则表达式' },
      { pointer: '/body/rules/2/conditions/not/value', code: 'value', message: '不能使用嵌套重复（如 (a+)+），请改写' },
      { pointer: '/body/facts/case.region', code: 'required', message: '请为事实「case.region」提供中英文名称' },
      { pointer: '/body/facts/case.plate', code: 'required', message: '请为事实「case.plate」提供中英文名称' },
      { pointer: '/body/facts/case.x', code: 'required', message: '请为事实「case.x」提供中英文名称' },
    ]);
    const after = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM rules_ruleset`.execute(t.core.db)).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('refuses an unknown division and a division outside the caller\'s subtree', async () => {
    await expect(publishRuleSet(t.core, kunming, subsidy('530199', 60))).rejects.toMatchObject({ code: 'DIVISION_NOT_FOUND' });
    await expect(publishRuleSet(t.core, kunming, subsidy('530300', 60))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(publishRuleSet(t.core, kunming, subsidy('530000', 60))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('loadRuleSetFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-rules-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('reads a YAML pack file into a definition that publishes as it is', async () => {
    const file = write('marriage.yaml', `
key: services.marriage-registration
division: '530000'
title: { zh-CN: 结婚登记条件, en: Marriage registration eligibility }
rules:
  - name: legal-age
    conditions:
      all:
        - { fact: case.groom.birthDate, operator: ageAtLeast, value: 22 }
        - { fact: case.bride.birthDate, operator: ageAtLeast, value: 20 }
    event: { type: eligible }
facts:
  case.groom.birthDate: { zh-CN: 男方出生日期, en: Groom's date of birth }
  case.bride.birthDate: { zh-CN: 女方出生日期, en: Bride's date of birth }
`);
    const def = await loadRuleSetFile(file);
    const rs = await publishRuleSet(t.core, province, def);
    const r = await evaluate(t.core, rs, { case: { groom: { birthDate: '2005-01-01' }, bride: { birthDate: '2004-01-01' } }, at: new Date('2026-11-26T10:00:00+08:00') });
    expect(r.explanation).toEqual(['「男方出生日期」为 2005-01-01（21 周岁），要求年满 22 周岁']);
  });

  it('reads JSON, and reports problems with pointers into the file', async () => {
    const ok = write('ok.json', JSON.stringify(subsidy('530100', 90)));
    expect((await loadRuleSetFile(ok)).rules[0]!.name).toBe('age');
    const bad = write('bad.json', JSON.stringify({ ...subsidy('530100', 90), facts: {} }));
    await expect(loadRuleSetFile(bad, 'en')).rejects.toMatchObject({
      code: 'DEFINITION_INVALID', detail: { en: 'Rule file bad.json is invalid' },
      errors: [{ pointer: '/facts/case.age', code: 'required', message: 'give fact case.age a label in zh-CN and en' }],
    });
    const broken = write('broken.yaml', 'key: [unclosed');
    await expect(loadRuleSetFile(broken)).rejects.toMatchObject({ code: 'DEFINITION_INVALID', errors: [{ pointer: '', code: 'syntax' }] });
  });
});
