// Identity tables: accounts of the three kinds, roles and scoped role assignments, delegations
// (代办/委托 and enterprise staff), web sessions, one-time codes. OIDC state has its own tables.
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';

const run = async (db: Kysely<any>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

export const identityMigrations: NamedMigration[] = [
  {
    name: '20261126_0100_identity_accounts',
    up: (db) =>
      run(
        db,
        `CREATE TABLE department (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           division text NOT NULL REFERENCES division(code),
           parent_id uuid REFERENCES department(id),
           code text NOT NULL,
           name text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now(),
           UNIQUE (division, code)
         );
         CREATE INDEX department_division ON department (division text_pattern_ops);
         CREATE TABLE account (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           type text NOT NULL CHECK (type IN ('citizen','enterprise','staff')),
           username text NOT NULL,
           name text NOT NULL,
           status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
           division text NOT NULL REFERENCES division(code),
           password_hash text,
           id_number_enc bytea,
           id_number_bidx text,
           id_number_masked text,
           mobile_enc bytea,
           mobile_bidx text,
           mobile_masked text,
           address_enc bytea,
           uscc text,
           legal_representative text,
           department_id uuid REFERENCES department(id),
           post text,
           totp_secret_enc bytea,
           totp_enabled boolean NOT NULL DEFAULT false,
           totp_last_step bigint,
           failed_logins int NOT NULL DEFAULT 0,
           locked_until timestamptz,
           sessions_valid_after timestamptz NOT NULL DEFAULT '-infinity',
           created_at timestamptz NOT NULL DEFAULT now(),
           updated_at timestamptz NOT NULL DEFAULT now()
         );
         CREATE UNIQUE INDEX account_username ON account (lower(username));
         CREATE UNIQUE INDEX account_id_number ON account (id_number_bidx) WHERE id_number_bidx IS NOT NULL;
         CREATE UNIQUE INDEX account_uscc ON account (uscc) WHERE uscc IS NOT NULL;
         CREATE INDEX account_mobile ON account (mobile_bidx);
         CREATE INDEX account_division ON account (division text_pattern_ops);
         CREATE TABLE role (
           code text PRIMARY KEY,
           name_zh text NOT NULL,
           name_en text NOT NULL,
           builtin boolean NOT NULL DEFAULT false,
           requires_mfa boolean NOT NULL DEFAULT false,
           permissions text[] NOT NULL DEFAULT '{}'
         );
         CREATE TABLE role_assignment (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           account_id uuid NOT NULL REFERENCES account(id),
           role_code text NOT NULL REFERENCES role(code),
           division text NOT NULL REFERENCES division(code),
           department_id uuid REFERENCES department(id),
           granted_by text NOT NULL,
           granted_at timestamptz NOT NULL DEFAULT now(),
           revoked_at timestamptz
         );
         CREATE UNIQUE INDEX role_assignment_active ON role_assignment (account_id, role_code, division, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE revoked_at IS NULL;
         CREATE TABLE delegation (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           kind text NOT NULL CHECK (kind IN ('proxy','enterprise-staff')),
           principal_id uuid NOT NULL REFERENCES account(id),
           agent_id uuid NOT NULL REFERENCES account(id),
           item_code text,
           expires_at timestamptz NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now(),
           revoked_at timestamptz,
           CHECK (principal_id <> agent_id)
         );
         CREATE INDEX delegation_agent ON delegation (agent_id) WHERE revoked_at IS NULL;
         CREATE TABLE web_session (
           id_hash text PRIMARY KEY,
           account_id uuid NOT NULL REFERENCES account(id),
           csrf_token text NOT NULL,
           acting_for uuid REFERENCES account(id),
           delegation_id uuid REFERENCES delegation(id),
           mfa boolean NOT NULL DEFAULT false,
           ip text,
           user_agent text,
           created_at timestamptz NOT NULL DEFAULT now(),
           last_seen_at timestamptz NOT NULL DEFAULT now(),
           expires_at timestamptz NOT NULL,
           revoked_at timestamptz
         );
         CREATE INDEX web_session_account ON web_session (account_id);
         CREATE TABLE one_time_code (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           purpose text NOT NULL,
           mobile_bidx text NOT NULL,
           code_hash text NOT NULL,
           attempts int NOT NULL DEFAULT 0,
           created_at timestamptz NOT NULL DEFAULT now(),
           expires_at timestamptz NOT NULL,
           consumed_at timestamptz
         );
         CREATE INDEX one_time_code_mobile ON one_time_code (mobile_bidx, purpose, created_at);`,
      ),
  },
];
