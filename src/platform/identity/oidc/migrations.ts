// OIDC tables. Everything the OpenID Provider keeps lives in PostgreSQL (no process memory), so
// any node can serve any step of a flow and a restart loses nothing.
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../../../core/db/migrate.js';

const run = async (db: Kysely<any>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

export const oidcMigrations: NamedMigration[] = [
  {
    name: '20261126_0150_identity_oidc',
    up: (db) =>
      run(
        db,
        `CREATE TABLE oidc_payload (
           model text NOT NULL,
           id text NOT NULL,
           payload jsonb NOT NULL,
           grant_id text,
           user_code text,
           uid text,
           expires_at timestamptz,
           consumed_at timestamptz,
           PRIMARY KEY (model, id)
         );
         CREATE INDEX oidc_payload_grant ON oidc_payload (grant_id) WHERE grant_id IS NOT NULL;
         CREATE INDEX oidc_payload_uid ON oidc_payload (uid) WHERE uid IS NOT NULL;
         CREATE INDEX oidc_payload_user_code ON oidc_payload (user_code) WHERE user_code IS NOT NULL;
         CREATE INDEX oidc_payload_expires ON oidc_payload (expires_at) WHERE expires_at IS NOT NULL;
         CREATE TABLE oidc_client (
           client_id text PRIMARY KEY,
           name text NOT NULL,
           secret_enc bytea,
           redirect_uris text[] NOT NULL DEFAULT '{}',
           post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
           grant_types text[] NOT NULL,
           scopes text[] NOT NULL DEFAULT '{}',
           first_party boolean NOT NULL DEFAULT false,
           permissions text[] NOT NULL DEFAULT '{}',
           division text NOT NULL DEFAULT '530000' REFERENCES division(code),
           disabled boolean NOT NULL DEFAULT false,
           disabled_at timestamptz,
           disabled_by text,
           created_at timestamptz NOT NULL DEFAULT now(),
           created_by text NOT NULL
         );
         CREATE TABLE oidc_signing_key (
           kid text PRIMARY KEY,
           alg text NOT NULL,
           public_jwk jsonb NOT NULL,
           private_jwk_enc bytea NOT NULL,
           status text NOT NULL CHECK (status IN ('current','previous','retired')),
           created_at timestamptz NOT NULL DEFAULT now(),
           rotated_at timestamptz,
           retired_at timestamptz
         );
         CREATE UNIQUE INDEX oidc_signing_key_one_current ON oidc_signing_key (status) WHERE status = 'current';`,
      ),
  },
  {
    // Public clients (mobile apps, single-page apps) cannot keep a secret: they authenticate with
    // nothing (token_endpoint_auth_method=none) and rely on PKCE. The constraints keep a public
    // client from ever holding a secret or the client-credentials grant, and a confidential one
    // from lacking its secret.
    name: '20261201_0150_identity_oidc_public_clients',
    up: (db) =>
      run(
        db,
        `ALTER TABLE oidc_client ADD COLUMN kind text NOT NULL DEFAULT 'confidential';
         ALTER TABLE oidc_client ADD CONSTRAINT oidc_client_kind CHECK (kind IN ('confidential','public'));
         ALTER TABLE oidc_client ADD CONSTRAINT oidc_client_secret_by_kind CHECK ((kind = 'public') = (secret_enc IS NULL));
         ALTER TABLE oidc_client ADD CONSTRAINT oidc_client_public_grants CHECK (kind <> 'public' OR NOT ('client_credentials' = ANY (grant_types)));`,
      ),
  },
];
