// The event bus. Two kinds of subscribers:
//  - subscribe(name, pattern, fn): durable work, run ONCE per cluster, at least once, in outbox order
//    per aggregate (an aggregate's later events wait while an earlier one is being retried).
//  - broadcast(pattern, fn): run on EVERY node after commit (cache invalidation, live updates);
//    through NATS JetStream when NATS_URL is set, in-process otherwise. Best effort: a node that is
//    down or disconnected misses them (they are not for durable work).
// Consumers must be idempotent: consumeOnce() records (consumer, event id) in the caller's transaction.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db, Executor } from '../db/types.js';
import { matches, rowToEvent, type EventHandler, type YunlingEvent } from './types.js';
import type { NatsBridge } from './nats.js';
import { errorMessage } from '../jobs/error-message.js';

interface OutboxRow {
  seq: number; id: string; type: string; aggregate_type: string; aggregate_id: string; division: string | null;
  actor: string | null; request_id: string | null; payload: unknown; created_at: Date; next_attempt_at: Date | null; attempts: number;
}

interface Subscription {
  name: string;
  pattern: string;
  handler: EventHandler;
}

export class EventBus {
  private subs: Subscription[] = [];
  private broadcasts: Array<{ pattern: string; handler: EventHandler }> = [];
  nats: NatsBridge | null = null;
  /** How many aggregates the dispatcher delivers to at once (each aggregate stays in order). */
  concurrency = 8;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  subscribe(name: string, pattern: string, handler: EventHandler): void {
    if (this.subs.some((s) => s.name === name)) throw new Error(`duplicate event subscriber ${name}`);
    this.subs.push({ name, pattern, handler });
  }

  broadcast(pattern: string, handler: EventHandler): () => void {
    const entry = { pattern, handler };
    this.broadcasts.push(entry);
    return () => {
      this.broadcasts = this.broadcasts.filter((b) => b !== entry);
    };
  }

  /** Called for events arriving from NATS (including this node's own). */
  async deliverBroadcast(event: YunlingEvent): Promise<void> {
    for (const b of [...this.broadcasts]) {
      if (!matches(b.pattern, event.type)) continue;
      try {
        await b.handler(event);
      } catch (err) {
        this.log.warn({ err, event: event.id, type: event.type }, 'broadcast handler failed');
      }
    }
  }

  /**
   * Dispatches one batch of pending outbox events; returns how many were delivered.
   *
   * Events of one aggregate are delivered one after another in `seq` order; different aggregates
   * are delivered concurrently (up to `concurrency` at once). An aggregate whose event failed is
   * held back — its later events wait — until that event's retry time; the other aggregates'
   * events flow. A failed event is retried with backoff (2 s, 4 s, … at most 10 min), forever:
   * nothing acknowledged is dropped; `last_error` says why it is stuck. On a retry, subscribers
   * that already succeeded for the event are skipped (recorded in event_consumed as `bus:<name>`).
   */
  async dispatchBatch(limit = 200): Promise<number> {
    const now = this.clock.now();
    // Walk the pending events in seq order, page by page, skipping aggregates in backoff (and all
    // their later events), until `limit` deliverable events are found: a stuck aggregate with more
    // pending events than one batch cannot starve everything behind it, and the cost is the number
    // of held-back events ahead, not the size of the backlog.
    const rows: OutboxRow[] = [];
    const held = new Set<string>();
    for (let after = 0; rows.length < limit;) {
      const page = (await sql<OutboxRow>`
        SELECT seq, id, type, aggregate_type, aggregate_id, division, actor, request_id, payload, created_at, next_attempt_at, attempts
        FROM outbox WHERE dispatched_at IS NULL AND seq > ${after} ORDER BY seq LIMIT ${limit}`.execute(this.db)).rows;
      for (const r of page) {
        const key = `${r.aggregate_type}\u0000${r.aggregate_id}`;
        if (held.has(key)) continue;
        if (r.next_attempt_at && new Date(r.next_attempt_at) > now) {
          held.add(key);
          continue;
        }
        rows.push(r);
        if (rows.length === limit) break;
      }
      if (page.length < limit) break;
      after = page[page.length - 1]!.seq;
    }
    if (rows.length === 0) return 0;
    const groups = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      const key = `${r.aggregate_type}\u0000${r.aggregate_id}`;
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
    const queue = [...groups.values()];
    const delivered: OutboxRow[] = [];
    const worker = async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        for (const r of g) {
          if (!(await this.deliverOne(r, now))) break; // hold back this aggregate's later events
          delivered.push(r);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.concurrency, queue.length)) }, worker));
    if (delivered.length === 0) return 0;
    delivered.sort((a, b) => a.seq - b.seq);
    await sql`UPDATE outbox SET dispatched_at = ${now}, last_error = NULL WHERE seq = ANY(${delivered.map((r) => r.seq)}::bigint[])`.execute(this.db);
    if (!this.nats) for (const r of delivered) await this.deliverBroadcast(rowToEvent(r));
    return delivered.length;
  }

  /** Runs the subscribers for one event (and publishes it to NATS); false when it must be retried. */
  private async deliverOne(r: OutboxRow, now: Date): Promise<boolean> {
    const event = rowToEvent(r);
    const done = new Set<string>();
    if (r.attempts > 0) {
      const names = this.subs.filter((s) => matches(s.pattern, event.type)).map((s) => `bus:${s.name}`);
      const prior = await sql<{ consumer: string }>`SELECT consumer FROM event_consumed WHERE consumer = ANY(${names}::text[]) AND event_id = ${event.id}`.execute(this.db);
      for (const p of prior.rows) done.add(p.consumer.slice(4));
    }
    const succeeded: string[] = [];
    try {
      for (const s of this.subs) {
        if (!matches(s.pattern, event.type) || done.has(s.name)) continue;
        await s.handler(event);
        succeeded.push(s.name);
      }
      if (this.nats) await this.nats.publish(event);
      return true;
    } catch (err) {
      const attempts = r.attempts + 1;
      const backoffMs = Math.min(1000 * 2 ** Math.min(attempts, 20), 10 * 60_000);
      this.log.warn({ err, event: event.id, type: event.type, attempts }, 'event delivery failed; will retry');
      try {
        await this.db.transaction().execute(async (tx) => {
          for (const name of succeeded) await consumeOnce(tx, `bus:${name}`, event.id);
          await sql`UPDATE outbox SET attempts = ${attempts}, next_attempt_at = ${new Date(now.getTime() + backoffMs)},
            last_error = ${errorMessage(err)} WHERE seq = ${r.seq}`.execute(tx);
        });
      } catch (e) {
        // Not recorded: the event simply stays pending and is tried again on the next batch.
        this.log.error({ err: e, event: event.id }, 'could not record an event delivery failure');
      }
      return false;
    }
  }
}

/**
 * Idempotency for a consumer: returns true the first time (consumer, event) is seen in this
 * transaction's view, false on a redelivery. Call it in the same transaction as the consumer's work.
 */
export async function consumeOnce(ex: Executor, consumer: string, eventId: string): Promise<boolean> {
  const r = await sql`INSERT INTO event_consumed (consumer, event_id) VALUES (${consumer}, ${eventId}) ON CONFLICT DO NOTHING RETURNING 1 AS x`.execute(ex);
  return r.rows.length === 1;
}
