// 差评整改 on the workflow engine: the definition `svc.rectification` (rectification.yaml) is
// published at province level by ensureRectificationDefinition(); a 差评 starts a case in the
// rating's division inside the rating's own transaction; the case's transitions are mirrored onto
// the rating (for statistics and the rater's view) by a durable subscriber, whichever route acted
// (this module's or the workbench's generic workflow routes). Appeal decisions are `system`
// actions in the definition, reachable only through decideAppeal(), which enforces "a supervisor
// of the division above".
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import type { Actor } from '../../../core/audit/record.js';
import { recordChange } from '../../../core/audit/record.js';
import { consumeOnce } from '../../../core/events/bus.js';
import { AppError } from '../../../core/http/errors.js';
import type { Principal } from '../../../core/http/auth.js';
import { nextCaseNumber } from '../../../core/numbering/index.js';
import { applyAction, caseView, definitionCached, loadDefinitionFile, lockInstance, publishDefinition, resolveDefinition, startInstance } from '../../../platform/workflow/index.js';
import { divisionChain } from '../../../platform/workflow/definitions.js';
import { levelOf } from './levels.js';
import { isSupervisorAbove, mayRead, ratingNotFound } from './access.js';
import { ratingView, type RatingRow } from './views.js';
import { REPLY_TEMPLATE } from './templates.js';
import type { Caller } from './ratings.js';

export const RECTIFICATION_KEY = 'svc.rectification';
/**
 * The same process for a rated department that is not in the organisation register of the
 * rating's division (or above): nobody can be bound to it, so 核实 goes to the division's approvers.
 * Derived from rectification.yaml at start, never edited separately.
 */
export const RECTIFICATION_DIVISION_KEY = 'svc.rectification.division';
const RECTIFICATION_KEYS = new Set([RECTIFICATION_KEY, RECTIFICATION_DIVISION_KEY]);
const SYSTEM_ID = 'system:services.ratings';

/** The shipped definition. Built code runs from dist/, where tsc does not copy YAML: fall back to src/. */
export function rectificationFile(): string {
  const here = fileURLToPath(new URL('./rectification.yaml', import.meta.url));
  return fs.existsSync(here) ? here : here.replace(/([\\/])dist([\\/])/, '$1src$2');
}

const systemPrincipal = (permission: string): Principal => ({ id: SYSTEM_ID, name: '好差评', kind: 'system', permissions: new Set([permission]), scopes: ['530000'] });

