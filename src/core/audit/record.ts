// Writing audit entries and events: every state change calls recordChange() inside its own
// transaction, so the change, its audit entry and its outbox event commit or vanish together.
import { sql } from 'kysely';
import type { Executor } from '../db/types.js';

export interface Actor {
  /** `user:<uuid>`, `client:<client_id>`, `system:<component>` or `cli:<os user>`. */
  id: string;
  onBehalfOf?: string | null;
  requestId?: string | null;
}

export interface AuditEntry {
  action: string;
  object?: { type: string; id: string } | null;
  division?: string | null;
  purpose?: string | null;
  detail?: Record<string, unknown>;
}

export interface EventInput {
  /** `<module>.<event>`, e.g. `core.calendar.day-set`; published to NATS as `yunling.<type>`. */
  type: string;
  aggregate: { type: string; id: string };
  division?: string | null;
  payload?: Record<string, unknown>;
}

export async function audit(ex: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await sql`INSERT INTO audit_log (actor, on_behalf_of, action, object_type, object_id, division, purpose, request_id, detail)
    VALUES (${actor.id}, ${actor.onBehalfOf ?? null}, ${entry.action}, ${entry.object?.type ?? null}, ${entry.object?.id ?? null},
            ${entry.division ?? null}, ${entry.purpose ?? null}, ${actor.requestId ?? null}, ${JSON.stringify(entry.detail ?? {})}::jsonb)`.execute(ex);
}

export async function emit(ex: Executor, actor: Actor | null, event: EventInput): Promise<void> {
  await sql`INSERT INTO outbox (type, aggregate_type, aggregate_id, division, actor, request_id, payload)
    VALUES (${event.type}, ${event.aggregate.type}, ${event.aggregate.id}, ${event.division ?? null}, ${actor?.id ?? null},
            ${actor?.requestId ?? null}, ${JSON.stringify(event.payload ?? {})}::jsonb)`.execute(ex);
}

/**
 * The audit entry and the event of one state change, in ONE round trip (a data-modifying CTE).
 * Must be called with the transaction that makes the change.
 */
export async function recordChange(ex: Executor, actor: Actor, entry: AuditEntry, event: Omit<EventInput, 'aggregate'> & { aggregate?: EventInput['aggregate'] }): Promise<void> {
  const aggregate = event.aggregate ?? entry.object;
  if (!aggregate) throw new Error('recordChange needs an aggregate (or an audit object)');
  const division = event.division ?? entry.division ?? null;
  await sql`WITH a AS (
      INSERT INTO audit_log (actor, on_behalf_of, action, object_type, object_id, division, purpose, request_id, detail)
      VALUES (${actor.id}, ${actor.onBehalfOf ?? null}, ${entry.action}, ${entry.object?.type ?? null}, ${entry.object?.id ?? null},
              ${entry.division ?? null}, ${entry.purpose ?? null}, ${actor.requestId ?? null}, ${JSON.stringify(entry.detail ?? {})}::jsonb)
    )
    INSERT INTO outbox (type, aggregate_type, aggregate_id, division, actor, request_id, payload)
    VALUES (${event.type}, ${aggregate.type}, ${aggregate.id}, ${division}, ${actor.id}, ${actor.requestId ?? null},
            ${JSON.stringify(event.payload ?? {})}::jsonb)`.execute(ex);
}
