// Rules engine: versioned rule sets (json-rules-engine) per division with province → prefecture →
// county inheritance, lazily resolved facts, and explanations in zh-CN / en.
import type { Core } from '../../core/index.js';
import './tables.js';

export { rulesMigrations } from './migrations.js';
export { rulesRoutes } from './routes.js';
export { evaluate, evaluateInline, evaluateByKey, type InlineRules } from './engine.js';
export { getRuleSet, type GetRuleSetOptions } from './store.js';
export { publishRuleSet, publishDraft, withdrawRuleSet, readRuleSet, ruleSetVersions, dryRun, MANAGE, type Caller, type DryRun } from './service.js';
export { loadRuleSetFile } from './loader.js';
export { ruleSetProblems, inlineConditionProblems, RULESET_SCHEMA } from './definition.js';
export { registerFactProvider, registerBaseRegistry, MemoryRegistry, type BaseRegistry, type FactProvider, type FactContext } from './facts.js';
export { APPLICANT_LABELS } from './applicant.js';
export { ageOn, birthDateOf } from './operators.js';
export type * from './types.js';

/** Nothing to schedule or subscribe: fact providers register themselves when the module loads. */
export function registerRules(_core: Core): void {}
