// Who may see and change what in the org directory. Reading needs org:department.read, changing
// needs org:department.manage, each in the division subtree where the caller holds it. A
// department outside every subtree the caller can read is reported as not found (404), so that
// guessing ids from another prefecture confirms nothing; a division code is public, so acting in a
// division outside the caller's scope is refused (403).
import type { Principal } from '../../core/http/auth.js';
import { scopesFor } from '../../core/http/auth.js';
import type { Actor } from '../../core/audit/record.js';
import { AppError, type Lang } from '../../core/http/errors.js';
import { isWithin } from '../../core/divisions/service.js';
import type { LocalizedText } from '../../core/validators/index.js';

export const READ = 'org:department.read';
export const MANAGE = 'org:department.manage';

/** The caller of a service function: who (for audit), with which grants, in which language. */
export interface Caller {
  principal: Principal;
  actor: Actor;
  lang: Lang;
}

export const t = (lang: Lang, m: LocalizedText): string => (lang === 'en' ? m.en : m['zh-CN']);

/** Subtrees where the caller may see departments (manage implies read). */
export function visibleScopes(p: Principal): string[] {
  return [...new Set([...scopesFor(p, READ), ...scopesFor(p, MANAGE)])];
}

export function within(division: string, scopes: string[]): boolean {
  return scopes.some((s) => isWithin(division, s));
}

export function mayIn(p: Principal, permission: string, division: string): boolean {
  return within(division, scopesFor(p, permission));
}

export function outOfScope(division: string): AppError {
  return new AppError('FORBIDDEN', { 'zh-CN': `您无权操作行政区划 ${division} 的数据`, en: `You may not act in division ${division}` });
}

export function assertMay(p: Principal, permission: string, division: string): void {
  if (!mayIn(p, permission, division)) throw outOfScope(division);
}

export const departmentNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '部门不存在', en: 'No such department' });

function grantCovers(perms: Set<string>, permission: string): boolean {
  return perms.has(permission) || perms.has('*') || perms.has(`${permission.split(':')[0]}:*`);
}

/** Every permission the caller holds in `division` (from the grants whose subtree contains it). */
function permissionsIn(p: Principal, division: string): Set<string>[] {
  if (!p.grants) return within(division, p.scopes) ? [p.permissions] : [];
  return p.grants.filter((g) => isWithin(division, g.division)).map((g) => g.permissions);
}

/** Permissions that administer the platform itself (as opposed to doing government business). */
export function isPlatformPermission(permission: string): boolean {
  return permission === '*' || /^(core|identity|org):/.test(permission);
}

/**
 * May the caller grant a role with `rolePermissions` in `division`? Only with identity:role.assign
 * there; business permissions (services:, hotline:, data:) may then be handed out, but platform
 * permissions (core:, identity:, org:, '*') only when the caller holds them there too — so a
 * department administrator can make window clerks, approvers or another department administrator,
 * but not an auditor (audit log) or a system administrator.
 */
export function mayGrant(p: Principal, division: string, rolePermissions: string[]): boolean {
  if (!mayIn(p, 'identity:role.assign', division)) return false;
  const sets = permissionsIn(p, division);
  return rolePermissions.filter(isPlatformPermission).every((perm) => sets.some((s) => grantCovers(s, perm)));
}
