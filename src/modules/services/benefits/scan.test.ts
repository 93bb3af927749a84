// The scan grants exactly the eligible residents, once per period, resumably, and says why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenefitsDemoPack } from './demo.js';
import { BATCH, DAILY_KEY, runDaily, scanKey } from './scan.js';
import { ageAt, expectedEligible, makeBenefitsWorld } from './test-world.js';

type World = Awaited<ReturnType<typeof makeBenefitsWorld>>;
let w: World;

beforeAll(async () => {
  w = await makeBenefitsWorld();
  const loaded = await loadBenefitsDemoPack(w.core);
  expect(loaded.policies.sort()).toEqual(['disability-two-subsidies', 'elderly-allowance', 'newborn-medical-insurance', 'resident-pension']);
}, 120_000);
afterAll(async () => w?.close());

describe('the scan', () => {
  it('is resumable: one batch per job run, the cursor kept in the job until the registry is walked', async () => {
    // Publishing asked for one scan per policy; run exactly one batch of the 高龄津贴 scan.
    const job = () => w.core.db.selectFrom('job').select(['status', 'payload']).where('key', '=', scanKey('elderly-allowance', '530000')).executeTakeFirst();
    expect((await job())?.status).toBe('pending');
    const before = await w.core.db.selectFrom('job').select('id').where('name', '=', 'services.benefits.scan').where('status', '=', 'pending').execute();
    expect(before).toHaveLength(4);
    await w.core.jobs.runDue(1);
    const pending = await w.core.db.selectFrom('job').select(['key', 'payload']).where('name', '=', 'services.benefits.scan').where('status', '=', 'pending').execute();
    const resumed = pending.find((j) => (j.payload as { after: string | null }).after !== null)!;
    expect(resumed.payload).toMatchObject({ evaluated: expect.any(Number), after: expect.any(String) });
    expect((resumed.payload as { evaluated: number }).evaluated).toBeLessThanOrEqual(BATCH);
    await w.runJobs();
    expect(await w.core.db.selectFrom('job').select('id').where('name', '=', 'services.benefits.scan').where('status', '=', 'pending').execute()).toHaveLength(0);
    // The daily job waits for 02:00 tomorrow, Beijing time.
    const daily = await w.core.db.selectFrom('job').select(['run_at', 'status']).where('key', '=', DAILY_KEY).executeTakeFirstOrThrow();
    expect(daily.status).toBe('pending');
    expect(new Date(daily.run_at).toISOString()).toBe('2026-11-27T18:00:00.000Z');
  }, 120_000);

  it('grants exactly the residents an independent computation finds eligible, per policy', async () => {
    const expected = expectedEligible(w.residents, w.clock.now());
    for (const [key, people] of Object.entries(expected)) {
      expect(people.length, key).toBeGreaterThan(2);
      const rows = await w.core.db.selectFrom('benefit_grant').select(['subject_masked', 'period', 'status']).where('policy_key', '=', key).execute();
      expect(rows.length, key).toBe(people.length);
      const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(14)}`;
      expect(rows.map((r) => r.subject_masked).sort(), key).toEqual(people.map((p) => masked(p.idNumber)).sort());
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['offered']));
    }
    expect(await w.grantCount('elderly-allowance', '2026-11')).toBe(expected['elderly-allowance']!.length);
    expect(await w.grantCount('newborn-medical-insurance', 'once')).toBe(expected['newborn-medical-insurance']!.length);
    // Age bands: a resident of 90–99 is offered the 90+ amount, one of 80–89 the base amount.
    const at = w.clock.now();
    const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(14)}`;
    const amountFor = async (id: string) => (await w.core.db.selectFrom('benefit_grant').select('amount').where('policy_key', '=', 'elderly-allowance').where('subject_masked', '=', masked(id)).executeTakeFirstOrThrow()).amount['zh-CN'];
    const nonagenarian = expected['elderly-allowance']!.find((r) => ageAt(r.birthDate, at) >= 90 && ageAt(r.birthDate, at) < 100)!;
    expect(nonagenarian).toBeDefined();
    expect(await amountFor(nonagenarian.idNumber)).toBe('每月 100 元');
    expect(await amountFor(w.elder.idNumber)).toBe('每月 50 元');
  });

  it('audits why, with the facts used masked, and emits services.benefit.granted in the same transaction', async () => {
    const total = Number((await w.core.db.selectFrom('benefit_grant').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const events = await w.core.db.selectFrom('outbox').select(['payload']).where('type', '=', 'services.benefit.granted').execute();
    expect(events).toHaveLength(total);
    const g = await w.core.db.selectFrom('benefit_grant').selectAll().where('policy_key', '=', 'elderly-allowance').where('subject_masked', '=', `${w.elder.idNumber.slice(0, 4)}**********${w.elder.idNumber.slice(14)}`).executeTakeFirstOrThrow();
    const entry = await w.core.db.selectFrom('audit_log').select(['action', 'detail', 'purpose', 'actor']).where('object_id', '=', g.id).where('action', '=', 'services.benefit.grant').executeTakeFirstOrThrow();
    expect(entry.actor).toBe('system:services.benefits');
    expect(entry.purpose).toContain('elderly-allowance');
    const detail = entry.detail as { facts: Record<string, unknown>; rules: { name: string; passed: boolean }[]; subject: string };
    expect(detail.facts['registry.population.hukouDivision']).toBe('530102');
    expect(detail.facts['registry.population.status']).toBe('alive');
    expect(detail.facts['applicant.birthDate']).toMatch(/^\d{4}-\*\*-\*\*（8\d 周岁）$/);
    expect(detail.rules).toContainEqual({ name: 'eligible', passed: true });
    expect(JSON.stringify(entry.detail)).not.toContain(w.elder.idNumber);
    expect(JSON.stringify(entry.detail)).not.toContain(w.elder.birthDate);
    // The person with an account was told (in-app and SMS), without their ID number in the text.
    const messages = await w.core.db.selectFrom('notification').select(['channel', 'body', 'template_key']).where('account_id', '=', w.ids.elder!).where('template_key', '=', 'services.benefit-offered').execute();
    expect(messages.map((m) => m.channel).sort()).toEqual(['inbox', 'sms']);
    expect(messages[0]!.body).toContain('高龄津贴');
    expect(g.notified).toBe(true);
  });

  it('a second run grants nothing new', async () => {
    const before = Number((await w.core.db.selectFrom('benefit_grant').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    expect(await runDaily(w.core)).toBe(4);
    await w.runJobs();
    const after = Number((await w.core.db.selectFrom('benefit_grant').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
    const completed = await w.core.db.selectFrom('outbox').select('payload').where('type', '=', 'services.benefit.scan-completed').execute();
    expect(completed).toHaveLength(8);
    // The re-run re-checked the ineligible but granted nobody twice: four scans granted everything, four nothing.
    const granted = completed.map((e) => (e.payload as { granted: number }).granted);
    expect(granted.filter((n) => n === 0)).toHaveLength(4);
    expect(granted.reduce((a, b) => a + b, 0)).toBe(after);
  }, 120_000);

  it('the clock drives periods: a new month offers monthly benefits again, one-off benefits never twice, stale offers expire', async () => {
    const nov = expectedEligible(w.residents, w.clock.now());
    w.clock.set('2026-12-01T02:00:00+08:00');
    await w.runJobs(); // the daily job is due at 02:00
    const dec = expectedEligible(w.residents, w.clock.now());
    expect(await w.grantCount('elderly-allowance', '2026-12')).toBe(dec['elderly-allowance']!.length);
    expect(await w.grantCount('resident-pension', '2026-12')).toBe(dec['resident-pension']!.length);
    // Newborns already offered in November are not offered again; babies who turned 90 days old are not new.
    const novIds = new Set(nov['newborn-medical-insurance']!.map((r) => r.idNumber));
    const newOnes = dec['newborn-medical-insurance']!.filter((r) => !novIds.has(r.idNumber));
    expect(await w.grantCount('newborn-medical-insurance', 'once')).toBe(novIds.size + newOnes.length);
    // 60 days after 27 November, the offers nobody answered expire (the 30-day newborn ones long before).
    w.clock.set('2027-01-27T02:00:00+08:00');
    await w.runJobs();
    const novOpen = await w.core.db.selectFrom('benefit_grant').select('status').where('period', '=', '2026-11').execute();
    expect(novOpen.length).toBeGreaterThan(0);
    expect(new Set(novOpen.map((r) => r.status))).toEqual(new Set(['expired']));
    expect(await w.grantCount('elderly-allowance', '2027-01')).toBe(expectedEligible(w.residents, w.clock.now())['elderly-allowance']!.length);
    const expiredEvents = await w.core.db.selectFrom('outbox').select('id').where('type', '=', 'services.benefit.expired').execute();
    expect(expiredEvents.length).toBeGreaterThanOrEqual(novOpen.length);
  }, 240_000);
});
