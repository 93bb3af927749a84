// Rating invitations: one per completed application, created by a durable subscriber to
// `services.application.completed` (the applications contract), with an SMS/inbox message that
// carries a signed, expiring link. The case itself never waits on any of this (no coercion).
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { recordChange } from '../../../core/audit/record.js';
import { consumeOnce } from '../../../core/events/bus.js';
import type { Principal } from '../../../core/http/auth.js';
import { INDICATORS, LEVELS, type ServiceType } from './levels.js';
import { ratingLink, signLinkToken } from './token.js';
import { ratingSettings } from './settings.js';
import { INVITE_TEMPLATE } from './templates.js';
import type { SvcRatingInvitationTable } from './tables.js';
import type { Selectable } from 'kysely';

export type InvitationRow = Selectable<SvcRatingInvitationTable>;
export const SYSTEM = { id: 'system:services.ratings' };

/** The payload of `services.application.completed`, exactly as src/modules/services/README.md fixes it. */
export interface ApplicationCompleted {
  id: string; number: string; itemKey: string; itemName: string; division: string; handlingDivision: string; departmentCode: string;
  applicant: string | null; channel: 'online' | 'counter'; outcome: 'approved' | 'refused' | 'rejected' | 'withdrawn'; completedAt: string;
}

const DAY = 86_400_000;
const beijingDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const asUser = (a: string | null) => (!a ? null : a.startsWith('user:') ? a : `user:${a}`);

/**
 * Creates the invitation (idempotent on the application id) and messages the applicant.
 * A withdrawn application gets none: the applicant stopped before any service was given.
 */
export async function inviteForApplication(core: Core, tx: Executor, p: ApplicationCompleted): Promise<InvitationRow | null> {
  if (p.outcome === 'withdrawn') return null;
  const now = core.clock.now();
  const expiresAt = new Date(now.getTime() + ratingSettings(core).linkDays * DAY);
  const row = await tx.insertInto('svc_rating_invitation').values({
    application_id: p.id, case_number: p.number, item_key: p.itemKey, item_name: p.itemName, division: p.division, handling_division: p.handlingDivision,
    department_code: p.departmentCode, applicant: asUser(p.applicant), service_channel: p.channel, outcome: p.outcome,
    completed_at: p.completedAt, created_at: now, expires_at: expiresAt,
  }).onConflict((oc) => oc.column('application_id').doNothing()).returningAll().executeTakeFirst();
  if (!row) return null;
  await recordChange(tx, SYSTEM, { action: 'services.rating.invite', object: { type: 'services.rating-invitation', id: row.id }, division: p.handlingDivision, detail: { application: p.id, number: p.number } },
    { type: 'services.rating.invited', payload: { applicationId: p.id, caseNumber: p.number, itemKey: p.itemKey, expiresAt: expiresAt.toISOString() } });
  if (row.applicant) {
    const link = ratingLink(core, signLinkToken(core, row.id, expiresAt));
    await (await import('../../../platform/notify/index.js')).notify(core, tx, {
      to: row.applicant.slice(5), template: INVITE_TEMPLATE, purpose: `services.rating:${row.id}`, division: p.handlingDivision,
      data: { caseNumber: p.number, itemName: p.itemName, link, expiresOn: beijingDate(expiresAt) },
    });
  }
  return row;
}

export function registerInvitations(core: Core): void {
  core.events.subscribe('services.ratings.invitations', 'services.application.completed', async (event) => {
    await core.db.transaction().execute(async (tx) => {
      if (!(await consumeOnce(tx, 'services.ratings.invitations', event.id))) return;
      await inviteForApplication(core, tx, event.payload as unknown as ApplicationCompleted);
    });
  });
}

export const serviceTypeOf = (inv: Pick<InvitationRow, 'service_channel'>): ServiceType => (inv.service_channel === 'online' ? 'online' : 'offline');

/** What a rater sees before rating: the service, the scale and the indicators — nothing personal. */
export function invitationView(inv: InvitationRow, lang: 'zh-CN' | 'en' = 'zh-CN') {
  const type = serviceTypeOf(inv);
  const name = (t: { 'zh-CN': string; en: string }) => (lang === 'en' ? t.en : t['zh-CN']);
  return {
    id: inv.id, caseNumber: inv.case_number, itemKey: inv.item_key, itemName: inv.item_name, serviceType: type,
    completedAt: new Date(inv.completed_at).toISOString(), expiresAt: new Date(inv.expires_at).toISOString(),
    rated: inv.rated_at !== null,
    levels: LEVELS.map((l) => ({ stars: l.stars, code: l.code, name: name(l) })),
    indicators: INDICATORS[type].map((i) => ({ code: i.code, name: name(i) })),
  };
}

export function isApplicant(p: Principal, inv: Pick<InvitationRow, 'applicant'>): boolean {
  return !!inv.applicant && (inv.applicant === p.id || inv.applicant === p.onBehalfOf);
}

/** The signed-in person's invitations (their own, or the person they act for), newest first. */
export async function myInvitations(core: Core, p: Principal, lang: 'zh-CN' | 'en') {
  const who = [p.id, p.onBehalfOf].filter((x): x is string => !!x);
  const rows = await core.db.selectFrom('svc_rating_invitation').selectAll().where('applicant', 'in', who).orderBy('created_at', 'desc').limit(200).execute();
  return rows.map((r) => invitationView(r, lang));
}
