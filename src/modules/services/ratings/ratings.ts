// Taking a rating, on every channel: the SMS link (token, no sign-in), the portal (signed in), the
// hall tablet (a window clerk enters the visitor's choice, 一次一评) and the 12345 hotline (an
// operator enters the caller's choice). One rating per invitation; a 差评 opens its rectification
// case on the workflow engine in the same transaction — never half-written.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import type { Actor } from '../../../core/audit/record.js';
import { recordChange } from '../../../core/audit/record.js';
import { AppError, type FieldError, type Lang } from '../../../core/http/errors.js';
import type { Principal } from '../../../core/http/auth.js';
import { scopesFor } from '../../../core/http/auth.js';
import { isWithin } from '../../../core/divisions/service.js';
import { divisionChain } from '../../../platform/workflow/definitions.js';
import { validateMobile, maskMobile } from '../../../core/validators/index.js';
import { isBad, levelOf, normaliseIndicators, ratingProblems, type RatingInput, type ServiceType } from './levels.js';
import { isApplicant, serviceTypeOf, type InvitationRow } from './invitations.js';
import { verifyLinkToken } from './token.js';
import { openRectification } from './rectification.js';
import { ratingView } from './views.js';

export interface Caller { principal: Principal; actor: Actor; lang: Lang }

const invalid = (errors: FieldError[]) => new AppError('VALIDATION_FAILED', { 'zh-CN': `评价有 ${errors.length} 处需要修改`, en: `${errors.length} problems with the rating` }, errors);
const invitationGone = () => new AppError('NOT_FOUND', { 'zh-CN': '评价邀请不存在或链接无效', en: 'No such rating invitation, or the link is invalid' });
const alreadyRated = () => new AppError('CONFLICT', { 'zh-CN': '该办件已经评价过，每件只能评价一次', en: 'This case has already been rated (one rating per case)' });
const expired = () => new AppError('INVALID_STATE', { 'zh-CN': '评价链接已过期', en: 'The rating link has expired' });

interface NewRating {
  invitation?: InvitationRow | null;
  mode: 'case' | 'visit';
  channel: 'web' | 'sms' | 'counter' | 'hotline';
  serviceType: ServiceType;
  input: RatingInput;
  rater: string | null;
  raterMobile?: string | null;
  division: string;
  departmentCode: string;
  itemKey?: string | null;
  itemName?: string | null;
  caseNumber?: string | null;
  applicationId?: string | null;
  window?: string | null;
  enteredBy?: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
}

/** Inserts the rating (and, for a 差评, its rectification case) in the caller's transaction. */
async function insertRating(core: Core, tx: Executor, actor: Actor, n: NewRating) {
  const problems = ratingProblems(n.input, n.serviceType);
  if (problems.length) throw invalid(problems);
  const now = core.clock.now();
  if (n.invitation) {
    // The invitation row is the lock: two submits of one link serialise here, the second sees rated_at.
    const inv = await tx.updateTable('svc_rating_invitation').set({ rated_at: now }).where('id', '=', n.invitation.id).where('rated_at', 'is', null).returning('id').executeTakeFirst();
    if (!inv) throw alreadyRated();
  }
  const bad = isBad(n.input.level);
  const comment = n.input.comment?.trim() || null;
  const row = await tx.insertInto('svc_rating').values({
    invitation_id: n.invitation?.id ?? null, application_id: n.applicationId ?? n.invitation?.application_id ?? null, case_number: n.caseNumber ?? n.invitation?.case_number ?? null,
    mode: n.mode, channel: n.channel, service_type: n.serviceType, level: n.input.level, indicators: JSON.stringify(normaliseIndicators(n.input)), comment,
    rater: n.rater, rater_mobile_enc: n.raterMobile ? core.crypto.encrypt(core.keys.field, n.raterMobile, 'svc_rating.rater_mobile') : null,
    rater_mobile_masked: n.raterMobile ? maskMobile(n.raterMobile) : null,
    division: n.division, department_code: n.departmentCode, item_key: n.itemKey ?? n.invitation?.item_key ?? null, item_name: n.itemName ?? n.invitation?.item_name ?? null,
    window: n.window ?? null, entered_by: n.enteredBy ?? null, idempotency_key: n.idempotencyKey ?? null, request_hash: n.requestHash ?? null, bad, created_at: now,
  }).returningAll().executeTakeFirstOrThrow();
  // No personal data in the event: it fans out to webhooks and dashboards.
  await recordChange(tx, actor, { action: 'services.rating.create', object: { type: 'services.rating', id: row.id }, division: row.division, detail: { level: row.level, channel: row.channel, mode: row.mode, invitation: row.invitation_id } },
    { type: 'services.rating.created', payload: { level: row.level, levelName: levelOf(row.level)['zh-CN'], bad, channel: row.channel, mode: row.mode, serviceType: row.service_type, departmentCode: row.department_code, itemKey: row.item_key, caseNumber: row.case_number } });
  if (bad) return openRectification(core, tx, actor, row);
  return row;
}

