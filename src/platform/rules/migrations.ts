// Rule sets as versioned data. A version number belongs to the key (not to the division), so
// (key, version) names exactly one rule set that a case or a workflow instance can pin.
import { sql } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';

export const rulesMigrations: NamedMigration[] = [
  {
    name: '20261127_0420_rules_ruleset',
    up: async (db) => {
      await sql.raw(`CREATE TABLE rules_ruleset (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
        version integer NOT NULL CHECK (version > 0),
        division text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
        title jsonb NOT NULL,
        definition jsonb NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        withdrawn_at timestamptz,
        UNIQUE (key, version)
      );
      -- Resolution walks a division's ancestors looking for the newest published version.
      CREATE INDEX rules_ruleset_resolve ON rules_ruleset (key, division, version DESC) WHERE status = 'published';`).execute(db);
    },
  },
];
