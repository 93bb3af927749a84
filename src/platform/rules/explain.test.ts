// The exact sentences a resident or clerk reads when a rule fails, in zh-CN and en.
import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../core/validators/index.js';
import { evaluateInline } from './engine.js';
import type { Condition, FactLabel, Lang, RuleDefinition } from './types.js';

const AT = new Date('2026-11-26T10:00:00+08:00');
const ID_17 = '53010220081127123' + residentIdCheckChar('53010220081127123');

const facts: Record<string, FactLabel> = {
  'applicant.age': { 'zh-CN': '申请人年龄', en: 'Applicant age' },
  'applicant.birthDate': { 'zh-CN': '申请人出生日期', en: 'Applicant date of birth' },
  'applicant.idNumber': { 'zh-CN': '申请人身份证号码', en: 'Applicant ID number' },
  'applicant.type': { 'zh-CN': '申请人类型', en: 'Applicant type', values: { citizen: { 'zh-CN': '自然人', en: 'citizen' }, enterprise: { 'zh-CN': '法人', en: 'legal person' } } },
  'case.guardianConsent': { 'zh-CN': '监护人同意', en: 'Guardian consent' },
  'case.maritalStatus': { 'zh-CN': '婚姻状况', en: 'Marital status', values: { single: { 'zh-CN': '未婚', en: 'single' }, divorced: { 'zh-CN': '离异', en: 'divorced' }, widowed: { 'zh-CN': '丧偶', en: 'widowed' } } },
  'case.amount': { 'zh-CN': '申请金额', en: 'Amount applied for' },
  'case.cap': { 'zh-CN': '补贴上限', en: 'Subsidy cap' },
  'case.accidentDate': { 'zh-CN': '事故发生日期', en: 'Date of the accident' },
  'case.plate': { 'zh-CN': '车牌号码', en: 'Number plate' },
  'case.tags': { 'zh-CN': '标签', en: 'Tags' },
};

async function explain(conditions: Condition, values: Record<string, unknown>, lang: Lang): Promise<string[]> {
  const r = await evaluateInline({ rules: [{ name: 'r', conditions: conditions as RuleDefinition['conditions'], event: { type: 'eligible' } }], facts }, { values, at: AT }, lang);
  expect(r.passed).toBe(false);
  return r.explanation;
}
const leaf = (fact: string, operator: string, value: unknown) => ({ fact, operator, value }) as Condition;

