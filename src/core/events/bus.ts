// The event bus. Two kinds of subscribers:
//  - subscribe(name, pattern, fn): durable work, run ONCE per cluster, at least once, in outbox order
//    per aggregate (an aggregate's later events wait while an earlier one is being retried).
//  - broadcast(pattern, fn): run on EVERY node after commit (cache invalidation, live updates);
//    through NATS JetStream when NATS_URL is set, in-process otherwise.
// Consumers must be idempotent: consumeOnce() records (consumer, event id) in the caller's transaction.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Db, Executor } from '../db/types.js';
import { matches, rowToEvent, type EventHandler, type YunlingEvent } from './types.js';
import type { NatsBridge } from './nats.js';

interface Subscription {
  name: string;
  pattern: string;
  handler: EventHandler;
}

export class EventBus {
  private subs: Subscription[] = [];
  private broadcasts: Array<{ pattern: string; handler: EventHandler }> = [];
  nats: NatsBridge | null = null;

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
    for (const b of this.broadcasts) {
      if (!matches(b.pattern, event.type)) continue;
      try {
        await b.handler(event);
      } catch (err) {
        this.log.warn({ err, event: event.id, type: event.type }, 'broadcast handler failed');
      }
    }
  }

  /** Dispatches one batch of pending outbox events; returns how many were delivered. */
  async dispatchBatch(limit = 200): Promise<number> {
    const now = this.clock.now();
    const rows = (await sql<any>`
      SELECT seq, id, type, aggregate_type, aggregate_id, division, actor, request_id, payload, created_at, next_attempt_at, attempts
      FROM outbox WHERE dispatched_at IS NULL ORDER BY seq LIMIT ${limit}`.execute(this.db)).rows;
    const blocked = new Set<string>();
    let delivered = 0;
    for (const r of rows) {
      const key = `${r.aggregate_type}\u0000${r.aggregate_id}`;
      if (blocked.has(key)) continue;
      if (r.next_attempt_at && new Date(r.next_attempt_at) > now) {
        blocked.add(key);
        continue;
      }
      const event = rowToEvent(r);
      try {
        for (const s of this.subs) if (matches(s.pattern, event.type)) await s.handler(event);
        if (this.nats) await this.nats.publish(event);
        await sql`UPDATE outbox SET dispatched_at = ${now}, last_error = NULL WHERE seq = ${r.seq}`.execute(this.db);
        if (!this.nats) await this.deliverBroadcast(event);
        delivered++;
      } catch (err) {
        blocked.add(key);
        const attempts = (r.attempts as number) + 1;
        const backoffMs = Math.min(1000 * 2 ** Math.min(attempts, 20), 10 * 60_000);
        this.log.warn({ err, event: event.id, type: event.type, attempts }, 'event delivery failed; will retry');
        await sql`UPDATE outbox SET attempts = ${attempts}, next_attempt_at = ${new Date(now.getTime() + backoffMs)},
          last_error = ${String((err as Error)?.message ?? err).slice(0, 2000)} WHERE seq = ${r.seq}`.execute(this.db);
      }
    }
    return delivered;
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
