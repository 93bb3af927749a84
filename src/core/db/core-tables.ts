// Kysely typings of the floor's tables (see core-migrations.ts for the DDL).
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string | T, string | T>;

export interface AuditLogTable {
  seq: Generated<number>;
  id: Generated<string>;
  at: Generated<Date>;
  actor: string;
  on_behalf_of: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  division: string | null;
  purpose: string | null;
  request_id: string | null;
  detail: Json<Record<string, unknown>>;
  xid: Generated<string>;
}

export interface AuditSealTable {
  pos: number;
  seq: number;
  xid: string;
  prev_hash: Buffer;
  hash: Buffer;
  sealed_at: Generated<Date>;
}

export interface AuditCheckpointTable {
  pos: number;
  hash: Buffer;
  signed_at: Timestamp;
  algorithm: string;
  key_id: string;
  signature: Buffer;
}

export interface AuditKeyTable {
  key_id: string;
  algorithm: string;
  public_key_pem: string;
  created_at: Generated<Date>;
}

export interface OutboxTable {
  seq: Generated<number>;
  id: Generated<string>;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  division: string | null;
  actor: string | null;
  request_id: string | null;
  payload: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  dispatched_at: Timestamp | null;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
}

export interface EventConsumedTable {
  consumer: string;
  event_id: string;
  at: Generated<Date>;
}

export interface WebhookTable {
  id: Generated<string>;
  name: string;
  url: string;
  secret_enc: Buffer;
  event_types: string[];
  division: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_id: string;
  event_id: string;
  attempt: number;
  status: number | null;
  error: string | null;
  duration_ms: number | null;
  at: Generated<Date>;
}

export interface JobTable {
  id: Generated<string>;
  name: string;
  payload: Json<Record<string, unknown>>;
  key: string | null;
  division: string | null;
  run_at: Timestamp;
  status: Generated<'pending' | 'running' | 'done' | 'dead' | 'cancelled'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface DivisionTable {
  code: string;
  name: string;
  level: 'province' | 'prefecture' | 'county' | 'township' | 'village';
  parent_code: string | null;
  full_name: string;
}

export interface CalendarDayTable {
  division: string;
  date: ColumnType<string, string, string>;
  kind: 'holiday' | 'workday';
  name: string;
  updated_at: Generated<Date>;
}

export interface MetaTable {
  key: string;
  value: Json;
  updated_at: Generated<Date>;
}

export interface LeaderLeaseTable {
  name: string;
  owner: string;
  until: Timestamp;
}

declare module './types.js' {
  interface DB {
    yunling_meta: MetaTable;
    leader_lease: LeaderLeaseTable;
    audit_log: AuditLogTable;
    audit_seal: AuditSealTable;
    audit_checkpoint: AuditCheckpointTable;
    audit_key: AuditKeyTable;
    outbox: OutboxTable;
    event_consumed: EventConsumedTable;
    webhook: WebhookTable;
    webhook_delivery: WebhookDeliveryTable;
    job: JobTable;
    division: DivisionTable;
    calendar_day: CalendarDayTable;
  }
}
