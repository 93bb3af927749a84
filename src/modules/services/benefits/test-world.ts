// Test world for 免申即享: a real app on a real database, the demo pack's registries, staff with
// real role assignments in two prefectures, and citizens whose accounts carry the ID numbers of
// synthetic residents (so the blind index matches them to their registry records and grants).
import { expect } from 'vitest';
import { testApp } from '../../../../test/db.js';
import { ManualClock } from '../../../core/clock.js';
import { createAccount } from '../../../platform/identity/accounts.js';
import { loadPrincipal } from '../../../platform/identity/principal.js';
import { demoResidents, readResidentSpec, type DemoResident } from './demo.js';

const STAFF = {
  admin: { division: '530000', roles: ['department_admin'] },
  km_admin: { division: '530102', roles: ['department_admin'] },
  km_clerk: { division: '530102', roles: ['window_clerk'] },
  qj_clerk: { division: '530302', roles: ['window_clerk'] },
} as const;

/** Beijing civil date of an instant. */
export const civil = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
export const ageAt = (birth: string, at: Date) => {
  const today = civil(at);
  const y = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5) < birth.slice(5) ? y - 1 : y;
};
const daysSince = (birth: string, at: Date) => Math.round((Date.parse(civil(at)) - Date.parse(birth)) / 86_400_000);

/**
 * Who qualifies, computed straight from the generated residents — independently of the rules
 * engine, the registry table and the scan — as the policies' legal texts say.
 */
export function expectedEligible(residents: DemoResident[], at: Date): Record<string, DemoResident[]> {
  const local = (r: DemoResident) => r.status === 'alive' && r.hukouDivision.startsWith('53');
  return {
    'elderly-allowance': residents.filter((r) => local(r) && ageAt(r.birthDate, at) >= 80),
    'disability-two-subsidies': residents.filter((r) => local(r) && !!r.disability && (r.assistance?.dibao === true || [1, 2].includes(r.disability.level))),
    'resident-pension': residents.filter((r) => local(r) && ageAt(r.birthDate, at) >= 60 && r.pension?.enrolled === true && r.pension.contributionYears >= 15 && r.pension.otherPension === false),
    'newborn-medical-insurance': residents.filter((r) => local(r) && daysSince(r.birthDate, at) >= 0 && daysSince(r.birthDate, at) <= 90 && r.medicalInsurance?.enrolled === false),
  };
}

export type Who = keyof typeof STAFF | 'elder' | 'younger' | 'stranger';

export async function makeBenefitsWorld(start = '2026-11-27T09:00:00+08:00') {
  const clock = new ManualClock(start);
  const t = await testApp({ clock });
  const residents = demoResidents(await readResidentSpec());
  const at = clock.now();
  const actor = { id: 'system:test' };
  const ids: Record<string, string> = {};
  let n = 0;
  for (const [username, p] of Object.entries(STAFF)) {
    ids[username] = (await createAccount(t.core, actor, { type: 'staff', username: `bf_${username}`, name: username, division: p.division, roles: [...p.roles], mobile: `1380087${String(3000 + n++).padStart(4, '0')}` })).id;
  }
  // An 80+ resident of 五华区 (qualifies for 高龄津贴) and a 60–79 one of the same district (does not).
  const elder = residents.find((r) => r.division === '530102' && r.hukouDivision === '530102' && r.status === 'alive' && ageAt(r.birthDate, at) >= 80 && ageAt(r.birthDate, at) < 90)!;
  const younger = residents.find((r) => r.division === '530102' && r.hukouDivision === '530102' && r.status === 'alive' && ageAt(r.birthDate, at) >= 65 && ageAt(r.birthDate, at) < 80)!;
  for (const [who, r, seq] of [['elder', elder, '1'], ['younger', younger, '2']] as const) {
    ids[who] = (await createAccount(t.core, actor, { type: 'citizen', username: `bf_${who}`, name: r.name, division: r.division, idNumber: r.idNumber, mobile: `1390087000${seq}` })).id;
  }
  ids.stranger = (await createAccount(t.core, actor, { type: 'citizen', username: 'bf_stranger', name: '路人甲', division: '530102', idNumber: '11010519491231002X', mobile: '13900870009' })).id;
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer bf:(\w+)$/.exec(r.headers.authorization ?? '');
    return m && ids[m[1]!] ? loadPrincipal(t.core, ids[m[1]!]!, { mfa: true }) : null;
  });
  const call = (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown, lang = 'zh-CN') =>
    t.app.inject({ method, url, headers: { authorization: `Bearer bf:${who}`, 'accept-language': lang }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown, status = 200) => {
    const r = await call(who, method, url, payload);
    expect(r.statusCode, `${method} ${url} as ${who}: ${r.body}`).toBe(status);
    return r.json();
  };
  /** Runs every due job (scans, messages) as the workers would, until none is left. */
  const runJobs = async () => {
    let total = 0;
    for (let k = 0; k < 500; k++) {
      const ran = await t.core.jobs.runDue(10);
      total += ran;
      if (!ran) break;
    }
    return total;
  };
  const grantCount = async (policyKey: string, period?: string) => {
    let q = t.core.db.selectFrom('benefit_grant').select((eb) => eb.fn.countAll<string>().as('n')).where('policy_key', '=', policyKey);
    if (period) q = q.where('period', '=', period);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  return { ...t, clock, residents, elder, younger, ids, call, ok, runJobs, grantCount };
}
