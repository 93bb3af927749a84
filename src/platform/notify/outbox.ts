// The admin outbox: every message the platform sent or tried to send, newest first, with its
// delivery state — the page where the dev adapter's "sent" SMS and e-mails can be read. Rows are
// limited to the divisions where the caller holds core:ops.read; a message with no division (a
// sign-in code to a bare number) counts as province-level.
// The digits of a security message (a sign-in code) are hidden once a real gateway has taken it:
// otherwise an operator could ask for a code to someone's phone and read it here. Rows of the dev
// adapter stay readable — nothing left the machine, and this page is the only "phone" there is.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { scopesFor } from '../../core/http/auth.js';
import { scopePrefix } from '../../core/divisions/service.js';
import { OPS_READ, type Caller } from './access.js';
import { PROVINCE } from './template-store.js';
import type { Channel, NotificationStatus } from './tables.js';

export interface OutboxQuery {
  limit: number;
  offset: number;
  channel?: Channel;
  status?: NotificationStatus;
  templateKey?: string;
}

export interface OutboxItem {
  id: string;
  channel: Channel;
  recipient: string;
  purpose: string;
  subject: string | null;
  body: string;
  status: NotificationStatus;
  adapter: string | null;
  templateKey: string | null;
  templateVersion: number | null;
  division: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export function outboxBody(r: { category: string | null; adapter: string | null; body: string }): string {
  return r.category === 'security' && r.adapter !== 'dev' ? r.body.replace(/\d{4,8}/g, (m) => '*'.repeat(m.length)) : r.body;
}

export async function listOutbox(core: Core, caller: Caller, q: OutboxQuery): Promise<{ items: OutboxItem[]; total: number }> {
  const scopes = scopesFor(caller.principal, OPS_READ);
  if (scopes.length === 0) return { items: [], total: 0 };
  const inScope = sql<boolean>`(${sql.join(scopes.map((s) => sql`coalesce(division, ${PROVINCE}) LIKE ${scopePrefix(s) + '%'}`), sql` OR `)})`;
  let base = core.db.selectFrom('notification').where(inScope);
  if (q.channel) base = base.where('channel', '=', q.channel);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.templateKey) base = base.where('template_key', '=', q.templateKey);
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: count.n,
    items: rows.map((r) => ({
      id: r.id, channel: r.channel, recipient: r.recipient_masked, purpose: r.purpose, subject: r.subject, body: outboxBody(r), status: r.status,
      adapter: r.adapter, templateKey: r.template_key, templateVersion: r.template_version, division: r.division, attempts: r.attempts,
      lastError: r.last_error, createdAt: new Date(r.created_at).toISOString(), sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    })),
  };
}
