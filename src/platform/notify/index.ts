// Notifications (minimal, extended by the toolbox issue): messages are queued in the caller's
// transaction and sent by a job through an adapter. The dev adapter "sends" by marking the row
// sent, so the admin outbox (GET /api/admin/notifications) shows what a real SMS gateway would
// have received. Recipients are stored encrypted and shown masked.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { NamedMigration } from '../../core/db/migrate.js';
import { maskMobile } from '../../core/validators/index.js';
import type { ColumnType, Generated } from 'kysely';

export interface NotificationTable {
  id: Generated<string>;
  channel: 'sms' | 'email' | 'inbox';
  recipient_enc: Buffer;
  recipient_masked: string;
  purpose: string;
  body: string;
  status: Generated<'queued' | 'sent' | 'failed'>;
  adapter: string | null;
  created_at: Generated<Date>;
  sent_at: ColumnType<Date, Date | string | undefined, Date | string> | null;
}

declare module '../../core/db/types.js' {
  interface DB {
    notification: NotificationTable;
  }
}

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
];

const AAD = Buffer.from('notification.recipient');
export const SEND_JOB = 'notify.send';

/** Never let a full resident ID number into a text message. */
export function scrubIdNumbers(text: string): string {
  return text.replace(/\b(\d{4})\d{10}(\d{3}[\dXx])\b/g, '$1**********$2');
}

export async function queueSms(core: Core, ex: Executor, mobile: string, purpose: string, body: string): Promise<string> {
  const row = await ex.insertInto('notification').values({
    channel: 'sms', recipient_enc: core.crypto.encrypt(core.keys.field, mobile, AAD), recipient_masked: maskMobile(mobile), purpose, body: scrubIdNumbers(body),
  }).returning('id').executeTakeFirstOrThrow();
  await core.jobs.schedule(ex, SEND_JOB, { id: row.id }, { inMs: 0 });
  return row.id;
}

export function registerNotify(core: Core): void {
  core.jobs.define(SEND_JOB, {
    maxAttempts: 8,
    handler: async (job) => {
      // Dev adapter: the message is delivered to the admin outbox. A real SMS gateway adapter
      // would decrypt the recipient here and call the gateway, failing (→ retry) on errors.
      await core.db.updateTable('notification').set({ status: 'sent', adapter: 'dev', sent_at: core.clock.now() })
        .where('id', '=', (job.payload as { id: string }).id).where('status', '=', 'queued').execute();
    },
  });
}

export const notifyRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/admin/notifications', {
    config: { permission: 'core:ops.read' },
    schema: {
      tags: ['通知 notifications'],
      summary: '通知发件箱（开发适配器）Notification outbox',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), channel: Type.String(), recipient: Type.String(), purpose: Type.String(), body: Type.String(), status: Type.String(), createdAt: Type.String() })) }) },
    },
  }, async (req) => {
    const { limit } = req.query as { limit: number };
    const rows = await core.db.selectFrom('notification').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
    return { items: rows.map((r) => ({ id: r.id, channel: r.channel, recipient: r.recipient_masked, purpose: r.purpose, body: r.body, status: r.status, createdAt: new Date(r.created_at).toISOString() })) };
  });
};