async function loadInvitation(ex: Executor, id: string): Promise<InvitationRow | undefined> {
  return (await sql<InvitationRow>`SELECT * FROM svc_rating_invitation WHERE id = ${id} FOR UPDATE`.execute(ex)).rows[0];
}

/** The SMS link: whoever holds a valid, unexpired token may rate that one case, once, without signing in. */
export async function invitationByToken(core: Core, token: string): Promise<InvitationRow> {
  const check = verifyLinkToken(core, token);
  if (!check.ok) throw check.reason === 'expired' ? expired() : invitationGone();
  const inv = await core.db.selectFrom('svc_rating_invitation').selectAll().where('id', '=', check.invitationId).executeTakeFirst();
  if (!inv) throw invitationGone();
  return inv;
}

export async function rateByToken(core: Core, actor: Actor, token: string, input: RatingInput) {
  const check = verifyLinkToken(core, token);
  if (!check.ok) throw check.reason === 'expired' ? expired() : invitationGone();
  const row = await core.db.transaction().execute(async (tx) => {
    const inv = await loadInvitation(tx, check.invitationId);
    if (!inv) throw invitationGone();
    // Whoever holds the link acts; the audit says for whom the link was issued.
    return insertRating(core, tx, { ...actor, id: 'anonymous:rating-link', onBehalfOf: inv.applicant }, { invitation: inv, mode: 'case', channel: 'sms', serviceType: serviceTypeOf(inv), input, rater: inv.applicant, division: inv.handling_division, departmentCode: inv.department_code });
  });
  return ratingView(row, 'rater');
}

/** The portal: the applicant (or someone acting for them) rates their own case. Anyone else: 404. */
export async function rateInvitation(core: Core, caller: Caller, invitationId: string, input: RatingInput) {
  const row = await core.db.transaction().execute(async (tx) => {
    const inv = await loadInvitation(tx, invitationId);
    if (!inv || !isApplicant(caller.principal, inv)) throw invitationGone();
    if (core.clock.now() >= new Date(inv.expires_at)) throw expired();
    return insertRating(core, tx, caller.actor, { invitation: inv, mode: 'case', channel: 'web', serviceType: serviceTypeOf(inv), input, rater: inv.applicant, division: inv.handling_division, departmentCode: inv.department_code });
  });
  return ratingView(row, 'rater');
}

export interface StaffEntry extends RatingInput {
  division: string;
  departmentCode: string;
  caseNumber?: string | null;
  window?: string | null;
  itemKey?: string | null;
  itemName?: string | null;
  callerMobile?: string | null;
  idempotencyKey: string;
}

/** A department known in the division or its ancestors (the catalog's 实施主体 codes). */
async function departmentExists(ex: Executor, code: string, division: string): Promise<boolean> {
  const hit = await ex.selectFrom('department').select('id').where('code', '=', code).where('division', 'in', divisionChain(division)).executeTakeFirst();
  return !!hit;
}

