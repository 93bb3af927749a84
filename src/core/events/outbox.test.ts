// The transactional outbox and its dispatcher on the real database: same-transaction writes,
// at-least-once delivery in order per aggregate, backoff, idempotent consumers, in-process broadcast.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testCore, type TestCore } from '../../../test/db.js';
import { emit, recordChange } from '../audit/record.js';
import { consumeOnce } from './bus.js';
import { matches, type YunlingEvent } from './types.js';

let t: TestCore;
beforeEach(async () => {
  t = await testCore();
  // Events written while the core booted are not part of these tests.
  await sql`UPDATE outbox SET dispatched_at = now()`.execute(t.core.db);
});
afterEach(() => t.close());

const count = async (q: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(q)}`.execute(t.core.db)).rows[0]!.n;

/** One state change on aggregate `case:<agg>`: audit entry + event, one transaction. */
async function change(agg: string, n: number): Promise<void> {
  await t.core.db.transaction().execute((tx) =>
    recordChange(tx, { id: 'user:1', requestId: `req-${agg}-${n}` }, { action: 'test.case.update', object: { type: 'case', id: agg }, division: '530102', detail: { n } },
      { type: 'test.case.updated', payload: { agg, n } }));
}
const label = (e: YunlingEvent) => `${e.payload.agg}${e.payload.n}`;

describe('outbox', () => {
  it('is written in the same transaction as the change: a rollback leaves no event and no audit entry', async () => {
    const { core } = t;
    const events = await count('outbox');
    const audits = await count('audit_log');
    await expect(core.db.transaction().execute(async (tx) => {
      await sql`INSERT INTO yunling_meta (key, value) VALUES ('test-thing', '1'::jsonb)`.execute(tx);
      await recordChange(tx, { id: 'user:1' }, { action: 'test.case.create', object: { type: 'case', id: 'X' } }, { type: 'test.case.created' });
      await emit(tx, null, { type: 'test.case.extra', aggregate: { type: 'case', id: 'X' } });
      throw new Error('validation failed after the write');
    })).rejects.toThrow('validation failed');
    expect(await count('outbox')).toBe(events);
    expect(await count('audit_log')).toBe(audits);
    expect(await count(`yunling_meta WHERE key = 'test-thing'`)).toBe(0);

    await change('A', 1);
    expect(await count('outbox')).toBe(events + 1);
    expect(await count('audit_log')).toBe(audits + 1);
    const row = (await sql<any>`SELECT * FROM outbox ORDER BY seq DESC LIMIT 1`.execute(core.db)).rows[0];
    expect(row).toMatchObject({ type: 'test.case.updated', aggregate_type: 'case', aggregate_id: 'A', division: '530102', actor: 'user:1', request_id: 'req-A-1', dispatched_at: null });
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('dispatcher', () => {
  it('holds back a failing aggregate\'s later events while other aggregates flow, then delivers in order after the backoff', async () => {
    const { core, clock } = t;
    const got: string[] = [];
    let failA = true;
    core.events.subscribe('test.recorder', 'test.case.*', (e) => {
      if (e.payload.agg === 'A' && failA) throw new Error('downstream unavailable');
      got.push(label(e));
    });
    for (const [agg, n] of [['A', 1], ['B', 1], ['A', 2], ['C', 1], ['B', 2], ['A', 3]] as const) await change(agg, n);

    expect(await core.events.dispatchBatch()).toBe(3);
    expect(got.filter((l) => l.startsWith('B'))).toEqual(['B1', 'B2']);
    expect(got).toContain('C1');
    const a1 = (await sql<any>`SELECT attempts, next_attempt_at, last_error, dispatched_at FROM outbox WHERE payload->>'agg' = 'A' ORDER BY seq`.execute(core.db)).rows;
    expect(a1[0]).toMatchObject({ attempts: 1, last_error: 'downstream unavailable', dispatched_at: null });
    expect(new Date(a1[0].next_attempt_at).getTime()).toBe(clock.now().getTime() + 2000);
    expect(a1.slice(1).every((r: any) => r.attempts === 0 && r.dispatched_at === null)).toBe(true);

    failA = false; // the downstream is back, but the backoff has not passed
    expect(await core.events.dispatchBatch()).toBe(0);
    clock.advance(1999);
    expect(await core.events.dispatchBatch()).toBe(0);
    clock.advance(1);
    expect(await core.events.dispatchBatch()).toBe(3);
    expect(got.filter((l) => l.startsWith('A'))).toEqual(['A1', 'A2', 'A3']);
    expect(await count('outbox WHERE dispatched_at IS NULL')).toBe(0);
    expect(await core.events.dispatchBatch()).toBe(0);
  });

  it('backs off exponentially and never gives up on an event', async () => {
    const { core, clock } = t;
    core.events.subscribe('test.always-fails', 'test.>', () => { throw new Error('nope'); });
    await change('A', 1);
    const gaps: number[] = [];
    for (let i = 0; i < 12; i++) {
      expect(await core.events.dispatchBatch()).toBe(0);
      const r = (await sql<any>`SELECT attempts, next_attempt_at FROM outbox WHERE dispatched_at IS NULL`.execute(core.db)).rows[0];
      expect(r.attempts).toBe(i + 1);
      gaps.push(new Date(r.next_attempt_at).getTime() - clock.now().getTime());
      clock.set(r.next_attempt_at);
    }
    expect(gaps.slice(0, 4)).toEqual([2000, 4000, 8000, 16_000]);
    expect(gaps.at(-1)).toBe(600_000);
  });

  it('a stuck aggregate with more pending events than one batch does not starve the others', async () => {
    const { core } = t;
    const got: string[] = [];
    core.events.subscribe('test.recorder', 'test.case.*', (e) => {
      if (e.payload.agg === 'A') throw new Error('stuck');
      got.push(label(e));
    });
    for (let n = 1; n <= 5; n++) await change('A', n);
    await change('B', 1);
    expect(await core.events.dispatchBatch(3)).toBe(0); // A1 fails; A2, A3 wait
    expect(await core.events.dispatchBatch(3)).toBe(1); // A is in backoff: B1 goes
    expect(got).toEqual(['B1']);
  });

  it('on a retry, skips the subscribers that already succeeded for that event', async () => {
    const { core, clock } = t;
    const calls: string[] = [];
    let fail = true;
    core.events.subscribe('test.first', 'test.>', (e) => void calls.push(`first:${label(e)}`));
    core.events.subscribe('test.second', 'test.>', (e) => {
      if (fail) throw new Error('second fails once');
      calls.push(`second:${label(e)}`);
    });
    core.events.subscribe('test.other-type', 'other.>', () => void calls.push('never'));
    await change('A', 1);
    expect(await core.events.dispatchBatch()).toBe(0);
    fail = false;
    clock.advance(2000);
    expect(await core.events.dispatchBatch()).toBe(1);
    expect(calls).toEqual(['first:A1', 'second:A1']);
    expect(() => core.events.subscribe('test.first', '>', () => {})).toThrow(/duplicate/);
  });

  it('delivers different aggregates concurrently, each aggregate strictly in order', async () => {
    const { core } = t;
    const inFlight = new Map<string, number>();
    let maxTotal = 0;
    let maxPerAggregate = 0;
    const got: string[] = [];
    core.events.subscribe('test.slow', 'test.case.*', async (e) => {
      const agg = e.payload.agg as string;
      inFlight.set(agg, (inFlight.get(agg) ?? 0) + 1);
      maxPerAggregate = Math.max(maxPerAggregate, inFlight.get(agg)!);
      maxTotal = Math.max(maxTotal, [...inFlight.values()].reduce((a, b) => a + b, 0));
      await new Promise((r) => setTimeout(r, 10));
      inFlight.set(agg, inFlight.get(agg)! - 1);
      got.push(label(e));
    });
    for (let n = 1; n <= 3; n++) for (const agg of ['A', 'B', 'C', 'D']) await change(agg, n);
    expect(await core.events.dispatchBatch()).toBe(12);
    expect(maxPerAggregate).toBe(1);
    expect(maxTotal).toBeGreaterThan(1);
    for (const agg of ['A', 'B', 'C', 'D']) expect(got.filter((l) => l.startsWith(agg))).toEqual([`${agg}1`, `${agg}2`, `${agg}3`]);
  });

  it('without NATS, broadcast subscribers hear each event after it is dispatched; unsubscribe stops them', async () => {
    const { core } = t;
    const heard: YunlingEvent[] = [];
    const off = core.events.broadcast('test.case.*', (e) => void heard.push(e));
    core.events.broadcast('test.>', () => { throw new Error('a failing broadcast handler is only logged'); });
    await change('A', 1);
    expect(heard).toHaveLength(0);
    expect(await core.events.dispatchBatch()).toBe(1);
    const row = (await sql<any>`SELECT id, seq FROM outbox ORDER BY seq DESC LIMIT 1`.execute(core.db)).rows[0];
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ id: row.id, seq: row.seq, type: 'test.case.updated', aggregateType: 'case', aggregateId: 'A', division: '530102', actor: 'user:1', requestId: 'req-A-1', payload: { agg: 'A', n: 1 } });
    expect(typeof heard[0]!.seq).toBe('number');
    off();
    await change('A', 2);
    await core.events.dispatchBatch();
    expect(heard).toHaveLength(1);
  });
});

describe('consumers', () => {
  it('consumeOnce is true once per (consumer, event), and only if the consumer\'s transaction commits', async () => {
    const { core } = t;
    await change('A', 1);
    const id = (await sql<{ id: string }>`SELECT id FROM outbox ORDER BY seq DESC LIMIT 1`.execute(core.db)).rows[0]!.id;
    await expect(core.db.transaction().execute(async (tx) => {
      expect(await consumeOnce(tx, 'test.mailer', id)).toBe(true);
      throw new Error('work failed');
    })).rejects.toThrow('work failed');
    expect(await core.db.transaction().execute((tx) => consumeOnce(tx, 'test.mailer', id))).toBe(true);
    expect(await core.db.transaction().execute((tx) => consumeOnce(tx, 'test.mailer', id))).toBe(false);
    expect(await consumeOnce(core.db, 'test.indexer', id)).toBe(true);
  });

  it('an idempotent subscriber does its work once although the event is delivered twice', async () => {
    const { core } = t;
    const work: number[] = [];
    core.events.subscribe('test.counter', 'test.case.*', async (e) => {
      await core.db.transaction().execute(async (tx) => {
        if (!(await consumeOnce(tx, 'test.counter', e.id))) return;
        work.push(e.payload.n as number);
      });
    });
    await change('A', 1);
    await core.events.dispatchBatch();
    await sql`UPDATE outbox SET dispatched_at = NULL`.execute(core.db); // e.g. the node died before marking it
    await core.events.dispatchBatch();
    expect(work).toEqual([1]);
  });
});

describe('subject patterns', () => {
  it('match NATS-style: * one segment, > one or more', () => {
    expect(matches('>', 'a.b')).toBe(true);
    expect(matches('a.>', 'a.b.c')).toBe(true);
    expect(matches('a.>', 'a')).toBe(false);
    expect(matches('a.*', 'a.b')).toBe(true);
    expect(matches('a.*', 'a.b.c')).toBe(false);
    expect(matches('a.*.c', 'a.b.c')).toBe(true);
    expect(matches('a.b', 'a.b')).toBe(true);
    expect(matches('a.b', 'a.c')).toBe(false);
  });
});
