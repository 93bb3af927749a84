// The scan (政策找人): every day at 02:00 Beijing time the daily job expires stale offers and asks
// for one scan per policy; a scan walks the population registry of the policy's division in
// batches, one transaction per batch: the grants, their audit entries and events, the messages,
// and the job's next cursor commit together. A crash loses at most the batch in flight, which
// runs again from the same cursor; the unique (policy, person, period) makes it harmless.
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { audit, recordChange, type Actor } from '../../../core/audit/record.js';
import { maskName } from '../../../core/validators/index.js';
import { notify } from '../../../platform/notify/index.js';
import { currentPolicies, currentPolicy, type Policy } from './policies.js';
import { otherDatasets, populationPage, revealSubject } from './registry.js';
import { amountOf, evaluatePolicy, evidenceFacts, subjectFacts, type RuleSetCache } from './eligibility.js';
import { civilDay, nextDailyRun, periodOf } from './periods.js';
import { expireOffers } from './grants.js';
import { OFFER_TEMPLATE } from './templates.js';

export const DAILY_JOB = 'services.benefits.daily';
export const SCAN_JOB = 'services.benefits.scan';
export const DAILY_KEY = 'services.benefits.daily';
export const BATCH = 100;
const SYSTEM: Actor = { id: 'system:services.benefits' };

export interface ScanPayload {
  policyKey: string;
  division: string;
  period: string;
  after: string | null;
  evaluated: number;
  granted: number;
  requestedBy: string;
  [k: string]: unknown;
}

export const scanKey = (policyKey: string, division: string) => `${SCAN_JOB}:${policyKey}:${division}`;

/** Makes sure the daily job is pending (idempotent: the job key keeps one). */
export async function ensureDaily(core: Core, ex: Executor): Promise<void> {
  await core.jobs.schedule(ex, DAILY_JOB, {}, { at: nextDailyRun(core.clock.now()) }, { key: DAILY_KEY });
}

/** Asks for a scan of `policy` in `division` (its own division or a part of it) for the current period. */
export async function scheduleScan(core: Core, ex: Executor, policy: Policy, division: string, requestedBy: string): Promise<ScanPayload> {
  const payload: ScanPayload = { policyKey: policy.key, division, period: periodOf(policy.period, core.clock.now()), after: null, evaluated: 0, granted: 0, requestedBy };
  await core.jobs.schedule(ex, SCAN_JOB, payload, { inMs: 0 }, { key: scanKey(policy.key, division), division });
  return payload;
}

async function accountsByBidx(ex: Executor, bidxs: string[]): Promise<Map<string, string>> {
  if (!bidxs.length) return new Map();
  // identity exports no look-up by blind index taking an executor; read its column directly.
  const rows = await ex.selectFrom('account').select(['id', 'id_number_bidx']).where('id_number_bidx', 'in', bidxs).where('status', '=', 'active').where('type', '=', 'citizen').execute();
  return new Map(rows.map((r) => [r.id_number_bidx!, r.id]));
}

