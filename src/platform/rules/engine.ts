// Running rules: one json-rules-engine Engine per evaluation (cheap, and no state leaks between
// evaluations), our operators bound to the evaluation date, and one lazily computed fact per fact
// id the rules reference. The library is imported on first use (it is not needed to serve most
// requests). Results become { passed, outcomes, explanation, rules }.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Principal } from '../../core/http/auth.js';
import { AppError } from '../../core/http/errors.js';
import { getDivision } from '../../core/divisions/service.js';
import { customOperators } from './operators.js';
import { defaultFactLabel, newFactContext, resolveFact } from './facts.js';
import { divisionCodes, explainer, type EvaluatedCondition } from './explain.js';
import { inlineConditionProblems, referencedFacts, ruleSetProblems } from './definition.js';
import { getRuleSet } from './store.js';
import type { Evaluation, FactInput, FactLabel, Lang, RuleDefinition, RuleOutcome, RuleSet, RuleSetBody, TopLevelCondition } from './types.js';
import './applicant.js';

type Engine = import('json-rules-engine').Engine;
let engineClass: Promise<typeof import('json-rules-engine').Engine> | null = null;
const loadEngine = () => (engineClass ??= import('json-rules-engine').then((m) => m.Engine ?? (m as unknown as { default: typeof m }).default.Engine));

/** Rules as a workflow definition may embed them: bare conditions, a list of rules, or a body. */
export type InlineRules = TopLevelCondition | RuleDefinition[] | { rules: RuleDefinition[]; facts?: Record<string, FactLabel> };

async function divisionNames(db: Executor | undefined, roots: EvaluatedCondition[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!db) return names;
  const codes = new Set<string>();
  roots.forEach((r) => divisionCodes(r, codes));
  for (const code of codes) {
    const d = /^\d{6}(\d{3}(\d{3})?)?$/.test(code) ? await getDivision(db, code) : null;
    if (d) names.set(code, d.name);
  }
  return names;
}

/** Runs validated rules. `labels` name the facts in explanations (provider defaults otherwise). */
async function run(rules: RuleDefinition[], labels: Record<string, FactLabel>, input: FactInput, lang: Lang): Promise<Evaluation> {
  const Engine = await loadEngine();
  const ctx = newFactContext(input);
  const engine: Engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, fn] of Object.entries(customOperators(ctx.at))) engine.addOperator(name, fn);
  for (const r of rules) engine.addRule({ name: r.name, priority: r.priority ?? 1, conditions: r.conditions as never, event: r.event });
  // Lazy: a fact is computed the first time a condition needs it, and only once.
  for (const fact of referencedFacts(rules)) engine.addFact(fact, () => resolveFact(fact, ctx));
  const { results, failureResults } = await engine.run();
  const byName = new Map([...results, ...failureResults].map((r) => [r.name, r]));
  const roots = failureResults.map((r) => r.conditions as unknown as EvaluatedCondition);
  const names = await divisionNames(ctx.db, roots);
  const { failed } = explainer({
    lang, at: ctx.at,
    label: (fact) => labels[fact] ?? defaultFactLabel(fact),
    divisionName: (code) => names.get(code),
  });
  const outcomes: RuleOutcome[] = rules.map((r) => {
    const result = byName.get(r.name);
    const passed = result?.result === true;
    return { name: r.name, required: r.required !== false, passed, explanation: passed || !result ? [] : failed(result.conditions as unknown as EvaluatedCondition) };
  });
  return {
    passed: outcomes.every((o) => o.passed || !o.required),
    outcomes: rules.filter((_, i) => outcomes[i]!.passed).map((r) => ({ type: r.event.type, ...(r.event.params ? { params: r.event.params } : {}) })),
    explanation: outcomes.filter((o) => o.required).flatMap((o) => o.explanation),
    rules: outcomes,
  };
}

function invalid(problems: { pointer: string; code: string; message: string }[]): AppError {
  return new AppError('DEFINITION_INVALID', { 'zh-CN': '规则定义不符合规范', en: 'The rule definition is invalid' }, problems);
}

/**
 * Evaluates rules that are not a stored rule set (e.g. a workflow action's condition). Bare
 * conditions become one required rule whose outcome is `{ type: 'passed' }`.
 */
export async function evaluateInline(rules: InlineRules, facts: FactInput, lang: Lang = 'zh-CN'): Promise<Evaluation> {
  let list: RuleDefinition[];
  let labels: Record<string, FactLabel> = {};
  if (Array.isArray(rules)) list = rules;
  else if ('rules' in rules && Array.isArray(rules.rules)) {
    list = rules.rules;
    labels = rules.facts ?? {};
  } else list = [{ name: 'inline', conditions: rules as TopLevelCondition, event: { type: 'passed' } }];
  const problems = list.flatMap((r, i) => inlineConditionProblems(r?.conditions, lang, `/rules/${i}/conditions`));
  // Results are matched back to rules by name.
  list.forEach((r, i) => {
    if (list.findIndex((x) => x.name === r.name) !== i) problems.push({ pointer: `/rules/${i}/name`, code: 'unique', message: lang === 'en' ? `rule name ${r.name} is used twice` : `规则名称 ${r.name} 重复` });
  });
  if (problems.length) throw invalid(problems);
  return run(list, labels, facts, lang);
}

/** Evaluates a stored rule set (see getRuleSet) with the facts of one applicant and case. */
export async function evaluate(core: Core, ruleSet: RuleSet | RuleSetBody, facts: FactInput, lang: Lang = 'zh-CN'): Promise<Evaluation> {
  return run(ruleSet.rules, ruleSet.facts, { ...facts, core: facts.core ?? core }, lang);
}

/**
 * Evaluates the rule set `key` that applies in `division` (newest published, inherited if need be),
 * reading it through `ex` (e.g. the caller's transaction). `applicant` (a principal or an account
 * id) feeds `applicant.*` unless `facts.applicant` is given.
 */
export async function evaluateByKey(core: Core, ex: Executor, key: string, division: string, facts: FactInput, lang: Lang = 'zh-CN', applicant?: Principal | string | null): Promise<Evaluation> {
  const rs = await getRuleSet(ex, key, { division });
  const who = facts.applicant ?? (typeof applicant === 'string' ? applicant : applicant?.id) ?? null;
  return evaluate(core, rs, { ...facts, ex: facts.ex ?? ex, applicant: who, purpose: facts.purpose ?? `rules:${key}@${rs.version}` }, lang);
}

/** Throws DEFINITION_INVALID listing every problem of a rule set definition. */
export function assertValidRuleSet(input: unknown, lang: Lang, base: string): void {
  const problems = ruleSetProblems(input, lang, base);
  if (problems.length) throw invalid(problems);
}
