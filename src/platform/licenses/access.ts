// Who may do what with licenses: licenses:type.manage defines types (department administrators),
// licenses:license.issue issues and revokes (approvers), licenses:license.read reads a license and
// fetches it with the holder's authorization (clerks, approvers, administrators, auditors). Each
// is checked in the division subtree of the license (jurisdiction).
import type { Principal } from '../../core/http/auth.js';
import { hasPermission, scopesFor } from '../../core/http/auth.js';
import type { Actor } from '../../core/audit/record.js';
import { AppError, type Lang } from '../../core/http/errors.js';
import { isWithin } from '../../core/divisions/service.js';

export const TYPE_MANAGE = 'licenses:type.manage';
export const ISSUE = 'licenses:license.issue';
export const READ = 'licenses:license.read';
/** Issue an e-bill after a payment (the payments system's client, or cashier staff). */
export const BILL_ISSUE = 'licenses:bill.issue';

export interface Caller {
  principal: Principal;
  actor: Actor;
  lang: Lang;
}

export type Text = { 'zh-CN': string; en: string };
export const t = (lang: Lang, m: Text): string => (lang === 'en' ? m.en : m['zh-CN']);

export function mayIn(p: Principal, permission: string, division: string): boolean {
  return scopesFor(p, permission).some((s) => isWithin(division, s));
}

export function assertMayIn(p: Principal, permission: string, division: string): void {
  if (!mayIn(p, permission, division)) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权操作行政区划 ${division} 的数据`, en: `You may not act in division ${division}` });
  }
}

export function assertPermission(p: Principal, permission: string): void {
  if (!hasPermission(p, permission)) throw new AppError('FORBIDDEN', undefined, undefined, { permission });
}

export const licenseNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '电子证照不存在', en: 'No such e-license' });

/** Today's date in China (UTC+8, no daylight saving) as YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const dateText = (d: Date | string | null): string | null => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : chinaDate(d));