describe('one failed condition: which fact, its value, the operator in words, the expected value', () => {
  const cases: [Condition, Record<string, unknown>, string, string][] = [
    [leaf('applicant.age', 'greaterThanInclusive', 18), { 'applicant.age': 17 }, '「申请人年龄」为 17，要求不小于 18', '"Applicant age" is 17 but must be at least 18'],
    [leaf('applicant.age', 'lessThan', 60), { 'applicant.age': 60 }, '「申请人年龄」为 60，要求小于 60', '"Applicant age" is 60 but must be less than 60'],
    [leaf('applicant.age', 'lessThanInclusive', 35), { 'applicant.age': 36 }, '「申请人年龄」为 36，要求不大于 35', '"Applicant age" is 36 but must be at most 35'],
    [leaf('applicant.age', 'greaterThan', 18), { 'applicant.age': 18 }, '「申请人年龄」为 18，要求大于 18', '"Applicant age" is 18 but must be greater than 18'],
    [leaf('applicant.type', 'equal', 'citizen'), { 'applicant.type': 'enterprise' }, '「申请人类型」为 法人，要求等于 自然人', '"Applicant type" is legal person but must be citizen'],
    [leaf('applicant.type', 'notEqual', 'enterprise'), { 'applicant.type': 'enterprise' }, '「申请人类型」为 法人，要求不等于 法人', '"Applicant type" is legal person but must not be legal person'],
    [leaf('case.maritalStatus', 'in', ['single', 'divorced', 'widowed']), {}, '「婚姻状况」未提供，要求为以下之一：未婚、离异、丧偶', '"Marital status" was not provided but must be one of: single, divorced, widowed'],
    [leaf('case.maritalStatus', 'notIn', ['divorced', 'widowed']), { 'case.maritalStatus': 'divorced' }, '「婚姻状况」为 离异，要求不为以下任何一项：离异、丧偶', '"Marital status" is divorced but must be none of: divorced, widowed'],
    [leaf('case.tags', 'contains', 'urgent'), { 'case.tags': ['normal'] }, '「标签」为 normal，要求包含 urgent', '"Tags" is normal but must contain urgent'],
    [leaf('case.tags', 'doesNotContain', 'blocked'), { 'case.tags': ['a', 'blocked'] }, '「标签」为 a、blocked，要求不包含 blocked', '"Tags" is a, blocked but must not contain blocked'],
    [leaf('case.guardianConsent', 'equal', true), { 'case.guardianConsent': false }, '「监护人同意」为 否，要求等于 是', '"Guardian consent" is no but must be yes'],
    [leaf('applicant.idNumber', 'ageAtLeast', 18), { 'applicant.idNumber': ID_17 }, `「申请人身份证号码」为 5301**********${ID_17.slice(-4)}（17 周岁），要求年满 18 周岁`, `"Applicant ID number" is 5301**********${ID_17.slice(-4)} (age 17) but must show an age of at least 18`],
    [leaf('applicant.birthDate', 'ageBelow', 16), { 'applicant.birthDate': '2008-11-27' }, '「申请人出生日期」为 2008-11-27（17 周岁），要求未满 16 周岁', '"Applicant date of birth" is 2008-11-27 (age 17) but must show an age under 16'],
    [leaf('applicant.birthDate', 'ageAtLeast', 18), { 'applicant.birthDate': 'unknown' }, '「申请人出生日期」为 unknown（无法确定出生日期），要求年满 18 周岁', '"Applicant date of birth" is unknown (no date of birth in it) but must show an age of at least 18'],
    [leaf('case.accidentDate', 'withinDays', 30), { 'case.accidentDate': '2026-10-01' }, '「事故发生日期」为 2026-10-01，要求在 2026-11-26 前 30 日以内', '"Date of the accident" is 2026-10-01 but must fall within the 30 days up to 2026-11-26'],
    [leaf('case.plate', 'matches', '^云[A-Z][0-9A-Z]{5}$'), { 'case.plate': '川A12345' }, '「车牌号码」为 川A12345，要求符合格式 ^云[A-Z][0-9A-Z]{5}$', '"Number plate" is 川A12345 but must match the pattern ^云[A-Z][0-9A-Z]{5}$'],
    [leaf('case.amount', 'lessThanInclusive', { fact: 'case.cap' }), { 'case.amount': 600, 'case.cap': 500 }, '「申请金额」为 600，要求不大于「补贴上限」（500）', '"Amount applied for" is 600 but must be at most "Subsidy cap" (500)'],
    [leaf('case.region', 'inDivision', ['530100', '530300']), { 'case.region': '532301' }, '「case.region」为 532301，要求属于以下行政区划之一：530100、530300', '"case.region" is 532301 but must lie within one of: 530100, 530300'],
  ];
  it.each(cases)('%j', async (condition, values, zh, en) => {
    expect(await explain({ all: [condition] }, values, 'zh-CN')).toEqual([zh]);
    expect(await explain({ all: [condition] }, values, 'en')).toEqual([en]);
  });
});

describe('groups', () => {
  it('lists each failed member of an all group, and not the ones that held', async () => {
    const all = { all: [leaf('applicant.age', 'greaterThanInclusive', 18), leaf('applicant.type', 'equal', 'citizen'), leaf('case.guardianConsent', 'equal', true)] } as Condition;
    const values = { 'applicant.age': 17, 'applicant.type': 'citizen', 'case.guardianConsent': false };
    expect(await explain(all, values, 'zh-CN')).toEqual(['「申请人年龄」为 17，要求不小于 18', '「监护人同意」为 否，要求等于 是']);
    expect(await explain(all, values, 'en')).toEqual(['"Applicant age" is 17 but must be at least 18', '"Guardian consent" is no but must be yes']);
  });

  it('says that none of the alternatives of an any group held, and lists them', async () => {
    const any = { any: [leaf('applicant.age', 'greaterThanInclusive', 18), { all: [leaf('case.guardianConsent', 'equal', true), leaf('applicant.age', 'greaterThanInclusive', 16)] }] } as Condition;
    const values = { 'applicant.age': 15, 'case.guardianConsent': false };
    expect(await explain(any, values, 'zh-CN')).toEqual([
      '以下条件均未满足，需至少满足其中一项：（1）「申请人年龄」为 15，要求不小于 18；（2）「监护人同意」为 否，要求等于 是，且「申请人年龄」为 15，要求不小于 16',
    ]);
    expect(await explain(any, values, 'en')).toEqual([
      'None of these alternatives held (at least one is required): (1) "Applicant age" is 15 but must be at least 18; (2) "Guardian consent" is no but must be yes and "Applicant age" is 15 but must be at least 16',
    ]);
  });

  it('reads not as the opposite requirement instead of a double negative', async () => {
    const values = { 'applicant.type': 'enterprise', 'case.maritalStatus': 'divorced', 'case.region': '530102' };
    expect(await explain({ not: leaf('applicant.type', 'equal', 'enterprise') } as Condition, values, 'zh-CN')).toEqual(['「申请人类型」为 法人，要求不等于 法人']);
    expect(await explain({ not: leaf('case.region', 'inDivision', '530100') } as Condition, values, 'zh-CN')).toEqual(['「case.region」为 530102，要求不属于530100']);
    expect(await explain({ not: leaf('case.region', 'inDivision', '530100') } as Condition, values, 'en')).toEqual(['"case.region" is 530102 but must not lie within 530100']);
    // not(any): each alternative that held is a problem of its own.
    const notAny = { not: { any: [leaf('applicant.type', 'equal', 'enterprise'), leaf('case.maritalStatus', 'in', ['divorced', 'widowed'])] } } as Condition;
    expect(await explain(notAny, values, 'zh-CN')).toEqual(['「申请人类型」为 法人，要求不等于 法人', '「婚姻状况」为 离异，要求不为以下任何一项：离异、丧偶']);
    // not(all): they must not all hold, i.e. at least one of the opposites is required.
    const notAll = { not: { all: [leaf('applicant.type', 'equal', 'enterprise'), leaf('case.maritalStatus', 'equal', 'divorced')] } } as Condition;
    expect(await explain(notAll, values, 'en')).toEqual([
      'None of these alternatives held (at least one is required): (1) "Applicant type" is legal person but must not be legal person; (2) "Marital status" is divorced but must not be divorced',
    ]);
  });
});

