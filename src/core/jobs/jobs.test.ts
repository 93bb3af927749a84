// Durable jobs on the real database (PGlite by default, PostgreSQL with YUNLING_TEST_PG): retries,
// dead jobs, calendar timers, keyed rescheduling, cancel, lease expiry and per-job leases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testCore, type TestCore } from '../../../test/db.js';
import type { Job } from './index.js';
import { errorMessage } from './error-message.js';

let t: TestCore;
const ran: Job[] = [];

beforeEach(async () => {
  t = await testCore();
  ran.length = 0;
});
afterEach(() => t.close());

const jobRow = async (where: string) =>
  (await sql<any>`SELECT * FROM job WHERE ${sql.raw(where)}`.execute(t.core.db)).rows;
const at = (iso: string) => new Date(iso);

describe('retries and dead jobs', () => {
  it('records attempts, moves run_at by the backoff and is dead after max_attempts with last_error kept', async () => {
    const { core, clock } = t;
    core.jobs.define('test.flaky', {
      maxAttempts: 3,
      handler: async (job) => {
        ran.push(job);
        throw new Error(`boom ${job.attempts}`);
      },
    });
    const start = clock.now();
    await core.jobs.schedule(core.db, 'test.flaky', { n: 1 }, { inMs: 0 });
    expect(await core.jobs.runDue()).toBe(1);
    let [row] = await jobRow(`name = 'test.flaky'`);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'boom 1', locked_by: null });
    expect(new Date(row.run_at).getTime()).toBe(start.getTime() + 5000); // default backoff 5 s

    clock.advance(4999);
    expect(await core.jobs.runDue()).toBe(0);
    clock.advance(1);
    expect(await core.jobs.runDue()).toBe(1);
    [row] = await jobRow(`name = 'test.flaky'`);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: 'boom 2' });
    expect(new Date(row.run_at).getTime()).toBe(clock.now().getTime() + 10_000);

    clock.advance(10_000);
    expect(await core.jobs.runDue()).toBe(1);
    [row] = await jobRow(`name = 'test.flaky'`);
    expect(row).toMatchObject({ status: 'dead', attempts: 3, last_error: 'boom 3' });
    expect(row.finished_at).not.toBeNull();
    clock.advance(3_600_000);
    expect(await core.jobs.runDue()).toBe(0);
    expect(ran.map((j) => j.attempts)).toEqual([1, 2, 3]);
    expect(await core.jobs.depth()).toEqual([{ name: 'test.flaky', status: 'dead', n: 1 }]);
  });

  it('uses the definition backoff and survives handlers that throw non-Error values', async () => {
    const { core } = t;
    const odd: unknown[] = ['plain string', { code: 42 }, { message: 'has message' }, null, undefined, 7n, Object.create(null), Symbol('s')];
    core.jobs.define('test.odd', {
      backoffMs: (n) => n * 1000,
      handler: async (job) => {
        throw odd[job.payload.i as number];
      },
    });
    for (let i = 0; i < odd.length; i++) await core.jobs.schedule(core.db, 'test.odd', { i }, { inMs: 0 });
    expect(await core.jobs.runDue(20)).toBe(odd.length);
    const rows = await jobRow(`name = 'test.odd' ORDER BY (payload->>'i')::int`);
    expect(rows.map((r) => r.status)).toEqual(odd.map(() => 'pending'));
    expect(rows.map((r) => r.last_error)).toEqual(['plain string', '{"code":42}', 'has message', 'null', 'undefined was thrown', '7', '{}', 'Symbol(s)']);
    for (const r of rows) expect(new Date(r.run_at).getTime()).toBe(t.clock.now().getTime() + 1000);
  });

  it('errorMessage never throws and bounds the length', () => {
    const hostile = { toJSON() { throw new Error('no'); }, toString() { throw new Error('no'); } };
    expect(errorMessage(hostile)).toBe('[object Object]');
    expect(errorMessage('x'.repeat(5000))).toHaveLength(2000);
    expect(errorMessage(new Error('fetch failed', { cause: new Error('ECONNREFUSED') }))).toBe('fetch failed: ECONNREFUSED');
  });
});

