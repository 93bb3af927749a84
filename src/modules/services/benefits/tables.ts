// Kysely types of the benefits tables (migrations.ts creates them).
import type { ColumnType, Generated } from 'kysely';
import type { LocalizedText } from '../../../core/validators/index.js';
import type { FactLabel, RuleDefinition } from '../../../platform/rules/index.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type BenefitPeriod = 'month' | 'year' | 'once';
export type GrantStatus = 'offered' | 'accepted' | 'declined' | 'expired';

/** Where a policy's eligibility comes from: a rules-engine rule set by key, or rules held inline. */
export type PolicyRules = { ruleSet: string } | { rules: RuleDefinition[]; facts: Record<string, FactLabel> };

/** One version of a benefit policy (版本化的政策数据). */
export interface BenefitPolicyTable {
  id: Generated<string>;
  key: string;
  version: number;
  division: string;
  status: 'published' | 'withdrawn';
  title: Json<LocalizedText>;
  description: Json<LocalizedText>;
  department: string;
  legal_basis: string;
  /** Monthly and yearly benefits are offered again each period; 'once' only ever once. */
  period: BenefitPeriod;
  amount: Json<LocalizedText>;
  /** Days an offer stays open before it expires. */
  accept_days: number;
  rules: Json<PolicyRules>;
  created_by: string;
  created_at: Generated<Date>;
}

/** One record of a base registry (户籍, 残疾人证, 低保, 养老保险, 医保) about one person. */
export interface BenefitRegistryRecordTable {
  id: Generated<string>;
  dataset: string;
  /** identity's blind index of the resident ID number (`blind(core, 'id', n)`), so accounts match. */
  subject_bidx: string;
  subject_enc: Buffer;
  subject_masked: string;
  division: string;
  attributes: Json<Record<string, unknown>>;
  updated_at: Generated<Date>;
}

/** An offer of a benefit to one person for one period. */
export interface BenefitGrantTable {
  id: Generated<string>;
  policy_id: string;
  policy_key: string;
  policy_version: number;
  period: string;
  subject_bidx: string;
  subject_masked: string;
  name_masked: string;
  division: string;
  status: GrantStatus;
  amount: Json<LocalizedText>;
  /** Why: the rule outcome and the facts used (masked). */
  evidence: Json<Record<string, unknown>>;
  notified: boolean;
  decline_reason: string | null;
  offered_at: Timestamp;
  expires_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

declare module '../../../core/db/types.js' {
  interface DB {
    benefit_policy: BenefitPolicyTable;
    benefit_registry_record: BenefitRegistryRecordTable;
    benefit_grant: BenefitGrantTable;
  }
}
