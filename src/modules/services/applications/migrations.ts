// Applications (办件) and 一件事一次办 bundle parents: one row per application, pointing at its case.
import { sql } from 'kysely';
import type { NamedMigration } from '../../../core/db/migrate.js';

export const applicationMigrations: NamedMigration[] = [
  {
    name: '20261128_0610_services_applications',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE svc_application (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          number text NOT NULL UNIQUE,
          parent_id uuid REFERENCES svc_application(id),
          bundle_key text,
          item_version_id text,
          item_key text NOT NULL,
          item_name text NOT NULL,
          department_code text,
          division text NOT NULL,
          handling_division text NOT NULL,
          applicant text NOT NULL,
          applicant_account uuid NOT NULL,
          submitted_by text NOT NULL,
          channel text NOT NULL CHECK (channel IN ('online','counter')),
          status text NOT NULL CHECK (status IN ('submitted','processing','correction','completed')),
          state text,
          outcome text CHECK (outcome IN ('approved','refused','rejected','withdrawn')),
          instance_id uuid UNIQUE REFERENCES wf_instance(id),
          idempotency_key text,
          request_digest text,
          data jsonb NOT NULL DEFAULT '{}'::jsonb,
          materials jsonb NOT NULL DEFAULT '[]'::jsonb,
          result jsonb,
          submitted_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          completed_at timestamptz,
          CHECK ((status = 'completed') = (outcome IS NOT NULL))
        );
        CREATE UNIQUE INDEX svc_application_idem ON svc_application (submitted_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX svc_application_applicant ON svc_application (applicant_account, submitted_at DESC);
        CREATE INDEX svc_application_parent ON svc_application (parent_id) WHERE parent_id IS NOT NULL;
        CREATE INDEX svc_application_divisions ON svc_application (handling_division text_pattern_ops, division);
      `).execute(db);
    },
  },
  // Saved drafts of the apply wizard (per account, per item or bundle): a phone and a PC resume the
  // same draft. See drafts.ts.
  {
    name: '20261130_1100_services_application_drafts',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE svc_application_draft (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          owner text NOT NULL,
          subject text NOT NULL,
          target text NOT NULL CHECK (target ~ '^(item|bundle):[a-z0-9][a-z0-9-]{0,99}$'),
          division text NOT NULL,
          title text NOT NULL DEFAULT '',
          step integer NOT NULL DEFAULT 0 CHECK (step BETWEEN 0 AND 9),
          data jsonb NOT NULL DEFAULT '{}'::jsonb,
          materials jsonb NOT NULL DEFAULT '{}'::jsonb,
          version integer NOT NULL DEFAULT 1,
          created_at timestamptz NOT NULL DEFAULT now(),
          updated_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (owner, subject, target)
        );
        CREATE INDEX svc_application_draft_owner ON svc_application_draft (owner, updated_at DESC);
      `).execute(db);
    },
  },
];
