// Ratings tables. Named after the workflow and notify migrations they rely on at run time.
import { sql } from 'kysely';
import type { NamedMigration } from '../../../core/db/migrate.js';

export const ratingsMigrations: NamedMigration[] = [
  {
    name: '20261128_0540_services_ratings',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE svc_rating_invitation (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          application_id uuid NOT NULL UNIQUE,
          case_number text NOT NULL,
          item_key text NOT NULL,
          item_name text NOT NULL,
          division text NOT NULL,
          handling_division text NOT NULL,
          department_code text NOT NULL,
          applicant text,
          service_channel text NOT NULL CHECK (service_channel IN ('online','counter')),
          outcome text NOT NULL,
          completed_at timestamptz NOT NULL,
          created_at timestamptz NOT NULL,
          expires_at timestamptz NOT NULL,
          rated_at timestamptz
        );
        CREATE INDEX svc_rating_invitation_applicant ON svc_rating_invitation (applicant) WHERE applicant IS NOT NULL;
        CREATE INDEX svc_rating_invitation_number ON svc_rating_invitation (case_number);
        CREATE TABLE svc_rating (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          invitation_id uuid UNIQUE REFERENCES svc_rating_invitation(id),
          application_id uuid,
          case_number text,
          mode text NOT NULL CHECK (mode IN ('case','visit')),
          channel text NOT NULL CHECK (channel IN ('web','sms','counter','hotline')),
          service_type text NOT NULL CHECK (service_type IN ('online','offline')),
          level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
          indicators jsonb NOT NULL DEFAULT '{}'::jsonb,
          comment text,
          rater text,
          rater_mobile_enc bytea,
          rater_mobile_masked text,
          division text NOT NULL,
          department_code text NOT NULL,
          item_key text,
          item_name text,
          "window" text,
          entered_by text,
          idempotency_key text,
          request_hash text,
          bad boolean NOT NULL,
          excluded boolean NOT NULL DEFAULT false,
          rectification_id uuid UNIQUE,
          rectification_number text,
          rectification_state text,
          rectified boolean NOT NULL DEFAULT false,
          callback_done boolean NOT NULL DEFAULT false,
          replied_at timestamptz,
          closed_at timestamptz,
          created_at timestamptz NOT NULL,
          row_version integer NOT NULL DEFAULT 1,
          UNIQUE (entered_by, idempotency_key)
        );
        CREATE INDEX svc_rating_division ON svc_rating (division text_pattern_ops, created_at);
      `).execute(db);
    },
  },
];
