// Who may do what with a work order. Hotline staff act within the division subtrees of their
// grants; a handling unit's staff act on orders dispatched to their department (or on which the
// department is a co-handler). An order the caller may not see answers 404 whatever the route.
import { hasPermission, type Caller, type Principal } from '../../core/http/auth.js';
import { AppError } from '../../core/http/errors.js';
import { mayIn, assertMayIn } from '../../core/http/auth.js';

export type { Caller };

export const CREATE = 'hotline:order.create';
export const READ = 'hotline:order.read';
export const DISPATCH = 'hotline:order.dispatch';
/** Handling-unit work (the hotline_unit role). */
export const HANDLE = ['hotline:order.handle'];

export { mayIn, assertMayIn };

/** Departments the caller works for: their own, and any a grant is bound to. */
export function departmentsOf(p: Principal): string[] {
  const d = new Set<string>();
  if (p.department) d.add(p.department);
  for (const g of p.grants ?? []) if (g.department) d.add(g.department);
  return [...d];
}

export function isCitizen(p: Principal): boolean {
  return p.kind === 'citizen' || p.kind === 'enterprise';
}

/** May this caller do unit work for `department` on an order in `division`? */
export function mayHandle(p: Principal, department: string | null, division: string): boolean {
  if (!department || !departmentsOf(p).includes(department)) return false;
  return HANDLE.some((perm) => mayIn(p, perm, division) || (hasPermission(p, perm) && !p.grants));
}

export const orderNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '工单不存在', en: 'No such work order' });
