// Grants as their person and staff see them: my grants, accept / decline, staff lists per policy
// within their divisions, "why not" for a policy, and the expiry of offers nobody answered.
import { sql, type Selectable } from 'kysely';
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { recordChange, type Actor } from '../../../core/audit/record.js';
import { AppError } from '../../../core/http/errors.js';
import { inDivisions } from '../../../core/divisions/service.js';
import type { LocalizedText } from '../../../core/validators/index.js';
import { assertMay, personOf, READ, scopesOf, type Caller } from './access.js';
import { currentPolicy, policyNotFound } from './policies.js';
import { evaluatePolicy } from './eligibility.js';
import { periodOf } from './periods.js';
import type { BenefitGrantTable, GrantStatus } from './tables.js';

export interface GrantView {
  id: string;
  policyKey: string;
  policyVersion: number;
  title: LocalizedText;
  period: string;
  status: GrantStatus;
  amount: LocalizedText;
  division: string;
  subject: string;
  name: string;
  /** Why it was granted: the rule outcomes and the facts used (masked). */
  evidence: Record<string, unknown>;
  declineReason: string | null;
  offeredAt: string;
  expiresAt: string;
  decidedAt: string | null;
}

type Row = Selectable<BenefitGrantTable> & { title: LocalizedText };
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const toView = (r: Row): GrantView => ({
  id: r.id, policyKey: r.policy_key, policyVersion: r.policy_version, title: r.title, period: r.period, status: r.status, amount: r.amount,
  division: r.division, subject: r.subject_masked, name: r.name_masked, evidence: r.evidence, declineReason: r.decline_reason,
  offeredAt: iso(r.offered_at)!, expiresAt: iso(r.expires_at)!, decidedAt: iso(r.decided_at),
});

const grants = (ex: Executor) => ex.selectFrom('benefit_grant').innerJoin('benefit_policy', 'benefit_policy.id', 'benefit_grant.policy_id')
  .selectAll('benefit_grant').select('benefit_policy.title');

const grantNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '待遇记录不存在', en: 'No such benefit grant' });

/** The blind index of the signed-in citizen's ID number (null: the account has none). */
async function myBidx(ex: Executor, caller: Caller): Promise<{ bidx: string | null; division: string; accountId: string }> {
  const accountId = personOf(caller.principal);
  // identity exports no executor-taking getter for the blind index; read its column.
  const a = await ex.selectFrom('account').select(['id_number_bidx', 'division']).where('id', '=', accountId).executeTakeFirst();
  if (!a) throw new AppError('UNAUTHENTICATED');
  return { bidx: a.id_number_bidx, division: a.division, accountId };
}

export async function myGrants(core: Core, caller: Caller): Promise<GrantView[]> {
  const { bidx } = await myBidx(core.db, caller);
  if (!bidx) return [];
  const rows = await grants(core.db).where('benefit_grant.subject_bidx', '=', bidx).orderBy('benefit_grant.offered_at', 'desc').orderBy('benefit_grant.id').execute();
  return rows.map((r) => toView(r as Row));
}

/** Accept or decline one's own offer. Repeating the same answer returns the grant unchanged (a double tap). */
export async function decideGrant(core: Core, caller: Caller, id: string, decision: 'accept' | 'decline', reason?: string): Promise<GrantView> {
  const target: GrantStatus = decision === 'accept' ? 'accepted' : 'declined';
  const why = reason?.trim() ?? '';
  if (decision === 'decline' && !why) {
    throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/reason', code: 'required', message: caller.lang === 'en' ? 'Say why you decline' : '请说明放弃的原因' }]);
  }
  return core.db.transaction().execute(async (tx) => {
    const { bidx } = await myBidx(tx, caller);
    const g = bidx ? await tx.selectFrom('benefit_grant').selectAll().where('id', '=', id).where('subject_bidx', '=', bidx).forUpdate().executeTakeFirst() : undefined;
    if (!g) throw grantNotFound();
    const now = core.clock.now();
    if (g.status === target) return toView((await grants(tx).where('benefit_grant.id', '=', id).executeTakeFirstOrThrow()) as Row);
    if (g.status !== 'offered' || new Date(g.expires_at) <= now) {
      const state = g.status === 'offered' ? 'expired' : g.status;
      const words: Record<string, [string, string]> = { accepted: ['已确认领取', 'already accepted'], declined: ['已放弃', 'already declined'], expired: ['已过确认期限', 'expired'] };
      throw new AppError('INVALID_STATE', { 'zh-CN': `该待遇${words[state]![0]}，不能再${decision === 'accept' ? '确认' : '放弃'}`, en: `This benefit is ${words[state]![1]}` });
    }
    await tx.updateTable('benefit_grant').set({ status: target, decided_at: now, decided_by: caller.actor.id, decline_reason: decision === 'decline' ? why : null }).where('id', '=', id).execute();
    await recordChange(tx, caller.actor, { action: `services.benefit.${decision}`, object: { type: 'benefit_grant', id }, division: g.division, detail: { policyKey: g.policy_key, period: g.period, ...(why ? { reason: why } : {}) } },
      { type: `services.benefit.${target}`, payload: { id, policyKey: g.policy_key, period: g.period, division: g.division } });
    return toView((await grants(tx).where('benefit_grant.id', '=', id).executeTakeFirstOrThrow()) as Row);
  });
}

