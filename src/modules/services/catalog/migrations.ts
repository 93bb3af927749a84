// Catalog tables. An item (事项) is identified by its key across divisions; each division that
// implements it publishes immutable versions; a division may also mark an inherited item as not
// implemented there. Search uses a `simple` tsvector of tokens computed in TypeScript (search.ts).
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../../../core/db/migrate.js';
import { reindexCatalogSearch } from './search-reindex.js';

export const migrations: NamedMigration[] = [
  {
    name: '20261127_0500_services_catalog',
    up: async (db: Kysely<any>) => {
      await sql.raw(`
        CREATE TABLE svc_item (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          key text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9-]{1,63}$'),
          basic_code text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE svc_item_version (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          item_id uuid NOT NULL REFERENCES svc_item(id),
          division text NOT NULL REFERENCES division(code),
          version integer NOT NULL CHECK (version > 0),
          status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'withdrawn')),
          code text NOT NULL,
          name text NOT NULL,
          item_type text NOT NULL,
          handling text NOT NULL CHECK (handling IN ('instant', 'promised')),
          legal_days integer NOT NULL CHECK (legal_days >= 0),
          promised_days integer NOT NULL CHECK (promised_days >= 0),
          department_code text NOT NULL,
          department_name text NOT NULL,
          form_key text,
          workflow_key text NOT NULL,
          materials jsonb NOT NULL,
          life_events text[] NOT NULL DEFAULT '{}',
          elements jsonb NOT NULL,
          search tsvector NOT NULL,
          digest text NOT NULL,
          published_by text NOT NULL,
          published_at timestamptz NOT NULL DEFAULT now(),
          withdrawn_by text,
          withdrawn_at timestamptz,
          UNIQUE (item_id, version),
          CONSTRAINT svc_item_promised_within_legal CHECK (promised_days <= legal_days)
        );
        CREATE INDEX svc_item_version_current ON svc_item_version (item_id, division, version DESC) WHERE status = 'published';
        CREATE INDEX svc_item_version_division ON svc_item_version (division) WHERE status = 'published';
        CREATE INDEX svc_item_version_code ON svc_item_version (code);
        CREATE INDEX svc_item_version_events ON svc_item_version USING gin (life_events);
        CREATE INDEX svc_item_version_search ON svc_item_version USING gin (search);
        CREATE TABLE svc_item_local (
          item_id uuid NOT NULL REFERENCES svc_item(id),
          division text NOT NULL REFERENCES division(code),
          note text,
          set_by text NOT NULL,
          set_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (item_id, division)
        );
        -- A published version is what cases pin: only withdrawing it is allowed, never a change or a delete.
        CREATE FUNCTION svc_item_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'service item version % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
          END IF;
          IF OLD.status = 'withdrawn' OR NEW.status <> 'withdrawn'
             OR (to_jsonb(NEW) - 'status' - 'withdrawn_by' - 'withdrawn_at') IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'withdrawn_by' - 'withdrawn_at') THEN
            RAISE EXCEPTION 'service item version % is published: only withdrawing it is allowed', OLD.id USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER svc_item_version_immutable BEFORE UPDATE OR DELETE ON svc_item_version
          FOR EACH ROW EXECUTE FUNCTION svc_item_version_immutable();
      `).execute(db);
    },
  },
  {
    // Search moved from bigrams to jieba words + bigrams (search.ts), and the exact-keyword rank bonus
    // reads a copied text[] instead of the jsonb (repo.ts searchResolved). Both columns are derived
    // data (an index of the row, not what a case pins), so the immutability trigger lets them change,
    // and every existing version is re-indexed here, once, in the migration's transaction.
    name: '20261129_0100_services_catalog_search_jieba',
    up: async (db: Kysely<any>) => {
      await sql.raw(`
        ALTER TABLE svc_item_version ADD COLUMN search_keywords text[] NOT NULL DEFAULT '{}';
        -- Every search hit decompresses its vector (for ts_rank, and for the match when the planner
        -- scans): lz4 does it several times faster than the default pglz (营业执照 over 10,000 items:
        -- 40 → 19 ms). A server built without lz4 (PGlite) keeps pglz.
        DO $lz4$ BEGIN
          ALTER TABLE svc_item_version ALTER COLUMN search SET COMPRESSION lz4;
        EXCEPTION WHEN OTHERS THEN NULL;
        END $lz4$;
        CREATE OR REPLACE FUNCTION svc_item_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'service item version % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
          END IF;
          IF (to_jsonb(NEW) - 'search' - 'search_keywords') = (to_jsonb(OLD) - 'search' - 'search_keywords') THEN
            RETURN NEW; -- a re-index: only the derived search columns change
          END IF;
          IF OLD.status = 'withdrawn' OR NEW.status <> 'withdrawn'
             OR (to_jsonb(NEW) - 'status' - 'withdrawn_by' - 'withdrawn_at' - 'search' - 'search_keywords') IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'withdrawn_by' - 'withdrawn_at' - 'search' - 'search_keywords') THEN
            RAISE EXCEPTION 'service item version % is published: only withdrawing it is allowed', OLD.id USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN NEW;
        END $$;
      `).execute(db);
      await reindexCatalogSearch(db);
    },
  },
];
