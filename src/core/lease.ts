// Leader leases: background loops that must run on ONE node at a time (the audit sealer, the
// outbox dispatcher) hold a row in leader_lease that they renew; a crashed node's lease expires.
// A row lease rather than a session advisory lock, because PGlite has a single connection.
import { sql } from 'kysely';
import type { Db } from './db/types.js';

export async function acquireLease(db: Db, name: string, owner: string, ttlMs: number): Promise<boolean> {
  const r = await sql<{ owner: string }>`
    INSERT INTO leader_lease (name, owner, until) VALUES (${name}, ${owner}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
    ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
      WHERE leader_lease.owner = EXCLUDED.owner OR leader_lease.until < clock_timestamp()
    RETURNING owner`.execute(db);
  return r.rows.length === 1;
}

export async function releaseLease(db: Db, name: string, owner: string): Promise<void> {
  await sql`DELETE FROM leader_lease WHERE name = ${name} AND owner = ${owner}`.execute(db);
}
