// Benefit policies as versioned data. A policy names who offers what (title, department, legal
// basis, amount), how often (period), for how long an offer stays open, and its eligibility:
// inline json-rules-engine rules, or the key of a rule set published in the rules engine (so the
// same clause can be shared with a 快申快享 application form). A new version of a key replaces
// the old one for every later scan; grants keep the version they were made under.
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { recordChange } from '../../../core/audit/record.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { getDivision } from '../../../core/divisions/service.js';
import type { LocalizedText } from '../../../core/validators/index.js';
import { getRuleSet, ruleSetProblems, type FactLabel, type RuleDefinition } from '../../../platform/rules/index.js';
import { assertMay, MANAGE, type Caller } from './access.js';
import type { BenefitPeriod, BenefitPolicyTable, PolicyRules } from './tables.js';
import type { Selectable } from 'kysely';

export const POLICY_KEY = /^[a-z][a-z0-9-]{1,62}$/;
const PERIODS: BenefitPeriod[] = ['month', 'year', 'once'];

export interface PolicyInput {
  key: string;
  division: string;
  title: LocalizedText;
  description: LocalizedText;
  department: string;
  legalBasis: string;
  period: BenefitPeriod;
  amount: LocalizedText;
  acceptDays?: number;
  /** Either a rules-engine rule set key … */
  ruleSet?: string;
  /** … or inline rules with a label for every fact they use. */
  rules?: RuleDefinition[];
  facts?: Record<string, FactLabel>;
}

export interface Policy {
  id: string;
  key: string;
  version: number;
  division: string;
  status: 'published' | 'withdrawn';
  title: LocalizedText;
  description: LocalizedText;
  department: string;
  legalBasis: string;
  period: BenefitPeriod;
  amount: LocalizedText;
  acceptDays: number;
  rules: PolicyRules;
  createdBy: string;
  createdAt: string;
}

export const toPolicy = (r: Selectable<BenefitPolicyTable>): Policy => ({
  id: r.id, key: r.key, version: r.version, division: r.division, status: r.status, title: r.title, description: r.description,
  department: r.department, legalBasis: r.legal_basis, period: r.period, amount: r.amount, acceptDays: r.accept_days, rules: r.rules,
  createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(),
});

export const policyNotFound = (key: string) => new AppError('NOT_FOUND', { 'zh-CN': `惠民政策 ${key} 不存在`, en: `No benefit policy ${key}` });

/** The newest published version of `key`, or null. */
export async function currentPolicy(ex: Executor, key: string): Promise<Policy | null> {
  const r = await ex.selectFrom('benefit_policy').selectAll().where('key', '=', key).where('status', '=', 'published')
    .orderBy('version', 'desc').limit(1).executeTakeFirst();
  return r ? toPolicy(r) : null;
}

/** The newest published version of every policy, by key. */
export async function currentPolicies(ex: Executor): Promise<Policy[]> {
  const rows = await ex.selectFrom('benefit_policy').selectAll().where('status', '=', 'published')
    .distinctOn('key').orderBy('key').orderBy('version', 'desc').execute();
  return rows.map(toPolicy);
}

const localizedOk = (v: unknown): v is LocalizedText =>
  !!v && typeof v === 'object' && typeof (v as LocalizedText)['zh-CN'] === 'string' && (v as LocalizedText)['zh-CN'].trim() !== '' && typeof (v as LocalizedText).en === 'string' && (v as LocalizedText).en.trim() !== '';

