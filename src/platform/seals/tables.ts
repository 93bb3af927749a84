import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SealCertificateTable {
  id: Generated<string>;
  kind: 'ca' | 'signer';
  /** What the certificate belongs to: `platform` for the CA, `license-issuer:<USCC>`, `seal:<id>`. */
  owner_key: string;
  subject: string;
  cert_pem: string;
  key_enc: Buffer | null;
  issuer_id: string | null;
  not_before: Timestamp;
  not_after: Timestamp;
  imported: Generated<boolean>;
  created_at: Generated<Date>;
  retired_at: Timestamp | null;
}

export interface SealTable {
  id: Generated<string>;
  kind: 'organization' | 'personal';
  name: string;
  purpose: string | null;
  owner_code: string | null;
  division: string;
  department_id: string | null;
  account_id: string | null;
  certificate_id: string;
  status: Generated<'active' | 'revoked'>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface SealAuthorizationTable {
  id: Generated<string>;
  seal_id: string;
  account_id: string;
  granted_by: string;
  expires_at: Timestamp | null;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

export interface SealUsageTable {
  id: Generated<string>;
  seal_id: string;
  actor: string;
  purpose: string | null;
  document_hash: string | null;
  outcome: 'sealed' | 'refused';
  reason: string | null;
  at: Timestamp;
}

declare module '../../core/db/types.js' {
  interface DB {
    seal_certificate: SealCertificateTable;
    seal: SealTable;
    seal_authorization: SealAuthorizationTable;
    seal_usage: SealUsageTable;
  }
}
