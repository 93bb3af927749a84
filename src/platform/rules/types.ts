// The shapes of rule sets, facts and evaluation results (no code: shared by every file here).
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Actor } from '../../core/audit/record.js';
import type { LocalizedText } from '../../core/validators/index.js';

export type Lang = 'zh-CN' | 'en';

export const BUILTIN_OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain'] as const;
export const CUSTOM_OPERATORS = ['inDivision', 'ageAtLeast', 'ageBelow', 'withinDays', 'matches'] as const;
export const OPERATORS = [...BUILTIN_OPERATORS, ...CUSTOM_OPERATORS] as const;
export type OperatorName = (typeof OPERATORS)[number];

/** The name of a fact in zh-CN and en, and optionally display names for its coded values. */
export interface FactLabel extends LocalizedText {
  values?: Record<string, LocalizedText>;
}

/** Compare with another fact's value instead of a constant. */
export interface FactRef {
  fact: string;
}

export interface LeafCondition {
  fact: string;
  operator: OperatorName;
  value: unknown;
  priority?: number;
}
export interface AllCondition {
  all: Condition[];
  priority?: number;
}
export interface AnyCondition {
  any: Condition[];
  priority?: number;
}
export interface NotCondition {
  not: Condition;
  priority?: number;
}
export type TopLevelCondition = AllCondition | AnyCondition | NotCondition;
export type Condition = LeafCondition | TopLevelCondition;

export interface RuleEvent {
  type: string;
  params?: Record<string, unknown>;
}

export interface RuleDefinition {
  name: string;
  /** Higher runs first (json-rules-engine); default 1. */
  priority?: number;
  /** A required rule that fails makes the whole evaluation fail; default true. */
  required?: boolean;
  conditions: TopLevelCondition;
  /** The outcome when the rule holds. */
  event: RuleEvent;
}

/** What is stored per version: the rules, the labels of every fact they use, a description. */
export interface RuleSetBody {
  rules: RuleDefinition[];
  facts: Record<string, FactLabel>;
  description?: LocalizedText;
}

export interface RuleSetInput extends RuleSetBody {
  /** Dotted lower-case name, e.g. `services.marriage-registration.eligibility`. */
  key: string;
  division: string;
  title: LocalizedText;
  /** Save as a draft (testable with a dry run, never used for cases) instead of publishing. */
  draft?: boolean;
}

export type RuleSetStatus = 'draft' | 'published' | 'withdrawn';

export interface RuleSet extends RuleSetBody {
  id: string;
  key: string;
  version: number;
  division: string;
  status: RuleSetStatus;
  title: LocalizedText;
  createdBy: string;
  createdAt: string;
  publishedAt: string | null;
  withdrawnAt: string | null;
}

/** Whose registry records `registry.*` facts are read for. */
export interface RegistrySubject {
  idNumber?: string;
  uscc?: string;
}

/** Where the facts of one evaluation come from. Only facts that the rules reference are fetched. */
export interface FactInput {
  /** Needed by `applicant.*` (account lookups) and for division names in explanations. */
  core?: Core;
  /**
   * Where providers read (default core.db). Pass the caller's transaction when evaluating inside
   * one: on PGlite the pool has one connection, and a read through core.db would wait for ever.
   */
  ex?: Executor;
  /** The applicant's account: a UUID or a principal id `user:<uuid>`; feeds `applicant.*`. */
  applicant?: string | null;
  /** The case as a plain object; `case.a.b` reads `case.a.b`. */
  case?: Record<string, unknown>;
  /** Subject of `registry.*` look-ups; default: the applicant's ID number or credit code. */
  subject?: RegistrySubject;
  /** The evaluation date for ages and day windows; default the core clock (or now). */
  at?: Date;
  /** Fact values by full id (`applicant.age`); they win over every provider. */
  values?: Record<string, unknown>;
  /** Use `values` only, never a provider (dry runs by administrators). */
  valuesOnly?: boolean;
  /** Who evaluates and why: recorded when a provider reveals personal data (the ID number). */
  actor?: Actor;
  purpose?: string;
}

export interface RuleOutcome {
  name: string;
  required: boolean;
  passed: boolean;
  explanation: string[];
}

export interface Evaluation {
  /** Every required rule held. */
  passed: boolean;
  /** The events of the rules that held, in rule order. */
  outcomes: RuleEvent[];
  /** For each failed condition of a failed required rule, one sentence in the caller's language. */
  explanation: string[];
  rules: RuleOutcome[];
}
