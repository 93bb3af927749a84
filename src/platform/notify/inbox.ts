// The in-app inbox: a person's own notification rows on the `inbox` channel. Every query is
// bound to the signed-in account, so another person's message id answers 404 like a missing one.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import type { Self } from './access.js';
import type { Category } from './tables.js';

export interface InboxMessage {
  id: string;
  subject: string | null;
  body: string;
  category: Category | null;
  templateKey: string | null;
  purpose: string;
  createdAt: string;
  readAt: string | null;
}

export interface InboxPage {
  items: InboxMessage[];
  total: number;
  unread: number;
  limit: number;
  offset: number;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export async function listInbox(core: Core, self: Self, q: { limit: number; offset: number; unreadOnly?: boolean }): Promise<InboxPage> {
  const mine = core.db.selectFrom('notification').where('account_id', '=', self.accountId).where('channel', '=', 'inbox');
  const filtered = q.unreadOnly ? mine.where('read_at', 'is', null) : mine;
  const [rows, counts] = await Promise.all([
    filtered.select(['id', 'subject', 'body', 'category', 'template_key', 'purpose', 'created_at', 'read_at'])
      .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute(),
    mine.select([sql<number>`count(*)::int`.as('total'), sql<number>`(count(*) FILTER (WHERE read_at IS NULL))::int`.as('unread')]).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({ id: r.id, subject: r.subject, body: r.body, category: r.category, templateKey: r.template_key, purpose: r.purpose, createdAt: iso(r.created_at)!, readAt: iso(r.read_at) })),
    total: q.unreadOnly ? counts.unread : counts.total,
    unread: counts.unread,
    limit: q.limit,
    offset: q.offset,
  };
}

const notFound = () => new AppError('NOT_FOUND', { 'zh-CN': '消息不存在', en: 'No such message' });

/** Marks one of the caller's messages read (idempotent: a message read before keeps its time). */
export async function markRead(core: Core, self: Self, id: string): Promise<{ id: string; readAt: string }> {
  return core.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('notification').select(['id', 'read_at', 'division']).where('id', '=', id)
      .where('account_id', '=', self.accountId).where('channel', '=', 'inbox').forUpdate().executeTakeFirst();
    if (!row) throw notFound();
    if (row.read_at) return { id, readAt: iso(row.read_at)! };
    const now = core.clock.now();
    await tx.updateTable('notification').set({ read_at: now }).where('id', '=', id).execute();
    await recordChange(tx, self.actor, { action: 'notify.inbox.read', object: { type: 'notification', id }, division: row.division },
      { type: 'notify.inbox.read', aggregate: { type: 'account', id: self.accountId }, payload: { accountId: self.accountId, ids: [id] } });
    return { id, readAt: now.toISOString() };
  });
}

export async function markAllRead(core: Core, self: Self): Promise<{ updated: number }> {
  return core.db.transaction().execute(async (tx) => {
    const rows = await tx.updateTable('notification').set({ read_at: core.clock.now() })
      .where('account_id', '=', self.accountId).where('channel', '=', 'inbox').where('read_at', 'is', null).returning('id').execute();
    if (rows.length) {
      await recordChange(tx, self.actor, { action: 'notify.inbox.read-all', object: { type: 'account', id: self.accountId }, detail: { count: rows.length } },
        { type: 'notify.inbox.read', payload: { accountId: self.accountId, count: rows.length } });
    }
    return { updated: rows.length };
  });
}