/** Every problem of a policy definition at once, pointers under `base`. */
export async function policyProblems(ex: Executor, input: PolicyInput, base = '/body'): Promise<FieldError[]> {
  const e: FieldError[] = [];
  const add = (field: string, code: string, zh: string, en: string) => e.push({ pointer: `${base}/${field}`, code, message: `${zh} / ${en}` });
  if (typeof input.key !== 'string' || !POLICY_KEY.test(input.key)) add('key', 'pattern', '政策标识须为小写字母、数字和连字符（2–63 位）', 'key must be 2–63 lower-case letters, digits or dashes');
  if (typeof input.division !== 'string' || !(await getDivision(ex, input.division))) add('division', 'division', '行政区划不存在', 'unknown division');
  for (const f of ['title', 'description', 'amount'] as const) if (!localizedOk(input[f])) add(f, 'localized', '须提供中文和英文', 'give zh-CN and en');
  for (const f of ['department', 'legalBasis'] as const) if (typeof input[f] !== 'string' || !input[f].trim()) add(f, 'required', '必填', 'required');
  if (!PERIODS.includes(input.period)) add('period', 'enum', '发放周期须为 month、year 或 once', 'period must be month, year or once');
  if (input.acceptDays !== undefined && !(Number.isInteger(input.acceptDays) && input.acceptDays >= 1 && input.acceptDays <= 366)) add('acceptDays', 'range', '确认期限须为 1–366 天', 'acceptDays must be 1–366');
  const inline = input.rules !== undefined || input.facts !== undefined;
  if (input.ruleSet !== undefined && inline) add('ruleSet', 'oneOf', '规则集与内联规则只能二选一', 'give either ruleSet or rules, not both');
  else if (input.ruleSet !== undefined) {
    const found = typeof input.ruleSet === 'string' && typeof input.division === 'string'
      ? await getRuleSet(ex, input.ruleSet, { division: input.division }).then(() => true, () => false) : false;
    if (!found) add('ruleSet', 'notFound', '该行政区划下没有已发布的此规则集', 'no published rule set with this key applies in the division');
  } else if (!inline) add('rules', 'required', '须提供资格规则（rules）或规则集（ruleSet）', 'give rules or a ruleSet');
  else {
    // The rules engine's own checks: operators, labels for every fact, fact sources that exist.
    const problems = ruleSetProblems({ key: 'services.benefits.check', division: '530000', title: { 'zh-CN': '-', en: '-' }, rules: input.rules, facts: input.facts ?? {} }, 'zh-CN', base);
    e.push(...problems.filter((p) => p.pointer.startsWith(`${base}/rules`) || p.pointer.startsWith(`${base}/facts`)));
  }
  return e;
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

function sameContent(p: Policy, input: PolicyInput, rules: PolicyRules): boolean {
  const mine = { title: input.title, description: input.description, department: input.department.trim(), legalBasis: input.legalBasis.trim(), period: input.period, amount: input.amount, acceptDays: input.acceptDays ?? 60, rules };
  const theirs = { title: p.title, description: p.description, department: p.department, legalBasis: p.legalBasis, period: p.period, amount: p.amount, acceptDays: p.acceptDays, rules: p.rules };
  return canonical(mine) === canonical(theirs);
}

/**
 * Publishes the next version of a policy, and in the same transaction makes sure the daily scan
 * is scheduled and asks for a scan of this policy now (a new policy should not wait a day).
 */
export async function publishPolicy(core: Core, caller: Caller, input: PolicyInput, after?: (tx: Executor, p: Policy) => Promise<void>): Promise<Policy> {
  const problems = await policyProblems(core.db, input);
  if (problems.length) throw new AppError('VALIDATION_FAILED', undefined, problems);
  assertMay(caller.principal, MANAGE, input.division);
  return core.db.transaction().execute(async (tx) => {
    const prevRow = await tx.selectFrom('benefit_policy').selectAll().where('key', '=', input.key).orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
    const prev = prevRow ? toPolicy(prevRow) : null;
    if (prev && prev.division !== input.division) {
      throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/division', code: 'immutable', message: `政策 ${input.key} 属于行政区划 ${prev.division} / policy ${input.key} belongs to division ${prev.division}` }]);
    }
    const rules: PolicyRules = input.ruleSet !== undefined ? { ruleSet: input.ruleSet } : { rules: input.rules!, facts: input.facts ?? {} };
    // A double submit of the same text is not a new version: the current one is answered again.
    if (prev?.status === 'published' && sameContent(prev, input, rules)) return prev;
    const row = await tx.insertInto('benefit_policy').values({
      key: input.key, version: (prev?.version ?? 0) + 1, division: input.division, status: 'published',
      title: JSON.stringify(input.title), description: JSON.stringify(input.description), department: input.department.trim(),
      legal_basis: input.legalBasis.trim(), period: input.period, amount: JSON.stringify(input.amount), accept_days: input.acceptDays ?? 60,
      rules: JSON.stringify(rules), created_by: caller.actor.id, created_at: core.clock.now(),
    }).returningAll().executeTakeFirstOrThrow();
    const policy = toPolicy(row);
    await recordChange(tx, caller.actor, { action: 'services.benefit.policy.publish', object: { type: 'benefit_policy', id: policy.id }, division: policy.division, detail: { key: policy.key, version: policy.version } },
      { type: 'services.benefit.policy-published', payload: { id: policy.id, key: policy.key, version: policy.version, division: policy.division } });
    await after?.(tx, policy);
    return policy;
  });
}
