// Seal tables: the platform CA and the certificates it issues, the seal registry (organization
// seals and personal signatures), who may use which seal, and the usage log.
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';

const run = async (db: Kysely<any>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

export const sealsMigrations: NamedMigration[] = [
  {
    name: '20261127_0610_seals',
    up: (db) =>
      run(
        db,
        `CREATE TABLE seal_certificate (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           kind text NOT NULL CHECK (kind IN ('ca','signer')),
           owner_key text NOT NULL,
           subject text NOT NULL,
           cert_pem text NOT NULL,
           key_enc bytea,
           issuer_id uuid REFERENCES seal_certificate(id),
           not_before timestamptz NOT NULL,
           not_after timestamptz NOT NULL,
           imported boolean NOT NULL DEFAULT false,
           created_at timestamptz NOT NULL DEFAULT now(),
           retired_at timestamptz
         );
         CREATE UNIQUE INDEX seal_certificate_active ON seal_certificate (kind, owner_key) WHERE retired_at IS NULL;
         CREATE TABLE seal (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           kind text NOT NULL CHECK (kind IN ('organization','personal')),
           name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
           purpose text CHECK (length(purpose) <= 20),
           owner_code text,
           division text NOT NULL REFERENCES division(code),
           department_id uuid,
           account_id uuid,
           certificate_id uuid NOT NULL REFERENCES seal_certificate(id),
           status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','revoked')),
           created_by text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now()
         );
         CREATE INDEX seal_division ON seal (division text_pattern_ops);
         CREATE TABLE seal_authorization (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           seal_id uuid NOT NULL REFERENCES seal(id),
           account_id uuid NOT NULL,
           granted_by text NOT NULL,
           expires_at timestamptz,
           created_at timestamptz NOT NULL DEFAULT now(),
           revoked_at timestamptz
         );
         CREATE UNIQUE INDEX seal_authorization_active ON seal_authorization (seal_id, account_id) WHERE revoked_at IS NULL;
         CREATE TABLE seal_usage (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           seal_id uuid NOT NULL REFERENCES seal(id),
           actor text NOT NULL,
           purpose text,
           document_hash text,
           outcome text NOT NULL CHECK (outcome IN ('sealed','refused')),
           reason text,
           at timestamptz NOT NULL
         );
         CREATE INDEX seal_usage_seal ON seal_usage (seal_id, at);`,
      ),
  },
];
