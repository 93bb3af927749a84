import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type AccountType = 'citizen' | 'enterprise' | 'staff';

export interface AccountTable {
  id: Generated<string>;
  type: AccountType;
  username: string;
  name: string;
  status: Generated<'active' | 'disabled'>;
  division: string;
  password_hash: string | null;
  id_number_enc: Buffer | null;
  id_number_bidx: string | null;
  id_number_masked: string | null;
  mobile_enc: Buffer | null;
  mobile_bidx: string | null;
  mobile_masked: string | null;
  address_enc: Buffer | null;
  uscc: string | null;
  legal_representative: string | null;
  department_id: string | null;
  post: string | null;
  totp_secret_enc: Buffer | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: number | null;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  sessions_valid_after: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DepartmentTable {
  id: Generated<string>;
  division: string;
  parent_id: string | null;
  code: string;
  name: string;
  created_at: Generated<Date>;
}

export interface RoleTable {
  code: string;
  name_zh: string;
  name_en: string;
  builtin: Generated<boolean>;
  requires_mfa: Generated<boolean>;
  permissions: string[];
}

export interface RoleAssignmentTable {
  id: Generated<string>;
  account_id: string;
  role_code: string;
  division: string;
  department_id: string | null;
  granted_by: string;
  granted_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

export interface DelegationTable {
  id: Generated<string>;
  kind: 'proxy' | 'enterprise-staff';
  principal_id: string;
  agent_id: string;
  item_code: string | null;
  expires_at: Timestamp;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

export interface WebSessionTable {
  id_hash: string;
  account_id: string;
  csrf_token: string;
  acting_for: string | null;
  delegation_id: string | null;
  mfa: Generated<boolean>;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface OneTimeCodeTable {
  id: Generated<string>;
  purpose: string;
  mobile_bidx: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

declare module '../../core/db/types.js' {
  interface DB {
    account: AccountTable;
    department: DepartmentTable;
    role: RoleTable;
    role_assignment: RoleAssignmentTable;
    delegation: DelegationTable;
    web_session: WebSessionTable;
    one_time_code: OneTimeCodeTable;
  }
}
