// The floor's own tables. Each module keeps its migrations beside its code; src/migrations.ts
// gathers them. Raw SQL: it is the clearest statement of a schema, and stays within PostgreSQL 15.
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from './migrate.js';

const run = async (db: Kysely<any>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

export const coreMigrations: NamedMigration[] = [
  {
    name: '20261126_0001_core_meta',
    up: (db) =>
      run(
        db,
        `CREATE TABLE yunling_meta (key text PRIMARY KEY, value jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
         CREATE TABLE leader_lease (name text PRIMARY KEY, owner text NOT NULL, until timestamptz NOT NULL);`,
      ),
  },
  {
    name: '20261126_0002_core_audit',
    // audit_log: written by every transaction (one INSERT, no shared row lock).
    // audit_seal: the hash chain, appended by the single sealer in (xid, seq) order.
    // audit_checkpoint: signed chain heads. All three refuse UPDATE, DELETE and TRUNCATE.
    up: (db) =>
      run(
        db,
        `CREATE TABLE audit_log (
           seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
           id uuid NOT NULL DEFAULT gen_random_uuid(),
           at timestamptz NOT NULL DEFAULT clock_timestamp(),
           actor text NOT NULL,
           on_behalf_of text,
           action text NOT NULL,
           object_type text,
           object_id text,
           division text,
           purpose text,
           request_id text,
           detail jsonb NOT NULL DEFAULT '{}'::jsonb,
           xid xid8 NOT NULL DEFAULT pg_current_xact_id()
         );
         CREATE INDEX audit_log_xid_seq ON audit_log (xid, seq);
         CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
         CREATE INDEX audit_log_actor ON audit_log (actor, at);
         CREATE TABLE audit_seal (
           pos bigint PRIMARY KEY,
           seq bigint NOT NULL UNIQUE,
           xid xid8 NOT NULL,
           prev_hash bytea NOT NULL,
           hash bytea NOT NULL,
           sealed_at timestamptz NOT NULL DEFAULT clock_timestamp()
         );
         CREATE TABLE audit_checkpoint (
           pos bigint PRIMARY KEY,
           hash bytea NOT NULL,
           signed_at timestamptz NOT NULL,
           algorithm text NOT NULL,
           key_id text NOT NULL,
           signature bytea NOT NULL
         );
         CREATE TABLE audit_key (
           key_id text PRIMARY KEY,
           algorithm text NOT NULL,
           public_key_pem text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now()
         );
         CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           RAISE EXCEPTION 'audit tables are append-only: % on % refused', TG_OP, TG_TABLE_NAME
             USING ERRCODE = 'insufficient_privilege';
         END $$;
         CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_append_only();
         CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
         CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE ON audit_seal FOR EACH ROW EXECUTE FUNCTION audit_append_only();
         CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_seal FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
         CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint FOR EACH ROW EXECUTE FUNCTION audit_append_only();
         CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();`,
      ),
  },
  {
    name: '20261126_0003_core_events',
    up: (db) =>
      run(
        db,
        `CREATE TABLE outbox (
           seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
           id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
           type text NOT NULL,
           aggregate_type text NOT NULL,
           aggregate_id text NOT NULL,
           division text,
           actor text,
           request_id text,
           payload jsonb NOT NULL DEFAULT '{}'::jsonb,
           created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
           dispatched_at timestamptz,
           attempts int NOT NULL DEFAULT 0,
           next_attempt_at timestamptz,
           last_error text
         );
         CREATE INDEX outbox_pending ON outbox (seq) WHERE dispatched_at IS NULL;
         CREATE TABLE event_consumed (
           consumer text NOT NULL,
           event_id uuid NOT NULL,
           at timestamptz NOT NULL DEFAULT now(),
           PRIMARY KEY (consumer, event_id)
         );
         CREATE TABLE webhook (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           name text NOT NULL,
           url text NOT NULL,
           secret_enc bytea NOT NULL,
           event_types text[] NOT NULL,
           division text,
           active boolean NOT NULL DEFAULT true,
           created_at timestamptz NOT NULL DEFAULT now()
         );
         CREATE TABLE webhook_delivery (
           id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
           webhook_id uuid NOT NULL REFERENCES webhook(id),
           event_id uuid NOT NULL,
           attempt int NOT NULL,
           status int,
           error text,
           duration_ms int,
           at timestamptz NOT NULL DEFAULT now()
         );
         CREATE INDEX webhook_delivery_event ON webhook_delivery (webhook_id, event_id);`,
      ),
  },
  {
    name: '20261126_0004_core_jobs',
    up: (db) =>
      run(
        db,
        `CREATE TABLE job (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           name text NOT NULL,
           payload jsonb NOT NULL DEFAULT '{}'::jsonb,
           key text,
           division text,
           run_at timestamptz NOT NULL,
           status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','running','done','dead','cancelled')),
           attempts int NOT NULL DEFAULT 0,
           max_attempts int NOT NULL DEFAULT 10,
           locked_by text,
           locked_until timestamptz,
           last_error text,
           created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
           finished_at timestamptz
         );
         CREATE INDEX job_due ON job (run_at) WHERE status = 'pending';
         CREATE INDEX job_running ON job (locked_until) WHERE status = 'running';
         CREATE UNIQUE INDEX job_active_key ON job (key) WHERE key IS NOT NULL AND status IN ('pending','running');`,
      ),
  },
  {
    name: '20261126_0005_core_divisions_calendar',
    up: (db) =>
      run(
        db,
        `CREATE TABLE division (
           code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
           name text NOT NULL,
           level text NOT NULL CHECK (level IN ('province','prefecture','county','township','village')),
           parent_code text REFERENCES division(code),
           full_name text NOT NULL
         );
         CREATE INDEX division_parent ON division (parent_code);
         CREATE INDEX division_code_prefix ON division (code text_pattern_ops);
         CREATE TABLE calendar_day (
           division text NOT NULL REFERENCES division(code),
           date date NOT NULL,
           kind text NOT NULL CHECK (kind IN ('holiday','workday')),
           name text NOT NULL,
           updated_at timestamptz NOT NULL DEFAULT now(),
           PRIMARY KEY (division, date)
         );`,
      ),
  },
];
