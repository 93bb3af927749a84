// Hotline tables: work orders (caller data encrypted, blind-indexed, masked), per-division time
// limits, returns, extensions, co-handlers (首接负责), supervision marks (督办) and refusals.
import { sql } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';
import { reindexKb } from './kb-index.js';

export const hotlineMigrations: NamedMigration[] = [
  {
    name: '20261127_0700_hotline_orders',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE hotline_order (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          number text NOT NULL UNIQUE,
          division text NOT NULL,
          channel text NOT NULL,
          demand_type text NOT NULL,
          category_code text NOT NULL,
          category_path text NOT NULL,
          title text NOT NULL,
          content text NOT NULL,
          urgency text NOT NULL CHECK (urgency IN ('normal','urgent')),
          caller_name_enc bytea,
          caller_name_masked text,
          caller_phone_enc bytea,
          caller_phone_bidx text,
          caller_phone_masked text,
          anonymous boolean NOT NULL DEFAULT false,
          address text,
          lat double precision,
          lng double precision,
          status text NOT NULL,
          refusal_code text,
          refusal_note text,
          instance_id uuid UNIQUE,
          unit_department_id uuid,
          forced boolean NOT NULL DEFAULT false,
          return_count integer NOT NULL DEFAULT 0,
          signed_at timestamptz,
          replied_at timestamptz,
          reply text,
          closed_at timestamptz,
          satisfaction text,
          merged_into uuid REFERENCES hotline_order(id),
          reopen_count integer NOT NULL DEFAULT 0,
          due_at timestamptz,
          time_limit jsonb NOT NULL DEFAULT '{}'::jsonb,
          source_platform text NOT NULL DEFAULT '12345',
          transfer_type text,
          police_case_no text,
          transfer_suggested boolean NOT NULL DEFAULT false,
          applicant text,
          created_by text NOT NULL,
          idempotency_key text,
          request_hash text,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          UNIQUE (created_by, idempotency_key)
        );
        CREATE INDEX hotline_order_division ON hotline_order (division text_pattern_ops, created_at);
        CREATE INDEX hotline_order_phone ON hotline_order (caller_phone_bidx, created_at);
        CREATE INDEX hotline_order_unit ON hotline_order (unit_department_id, status);
        CREATE TABLE hotline_time_limit (
          division text NOT NULL,
          demand_type text NOT NULL,
          working_days integer NOT NULL CHECK (working_days BETWEEN 1 AND 365),
          urgent_hours integer NOT NULL CHECK (urgent_hours BETWEEN 1 AND 240),
          PRIMARY KEY (division, demand_type)
        );
        CREATE TABLE hotline_return (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          order_id uuid NOT NULL REFERENCES hotline_order(id),
          department_id uuid NOT NULL,
          reason_code text NOT NULL,
          legal_basis text NOT NULL,
          note text,
          decision text CHECK (decision IN ('redispatched','overruled')),
          created_by text NOT NULL,
          created_at timestamptz NOT NULL,
          decided_at timestamptz
        );
        CREATE TABLE hotline_extension (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          order_id uuid NOT NULL REFERENCES hotline_order(id),
          working_days integer NOT NULL,
          reason text NOT NULL,
          legal_basis text NOT NULL,
          status text NOT NULL CHECK (status IN ('pending','approved','refused')),
          old_due_at timestamptz NOT NULL,
          new_due_at timestamptz,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL,
          decided_by text,
          decided_at timestamptz
        );
        CREATE TABLE hotline_co_handler (
          order_id uuid NOT NULL REFERENCES hotline_order(id),
          department_id uuid NOT NULL,
          status text NOT NULL CHECK (status IN ('open','replied')),
          reply text,
          created_at timestamptz NOT NULL,
          replied_at timestamptz,
          replied_by text,
          PRIMARY KEY (order_id, department_id)
        );
        CREATE TABLE hotline_supervision (
          order_id uuid NOT NULL REFERENCES hotline_order(id),
          kind text NOT NULL CHECK (kind IN ('remind','urge','notice')),
          due_at timestamptz NOT NULL,
          department_id uuid,
          at timestamptz NOT NULL,
          PRIMARY KEY (order_id, kind, due_at)
        );
      `).execute(db);
    },
  },
  {
    name: '20261127_0710_hotline_kb',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE hotline_kb_entry (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          division text NOT NULL,
          department_id uuid,
          category_path text NOT NULL,
          title text NOT NULL UNIQUE CHECK (char_length(title) BETWEEN 1 AND 128),
          content text NOT NULL,
          issuing_unit text NOT NULL,
          kind text NOT NULL,
          keywords text[] NOT NULL DEFAULT '{}',
          valid_from date,
          valid_to date,
          status text NOT NULL CHECK (status IN ('review','published','rejected')),
          instance_id uuid,
          search tsvector NOT NULL,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
        CREATE INDEX hotline_kb_search ON hotline_kb_entry USING gin (search);
        CREATE INDEX hotline_kb_division ON hotline_kb_entry (division text_pattern_ops, status);
      `).execute(db);
    },
  },
  {
    name: '20261127_0720_hotline_open311_clients',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE hotline_api_client (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          name text NOT NULL,
          kind text NOT NULL CHECK (kind IN ('open311','police-110')),
          division text NOT NULL,
          key_hash text NOT NULL UNIQUE,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL,
          revoked_at timestamptz
        );
      `).execute(db);
    },
  },
  {
    name: '20261127_0730_hotline_police_updates',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE hotline_police_update (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          order_id uuid NOT NULL REFERENCES hotline_order(id),
          direction text NOT NULL CHECK (direction IN ('to-110','from-110')),
          status text NOT NULL,
          note text,
          police_case_no text,
          actor text NOT NULL,
          at timestamptz NOT NULL
        );
        CREATE INDEX hotline_police_update_order ON hotline_police_update (order_id, at);
        CREATE INDEX hotline_order_police_case ON hotline_order (police_case_no) WHERE police_case_no IS NOT NULL;
      `).execute(db);
    },
  },
  {
    name: '20261127_0740_hotline_dispatch_rules',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE hotline_dispatch_rule (
          division text NOT NULL,
          category_prefix text NOT NULL,
          department_id uuid NOT NULL,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL,
          PRIMARY KEY (division, category_prefix)
        );
      `).execute(db);
    },
  },
  {
    name: '20261127_0750_hotline_chat',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE hotline_chat (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          principal text NOT NULL,
          division text NOT NULL,
          messages jsonb NOT NULL DEFAULT '[]'::jsonb,
          order_id uuid REFERENCES hotline_order(id),
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL
        );
        CREATE INDEX hotline_chat_principal ON hotline_chat (principal, updated_at);
      `).execute(db);
    },
  },
  {
    // Knowledge search moves from character bigrams to the shared jieba tokenizer (kb-index.ts):
    // rewrite every stored vector. A database without entries never loads jieba here.
    name: '20261130_1400_hotline_kb_jieba',
    up: async (db) => {
      await reindexKb(db as never);
    },
  },
  {
    // Knowledge search ranks a capped candidate set (kb.ts searchKb): title and keyword matches
    // first, found by their own GIN index on the A and B parts of the stored vector (an expression
    // index: nothing new to write), so a broad word (公积金) never reads every content hit. The
    // vector is read for every candidate's ts_rank: lz4 decompresses it faster than pglz (PGlite,
    // built without lz4, keeps pglz).
    name: '20261130_1450_hotline_kb_title_index',
    up: async (db) => {
      await sql.raw(`
        CREATE INDEX hotline_kb_search_title ON hotline_kb_entry USING gin (ts_filter(search, '{a,b}'));
        DO $lz4$ BEGIN
          ALTER TABLE hotline_kb_entry ALTER COLUMN search SET COMPRESSION lz4;
        EXCEPTION WHEN OTHERS THEN NULL;
        END $lz4$;
      `).execute(db);
    },
  },
];