describe('scheduling', () => {
  it('runs a job after N working days on the real calendar (National Day 2025, Sunday 09-28 make-up day)', async () => {
    const { core, clock } = t;
    core.jobs.define('test.timer', { handler: async (job) => void ran.push(job) });
    clock.set('2025-09-26T10:00:00+08:00'); // Friday
    const due = await core.jobs.schedule(core.db, 'test.timer', { case: 'A' }, { afterWorkingDays: 3 });
    // Sat 27 off, Sun 28 make-up workday (1), Mon 29 (2), Tue 30 (3): due at the end of Tue 30,
    // not after the 10-01…10-08 holiday.
    expect(due.toISOString()).toBe(at('2025-09-30T23:59:59.999+08:00').toISOString());
    clock.set('2025-09-30T23:59:59.998+08:00');
    expect(await core.jobs.runDue()).toBe(0);
    clock.set('2025-09-30T23:59:59.999+08:00');
    expect(await core.jobs.runDue()).toBe(1);
    expect(ran[0]!.payload).toEqual({ case: 'A' });
  });

  it('runs a job after N working hours, skipping the holiday', async () => {
    const { core, clock } = t;
    core.jobs.define('test.timer', { handler: async (job) => void ran.push(job) });
    clock.set('2025-09-30T16:00:00+08:00');
    const due = await core.jobs.schedule(core.db, 'test.timer', {}, { afterWorkingHours: 4 });
    // 1.5 h on 09-30 (to 17:30), then 2.5 h from 09:00 on Thu 10-09.
    expect(due.toISOString()).toBe(at('2025-10-09T11:30:00+08:00').toISOString());
    clock.set('2025-10-09T11:29:59.999+08:00');
    expect(await core.jobs.runDue()).toBe(0);
    clock.set('2025-10-09T11:30:00+08:00');
    expect(await core.jobs.runDue()).toBe(1);
  });

  it('schedules in the caller transaction: a rollback leaves no job', async () => {
    const { core } = t;
    core.jobs.define('test.tx', { handler: async (job) => void ran.push(job) });
    await expect(core.db.transaction().execute(async (tx) => {
      await core.jobs.schedule(tx, 'test.tx', {}, { inMs: 0 });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    expect(await jobRow('true')).toHaveLength(0);
    await expect(core.jobs.schedule(core.db, 'test.unknown', {}, { inMs: 0 })).rejects.toThrow(/unknown job/);
    await expect(core.jobs.schedule(core.db, 'test.tx', {}, { at: new Date('nope') })).rejects.toThrow(RangeError);
    expect(() => core.jobs.define('test.tx', { handler: async () => {} })).toThrow(/already defined/);
  });

  it('reschedules a keyed job instead of duplicating it, and cancels by key', async () => {
    const { core, clock } = t;
    core.jobs.define('test.remind', { handler: async (job) => void ran.push(job) });
    const h = 3_600_000;
    await core.jobs.schedule(core.db, 'test.remind', { v: 1 }, { inMs: h }, { key: 'remind:case-1' });
    await core.jobs.schedule(core.db, 'test.remind', { v: 2 }, { inMs: 2 * h }, { key: 'remind:case-1' });
    let rows = await jobRow(`key = 'remind:case-1'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toEqual({ v: 2 });
    clock.advance(h);
    expect(await core.jobs.runDue()).toBe(0);
    clock.advance(h);
    expect(await core.jobs.runDue()).toBe(1);
    expect(ran.map((j) => j.payload)).toEqual([{ v: 2 }]);
    // Once done, the key is free again.
    await core.jobs.schedule(core.db, 'test.remind', { v: 3 }, { inMs: h }, { key: 'remind:case-1' });
    rows = await jobRow(`key = 'remind:case-1' ORDER BY created_at`);
    expect(rows.map((r) => r.status)).toEqual(['done', 'pending']);

    expect(await core.jobs.cancel(core.db, 'remind:case-1')).toBe(true);
    expect(await core.jobs.cancel(core.db, 'remind:case-1')).toBe(false);
    expect(await core.jobs.cancel(core.db, 'remind:nothing')).toBe(false);
    clock.advance(2 * h);
    expect(await core.jobs.runDue()).toBe(0);
    expect((await jobRow(`key = 'remind:case-1' ORDER BY created_at`)).map((r) => r.status)).toEqual(['done', 'cancelled']);
  });

  it('a rescheduled failed job starts afresh', async () => {
    const { core } = t;
    core.jobs.define('test.fail', { handler: async () => { throw new Error('no'); } });
    await core.jobs.schedule(core.db, 'test.fail', {}, { inMs: 0 }, { key: 'k' });
    await core.jobs.runDue();
    expect((await jobRow(`key = 'k'`))[0]).toMatchObject({ attempts: 1, last_error: 'no' });
    await core.jobs.schedule(core.db, 'test.fail', { again: true }, { inMs: 1000 }, { key: 'k', maxAttempts: 2 });
    expect((await jobRow(`key = 'k'`))[0]).toMatchObject({ attempts: 0, last_error: null, max_attempts: 2, status: 'pending' });
  });

  it('a job that reschedules its own key while running recurs (the run does not overwrite it with done)', async () => {
    const { core, clock } = t;
    core.jobs.define('test.recurring', {
      handler: async (job) => {
        ran.push(job);
        await core.jobs.schedule(core.db, 'test.recurring', { n: (job.payload.n as number) + 1 }, { inMs: 60_000 }, { key: 'tick' });
      },
    });
    await core.jobs.schedule(core.db, 'test.recurring', { n: 1 }, { inMs: 0 }, { key: 'tick' });
    for (let i = 0; i < 3; i++) {
      expect(await core.jobs.runDue()).toBe(1);
      clock.advance(60_000);
    }
    expect(ran.map((j) => j.payload.n)).toEqual([1, 2, 3]);
    const rows = await jobRow(`key = 'tick'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', payload: { n: 4 } });
  });

  it('a job cancelled while running is neither marked done nor retried', async () => {
    const { core, clock } = t;
    core.jobs.define('test.self-cancel', {
      handler: async (job) => {
        ran.push(job);
        await core.jobs.cancel(core.db, job.key!);
        throw new Error('fails after cancel');
      },
    });
    await core.jobs.schedule(core.db, 'test.self-cancel', {}, { inMs: 0 }, { key: 'c' });
    expect(await core.jobs.runDue()).toBe(1);
    clock.advance(3_600_000);
    expect(await core.jobs.runDue()).toBe(0);
    expect((await jobRow(`key = 'c'`))[0]).toMatchObject({ status: 'cancelled', last_error: null });
  });
});

describe('leases', () => {
  it('reclaims a crashed runner\'s job once its lease expires', async () => {
    const { core, clock } = t;
    core.jobs.define('test.work', { maxAttempts: 3, handler: async (job) => void ran.push(job) });
    await core.jobs.schedule(core.db, 'test.work', {}, { inMs: 0 }, { key: 'w' });
    // Another node claimed it and died: status running, lease 5 minutes.
    await sql`UPDATE job SET status = 'running', attempts = 1, locked_by = 'crashed-node:1',
      locked_until = ${new Date(clock.now().getTime() + 300_000)} WHERE key = 'w'`.execute(core.db);
    expect(await core.jobs.runDue()).toBe(0);
    clock.advance(300_001);
    expect(await core.jobs.runDue()).toBe(1);
    expect(ran.map((j) => j.attempts)).toEqual([2]);
    expect((await jobRow(`key = 'w'`))[0]).toMatchObject({ status: 'done', locked_by: null });
  });

  it('a job whose runner keeps dying is dead after max_attempts, not retried forever', async () => {
    const { core, clock } = t;
    core.jobs.define('test.poison', { maxAttempts: 2, handler: async (job) => void ran.push(job) });
    await core.jobs.schedule(core.db, 'test.poison', {}, { inMs: 0 }, { key: 'p' });
    await sql`UPDATE job SET status = 'running', attempts = 2, locked_by = 'crashed-node:2', locked_until = ${clock.now()} WHERE key = 'p'`.execute(core.db);
    clock.advance(1);
    expect(await core.jobs.runDue()).toBe(0);
    const [row] = await jobRow(`key = 'p'`);
    expect(row).toMatchObject({ status: 'dead', attempts: 2 });
    expect(row.last_error).toMatch(/lease expired on crashed-node:2/);
    expect(ran).toHaveLength(0);
  });

  it('claims with the definition\'s leaseMs', async () => {
    const { core, clock } = t;
    const seen: Array<{ locked_until: Date; locked_by: string }> = [];
    core.jobs.define('test.short', {
      leaseMs: 30_000,
      handler: async (job) => void seen.push((await jobRow(`id = '${job.id}'`))[0]),
    });
    core.jobs.define('test.default', { handler: async (job) => void seen.push((await jobRow(`id = '${job.id}'`))[0]) });
    await core.jobs.schedule(core.db, 'test.short', {}, { inMs: 0 });
    await core.jobs.schedule(core.db, 'test.default', {}, { inMs: 0 });
    expect(await core.jobs.runDue()).toBe(2);
    const leases = seen.map((r) => new Date(r.locked_until).getTime() - clock.now().getTime()).sort((a, b) => a - b);
    expect(leases).toEqual([30_000, 300_000]);
    expect(seen.every((r) => r.locked_by === core.jobs.nodeId)).toBe(true);
    expect(() => core.jobs.define('test.bad', { leaseMs: 0, handler: async () => {} })).toThrow(RangeError);
  });

  it('abandons a handler that outruns its lease (signal aborted, attempt failed, runner not stuck)', async () => {
    const { core } = t;
    let aborted = false;
    core.jobs.define('test.hang', {
      leaseMs: 50,
      handler: (job) => new Promise<void>((resolve) => {
        job.signal.addEventListener('abort', () => { aborted = true; resolve(); });
      }),
    });
    await core.jobs.schedule(core.db, 'test.hang', {}, { inMs: 0 });
    expect(await core.jobs.runDue()).toBe(1);
    expect(aborted).toBe(true);
    expect((await jobRow(`name = 'test.hang'`))[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'job outran its lease of 50 ms' });
  });
});
