// Staff operations that span policies and the scan: publishing (which starts a scan at once and
// keeps the daily job alive) and re-running a scan for a division.
import type { Core } from '../../../core/index.js';
import { recordChange } from '../../../core/audit/record.js';
import { AppError } from '../../../core/http/errors.js';
import { getDivision, isWithin } from '../../../core/divisions/service.js';
import { assertMay, MANAGE, type Caller } from './access.js';
import { currentPolicy, policyNotFound, publishPolicy, type Policy, type PolicyInput } from './policies.js';
import { ensureDaily, scheduleScan, type ScanPayload } from './scan.js';

export async function publishBenefitPolicy(core: Core, caller: Caller, input: PolicyInput): Promise<Policy> {
  return publishPolicy(core, caller, input, async (tx, p) => {
    await ensureDaily(core, tx);
    await scheduleScan(core, tx, p, p.division, caller.actor.id);
  });
}

/**
 * Re-runs the scan of a policy for a division (the policy's own division or one inside it), for
 * the current period. Already granted people are skipped, so this only ever adds what is missing
 * — e.g. after the registry of a county was corrected.
 */
export async function requestScan(core: Core, caller: Caller, key: string, division: string): Promise<ScanPayload> {
  if (!(await getDivision(core.db, division))) {
    throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/division', code: 'division', message: '行政区划不存在 / unknown division' }]);
  }
  assertMay(caller.principal, MANAGE, division);
  return core.db.transaction().execute(async (tx) => {
    const policy = await currentPolicy(tx, key);
    if (!policy) throw policyNotFound(key);
    // A scan of a wider area than the policy's is narrowed to the policy's own division.
    const scope = isWithin(division, policy.division) ? division : isWithin(policy.division, division) ? policy.division : null;
    if (!scope) {
      throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/division', code: 'outsidePolicy', message: `该政策适用于行政区划 ${policy.division}，不适用于 ${division} / the policy applies in ${policy.division}, not ${division}` }]);
    }
    const payload = await scheduleScan(core, tx, policy, scope, caller.actor.id);
    await recordChange(tx, caller.actor, { action: 'services.benefit.scan.request', object: { type: 'benefit_policy', id: policy.id }, division: scope, detail: { key, period: payload.period } },
      { type: 'services.benefit.scan-requested', payload: { policyKey: key, division: scope, period: payload.period } });
    return payload;
  });
}
