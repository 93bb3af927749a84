// Who may do what with notifications. Templates need notify:template.manage in the template's
// division subtree; a division code is public, so publishing outside it is 403 (as in org).
// Inbox and preferences belong to the signed-in person and need no permission: their routes are
// declared `public` (like identity's own-session routes) and selfAccount() then insists on a
// signed-in account and, for a browser session, on the CSRF token that the session authenticator
// only checks on non-public routes.
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { actorOf, scopesFor } from '../../core/http/auth.js';
import type { Actor } from '../../core/audit/record.js';
import { AppError, pickLang, type Lang } from '../../core/http/errors.js';
import { isWithin } from '../../core/divisions/service.js';
import { divisionAncestors, type LocalizedText } from '../../core/validators/index.js';
import { findSession, sessionToken } from '../identity/sessions.js';

export const TEMPLATE_MANAGE = 'notify:template.manage';
export const OPS_READ = 'core:ops.read';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The caller of a service function: who (for audit), with which grants, in which language. */
export interface Caller {
  principal: Principal;
  actor: Actor;
  lang: Lang;
}

/** A person acting on their own notifications: the account, for audit the actor, and the language. */
export interface Self {
  accountId: string;
  actor: Actor;
  lang: Lang;
}

export const t = (lang: Lang, m: LocalizedText): string => (lang === 'en' ? m.en : m['zh-CN']);

export const callerOf = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });

export async function selfAccount(core: Core, req: FastifyRequest): Promise<Self> {
  const p = req.principal;
  if (!p) throw new AppError('UNAUTHENTICATED');
  if (!p.id.startsWith('user:')) throw new AppError('FORBIDDEN', { 'zh-CN': '只有个人账号有消息收件箱和通知设置', en: 'Only personal accounts have an inbox and notification settings' });
  if (UNSAFE.has(req.method)) {
    const token = sessionToken(req);
    const s = token ? await findSession(core, token) : null;
    if (s && req.headers['x-csrf-token'] !== s.csrfToken) throw new AppError('CSRF_FAILED');
  }
  return { accountId: p.id.slice(5), actor: actorOf(req), lang: pickLang(req.headers['accept-language']) };
}

export function outOfScope(division: string): AppError {
  return new AppError('FORBIDDEN', { 'zh-CN': `您无权操作行政区划 ${division} 的数据`, en: `You may not act in division ${division}` });
}

export function mayManageIn(p: Principal, division: string): boolean {
  return scopesFor(p, TEMPLATE_MANAGE).some((s) => isWithin(division, s));
}

/**
 * Divisions whose templates the caller may read: every division inside a managed subtree, and
 * the ancestors of each (a county administrator sees the province template it would override).
 */
export function templateVisibility(p: Principal): { prefixes: string[]; ancestors: string[] } {
  const scopes = scopesFor(p, TEMPLATE_MANAGE);
  return { prefixes: scopes, ancestors: [...new Set(scopes.flatMap((s) => divisionAncestors(s)))] };
}
