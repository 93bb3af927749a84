export interface YunlingEvent {
  id: string;
  seq: number;
  /** `<module>.<event>`, e.g. `core.calendar.day-set`. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  division: string | null;
  actor: string | null;
  requestId: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

export type EventHandler = (event: YunlingEvent) => Promise<void> | void;

/** NATS-style subject match over dot-separated event types: `*` one segment, `>` the rest. */
export function matches(pattern: string, type: string): boolean {
  if (pattern === '>' || pattern === type) return true;
  const p = pattern.split('.');
  const t = type.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return t.length > i;
    if (i >= t.length) return false;
    if (p[i] !== '*' && p[i] !== t[i]) return false;
  }
  return p.length === t.length;
}

export function rowToEvent(r: {
  id: string; seq: number; type: string; aggregate_type: string; aggregate_id: string; division: string | null;
  actor: string | null; request_id: string | null; payload: unknown; created_at: Date;
}): YunlingEvent {
  return {
    id: r.id, seq: r.seq, type: r.type, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, division: r.division,
    actor: r.actor, requestId: r.request_id, payload: (r.payload ?? {}) as Record<string, unknown>, createdAt: new Date(r.created_at).toISOString(),
  };
}
