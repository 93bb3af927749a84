// Who may do what to a case. Workflow roles are the identity role codes (window_clerk, approver…)
// held in a subtree that contains the case's division; `applicant` is the person the case is for.
// A case outside every subtree the caller can read answers 404, so guessing ids confirms nothing.
import type { Caller, Principal } from '../../core/http/auth.js';
import { AppError } from '../../core/http/errors.js';
import { isWithin } from '../../core/divisions/service.js';
import { mayIn, assertMayIn } from '../../core/http/auth.js';

export type WfCaller = Caller;

export const READ = 'workflow:task.read';
export const ACT = 'workflow:task.act';
export const SUPERVISE = 'workflow:task.supervise';

export { mayIn, assertMayIn };

/** The account uuid behind a `user:<uuid>` principal, or null for clients and systems. */
export function accountOf(p: Principal): string | null {
  return p.id.startsWith('user:') ? p.id.slice(5) : null;
}

/** Does the caller hold `role` in a subtree containing `division` (and, if given, in that department)? */
export function holdsRole(p: Principal, role: string, division: string, department?: string | null): boolean {
  // A grant bound to a department counts there; an unbound grant counts in the person's own department.
  return (p.grants ?? []).some((g) => g.role === role && isWithin(division, g.division) && (!department || (g.department ?? p.department) === department));
}

/** Roles (of `roles`) the caller holds for a case in `division`. */
export function rolesHeld(p: Principal, roles: readonly string[], division: string): string[] {
  return roles.filter((r) => holdsRole(p, r, division));
}

export const caseNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '办件不存在', en: 'No such case' });
export const taskNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '任务不存在', en: 'No such task' });

/** May the caller see this case at all? Staff reading in scope, supervisors, or the applicant. */
export function maySee(p: Principal, c: { division: string; applicant: string | null }): boolean {
  if (c.applicant && (c.applicant === p.id || c.applicant === p.onBehalfOf)) return true;
  return mayIn(p, READ, c.division) || mayIn(p, SUPERVISE, c.division);
}
