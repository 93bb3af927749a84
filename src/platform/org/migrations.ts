// Org directory tables. `department` itself (tree per division) is created by identity, which
// references it from `account` and `role_assignment`; org adds the posts of each department and
// the indexes that the tree and staff queries use.
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';

const run = async (db: Kysely<any>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

export const orgMigrations: NamedMigration[] = [
  {
    name: '20261127_0100_org_posts',
    up: (db) =>
      run(
        db,
        `CREATE TABLE org_post (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           department_id uuid NOT NULL REFERENCES department(id) ON DELETE CASCADE,
           name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
           created_at timestamptz NOT NULL DEFAULT now(),
           UNIQUE (department_id, name)
         );
         CREATE INDEX IF NOT EXISTS org_department_parent ON department (parent_id);
         CREATE INDEX IF NOT EXISTS org_account_department ON account (department_id) WHERE department_id IS NOT NULL;`,
      ),
  },
];
