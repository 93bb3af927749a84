// Who may see an application: its applicant (or someone acting for them), and staff reading cases
// in a subtree containing the handling or the accepting division (收受分离: both offices see it).
// Anyone else gets the same 404 as for an id that does not exist.
import { scopesFor, type Caller, type Principal } from '../../../core/http/auth.js';
import { isWithin } from '../../../core/divisions/service.js';
import { AppError } from '../../../core/http/errors.js';

export type { Caller };

export const READ_PERMISSIONS = ['services:case.read', 'workflow:task.read', 'workflow:task.supervise'];

export function staffMayRead(p: Principal, division: string): boolean {
  return READ_PERMISSIONS.some((perm) => scopesFor(p, perm).some((s) => isWithin(division, s)));
}

/** The `user:<uuid>` the caller applies as: the represented person when acting for someone. */
export function applicantOf(p: Principal): string | null {
  const who = p.onBehalfOf ?? p.id;
  return who.startsWith('user:') ? who : null;
}

export function isApplicant(p: Principal, app: { applicant: string }): boolean {
  return app.applicant === p.id || (!!p.onBehalfOf && app.applicant === p.onBehalfOf);
}

export function maySeeApplication(p: Principal, app: { applicant: string; division: string; handling_division: string }): boolean {
  return isApplicant(p, app) || staffMayRead(p, app.handling_division) || staffMayRead(p, app.division);
}

export const applicationNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '办件不存在', en: 'No such application' });
