// Evaluating a policy for one person. The same rules serve two callers:
//  - the scan, for a person of the population registry (who may have no account): `applicant.*`
//    facts are derived from the registry's ID number and `registry.*` records are fetched ahead
//    for the whole batch;
//  - "why not" for a signed-in citizen: `applicant.*` comes from the account and `registry.*`
//    is looked up by the account's ID number (the rules engine's own providers).
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import type { Actor } from '../../../core/audit/record.js';
import type { Lang } from '../../../core/http/errors.js';
import { maskName, maskResidentId, validateResidentId, type LocalizedText } from '../../../core/validators/index.js';
import { ageOn, evaluate, evaluateInline, getRuleSet, type Condition, type Evaluation, type FactInput, type RuleDefinition, type RuleSet } from '../../../platform/rules/index.js';
import { prefetch, type Dataset } from './registry.js';
import type { Policy } from './policies.js';

/** Rule sets resolved once per division for a batch (a policy may point to a rules-engine key). */
export type RuleSetCache = Map<string, RuleSet>;

async function rulesOf(ex: Executor, policy: Policy, division: string, cache?: RuleSetCache): Promise<RuleDefinition[] | RuleSet> {
  if (!('ruleSet' in policy.rules)) return policy.rules.rules;
  const hit = cache?.get(division);
  if (hit) return hit;
  const rs = await getRuleSet(ex, policy.rules.ruleSet, { division });
  cache?.set(division, rs);
  return rs;
}

export async function evaluatePolicy(core: Core, ex: Executor, policy: Policy, division: string, facts: FactInput, lang: Lang, cache?: RuleSetCache): Promise<{ evaluation: Evaluation; rules: RuleDefinition[]; ruleSet: { key: string; version: number } | null }> {
  const r = await rulesOf(ex, policy, division, cache);
  const input: FactInput = { ...facts, core, ex };
  if (Array.isArray(r)) {
    const labels = 'facts' in policy.rules ? policy.rules.facts : {};
    return { evaluation: await evaluateInline({ rules: r, facts: labels }, input, lang), rules: r, ruleSet: null };
  }
  return { evaluation: await evaluate(core, r, input, lang), rules: r.rules, ruleSet: { key: r.key, version: r.version } };
}

export interface RegistrySubjectRow {
  idNumber: string;
  division: string;
  records: Partial<Record<Dataset, Record<string, unknown>>>;
}

/** The facts of one registry person: `applicant.*` from the ID number, `registry.*` fetched ahead. */
export function subjectFacts(row: RegistrySubjectRow, at: Date, actor: Actor, purpose: string): FactInput {
  const subject = { idNumber: row.idNumber };
  prefetch(subject, row.records);
  const info = validateResidentId(row.idNumber);
  const values: Record<string, unknown> = { 'applicant.idNumber': row.idNumber, 'applicant.division': row.division, 'applicant.type': 'citizen' };
  if (info.ok) Object.assign(values, { 'applicant.birthDate': info.birthDate, 'applicant.sex': info.sex, 'applicant.age': ageOn(info.birthDate, at) });
  const name = row.records.population?.name;
  if (typeof name === 'string') values['applicant.name'] = name;
  return { subject, values, at, actor, purpose };
}

function factsOf(c: Condition, out: Set<string>): void {
  if ('fact' in c) {
    out.add(c.fact);
    if (c.value && typeof c.value === 'object' && 'fact' in (c.value as object)) out.add(String((c.value as { fact: unknown }).fact));
  } else if ('all' in c) c.all.forEach((x) => factsOf(x, out));
  else if ('any' in c) c.any.forEach((x) => factsOf(x, out));
  else if ('not' in c) factsOf(c.not, out);
}

const walk = (obj: unknown, path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), obj);

/** A fact value fit for the audit log: ID numbers and names masked, birth dates to the year. */
function masked(fact: string, v: unknown, at: Date): unknown {
  if (v === undefined) return null;
  if (typeof v !== 'string') return v;
  if (/^\d{17}[\dX]$/i.test(v)) return maskResidentId(v);
  if (/(^|\.)name$/.test(fact)) return maskName(v);
  if (/birthDate$/.test(fact) && /^\d{4}-\d{2}-\d{2}$/.test(v)) return `${v.slice(0, 4)}-**-**（${ageOn(v, at)} 周岁）`;
  return v;
}

/** The facts the rules used for this person, masked: the "why" kept with a grant and its audit entry. */
export function evidenceFacts(rules: RuleDefinition[], facts: FactInput, records: RegistrySubjectRow['records'], at: Date): Record<string, unknown> {
  const used = new Set<string>();
  rules.forEach((r) => factsOf(r.conditions, used));
  const out: Record<string, unknown> = {};
  for (const f of [...used].sort()) {
    const [source, ...path] = f.split('.');
    const v = source === 'registry' ? walk(records[path[0] as Dataset], path.slice(1)) : facts.values?.[f];
    out[f] = masked(f, v, at);
  }
  return out;
}

/** The amount for this person: the last outcome carrying `params.amount` (tiers in rising order), else the policy's. */
export function amountOf(policy: Policy, evaluation: Evaluation): LocalizedText {
  let amount = policy.amount;
  for (const o of evaluation.outcomes) {
    const a = o.params?.amount as LocalizedText | undefined;
    if (a && typeof a === 'object' && typeof a['zh-CN'] === 'string' && typeof a.en === 'string') amount = a;
  }
  return amount;
}