/** One batch of a scan, in one transaction. Returns the next payload, or null when the scan is complete. */
export async function scanBatch(core: Core, tx: Executor, p: ScanPayload, jobKey: string): Promise<ScanPayload | null> {
  const policy = await currentPolicy(tx, p.policyKey);
  if (!policy) return null;
  const at = core.clock.now();
  const page = await populationPage(tx, p.division, p.after, BATCH);
  const bidxs = page.map((r) => r.subject_bidx);
  const existing = new Set(bidxs.length ? (await tx.selectFrom('benefit_grant').select('subject_bidx')
    .where('policy_key', '=', policy.key).where('period', '=', p.period).where('subject_bidx', 'in', bidxs).execute()).map((r) => r.subject_bidx) : []);
  const others = await otherDatasets(tx, bidxs.filter((b) => !existing.has(b)));
  const accounts = await accountsByBidx(tx, bidxs.filter((b) => !existing.has(b)));
  const purpose = `免申即享 ${policy.key} v${policy.version} ${p.period}`;
  const cache: RuleSetCache = new Map();
  let evaluated = 0;
  let granted = 0;
  for (const row of page) {
    if (existing.has(row.subject_bidx)) continue;
    evaluated += 1;
    const records = { ...others.get(row.subject_bidx), population: row.attributes };
    const idNumber = revealSubject(core, row.subject_enc);
    const facts = subjectFacts({ idNumber, division: row.division, records }, at, SYSTEM, purpose);
    const { evaluation, rules, ruleSet } = await evaluatePolicy(core, tx, policy, row.division, facts, 'zh-CN', cache);
    if (!evaluation.passed) continue;
    const evidence = { policyVersion: policy.version, ruleSet, outcomes: evaluation.outcomes, rules: evaluation.rules.map((r) => ({ name: r.name, passed: r.passed })), facts: evidenceFacts(rules, facts, records, at) };
    const amount = amountOf(policy, evaluation);
    const expiresAt = new Date(at.getTime() + policy.acceptDays * 86_400_000);
    const accountId = accounts.get(row.subject_bidx) ?? null;
    const name = typeof row.attributes.name === 'string' ? row.attributes.name : '';
    const inserted = await tx.insertInto('benefit_grant').values({
      policy_id: policy.id, policy_key: policy.key, policy_version: policy.version, period: p.period, subject_bidx: row.subject_bidx,
      subject_masked: row.subject_masked, name_masked: name ? maskName(name) : '', division: row.division, status: 'offered',
      amount: JSON.stringify(amount), evidence: JSON.stringify(evidence), notified: !!accountId, offered_at: at, expires_at: expiresAt,
    }).onConflict((oc) => oc.columns(['policy_key', 'subject_bidx', 'period']).doNothing()).returning('id').executeTakeFirst();
    if (!inserted) continue;
    granted += 1;
    await recordChange(tx, SYSTEM, { action: 'services.benefit.grant', object: { type: 'benefit_grant', id: inserted.id }, division: row.division, purpose, detail: { policyKey: policy.key, period: p.period, subject: row.subject_masked, ...evidence } },
      { type: 'services.benefit.granted', payload: { id: inserted.id, policyKey: policy.key, policyVersion: policy.version, period: p.period, division: row.division, accountId } });
    if (accountId) {
      await notify(core, tx, {
        to: accountId, template: OFFER_TEMPLATE, purpose, division: row.division,
        data: { policyTitle: policy.title['zh-CN'], amount: amount['zh-CN'], expiresAt: civilDay(expiresAt) },
      });
    }
  }
  // Decrypting the registry's ID numbers is a read of personal data: one entry per batch.
  if (evaluated) await audit(tx, SYSTEM, { action: 'services.benefit.registry.reveal', object: { type: 'benefit_policy', id: policy.id }, division: p.division, purpose, detail: { subjects: evaluated } });
  const next: ScanPayload = { ...p, after: page.at(-1)?.subject_bidx ?? p.after, evaluated: p.evaluated + evaluated, granted: p.granted + granted };
  if (page.length === BATCH) {
    // Re-scheduling the job under its own key, in this transaction, is the resumable cursor.
    await core.jobs.schedule(tx, SCAN_JOB, next, { inMs: 0 }, { key: jobKey, division: p.division });
    return next;
  }
  await recordChange(tx, SYSTEM, { action: 'services.benefit.scan.complete', object: { type: 'benefit_policy', id: policy.id }, division: p.division, purpose, detail: { ...next, after: undefined } },
    { type: 'services.benefit.scan-completed', payload: { policyKey: policy.key, policyVersion: policy.version, division: p.division, period: p.period, evaluated: next.evaluated, granted: next.granted } });
  return null;
}

/** Expires stale offers, asks for a scan of every policy, and schedules itself for tomorrow. */
export async function runDaily(core: Core): Promise<number> {
  await expireOffers(core);
  const policies = await currentPolicies(core.db);
  await core.db.transaction().execute(async (tx) => {
    for (const p of policies) await scheduleScan(core, tx, p, p.division, SYSTEM.id);
    await ensureDaily(core, tx);
  });
  return policies.length;
}

export function defineScanJobs(core: Core): void {
  core.jobs.define(DAILY_JOB, { handler: async () => void (await runDaily(core)) });
  core.jobs.define(SCAN_JOB, {
    handler: async (job) => {
      await core.db.transaction().execute((tx) => scanBatch(core, tx, job.payload as ScanPayload, job.key ?? scanKey(String(job.payload.policyKey), String(job.payload.division))));
    },
  });
}
