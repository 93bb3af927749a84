// Notification tables. 20261126_0200 is released: never edit it; add migrations after it.
import { sql, type Kysely } from 'kysely';
import type { NamedMigration } from '../../core/db/migrate.js';
import './tables.js';

const run = async (db: Kysely<any>, text: string): Promise<void> => {
  await sql.raw(text).execute(db);
};

export const notifyMigrations: NamedMigration[] = [
  {
    name: '20261126_0200_notify_outbox',
    up: async (db) => {
      await sql.raw(`CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel text NOT NULL CHECK (channel IN ('sms','email','inbox')),
        recipient_enc bytea NOT NULL,
        recipient_masked text NOT NULL,
        purpose text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','sent','failed')),
        adapter text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      );
      CREATE INDEX notification_created ON notification (created_at DESC);`).execute(db);
    },
  },
  {
    name: '20261127_0300_notify_templates_inbox',
    up: (db) =>
      run(
        db,
        `CREATE TABLE notify_template (
           id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
           key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+$' AND length(key) <= 100),
           division text NOT NULL REFERENCES division(code),
           version integer NOT NULL CHECK (version >= 1),
           category text NOT NULL CHECK (category IN ('case-status','task','reminder','security')),
           channels text[] NOT NULL CHECK (cardinality(channels) >= 1 AND channels <@ ARRAY['sms','email','inbox']::text[]),
           placeholders text[] NOT NULL DEFAULT '{}',
           subject_zh text NOT NULL,
           subject_en text NOT NULL,
           body_zh text NOT NULL,
           body_en text NOT NULL,
           sms_zh text,
           sms_en text,
           builtin boolean NOT NULL DEFAULT false,
           created_by text NOT NULL,
           created_at timestamptz NOT NULL DEFAULT now(),
           UNIQUE (key, division, version)
         );
         CREATE TABLE notify_preference (
           account_id uuid PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
           sms boolean NOT NULL DEFAULT true,
           email boolean NOT NULL DEFAULT true,
           muted_categories text[] NOT NULL DEFAULT '{}'
             CHECK (muted_categories <@ ARRAY['case-status','task','reminder']::text[]),
           lang text CHECK (lang IN ('zh-CN','en')),
           updated_at timestamptz NOT NULL DEFAULT now()
         );
         ALTER TABLE notification
           ADD COLUMN account_id uuid REFERENCES account(id),
           ADD COLUMN division text,
           ADD COLUMN category text CHECK (category IN ('case-status','task','reminder','security')),
           ADD COLUMN template_key text,
           ADD COLUMN template_version integer,
           ADD COLUMN lang text CHECK (lang IN ('zh-CN','en')),
           ADD COLUMN subject text,
           ADD COLUMN attempts integer NOT NULL DEFAULT 0,
           ADD COLUMN last_error text,
           ADD COLUMN read_at timestamptz,
           ADD CONSTRAINT notification_inbox_account CHECK (channel <> 'inbox' OR account_id IS NOT NULL);
         CREATE INDEX notification_inbox ON notification (account_id, created_at DESC) WHERE channel = 'inbox';
         CREATE INDEX notification_unread ON notification (account_id) WHERE channel = 'inbox' AND read_at IS NULL;
         CREATE INDEX notification_outbox ON notification (channel, status, created_at DESC);`,
      ),
  },
];
