// 免申即享 tables: policies as versions, a base-registry table for the demo registries, grants.
import { sql } from 'kysely';
import type { NamedMigration } from '../../../core/db/migrate.js';

export const benefitsMigrations: NamedMigration[] = [
  {
    name: '20261127_0710_services_benefits',
    up: async (db) => {
      await sql.raw(`CREATE TABLE benefit_policy (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9-]{1,62}$'),
        version integer NOT NULL CHECK (version > 0),
        division text NOT NULL,
        status text NOT NULL CHECK (status IN ('published', 'withdrawn')),
        title jsonb NOT NULL,
        description jsonb NOT NULL,
        department text NOT NULL,
        legal_basis text NOT NULL,
        period text NOT NULL CHECK (period IN ('month', 'year', 'once')),
        amount jsonb NOT NULL,
        accept_days integer NOT NULL CHECK (accept_days BETWEEN 1 AND 366),
        rules jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (key, version)
      );
      CREATE TABLE benefit_registry_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dataset text NOT NULL,
        subject_bidx text NOT NULL,
        subject_enc bytea NOT NULL,
        subject_masked text NOT NULL,
        division text NOT NULL,
        attributes jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (dataset, subject_bidx)
      );
      -- The scan walks one dataset of a division subtree in blind-index order (keyset paging).
      CREATE INDEX benefit_registry_scan ON benefit_registry_record (dataset, division text_pattern_ops, subject_bidx);
      CREATE INDEX benefit_registry_subject ON benefit_registry_record (subject_bidx);
      CREATE TABLE benefit_grant (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        policy_id uuid NOT NULL REFERENCES benefit_policy(id),
        policy_key text NOT NULL,
        policy_version integer NOT NULL,
        period text NOT NULL,
        subject_bidx text NOT NULL,
        subject_masked text NOT NULL,
        name_masked text NOT NULL,
        division text NOT NULL,
        status text NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'expired')),
        amount jsonb NOT NULL,
        evidence jsonb NOT NULL,
        notified boolean NOT NULL DEFAULT false,
        decline_reason text,
        offered_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        decided_at timestamptz,
        decided_by text,
        -- One grant per person per policy per period: what makes a re-run of the scan harmless.
        UNIQUE (policy_key, subject_bidx, period),
        CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
      );
      CREATE INDEX benefit_grant_subject ON benefit_grant (subject_bidx, offered_at DESC);
      CREATE INDEX benefit_grant_policy ON benefit_grant (policy_key, division text_pattern_ops);
      CREATE INDEX benefit_grant_open ON benefit_grant (expires_at) WHERE status = 'offered';`).execute(db);
    },
  },
];
