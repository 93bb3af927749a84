// Leader leases (core/lease.ts) and one worker tick (core/workers.ts) on the real database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testCore, type TestCore } from '../../../test/db.js';
import { acquireLease, releaseLease } from '../lease.js';
import { DISPATCHER_LEASE, SEALER_LEASE } from '../workers.js';
import { recordChange } from '../audit/record.js';
import type { YunlingEvent } from '../events/types.js';

let t: TestCore;
beforeEach(async () => {
  t = await testCore();
});
afterEach(() => t.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = async (q: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(q)}`.execute(t.core.db)).rows[0]!.n;

/**
 * The sealer only seals entries of transactions below the cluster-wide snapshot horizon; on a shared
 * PostgreSQL server another database's open transaction can hold that back for a moment.
 */
async function tickUntilSealed(first: { sealed: number }, expected: number): Promise<number> {
  let sealed = first.sealed;
  for (let i = 0; sealed < expected && i < 100; i++) {
    await sleep(50);
    sealed += (await t.core.workers.tick()).sealed;
  }
  return sealed;
}

async function change(i: number): Promise<void> {
  await t.core.db.transaction().execute((tx) =>
    recordChange(tx, { id: 'user:w' }, { action: 'test.item.update', object: { type: 'item', id: String(i) }, division: '530102' },
      { type: 'test.item.updated', payload: { i } }));
}

describe('acquireLease', () => {
  it('has one owner at a time; the owner renews; release hands it over', async () => {
    const db = t.core.db;
    expect(await acquireLease(db, 'l', 'node-a', 60_000)).toBe(true);
    expect(await acquireLease(db, 'l', 'node-b', 60_000)).toBe(false);
    expect(await acquireLease(db, 'l', 'node-a', 60_000)).toBe(true);
    expect(await acquireLease(db, 'other', 'node-b', 60_000)).toBe(true);
    await releaseLease(db, 'l', 'node-b'); // not the owner: no effect
    expect(await acquireLease(db, 'l', 'node-b', 60_000)).toBe(false);
    await releaseLease(db, 'l', 'node-a');
    expect(await acquireLease(db, 'l', 'node-b', 60_000)).toBe(true);
    expect(await acquireLease(db, 'l', 'node-a', 60_000)).toBe(false);
  });

  it('lets another node take over once the lease expires', async () => {
    const db = t.core.db;
    expect(await acquireLease(db, 'l', 'node-a', 150)).toBe(true);
    expect(await acquireLease(db, 'l', 'node-b', 150)).toBe(false);
    await sleep(250);
    expect(await acquireLease(db, 'l', 'node-b', 60_000)).toBe(true);
    expect(await acquireLease(db, 'l', 'node-a', 150)).toBe(false);
    const rows = (await sql<{ owner: string }>`SELECT owner FROM leader_lease WHERE name = 'l'`.execute(db)).rows;
    expect(rows).toEqual([{ owner: 'node-b' }]);
  });

  it('concurrent acquirers: exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => acquireLease(t.core.db, 'race', `node-${i}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('workers.tick', () => {
  it('seals audit entries, dispatches events and runs due jobs', async () => {
    const { core } = t;
    const got: YunlingEvent[] = [];
    core.events.subscribe('test.worker-sub', 'test.item.*', (e) => void got.push(e));
    const jobsRan: string[] = [];
    core.jobs.define('test.worker-job', { handler: async (job) => void jobsRan.push(job.id) });
    for (let i = 0; i < 3; i++) await change(i);
    await core.jobs.schedule(core.db, 'test.worker-job', {}, { inMs: 0 });
    await core.jobs.schedule(core.db, 'test.worker-job', {}, { inMs: 60_000 });
    const unsealed = await count('audit_log a WHERE NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.seq = a.seq)');
    const pending = await count('outbox WHERE dispatched_at IS NULL');
    expect(unsealed).toBeGreaterThanOrEqual(3);
    expect(pending).toBeGreaterThanOrEqual(3);

    const r = await core.workers.tick();
    expect(r).toMatchObject({ dispatched: pending, jobs: 1 });
    expect(await tickUntilSealed(r, unsealed)).toBe(unsealed);
    expect(got.map((e) => e.payload.i).sort()).toEqual([0, 1, 2]); // three aggregates: no order among them
    expect(jobsRan).toHaveLength(1);
    expect(await count('audit_log a WHERE NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.seq = a.seq)')).toBe(0);
    expect(await count('outbox WHERE dispatched_at IS NULL')).toBe(0);
    expect(await core.workers.tick()).toEqual({ sealed: 0, dispatched: 0, jobs: 0 });
    t.clock.advance(60_000);
    expect((await core.workers.tick()).jobs).toBe(1);
  });

  it('only the lease holder dispatches; jobs run on every node; stop() hands the leases back', async () => {
    const { core } = t;
    core.jobs.define('test.worker-job', { handler: async () => {} });
    await sql`INSERT INTO leader_lease (name, owner, until) VALUES (${DISPATCHER_LEASE}, 'other-node', clock_timestamp() + interval '1 minute')`.execute(core.db);
    await change(1);
    await core.jobs.schedule(core.db, 'test.worker-job', {}, { inMs: 0 });
    const r = await core.workers.tick();
    expect(r.dispatched).toBe(0);
    expect(r.jobs).toBe(1);
    expect(await tickUntilSealed(r, 1)).toBeGreaterThan(0);
    const owners = async () => (await sql<{ name: string; owner: string }>`SELECT name, owner FROM leader_lease ORDER BY name`.execute(core.db)).rows;
    expect(await owners()).toEqual([{ name: SEALER_LEASE, owner: core.nodeId }, { name: DISPATCHER_LEASE, owner: 'other-node' }].sort((a, b) => a.name.localeCompare(b.name)));
    await core.workers.stop();
    expect(await owners()).toEqual([{ name: DISPATCHER_LEASE, owner: 'other-node' }]);
  });
});
