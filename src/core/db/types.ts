// The database interface for Kysely. Each module adds its own tables by declaration merging:
//   declare module '../core/db/types.js' { interface DB { my_table: MyTable } }
// so that a module's tables are typed where they are defined, and nowhere else.
import type { Kysely, Transaction } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DB {}

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** Anything that can run a query: the pool or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;
