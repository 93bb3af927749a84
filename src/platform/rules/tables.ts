import type { ColumnType, Generated } from 'kysely';
import type { LocalizedText } from '../../core/validators/index.js';
import type { RuleSetBody } from './types.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One version of a rule set. Versions are numbered per key across all divisions. */
export interface RulesRuleSetTable {
  id: Generated<string>;
  key: string;
  version: number;
  division: string;
  status: 'draft' | 'published' | 'withdrawn';
  title: ColumnType<LocalizedText, string, string>;
  /** `{ rules, facts, description? }` exactly as validated at publish. */
  definition: ColumnType<RuleSetBody, string, string>;
  created_by: string;
  created_at: Generated<Date>;
  published_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
}

declare module '../../core/db/types.js' {
  interface DB {
    rules_ruleset: RulesRuleSetTable;
  }
}
