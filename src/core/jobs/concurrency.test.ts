// Two job runners on one database (two nodes): every job runs exactly once. On PostgreSQL the second
// runner has its own connection pool, so the runners really race (FOR UPDATE SKIP LOCKED); on PGlite
// (one connection) they share it and interleave.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pino from 'pino';
import { freshDatabase, onPostgres, testConfig, testCore, type TestCore } from '../../../test/db.js';
import { createDatabase, type Database } from '../db/index.js';
import { Jobs } from './index.js';
import { acquireLease } from '../lease.js';

describe(`jobs on two nodes (${onPostgres ? 'PostgreSQL, two pools' : 'PGlite, one shared connection'})`, () => {
  let t: TestCore;
  let second: Database;
  let jobsB: Jobs;

  beforeEach(async () => {
    const database = await freshDatabase();
    t = await testCore({ database });
    second = onPostgres
      ? await createDatabase({ ...testConfig(), databaseUrl: database.url!, databasePoolSize: 4 })
      : { ...database, close: async () => {} }; // closed with t
    jobsB = new Jobs(second.db, t.clock, pino({ level: 'silent' }), t.core.calendar);
  });
  afterEach(async () => {
    await second.close();
    await t.close();
  });

  it('runs each of 200 jobs exactly once with two concurrent runners (FOR UPDATE SKIP LOCKED)', async () => {
    const runs = new Map<string, string[]>();
    const handler = (runner: string) => async (job: { id: string }) => {
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      runs.set(job.id, [...(runs.get(job.id) ?? []), runner]);
    };
    t.core.jobs.define('test.count', { handler: handler('A') });
    jobsB.define('test.count', { handler: handler('B') });
    await t.core.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 200; i++) await t.core.jobs.schedule(tx, 'test.count', { i }, { inMs: 0 });
    });
    const drain = async (jobs: Jobs) => {
      let n = 0;
      for (let k; (k = await jobs.runDue(8)) > 0;) n += k;
      return n;
    };
    // Several rounds: a runner that found everything locked by the other stops early.
    let ranA = 0;
    let ranB = 0;
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([drain(t.core.jobs), drain(jobsB)]);
      ranA += a;
      ranB += b;
    }
    expect(runs.size).toBe(200);
    expect([...runs.values()].every((r) => r.length === 1)).toBe(true);
    expect(ranA + ranB).toBe(200);
    expect(ranA).toBeGreaterThan(0);
    expect(ranB).toBeGreaterThan(0);
    const status = (await sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM job GROUP BY status`.execute(t.core.db)).rows;
    expect(status).toEqual([{ status: 'done', n: 200 }]);
    const attempts = (await sql<{ m: number }>`SELECT max(attempts) AS m FROM job`.execute(t.core.db)).rows[0]!.m;
    expect(attempts).toBe(1);
  });

  it('a job outrunning its lease on one node is taken over by the other, and the first cannot record over it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: string[] = [];
    t.core.jobs.define('test.slow', { leaseMs: 60_000, handler: async () => { seen.push('A'); await gate; } });
    jobsB.define('test.slow', { leaseMs: 60_000, handler: async () => void seen.push('B') });
    await t.core.jobs.schedule(t.core.db, 'test.slow', {}, { inMs: 0 }, { key: 'slow' });
    const runA = t.core.jobs.runDue();
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await jobsB.runDue()).toBe(0); // leased to A
    t.clock.advance(60_001);
    expect(await jobsB.runDue()).toBe(1); // A's lease expired: B takes over and finishes
    release();
    await runA; // A finishes late: its outcome must not be recorded over B's
    const row = (await sql<any>`SELECT status, attempts, locked_by FROM job WHERE key = 'slow'`.execute(t.core.db)).rows[0];
    expect(row).toEqual({ status: 'done', attempts: 2, locked_by: null });
    expect(seen).toEqual(['A', 'B']);
  });

  it('leader lease: concurrent acquirers on separate connections, exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => acquireLease(i % 2 ? second.db : t.core.db, 'race', `node-${i}`, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