const requestHash = (e: StaffEntry) => createHash('sha256').update(JSON.stringify([e.division, e.departmentCode, e.caseNumber ?? null, e.window ?? null, e.itemKey ?? null, e.level, e.indicators ?? {}, e.comment ?? null, e.callerMobile ?? null])).digest('hex');

/**
 * A rating entered by staff: the hall tablet (`counter`, by a window clerk) or the hotline (by an
 * operator). With a case number that has an invitation in the division, it IS that case's one
 * rating (一事一评); without, it is a visit rating (一次一评). The idempotency key makes a double tap
 * return the first rating; the same key with other content is a 409.
 */
export async function rateByStaff(core: Core, caller: Caller, channel: 'counter' | 'hotline', e: StaffEntry, permission: string) {
  if (!scopesFor(caller.principal, permission).some((s) => isWithin(e.division, s))) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权在行政区划 ${e.division} 登记评价`, en: `You may not record ratings in division ${e.division}` });
  }
  const hash = requestHash(e);
  const enteredBy = caller.actor.id;
  const replay = async (ex: Executor) => {
    const prior = await ex.selectFrom('svc_rating').selectAll().where('entered_by', '=', enteredBy).where('idempotency_key', '=', e.idempotencyKey).executeTakeFirst();
    if (prior && prior.request_hash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT');
    return prior;
  };
  const prior = await replay(core.db);
  if (prior) return { rating: ratingView(prior, 'staff'), replayed: true };
  const errors: FieldError[] = [];
  let mobile: string | null = null;
  if (e.callerMobile) {
    const m = validateMobile(e.callerMobile);
    if (m.ok) mobile = m.value; else errors.push({ pointer: '/body/callerMobile', code: m.reason, message: `${m.message['zh-CN']} / ${m.message.en}` });
  }
  if (!(await departmentExists(core.db, e.departmentCode, e.division))) errors.push({ pointer: '/body/departmentCode', code: 'unknown', message: `行政区划 ${e.division} 没有部门 ${e.departmentCode} / no such department` });
  const write = () => core.db.transaction().execute(async (tx) => {
    let inv: InvitationRow | undefined;
    if (e.caseNumber) {
      const found = await tx.selectFrom('svc_rating_invitation').select('id').where('case_number', '=', e.caseNumber).executeTakeFirst();
      inv = found ? await loadInvitation(tx, found.id) : undefined;
      // A case of another division is not this clerk's to rate: treated as unknown, not revealed.
      if (inv && !isWithin(inv.handling_division, e.division) && !isWithin(inv.division, e.division)) inv = undefined;
    }
    const serviceType: ServiceType = inv ? serviceTypeOf(inv) : 'offline';
    const all = [...errors, ...ratingProblems(e, serviceType)];
    if (all.length) throw invalid(all);
    return insertRating(core, tx, caller.actor, {
      invitation: inv ?? null, mode: inv ? 'case' : 'visit', channel, serviceType, input: e, rater: inv?.applicant ?? null, raterMobile: mobile,
      division: inv?.handling_division ?? e.division, departmentCode: inv?.department_code ?? e.departmentCode, caseNumber: e.caseNumber ?? null,
      itemKey: inv ? null : (e.itemKey ?? null), itemName: inv ? null : (e.itemName ?? null), window: e.window ?? null,
      enteredBy, idempotencyKey: e.idempotencyKey, requestHash: hash,
    });
  });
  let row;
  try {
    row = await write();
  } catch (err) {
    // Two concurrent submits with one key: the unique index lets one in; the other is a replay.
    if ((err as { code?: string }).code !== '23505' || !/entered_by_idempotency/.test(String((err as { constraint?: string }).constraint ?? (err as Error).message))) throw err;
    row = null;
  }
  if (!row) {
    const again = await replay(core.db);
    return { rating: ratingView(again!, 'staff'), replayed: true };
  }
  return { rating: ratingView(row, 'staff'), replayed: false };
}