// jsonb does not keep key order, so "same definition" is compared on a canonical form.
const canonical = (v: unknown): string => Array.isArray(v) ? `[${v.map(canonical).join(',')}]`
  : v && typeof v === 'object' ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}` : JSON.stringify(v);

/**
 * Publishes the shipped definition at 530000 unless the province already has it, idempotently.
 * A version an administrator published (another time limit, another ladder) is never replaced.
 */
export async function ensureRectificationDefinition(core: Core): Promise<{ published: boolean; version: number }> {
  const def = (await loadDefinitionFile(rectificationFile())) as { key: string; title: Record<string, string>; states: Array<{ id: string; assignment?: Record<string, unknown> }> };
  const divisionWide = {
    ...def, key: RECTIFICATION_DIVISION_KEY, title: { 'zh-CN': `${def.title['zh-CN']}（部门未登记，区划审批人员核实）`, en: `${def.title.en ?? 'Rectification'} (department not registered)` },
    states: def.states.map((st) => (st.assignment?.departmentFrom ? { ...st, assignment: { role: st.assignment.role } } : st)),
  };
  await ensurePublished(core, RECTIFICATION_DIVISION_KEY, divisionWide);
  return ensurePublished(core, RECTIFICATION_KEY, def);
}

async function ensurePublished(core: Core, key: string, def: unknown): Promise<{ published: boolean; version: number }> {
  const current = await resolveDefinition(core.db, key, '530000');
  if (current && (current.publishedBy !== SYSTEM_ID || canonical(current.definition) === canonical(def))) return { published: false, version: current.version };
  const p = await publishDefinition(core, { principal: systemPrincipal('workflow:definition.manage'), actor: { id: SYSTEM_ID }, lang: 'zh-CN' }, { division: '530000', definition: def });
  return { published: true, version: p.version };
}

/** Is the rated department in the organisation register of the division or above (so approvers can be bound to it)? */
async function departmentRegistered(ex: Executor, code: string, division: string): Promise<boolean> {
  return !!(await ex.selectFrom('department').select('id').where('code', '=', code).where('division', 'in', divisionChain(division)).executeTakeFirst());
}

/** Opens the rectification case of a 差评 (in the rating's transaction) and links it to the rating. */
export async function openRectification(core: Core, tx: Executor, actor: Actor, r: RatingRow): Promise<RatingRow> {
  const number = await nextCaseNumber(tx, { prefix: 'ZG', division: r.division, at: core.clock.now() });
  // The department sees what was rated and how, never who rated (the rater stays confidential).
  const data = {
    rating: { id: r.id, level: r.level, levelName: levelOf(r.level)['zh-CN'], channel: r.channel, comment: r.comment, indicators: r.indicators, caseNumber: r.case_number, itemKey: r.item_key, itemName: r.item_name, window: r.window, ratedAt: new Date(r.created_at).toISOString() },
    departmentCode: r.department_code,
  };
  // Started by the system, not the rater: the case history must not name them either.
  // 谁办理、谁负责: the rated department's own approvers; the division's when it is not registered.
  const key = r.department_code && (await departmentRegistered(tx, r.department_code, r.division)) ? RECTIFICATION_KEY : RECTIFICATION_DIVISION_KEY;
  const inst = await startInstance(core, tx, { id: SYSTEM_ID, requestId: actor.requestId ?? null }, { key, division: r.division, title: `差评整改：${r.item_name ?? (r.window ? `窗口 ${r.window}` : '窗口服务')}`, data, applicant: null, number });
  return tx.updateTable('svc_rating').set({ rectification_id: inst.id, rectification_number: number, rectification_state: inst.state, row_version: sql`row_version + 1` })
    .where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
}

async function lockRating(ex: Executor, where: { id?: string; rectificationId?: string }): Promise<RatingRow | undefined> {
  const q = where.id ? sql`id = ${where.id}` : sql`rectification_id = ${where.rectificationId}`;
  return (await sql<RatingRow>`SELECT * FROM svc_rating WHERE ${q} FOR UPDATE`.execute(ex)).rows[0];
}

/** 申诉复核: upheld → the rating is excluded from every statistic; rejected → back to 核实. */
export async function decideAppeal(core: Core, caller: Caller, ratingId: string, input: { upheld: boolean; comment: string }) {
  const row = await core.db.transaction().execute(async (tx) => {
    const r = await lockRating(tx, { id: ratingId });
    if (!r || !r.rectification_id || !mayRead(caller.principal, r.division)) throw ratingNotFound();
    if (!isSupervisorAbove(caller.principal, r.division)) {
      throw new AppError('FORBIDDEN', { 'zh-CN': '申诉须由上级行政区划的部门管理员复核', en: 'An appeal is decided by a department administrator of the division above' });
    }
    const inst = await lockInstance(tx, r.rectification_id);
    const def = await definitionCached(tx, inst!.definition_id);
    const action = input.upheld ? 'appeal_upheld' : 'appeal_rejected';
    const moved = await applyAction(core, tx, inst!, def, action, caller.actor, { system: true, comment: input.comment, data: { appealDecision: { upheld: input.upheld, by: caller.actor.id } } });
    await recordChange(tx, caller.actor, { action: 'services.rating.appeal-decide', object: { type: 'services.rating', id: r.id }, division: r.division, detail: { upheld: input.upheld } },
      { type: 'services.rating.appeal-decided', payload: { upheld: input.upheld, rectificationNumber: r.rectification_number } });
    return tx.updateTable('svc_rating').set({ excluded: input.upheld, rectification_state: moved.state, row_version: sql`row_version + 1` }).where('id', '=', r.id).returningAll().executeTakeFirstOrThrow();
  });
  return ratingView(row, 'staff');
}

interface Transitioned { key: string; action: string; from: string; to: string; status: string }

/** Mirrors each transition of a rectification case onto its rating; sends the reply to the rater. */
export function registerRectificationSync(core: Core): void {
  core.events.subscribe('services.ratings.rectification', 'workflow.instance.transitioned', async (event) => {
    const p = event.payload as unknown as Transitioned;
    if (!RECTIFICATION_KEYS.has(p.key)) return;
    // Read the reply before the transaction: PGlite has one connection, never query core.db inside tx.
    const reply = p.action === 'reply'
      ? ((await caseView(core, systemPrincipal('workflow:task.read'), event.aggregateId)).data as { reply?: { text?: string } }).reply?.text ?? ''
      : null;
    await core.db.transaction().execute(async (tx) => {
      if (!(await consumeOnce(tx, 'services.ratings.rectification', event.id))) return;
      const r = await lockRating(tx, { rectificationId: event.aggregateId });
      if (!r) return;
      const at = new Date(event.createdAt);
      const callback = p.action === 'callback_done' || p.action === 'callback_reopen';
      const set = {
        rectification_state: p.to,
        ...(p.action === 'reply' ? { replied_at: at } : {}),
        ...(callback ? { callback_done: true } : {}),
        ...(p.to === 'closed' ? { rectified: true, closed_at: at } : {}),
        ...(p.to === 'excluded' ? { excluded: true, closed_at: at } : {}),
      };
      await tx.updateTable('svc_rating').set({ ...set, row_version: sql`row_version + 1` }).where('id', '=', r.id).execute();
      await recordChange(tx, { id: SYSTEM_ID }, { action: 'services.rating.rectification-sync', object: { type: 'services.rating', id: r.id }, division: r.division, detail: { action: p.action, to: p.to } },
        { type: 'services.rating.rectification-progressed', payload: { rectificationNumber: r.rectification_number, action: p.action, state: p.to } });
      if (reply !== null) await replyToRater(core, tx, r, reply);
    });
  });
}

async function replyToRater(core: Core, tx: Executor, r: RatingRow, reply: string): Promise<void> {
  const to = r.rater?.startsWith('user:') ? r.rater.slice(5)
    : r.rater_mobile_enc ? { mobile: core.crypto.decrypt(core.keys.field, r.rater_mobile_enc, 'svc_rating.rater_mobile').toString('utf8') } : null;
  // An anonymous hall-tablet rating has nobody to reply to; the reply stays on the case.
  if (!to) return;
  const { notify } = await import('../../../platform/notify/index.js');
  await notify(core, tx, { to, template: REPLY_TEMPLATE, purpose: `services.rating:${r.id}`, division: r.division, data: { itemName: r.item_name ?? '窗口服务', reply } });
}

/** Rectification items (差评 with their case) in the caller's scope, newest first. */
export async function listRectifications(core: Core, p: Principal, q: { division?: string; state?: string; limit: number; offset: number }) {
  const { inDivisions } = await import('../../../core/divisions/service.js');
  const { readScopes } = await import('./access.js');
  if (q.division && !mayRead(p, q.division)) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权查看行政区划 ${q.division} 的数据`, en: `You may not read division ${q.division}` });
  let base = core.db.selectFrom('svc_rating').where('rectification_id', 'is not', null).where(inDivisions('division', readScopes(p)));
  if (q.division) base = base.where(inDivisions('division', [q.division]));
  if (q.state) base = base.where('rectification_state', '=', q.state);
  const [rows, total] = await Promise.all([
    base.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { total: Number(total.n), items: rows.map((r) => ratingView(r, 'staff')) };
}

export async function getRating(core: Core, p: Principal, id: string) {
  const r = await core.db.selectFrom('svc_rating').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r || !mayRead(p, r.division)) throw ratingNotFound();
  return ratingView(r, 'staff');
}
