// Who reads ratings and rectification items: staff holding services:rating.read (window clerks,
// approvers, department administrators, auditors), each in the subtrees where they hold it.
// A rating outside every such subtree answers 404.
import type { Principal } from '../../../core/http/auth.js';
import { scopesFor } from '../../../core/http/auth.js';
import { isWithin } from '../../../core/divisions/service.js';
import { AppError } from '../../../core/http/errors.js';

export const READ_PERMISSIONS = ['services:rating.read'] as const;

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
