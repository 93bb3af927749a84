// Forms engine tables. A published version is immutable in the database too: a trigger refuses
// any change to it except withdrawing it, so a case started on v1 validates against v1 forever.
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';

export const formsMigrations: NamedMigration[] = [
  {
    name: '20261127_0400_forms_definitions',
    up: async (db: Kysely<any>) => {
      await sql.raw(`
        CREATE TABLE form_definition (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(key) <= 64),
          version integer CHECK (version > 0),
          division text NOT NULL REFERENCES division(code),
          status text NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
          title_zh text NOT NULL CHECK (length(title_zh) BETWEEN 1 AND 200),
          title_en text NOT NULL CHECK (length(title_en) BETWEEN 1 AND 200),
          -- json, not jsonb: the order of properties is the order of the form.
          schema json NOT NULL,
          ui_schema json NOT NULL DEFAULT '{}',
          digest text NOT NULL,
          created_by text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          published_at timestamptz,
          withdrawn_at timestamptz,
          withdrawn_by text,
          CHECK ((status = 'draft') = (version IS NULL)),
          CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
          UNIQUE (key, version)
        );
        CREATE UNIQUE INDEX form_definition_one_draft ON form_definition (key, division) WHERE status = 'draft';
        CREATE INDEX form_definition_resolve ON form_definition (key, division, version DESC) WHERE status = 'published';

        CREATE FUNCTION form_definition_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            IF OLD.status = 'draft' THEN RETURN OLD; END IF;
            RAISE EXCEPTION 'form % v% is published: it cannot be deleted', OLD.key, OLD.version USING ERRCODE = 'insufficient_privilege';
          END IF;
          IF OLD.status = 'draft' THEN RETURN NEW; END IF;
          IF NEW.key IS DISTINCT FROM OLD.key OR NEW.version IS DISTINCT FROM OLD.version OR NEW.division IS DISTINCT FROM OLD.division
             OR NEW.schema::text IS DISTINCT FROM OLD.schema::text OR NEW.ui_schema::text IS DISTINCT FROM OLD.ui_schema::text
             OR NEW.title_zh IS DISTINCT FROM OLD.title_zh OR NEW.title_en IS DISTINCT FROM OLD.title_en OR NEW.digest IS DISTINCT FROM OLD.digest
             OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.created_at IS DISTINCT FROM OLD.created_at OR NEW.published_at IS DISTINCT FROM OLD.published_at
             OR (OLD.status = 'withdrawn') OR NEW.status <> 'withdrawn' THEN
            RAISE EXCEPTION 'form % v% is published: only withdrawing it is allowed', OLD.key, OLD.version USING ERRCODE = 'insufficient_privilege';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER form_definition_immutable BEFORE UPDATE OR DELETE ON form_definition
          FOR EACH ROW EXECUTE FUNCTION form_definition_immutable();`).execute(db);
    },
  },
];
