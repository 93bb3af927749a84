// What people and staff do through the API: see their grants, accept or decline, ask why not;
// staff list grants in their divisions and re-run scans; bad policies are refused field by field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenefitsDemoPack } from './demo.js';
import { expectedEligible, makeBenefitsWorld } from './test-world.js';

type World = Awaited<ReturnType<typeof makeBenefitsWorld>>;
let w: World;
type Grant = { id: string; policyKey: string; status: string; subject: string; division: string; period: string; evidence: { facts: Record<string, unknown> }; declineReason: string | null };

beforeAll(async () => {
  w = await makeBenefitsWorld();
  await loadBenefitsDemoPack(w.core);
  await w.runJobs();
}, 180_000);
afterAll(async () => w?.close());

describe('a citizen', () => {
  it('sees only their own grants, with why they got them', async () => {
    const mine = (await w.ok('elder', 'GET', '/api/services/benefits/mine')).items as Grant[];
    const expected = Object.entries(expectedEligible(w.residents, w.clock.now())).filter(([, people]) => people.some((p) => p.idNumber === w.elder.idNumber)).map(([k]) => k).sort();
    expect(mine.map((g) => g.policyKey).sort()).toEqual(expected);
    expect(expected).toContain('elderly-allowance');
    expect(new Set(mine.map((g) => g.subject))).toEqual(new Set([`${w.elder.idNumber.slice(0, 4)}**********${w.elder.idNumber.slice(14)}`]));
    expect(mine.find((g) => g.policyKey === 'elderly-allowance')!.evidence.facts['registry.population.hukouDivision']).toBe('530102');
    expect((await w.ok('younger', 'GET', '/api/services/benefits/mine')).items.some((g: Grant) => g.policyKey === 'elderly-allowance')).toBe(false);
    expect((await w.ok('stranger', 'GET', '/api/services/benefits/mine')).items).toEqual([]);
    // Staff have no benefits of their own here.
    expect((await w.call('km_clerk', 'GET', '/api/services/benefits/mine')).statusCode).toBe(403);
    expect((await w.app.inject({ method: 'GET', url: '/api/services/benefits/mine' })).statusCode).toBe(401);
  });

  it('accepts an offer (a double tap is harmless); nobody else can touch it', async () => {
    const g = ((await w.ok('elder', 'GET', '/api/services/benefits/mine')).items as Grant[]).find((x) => x.policyKey === 'elderly-allowance')!;
    expect((await w.call('younger', 'POST', `/api/services/benefits/grants/${g.id}/accept`)).statusCode).toBe(404);
    expect((await w.call('stranger', 'POST', `/api/services/benefits/grants/${g.id}/decline`, { reason: '不需要' })).statusCode).toBe(404);
    const accepted = await w.ok('elder', 'POST', `/api/services/benefits/grants/${g.id}/accept`);
    expect(accepted.status).toBe('accepted');
    expect((await w.ok('elder', 'POST', `/api/services/benefits/grants/${g.id}/accept`)).decidedAt).toBe(accepted.decidedAt);
    const r = await w.call('elder', 'POST', `/api/services/benefits/grants/${g.id}/decline`, { reason: '改变主意' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'INVALID_STATE', detail: expect.stringContaining('已确认领取') });
    const audits = await w.core.db.selectFrom('audit_log').select(['action', 'actor']).where('object_id', '=', g.id).orderBy('seq').execute();
    expect(audits.map((a) => a.action)).toEqual(['services.benefit.grant', 'services.benefit.accept']);
    expect(audits[1]!.actor).toBe(`user:${w.ids.elder}`);
    expect(await w.core.db.selectFrom('outbox').select('id').where('type', '=', 'services.benefit.accepted').where('aggregate_id', '=', g.id).execute()).toHaveLength(1);
  });

  it('declines with a reason, and only with one', async () => {
    // The younger resident: pick any offer of theirs, or give them one through the pension policy.
    const offers = ((await w.ok('younger', 'GET', '/api/services/benefits/mine')).items as Grant[]).filter((x) => x.status === 'offered');
    const elderOffers = ((await w.ok('elder', 'GET', '/api/services/benefits/mine')).items as Grant[]).filter((x) => x.status === 'offered');
    const [who, g] = offers.length ? (['younger', offers[0]!] as const) : (['elder', elderOffers[0]!] as const);
    expect(g, 'one of the two citizens has an open offer').toBeDefined();
    const missing = await w.call(who, 'POST', `/api/services/benefits/grants/${g.id}/decline`, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/reason']);
    const blank = await w.call(who, 'POST', `/api/services/benefits/grants/${g.id}/decline`, { reason: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].pointer).toBe('/body/reason');
    const declined = await w.ok(who, 'POST', `/api/services/benefits/grants/${g.id}/decline`, { reason: '已由子女赡养，自愿放弃' });
    expect(declined).toMatchObject({ status: 'declined', declineReason: '已由子女赡养，自愿放弃' });
    expect((await w.call(who, 'POST', `/api/services/benefits/grants/${g.id}/accept`)).statusCode).toBe(409);
  });

  it('asks why not: the explanation names the failed condition and the value', async () => {
    const r = await w.ok('younger', 'GET', '/api/services/benefits/policies/elderly-allowance/check');
    expect(r.passed).toBe(false);
    expect(r.grant).toBeNull();
    const age = Number(w.clock.now().toISOString().slice(0, 4)) - Number(w.younger.birthDate.slice(0, 4));
    expect(r.explanation).toHaveLength(1);
    expect(r.explanation[0]).toContain('「出生日期」为');
    expect(r.explanation[0]).toContain('要求年满 80 周岁');
    expect(r.explanation[0]).toMatch(new RegExp(`（(${age}|${age - 1}) 周岁）`));
    const en = (await w.call('younger', 'GET', '/api/services/benefits/policies/elderly-allowance/check', undefined, 'en')).json();
    expect(en.explanation[0]).toContain('Date of birth');
    // The eligible person passes and sees this month's grant.
    const ok = await w.ok('elder', 'GET', '/api/services/benefits/policies/elderly-allowance/check');
    expect(ok).toMatchObject({ passed: true, explanation: [], period: '2026-11', grant: { status: 'accepted' } });
    // Someone the registries do not know: each registry fact is "not provided".
    const stranger = await w.ok('stranger', 'GET', '/api/services/benefits/policies/elderly-allowance/check');
    expect(stranger.passed).toBe(false);
    expect(stranger.explanation.join('\n')).toContain('「户籍状态」未提供');
    // A policy whose rules live in the rules engine explains the same way.
    const pension = await w.ok('stranger', 'GET', '/api/services/benefits/policies/resident-pension/check');
    expect(pension.passed).toBe(false);
    expect(pension.explanation.join('\n')).toContain('「参加城乡居民养老保险」未提供');
    expect((await w.call('younger', 'GET', '/api/services/benefits/policies/no-such-policy/check')).statusCode).toBe(404);
  });
});

describe('staff', () => {
  it('list grants only within their divisions', async () => {
    const all = expectedEligible(w.residents, w.clock.now())['elderly-allowance']!;
    const km = await w.ok('km_clerk', 'GET', '/api/services/benefits/policies/elderly-allowance/grants?limit=200');
    expect(km.total).toBe(all.filter((r) => r.division === '530102').length);
    expect(new Set(km.items.map((g: Grant) => g.division))).toEqual(new Set(['530102']));
    const qj = await w.ok('qj_clerk', 'GET', '/api/services/benefits/policies/elderly-allowance/grants?limit=200');
    expect(qj.total).toBe(all.filter((r) => r.division === '530302').length);
    expect((await w.call('km_clerk', 'GET', '/api/services/benefits/policies/elderly-allowance/grants?division=530302')).statusCode).toBe(403);
    const province = await w.ok('admin', 'GET', '/api/services/benefits/policies/elderly-allowance/grants?limit=1&status=accepted');
    expect(province.total).toBe(1);
    expect((await w.call('elder', 'GET', '/api/services/benefits/policies/elderly-allowance/grants')).statusCode).toBe(403);
  });

  it('re-run a scan for a division in their scope, which adds only what is missing', async () => {
    expect((await w.call('km_admin', 'POST', '/api/services/benefits/policies/elderly-allowance/scan', { division: '530302' })).statusCode).toBe(403);
    expect((await w.call('km_clerk', 'POST', '/api/services/benefits/policies/elderly-allowance/scan', { division: '530102' })).statusCode).toBe(403);
    // A resident of 五华区 whose grant was lost (e.g. the registry was corrected) is found again.
    const before = await w.grantCount('elderly-allowance');
    const victim = await w.core.db.selectFrom('benefit_grant').select('id').where('policy_key', '=', 'elderly-allowance').where('division', '=', '530102').where('status', '=', 'offered').limit(1).executeTakeFirstOrThrow();
    await w.core.db.deleteFrom('benefit_grant').where('id', '=', victim.id).execute();
    const r = await w.ok('km_admin', 'POST', '/api/services/benefits/policies/elderly-allowance/scan', { division: '530102' }, 202);
    expect(r).toEqual({ policyKey: 'elderly-allowance', division: '530102', period: '2026-11' });
    await w.runJobs();
    expect(await w.grantCount('elderly-allowance')).toBe(before);
    const done = (await w.core.db.selectFrom('outbox').select('payload').where('type', '=', 'services.benefit.scan-completed').execute())
      .map((e) => e.payload as { policyKey: string; division: string; granted: number }).filter((e) => e.division === '530102');
    expect(done).toEqual([expect.objectContaining({ policyKey: 'elderly-allowance', division: '530102', granted: 1 })]);
  });

  it('publish policies; a bad one is refused naming every bad field', async () => {
    const r = await w.call('admin', 'POST', '/api/services/benefits/policies', {
      key: 'Bad Key', division: '999999', title: { 'zh-CN': '' }, description: { 'zh-CN': '说明', en: 'text' }, department: '民政', legalBasis: '',
      period: 'weekly', amount: { 'zh-CN': '每月 10 元', en: '10 yuan' },
      rules: [{ name: 'x', conditions: { all: [{ fact: 'registry.population.status', operator: 'sameAs', value: 'alive' }] }, event: { type: 'eligible' } }], facts: {},
    });
    expect(r.statusCode).toBe(400);
    const pointers = r.json().errors.map((e: { pointer: string }) => e.pointer);
    for (const p of ['/body/key', '/body/division', '/body/title', '/body/legalBasis', '/body/period']) expect(pointers).toContain(p);
    expect(pointers.some((p: string) => p.startsWith('/body/rules/0/conditions'))).toBe(true);
    expect(pointers.some((p: string) => p.startsWith('/body/facts'))).toBe(true);
    expect(r.json().errors[0].message).toMatch(/[\u4e00-\u9fa5].* \/ [A-Za-z]/);
    const policy = {
      key: 'centenarian-visit', division: '530102', title: { 'zh-CN': '百岁老人慰问金', en: 'Centenarian gift' }, description: { 'zh-CN': '五华区百岁老人慰问', en: 'Wuhua district gift' },
      department: '五华区民政局', legalBasis: '五华区敬老政策 [local]', period: 'year', amount: { 'zh-CN': '每年 1000 元', en: '1,000 yuan a year' },
      rules: [{ name: 'eligible', conditions: { all: [{ fact: 'applicant.birthDate', operator: 'ageAtLeast', value: 100 }, { fact: 'registry.population.status', operator: 'equal', value: 'alive' }] }, event: { type: 'eligible' } }],
      facts: { 'applicant.birthDate': { 'zh-CN': '出生日期', en: 'Date of birth' }, 'registry.population.status': { 'zh-CN': '户籍状态', en: 'Registry status' } },
    };
    expect((await w.call('km_admin', 'POST', '/api/services/benefits/policies', { ...policy, division: '530302' })).statusCode).toBe(403);
    const created = await w.ok('km_admin', 'POST', '/api/services/benefits/policies', policy, 201);
    expect(created).toMatchObject({ key: 'centenarian-visit', version: 1, period: 'year' });
    // A double submit answers the same version; a changed text is the next version.
    expect((await w.ok('km_admin', 'POST', '/api/services/benefits/policies', policy, 201)).id).toBe(created.id);
    const v2 = await w.ok('km_admin', 'POST', '/api/services/benefits/policies', { ...policy, amount: { 'zh-CN': '每年 1200 元', en: '1,200 yuan a year' } }, 201);
    expect(v2.version).toBe(2);
    expect((await w.ok('stranger', 'GET', '/api/services/benefits/policies/centenarian-visit')).amount['zh-CN']).toBe('每年 1200 元');
    await w.runJobs();
    // Scoped to 五华区: only its centenarians.
    const at = w.clock.now();
    const expected = w.residents.filter((r) => r.division === '530102' && r.status === 'alive' && Number(at.toISOString().slice(0, 4)) - Number(r.birthDate.slice(0, 4)) - (at.toISOString().slice(5, 10) < r.birthDate.slice(5) ? 1 : 0) >= 100);
    expect(await w.grantCount('centenarian-visit', '2026')).toBe(expected.length);
    const listed = await w.ok('stranger', 'GET', '/api/services/benefits/policies');
    expect(listed.items.map((p: { key: string }) => p.key)).toContain('centenarian-visit');
  });
});
