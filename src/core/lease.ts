// Leader leases: background loops that must run on ONE node at a time (the audit sealer, the
// outbox dispatcher) hold a row in leader_lease that they renew; a crashed node's lease expires.
// A row lease rather than a session advisory lock, because PGlite has a single connection.
// Expiry is judged by the database's clock (clock_timestamp()), the one clock all nodes share.
import { sql } from 'kysely';
import type { Db } from './db/types.js';

/** Takes the lease, or renews it for its owner; false while another owner's lease is live. */
export async function acquireLease(db: Db, name: string, owner: string, ttlMs: number): Promise<boolean> {
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) throw new RangeError('lease ttlMs must be a positive number');
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
