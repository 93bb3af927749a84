import type { Generated } from 'kysely';

/** A named position (职务, e.g. 科长) within one department. `account.post` holds the name. */
export interface OrgPostTable {
  id: Generated<string>;
  department_id: string;
  name: string;
  created_at: Generated<Date>;
}

declare module '../../core/db/types.js' {
  interface DB {
    org_post: OrgPostTable;
  }
}
