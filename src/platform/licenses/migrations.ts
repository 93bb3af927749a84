// E-license tables: types (national or provincial definitions), per-issuer signing keys, the
// licenses themselves, holder authorizations (用证码) and the log of every use.
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';

const run = async (db: Kysely<any>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

export const licensesMigrations: NamedMigration[] = [
  {
    name: '20261127_0600_licenses',
    up: (db) =>
      run(
        db,
        `CREATE TABLE license_type (
           code text PRIMARY KEY CHECK (code ~ '^[0-9A-HJ-NPQRTUWXY]{18}[0-9]{3}$'),
           name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
           definer_name text NOT NULL,
           holder_kinds text[] NOT NULL,
           face_schema jsonb NOT NULL,
           validity jsonb NOT NULL,
           trust_level text NOT NULL CHECK (trust_level IN ('A','B','C','D')),
           created_by text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now()
         );
         CREATE TABLE license_issuer_key (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           issuer_code text NOT NULL,
           algorithm text NOT NULL,
           key_id text NOT NULL UNIQUE,
           public_key text NOT NULL,
           public_key_pem text NOT NULL,
           private_key_enc bytea NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now(),
           retired_at timestamptz
         );
         CREATE UNIQUE INDEX license_issuer_key_active ON license_issuer_key (issuer_code, algorithm) WHERE retired_at IS NULL;
         CREATE TABLE license (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           identifier text NOT NULL UNIQUE,
           type_code text NOT NULL REFERENCES license_type(code),
           serial text NOT NULL,
           version int NOT NULL,
           issuer_code text NOT NULL,
           issuer_name text NOT NULL,
           division text NOT NULL REFERENCES division(code),
           holder_name text NOT NULL,
           holder_code_type text NOT NULL CHECK (holder_code_type IN ('111','001')),
           holder_code_enc bytea NOT NULL,
           holder_code_bidx text NOT NULL,
           holder_code_masked text NOT NULL,
           license_number text NOT NULL,
           issued_on date NOT NULL,
           valid_from date NOT NULL,
           valid_until date,
           face_data jsonb NOT NULL,
           canonical text NOT NULL,
           signature bytea NOT NULL,
           key_id text NOT NULL REFERENCES license_issuer_key(key_id),
           status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','revoked','superseded')),
           status_reason text,
           status_at timestamptz,
           superseded_by text,
           case_ref text,
           idempotency_key text,
           idempotency_hash text,
           created_by text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now(),
           UNIQUE (type_code, issuer_code, serial, version)
         );
         CREATE INDEX license_holder ON license (holder_code_bidx);
         CREATE INDEX license_division ON license (division text_pattern_ops);
         CREATE UNIQUE INDEX license_idempotency ON license (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
         CREATE TABLE license_authorization (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           license_id uuid NOT NULL REFERENCES license(id),
           code_hash text NOT NULL UNIQUE,
           grantee_division text NOT NULL REFERENCES division(code),
           grantee_department_id uuid,
           purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 200),
           expires_at timestamptz NOT NULL,
           created_by text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now(),
           revoked_at timestamptz
         );
         CREATE INDEX license_authorization_license ON license_authorization (license_id);
         CREATE TABLE license_use (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           license_id uuid NOT NULL REFERENCES license(id),
           authorization_id uuid REFERENCES license_authorization(id),
           actor text NOT NULL,
           actor_name text NOT NULL,
           purpose text,
           outcome text NOT NULL CHECK (outcome IN ('delivered','refused')),
           reason text,
           at timestamptz NOT NULL DEFAULT now()
         );
         CREATE INDEX license_use_license ON license_use (license_id, at);`,
      ),
  },
  {
    // 财政电子票据 (e-bills): one per payment transaction (the idempotency key), numbered per bill
    // code, signed with the payee unit's issuer key.
    name: '20261130_1500_licenses_bills',
    up: (db) =>
      run(
        db,
        `CREATE TABLE license_bill_sequence (
           bill_code text PRIMARY KEY CHECK (bill_code ~ '^[0-9]{8}$'),
           last bigint NOT NULL
         );
         CREATE TABLE license_bill (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           bill_code text NOT NULL CHECK (bill_code ~ '^[0-9]{8}$'),
           bill_number text NOT NULL CHECK (bill_number ~ '^[0-9]{10}$'),
           check_code text NOT NULL,
           bill_type text NOT NULL,
           division text NOT NULL REFERENCES division(code),
           payee_code text NOT NULL,
           payee_name text NOT NULL,
           payer_name text NOT NULL,
           payer_code_type text CHECK (payer_code_type IN ('111','001')),
           payer_code_enc bytea,
           payer_code_bidx text,
           payer_code_masked text,
           total_fen bigint NOT NULL CHECK (total_fen > 0),
           channel text NOT NULL,
           transaction_id text NOT NULL,
           paid_at timestamptz NOT NULL,
           issued_at timestamptz NOT NULL,
           canonical text NOT NULL,
           signature bytea NOT NULL,
           key_id text NOT NULL REFERENCES license_issuer_key(key_id),
           request_hash text NOT NULL,
           case_ref text,
           created_by text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now(),
           UNIQUE (bill_code, bill_number),
           UNIQUE (channel, transaction_id)
         );
         CREATE INDEX license_bill_payer ON license_bill (payer_code_bidx) WHERE payer_code_bidx IS NOT NULL;
         CREATE INDEX license_bill_division ON license_bill (division text_pattern_ops);`,
      ),
  },
];