export interface GrantQuery {
  division?: string;
  status?: GrantStatus;
  limit?: number;
  offset?: number;
}

/** Staff: the grants of one policy in the caller's divisions (or one division among them). */
export async function listGrants(core: Core, caller: Caller, key: string, q: GrantQuery): Promise<{ items: GrantView[]; total: number; limit: number; offset: number }> {
  if (q.division) assertMay(caller.principal, READ, q.division);
  else if (!scopesOf(caller.principal, READ).length) throw new AppError('FORBIDDEN', undefined, undefined, { permission: READ });
  if (!(await currentPolicy(core.db, key))) throw policyNotFound(key);
  const scopes = q.division ? [q.division] : scopesOf(caller.principal, READ);
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  let base = grants(core.db).where('benefit_grant.policy_key', '=', key).where(inDivisions('benefit_grant.division', scopes));
  if (q.status) base = base.where('benefit_grant.status', '=', q.status);
  const rows = await base.orderBy('benefit_grant.offered_at', 'desc').orderBy('benefit_grant.id').limit(limit).offset(offset).execute();
  const total = await core.db.selectFrom('benefit_grant').select(sql<string>`count(*)`.as('n')).where('policy_key', '=', key)
    .where(inDivisions('division', scopes)).$if(!!q.status, (qb) => qb.where('status', '=', q.status!)).executeTakeFirstOrThrow();
  return { items: rows.map((r) => toView(r as Row)), total: Number(total.n), limit, offset };
}

export interface CheckResult {
  policyKey: string;
  policyVersion: number;
  title: LocalizedText;
  period: string;
  passed: boolean;
  /** Each failed condition in words (the rules engine's explanation), in the caller's language. */
  explanation: string[];
  rules: { name: string; passed: boolean; explanation: string[] }[];
  /** The grant of the current period, if the scan already made one. */
  grant: GrantView | null;
}

/** "Why not?": evaluates a policy for the signed-in citizen with their account and registry records. */
export async function checkPolicy(core: Core, caller: Caller, key: string): Promise<CheckResult> {
  return core.db.transaction().execute(async (tx) => {
    const policy = await currentPolicy(tx, key);
    if (!policy) throw policyNotFound(key);
    const me = await myBidx(tx, caller);
    const at = core.clock.now();
    const period = periodOf(policy.period, at);
    const { evaluation } = await evaluatePolicy(core, tx, policy, me.division, { applicant: me.accountId, at, actor: caller.actor, purpose: `免申即享资格自查 ${policy.key}` }, caller.lang);
    const g = me.bidx ? await grants(tx).where('benefit_grant.policy_key', '=', key).where('benefit_grant.subject_bidx', '=', me.bidx).where('benefit_grant.period', '=', period).executeTakeFirst() : undefined;
    return {
      policyKey: policy.key, policyVersion: policy.version, title: policy.title, period, passed: evaluation.passed, explanation: evaluation.explanation,
      rules: evaluation.rules.map((r) => ({ name: r.name, passed: r.passed, explanation: r.explanation })), grant: g ? toView(g as Row) : null,
    };
  });
}

/** Offers past their date become expired (the daily job), each audited and evented. */
export async function expireOffers(core: Core, actor: Actor = { id: 'system:services.benefits' }): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await core.db.transaction().execute(async (tx) => {
      const rows = await tx.updateTable('benefit_grant').set({ status: 'expired', decided_at: core.clock.now() })
        .where('id', 'in', (eb) => eb.selectFrom('benefit_grant').select('id').where('status', '=', 'offered').where('expires_at', '<=', core.clock.now()).limit(500))
        .returning(['id', 'division', 'policy_key', 'period']).execute();
      for (const r of rows) {
        await recordChange(tx, actor, { action: 'services.benefit.expire', object: { type: 'benefit_grant', id: r.id }, division: r.division, detail: { policyKey: r.policy_key, period: r.period } },
          { type: 'services.benefit.expired', payload: { id: r.id, policyKey: r.policy_key, period: r.period, division: r.division } });
      }
      return rows.length;
    });
    total += n;
    if (n < 500) return total;
  }
}
