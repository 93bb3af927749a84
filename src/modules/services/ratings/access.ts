// Who reads ratings and rectification items: staff holding any of these permissions, each in the
// subtrees where they hold it (window clerks and approvers through services:case.read, department
// administrators through workflow:task.read/.supervise). A rating outside every such subtree
// answers 404. A dedicated `services:rating.read` would be cleaner (requested in the README).
import type { Principal } from '../../../core/http/auth.js';
import { scopesFor } from '../../../core/http/auth.js';
import { isWithin } from '../../../core/divisions/service.js';
import { AppError } from '../../../core/http/errors.js';

export const READ_PERMISSIONS = ['services:case.read', 'workflow:task.read', 'workflow:task.supervise'] as const;

export function readScopes(p: Principal): string[] {
  return [...new Set(READ_PERMISSIONS.flatMap((perm) => scopesFor(p, perm)))];
}

export const mayRead = (p: Principal, division: string) => readScopes(p).some((s) => isWithin(division, s));

export const ratingNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '评价不存在', en: 'No such rating' });

/**
 * 申诉复核 is decided by a department administrator of the division ABOVE the rating's: a grant
 * whose subtree contains the division without being that division itself.
 */
export function isSupervisorAbove(p: Principal, division: string): boolean {
  return (p.grants ?? []).some((g) => g.role === 'department_admin' && g.division !== division && isWithin(division, g.division));
}
