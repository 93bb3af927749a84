// Web sessions: an opaque random token in an httpOnly, SameSite=Lax cookie; the database keeps
// only its SHA-256. Every state-changing request made with a session cookie must carry the
// session's CSRF token in `X-CSRF-Token` (double submit: the token is also in a readable cookie).
// Signing out everywhere revokes every session of the account.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/cookie';
import type { Core } from '../../core/index.js';
import { audit } from '../../core/audit/record.js';

export const SESSION_COOKIE = 'yl_session';
export const CSRF_COOKIE = 'yl_csrf';
export const SESSION_TTL_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 2 * 3_600_000;

const hashToken = (t: string) => createHash('sha256').update(t).digest('base64url');

export interface SessionInfo {
  accountId: string;
  csrfToken: string;
  mfa: boolean;
  actingFor: string | null;
}

export async function createSession(core: Core, accountId: string, opts: { mfa: boolean; ip?: string; userAgent?: string; requestId?: string }): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = core.clock.now();
  await core.db.insertInto('web_session').values({
    id_hash: hashToken(token), account_id: accountId, csrf_token: csrfToken, mfa: opts.mfa, ip: opts.ip ?? null,
    user_agent: opts.userAgent?.slice(0, 300) ?? null, created_at: now, last_seen_at: now, expires_at: new Date(now.getTime() + SESSION_TTL_MS),
  }).execute();
  return { token, csrfToken };
}

export async function findSession(core: Core, token: string): Promise<SessionInfo | null> {
  const now = core.clock.now();
  const s = await core.db.selectFrom('web_session').innerJoin('account', 'account.id', 'web_session.account_id')
    .select(['web_session.account_id', 'web_session.csrf_token', 'web_session.mfa', 'web_session.acting_for', 'web_session.last_seen_at', 'web_session.created_at', 'web_session.expires_at', 'web_session.revoked_at', 'account.sessions_valid_after', 'account.status'])
    .where('web_session.id_hash', '=', hashToken(token)).executeTakeFirst();
  if (!s || s.revoked_at || s.status !== 'active') return null;
  if (new Date(s.expires_at) <= now || now.getTime() - new Date(s.last_seen_at).getTime() > SESSION_IDLE_MS) return null;
  if (new Date(s.created_at) < new Date(s.sessions_valid_after)) return null;
  // Touch at most once a minute: a read-mostly session does not write on every request.
  if (now.getTime() - new Date(s.last_seen_at).getTime() > 60_000) {
    await core.db.updateTable('web_session').set({ last_seen_at: now }).where('id_hash', '=', hashToken(token)).execute();
  }
  return { accountId: s.account_id, csrfToken: s.csrf_token, mfa: s.mfa, actingFor: s.acting_for };
}

export async function revokeSession(core: Core, token: string): Promise<void> {
  await core.db.updateTable('web_session').set({ revoked_at: core.clock.now() }).where('id_hash', '=', hashToken(token)).where('revoked_at', 'is', null).execute();
}

/** Signs the account out of every browser and (through sessions_valid_after) every later check. */
export async function revokeAllSessions(core: Core, accountId: string, actor: { id: string; requestId?: string | null }): Promise<number> {
  const now = core.clock.now();
  return core.db.transaction().execute(async (tx) => {
    const r = await tx.updateTable('web_session').set({ revoked_at: now }).where('account_id', '=', accountId).where('revoked_at', 'is', null).executeTakeFirst();
    await tx.updateTable('account').set({ sessions_valid_after: now }).where('id', '=', accountId).execute();
    await audit(tx, actor, { action: 'identity.session.revoke-all', object: { type: 'account', id: accountId }, detail: { sessions: Number(r.numUpdatedRows) } });
    return Number(r.numUpdatedRows);
  });
}

export function setSessionCookies(core: Core, reply: FastifyReply, token: string, csrfToken: string): void {
  const secure = core.config.baseUrl.startsWith('https:');
  const maxAge = Math.floor(SESSION_TTL_MS / 1000);
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  reply.setCookie(CSRF_COOKIE, csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies?.[SESSION_COOKIE];
}

export async function auditSignOut(core: Core, accountId: string, requestId: string): Promise<void> {
  await audit(core.db, { id: `user:${accountId}`, requestId }, { action: 'identity.signout', object: { type: 'account', id: accountId } });
}
