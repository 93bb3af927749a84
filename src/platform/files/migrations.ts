// The files engine's table. Bytes are not in the database: `digest` names them in the blob store.
import { sql } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';

export const filesMigrations: NamedMigration[] = [
  {
    name: '20261128_0400_files',
    up: async (db) => {
      await sql.raw(`CREATE TABLE file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        digest text NOT NULL CHECK (digest ~ '^(sm3|sha256):[0-9a-f]{64}$'),
        size bigint NOT NULL CHECK (size >= 0),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
        mime text NOT NULL,
        uploader text NOT NULL,
        division text NOT NULL REFERENCES division(code),
        owner_type text,
        owner_id text,
        owner_division text REFERENCES division(code),
        status text NOT NULL CHECK (status IN ('pending-scan','clean','infected')),
        created_at timestamptz NOT NULL DEFAULT now(),
        attached_at timestamptz,
        CHECK ((owner_type IS NULL) = (owner_id IS NULL) AND (owner_type IS NULL) = (owner_division IS NULL))
      );
      CREATE INDEX file_uploader_unattached ON file (uploader, created_at) WHERE owner_type IS NULL;
      CREATE INDEX file_owner ON file (owner_type, owner_id) WHERE owner_type IS NOT NULL;
      CREATE INDEX file_digest ON file (digest);`).execute(db);
    },
  },
];
