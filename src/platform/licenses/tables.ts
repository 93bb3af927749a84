import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateCol = ColumnType<Date | string, string, string>;

export interface LicenseTypeTable {
  code: string;
  name: string;
  definer_name: string;
  holder_kinds: string[];
  face_schema: ColumnType<Record<string, unknown>, string, string>;
  validity: ColumnType<Validity, string, string>;
  trust_level: 'A' | 'B' | 'C' | 'D';
  created_by: string;
  created_at: Generated<Date>;
}

/** How long a license of a type is valid: a fixed term, or permanent (长期). */
export interface Validity {
  years?: number;
  months?: number;
  permanent?: boolean;
}

export interface LicenseIssuerKeyTable {
  id: Generated<string>;
  issuer_code: string;
  algorithm: string;
  key_id: string;
  public_key: string;
  public_key_pem: string;
  private_key_enc: Buffer;
  created_at: Generated<Date>;
  retired_at: Timestamp | null;
}

export type LicenseStatus = 'valid' | 'revoked' | 'superseded';

export interface LicenseTable {
  id: Generated<string>;
  identifier: string;
  type_code: string;
  serial: string;
  version: number;
  issuer_code: string;
  issuer_name: string;
  division: string;
  holder_name: string;
  holder_code_type: '111' | '001';
  holder_code_enc: Buffer;
  holder_code_bidx: string;
  holder_code_masked: string;
  license_number: string;
  issued_on: DateCol;
  valid_from: DateCol;
  valid_until: DateCol | null;
  face_data: ColumnType<Record<string, unknown>, string, string>;
  canonical: string;
  signature: Buffer;
  key_id: string;
  status: Generated<LicenseStatus>;
  status_reason: string | null;
  status_at: Timestamp | null;
  superseded_by: string | null;
  case_ref: string | null;
  idempotency_key: string | null;
  idempotency_hash: string | null;
  created_by: string;
  created_at: Generated<Date>;
}

export interface LicenseAuthorizationTable {
  id: Generated<string>;
  license_id: string;
  code_hash: string;
  grantee_division: string;
  grantee_department_id: string | null;
  purpose: string;
  expires_at: Timestamp;
  created_by: string;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

export interface LicenseUseTable {
  id: Generated<string>;
  license_id: string;
  authorization_id: string | null;
  actor: string;
  actor_name: string;
  purpose: string | null;
  outcome: 'delivered' | 'refused';
  reason: string | null;
  at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../core/db/types.js' {
  interface DB {
    license_type: LicenseTypeTable;
    license_issuer_key: LicenseIssuerKeyTable;
    license: LicenseTable;
    license_authorization: LicenseAuthorizationTable;
    license_use: LicenseUseTable;
  }
}
