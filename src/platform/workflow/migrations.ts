// Workflow tables: published definitions (immutable versions), instances (cases), their tasks
// and their complete history, and the round-robin cursor.
import { sql } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';

export const workflowMigrations: NamedMigration[] = [
  {
    name: '20261127_0500_workflow',
    up: async (db) => {
      await sql.raw(`
        CREATE TABLE wf_definition (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          key text NOT NULL,
          version integer NOT NULL CHECK (version > 0),
          division text NOT NULL,
          status text NOT NULL DEFAULT 'published' CHECK (status IN ('published','withdrawn')),
          title text NOT NULL,
          definition jsonb NOT NULL,
          published_by text NOT NULL,
          published_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (key, division, version)
        );
        CREATE TABLE wf_instance (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          definition_id uuid NOT NULL REFERENCES wf_definition(id),
          key text NOT NULL,
          division text NOT NULL,
          number text UNIQUE,
          title text NOT NULL,
          state text NOT NULL,
          state_seq integer NOT NULL DEFAULT 1,
          status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','completed')),
          outcome text,
          applicant text,
          data jsonb NOT NULL DEFAULT '{}'::jsonb,
          parent_id uuid REFERENCES wf_instance(id),
          parent_seq integer,
          pauses jsonb NOT NULL DEFAULT '[]'::jsonb,
          extension jsonb NOT NULL DEFAULT '{"workingDays":0,"workingHours":0}'::jsonb,
          created_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          state_entered_at timestamptz NOT NULL,
          state_due_at timestamptz,
          due_at timestamptz,
          row_version integer NOT NULL DEFAULT 1
        );
        CREATE INDEX wf_instance_division ON wf_instance (division text_pattern_ops, key, state);
        CREATE INDEX wf_instance_applicant ON wf_instance (applicant) WHERE applicant IS NOT NULL;
        CREATE INDEX wf_instance_parent ON wf_instance (parent_id) WHERE parent_id IS NOT NULL;
        CREATE TABLE wf_task (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          instance_id uuid NOT NULL REFERENCES wf_instance(id),
          state text NOT NULL,
          state_seq integer NOT NULL,
          division text NOT NULL,
          role text,
          department_id uuid,
          assignee uuid,
          status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
          vote text CHECK (vote IN ('approve','reject')),
          due_at timestamptz,
          supervised boolean NOT NULL DEFAULT false,
          escalation text,
          created_at timestamptz NOT NULL,
          claimed_at timestamptz,
          completed_at timestamptz,
          completed_by text
        );
        CREATE INDEX wf_task_assignee ON wf_task (assignee, due_at) WHERE status = 'open';
        CREATE INDEX wf_task_queue ON wf_task (role, division text_pattern_ops) WHERE status = 'open' AND assignee IS NULL;
        CREATE INDEX wf_task_instance ON wf_task (instance_id, state_seq);
        CREATE TABLE wf_history (
          id bigserial PRIMARY KEY,
          instance_id uuid NOT NULL REFERENCES wf_instance(id),
          at timestamptz NOT NULL,
          actor text NOT NULL,
          on_behalf_of text,
          kind text NOT NULL,
          action text,
          from_state text,
          to_state text,
          comment text,
          diff jsonb,
          attachments jsonb,
          detail jsonb NOT NULL DEFAULT '{}'::jsonb
        );
        CREATE INDEX wf_history_instance ON wf_history (instance_id, id);
        CREATE TABLE wf_round_robin (
          key text NOT NULL,
          state text NOT NULL,
          division text NOT NULL,
          role text NOT NULL,
          last_account uuid NOT NULL,
          PRIMARY KEY (key, state, division, role)
        );`).execute(db);
    },
  },
];
