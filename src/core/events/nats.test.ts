// Two nodes on one database, each with NATS_URL: node A writes and dispatches; node B's broadcast
// subscribers receive the event from JetStream (subject yunling.<type>, same id). Registered only
// when YUNLING_TEST_NATS is set (a NATS JetStream server); the connection-failure test always runs.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { connect, type NatsConnection } from 'nats';
import { freshDatabase, onPostgres, testConfig, testCore, type TestCore, type TestDatabase } from '../../../test/db.js';
import { createDatabase } from '../db/index.js';
import { recordChange } from '../audit/record.js';
import type { YunlingEvent } from './types.js';

const natsUrl = process.env.YUNLING_TEST_NATS;

async function waitFor(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('NATS unreachable', () => {
  it('a node with a NATS_URL that cannot be reached fails to start, promptly and with the reason', async () => {
    const database = await freshDatabase();
    try {
      await expect(testCore({ env: { NATS_URL: 'nats://127.0.0.1:1', NATS_STREAM: 'YUNLING_T_unreachable' }, database }))
        .rejects.toThrow(/CONNECTION_REFUSED|ECONNREFUSED|connect/i);
    } finally {
      await database.close();
    }
  });
});

if (natsUrl) {
  describe('NATS JetStream bridge (two nodes)', () => {
    let a: TestCore;
    let b: TestCore;
    let nc: NatsConnection;
    let stream: string;

    beforeEach(async () => {
      stream = `YUNLING_T_${randomBytes(5).toString('hex')}`;
      nc = await connect({ servers: natsUrl });
      const env = { NATS_URL: natsUrl, NATS_STREAM: stream };
      const database: TestDatabase = await freshDatabase();
      a = await testCore({ env, database });
      // Node B: its own pool on the same PostgreSQL database; on PGlite (one engine per process)
      // the same handle, closed by node A.
      const dbB = onPostgres
        ? await createDatabase({ ...testConfig(), databaseUrl: database.url!, databasePoolSize: 4 })
        : { ...database, close: async () => {} };
      b = await testCore({ env, database: dbB, clock: a.clock });
    });
    afterEach(async () => {
      await b?.close();
      await a?.close();
      const jsm = await nc.jetstreamManager();
      await jsm.streams.delete(stream).catch(() => {});
      await nc.close();
      a = b = undefined as unknown as TestCore;
    });

    async function change(id: string, n = 1): Promise<string> {
      await a.core.db.transaction().execute((tx) =>
        recordChange(tx, { id: 'user:1' }, { action: 'test.case.update', object: { type: 'case', id }, division: '530102' }, { type: 'test.case.updated', payload: { id, n } }));
      return (await sql<{ id: string }>`SELECT id FROM outbox ORDER BY seq DESC LIMIT 1`.execute(a.core.db)).rows[0]!.id;
    }

    it('node B\'s broadcast subscribers receive node A\'s event, with the same id, on subject yunling.<type>', async () => {
      const onB: YunlingEvent[] = [];
      const onA: YunlingEvent[] = [];
      const durable: string[] = [];
      b.core.events.broadcast('test.case.*', (e) => void onB.push(e));
      a.core.events.broadcast('test.case.*', (e) => void onA.push(e));
      // Durable subscribers are registered on every node but run once, on the dispatching node.
      a.core.events.subscribe('test.durable', 'test.>', () => void durable.push('A'));
      b.core.events.subscribe('test.durable', 'test.>', () => void durable.push('B'));

      const id = await change('case-1');
      expect((await a.core.workers.tick()).dispatched).toBeGreaterThanOrEqual(1);
      await waitFor(() => onB.length === 1 && onA.length === 1, 'the event on both nodes');
      expect(onB[0]).toMatchObject({ id, type: 'test.case.updated', aggregateId: 'case-1', payload: { id: 'case-1', n: 1 } });
      expect(onA[0]!.id).toBe(id);
      expect(durable).toEqual(['A']);
      expect(a.core.events.nats!.subject(onB[0]!)).toBe('yunling.test.case.updated');
      const jsm = await nc.jetstreamManager();
      const stored = await jsm.streams.getMessage(stream, { last_by_subj: 'yunling.test.case.updated' });
      expect(stored.subject).toBe('yunling.test.case.updated');
      expect(stored.json<YunlingEvent>().id).toBe(id);
      expect(stored.header.get('Nats-Msg-Id')).toBe(id);

      // B's dispatcher finds nothing to do: A already dispatched.
      expect((await b.core.workers.tick()).dispatched).toBe(0);
    });

    it('JetStream drops a republished event (Nats-Msg-Id = event id): subscribers hear it once', async () => {
      const onB: YunlingEvent[] = [];
      b.core.events.broadcast('test.>', (e) => void onB.push(e));
      const first = await change('case-1', 1);
      await a.core.events.dispatchBatch();
      await sql`UPDATE outbox SET dispatched_at = NULL WHERE id = ${first}`.execute(a.core.db); // at-least-once: sent again
      await a.core.events.dispatchBatch();
      const second = await change('case-1', 2);
      await a.core.events.dispatchBatch();
      await waitFor(() => onB.some((e) => e.id === second), 'the second event');
      expect(onB.map((e) => e.id)).toEqual([first, second]);
    });

    it('keeps listening after an unreadable message, a failing handler and a consumer failure', async () => {
      const onB: YunlingEvent[] = [];
      b.core.events.broadcast('test.>', (e) => {
        if (e.payload.n === 1) throw new Error('handler bug');
        onB.push(e);
      });
      nc.publish('yunling.test.garbage', 'this is not JSON');
      await nc.flush();
      await change('case-1', 1); // its handler throws
      await change('case-1', 2);
      await a.core.events.dispatchBatch();
      await waitFor(() => onB.some((e) => e.payload.n === 2), 'the event after the bad message');

      const bridge = b.core.events.nats! as unknown as { messages: unknown; failConsumer(e: Error): void };
      const before = bridge.messages;
      bridge.failConsumer(new Error('simulated consumer failure'));
      const during = await change('case-2', 3); // published while B's consumer is being reopened
      await a.core.events.dispatchBatch();
      await waitFor(() => onB.some((e) => e.id === during), 'the event published during the outage');
      expect(bridge.messages).not.toBe(before); // it was a new consumer that delivered it
      const after = await change('case-2', 4);
      await a.core.events.dispatchBatch();
      await waitFor(() => onB.some((e) => e.id === after), 'the event after the reopen');
      expect(onB.map((e) => e.payload.n)).toEqual([2, 3, 4]);
    });

    it('a publish failure holds the event for retry; it goes out once NATS is reachable', async () => {
      const onB: YunlingEvent[] = [];
      b.core.events.broadcast('test.>', (e) => void onB.push(e));
      const bridge = a.core.events.nats!;
      const publish = bridge.publish.bind(bridge);
      bridge.publish = async () => { throw new Error('503 no responders'); };
      const id = await change('case-1');
      expect(await a.core.events.dispatchBatch()).toBe(0);
      expect((await sql<any>`SELECT attempts, last_error FROM outbox WHERE id = ${id}`.execute(a.core.db)).rows[0]).toEqual({ attempts: 1, last_error: '503 no responders' });
      bridge.publish = publish;
      a.clock.advance(2000);
      expect(await a.core.events.dispatchBatch()).toBe(1);
      await waitFor(() => onB.length === 1, 'the retried event');
      expect(onB[0]!.id).toBe(id);
    });
  });
}
