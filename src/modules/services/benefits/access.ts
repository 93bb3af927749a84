// Who may do what with benefits: publishing policies and re-running scans need
// services:benefit.manage (department administrators), listing grants services:benefit.read
// (window clerks, approvers, administrators, auditors) — each in the caller's division subtrees.
import type { FastifyRequest } from 'fastify';
import { actorOf, scopesFor, type Caller, type Principal } from '../../../core/http/auth.js';
import { AppError, pickLang, type Lang } from '../../../core/http/errors.js';
import { isWithin } from '../../../core/divisions/service.js';
import type { LocalizedText } from '../../../core/validators/index.js';

export const MANAGE = 'services:benefit.manage';
export const READ = 'services:benefit.read';

export type { Caller };

export const callerOf = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });

export const t = (lang: Lang, m: LocalizedText): string => (lang === 'en' ? m.en : m['zh-CN']);

/** Subtrees where the caller holds `permission` (manage implies read). */
export function scopesOf(p: Principal, permission: string): string[] {
  return permission === READ ? [...new Set([...scopesFor(p, READ), ...scopesFor(p, MANAGE)])] : scopesFor(p, permission);
}

export function assertMay(p: Principal, permission: string, division: string): void {
  if (!scopesOf(p, permission).some((s) => isWithin(division, s))) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权操作行政区划 ${division} 的数据`, en: `You may not act in division ${division}` });
  }
}

/** The signed-in person's account id; staff and API clients have no benefits of their own. */
export function personOf(p: Principal): string {
  if (!p.id.startsWith('user:') || (p.accountType && p.accountType !== 'citizen')) {
    throw new AppError('FORBIDDEN', { 'zh-CN': '仅限自然人账号使用', en: 'Only for citizens signed in with their own account' });
  }
  return p.id.slice(5);
}