describe('rules and outcomes', () => {
  const rules: RuleDefinition[] = [
    { name: 'adult', conditions: { all: [leaf('applicant.age', 'greaterThanInclusive', 18)] }, event: { type: 'eligible' } },
    { name: 'fee-waiver', required: false, conditions: { all: [leaf('applicant.age', 'greaterThanInclusive', 60)] }, event: { type: 'fee-waived', params: { fee: 0 } } },
  ];

  it('passes when every required rule holds; optional rules only add outcomes', async () => {
    const young = await evaluateInline({ rules, facts }, { values: { 'applicant.age': 30 }, at: AT });
    expect(young).toEqual({
      passed: true, outcomes: [{ type: 'eligible' }], explanation: [],
      rules: [{ name: 'adult', required: true, passed: true, explanation: [] }, { name: 'fee-waiver', required: false, passed: false, explanation: ['「申请人年龄」为 30，要求不小于 60'] }],
    });
    const old = await evaluateInline({ rules, facts }, { values: { 'applicant.age': 70 }, at: AT });
    expect(old.outcomes).toEqual([{ type: 'eligible' }, { type: 'fee-waived', params: { fee: 0 } }]);
    const minor = await evaluateInline({ rules, facts }, { values: { 'applicant.age': 17 }, at: AT }, 'en');
    expect(minor.passed).toBe(false);
    expect(minor.explanation).toEqual(['"Applicant age" is 17 but must be at least 18']);
  });

  it('names facts with the source\'s default labels in bare inline conditions', async () => {
    const r = await evaluateInline({ all: [leaf('applicant.age', 'greaterThanInclusive', 18)] } as never, { values: { 'applicant.age': 16 }, at: AT });
    expect(r.explanation).toEqual(['「申请人年龄」为 16，要求不小于 18']);
    expect(r.rules).toEqual([{ name: 'inline', required: true, passed: false, explanation: ['「申请人年龄」为 16，要求不小于 18'] }]);
  });

  it('refuses inline conditions that are not valid, naming each problem', async () => {
    const bad = { all: [{ fact: 'case.x', operator: 'biggerThan', value: 1 }, { fact: 'nosuch.source', operator: 'equal', value: 1 }, { fact: 'case.y', operator: 'ageAtLeast', value: 'eighteen' }] };
    await expect(evaluateInline(bad as never, { values: {} }, 'en')).rejects.toMatchObject({
      code: 'DEFINITION_INVALID',
      errors: [
        { pointer: '/rules/0/conditions/all/0/operator', code: 'enum', message: expect.stringMatching(/^must be one of: equal, notEqual, .*matches$/) },
        { pointer: '/rules/0/conditions/all/1/fact', code: 'source', message: 'fact nosuch.source has no registered source nosuch' },
        { pointer: '/rules/0/conditions/all/2/value', code: 'value', message: 'must be a whole number of years, 0–150' },
      ],
    });
    const twice = { name: 'x', conditions: { all: [leaf('case.a', 'equal', 1)] }, event: { type: 'ok' } } as RuleDefinition;
    await expect(evaluateInline([twice, twice], { values: {} }, 'en')).rejects.toMatchObject({ errors: [{ pointer: '/rules/1/name', code: 'unique', message: 'rule name x is used twice' }] });
  });
});
