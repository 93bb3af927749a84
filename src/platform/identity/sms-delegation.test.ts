import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import { createAccount } from './accounts.js';
import { ensureRoles } from './index.js';
import { demoResidentId, demoUscc } from './seed.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
const SYS = { id: 'system:test' };
const PW = 'Correct-horse-9';
const cookieHeader = (res: { cookies: Array<{ name: string; value: string }> }) => res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

async function latestSmsCode(): Promise<string> {
  const r = (await sql<{ body: string }>`SELECT body FROM notification ORDER BY created_at DESC LIMIT 1`.execute(t.core.db)).rows[0]!;
  return /验证码为 (\d{6})/.exec(r.body)![1]!;
}

async function login(username: string) {
  const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PW } });
  return { cookie: cookieHeader(r), csrf: r.json().csrfToken as string };
}

beforeAll(async () => {
  t = await testApp();
  await ensureRoles(t.core);
  await createAccount(t.core, SYS, { type: 'citizen', username: 'mother', password: PW, name: '王母', division: '530102', idNumber: demoResidentId('530102', '19600101', '201'), mobile: '13700000001' });
  await createAccount(t.core, SYS, { type: 'citizen', username: 'son', password: PW, name: '王子', division: '530102', idNumber: demoResidentId('530102', '19900101', '203'), mobile: '13700000002' });
  await createAccount(t.core, SYS, { type: 'enterprise', username: 'firm', password: PW, name: '云岭公司', division: '530102', uscc: demoUscc('530102', 'MA6K7777'), legalRepresentative: '王总' });
});
afterAll(() => t.close());

describe('SMS code sign-in', () => {
  it('sends a code through the notification outbox, signs in once, refuses a replay', async () => {
    const ask = await t.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { mobile: '137-0000-0001' } });
    expect(ask.statusCode).toBe(202);
    await t.core.workers.tick();
    const outbox = (await sql<any>`SELECT recipient_masked, status, body FROM notification ORDER BY created_at DESC LIMIT 1`.execute(t.core.db)).rows[0];
    expect(outbox).toMatchObject({ recipient_masked: '137****0001', status: 'sent' });
    const code = await latestSmsCode();
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/sms-login', payload: { mobile: '13700000001', code } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ authenticated: true, account: { username: 'mother' } });
    const replay = await t.app.inject({ method: 'POST', url: '/api/auth/sms-login', payload: { mobile: '13700000001', code } });
    expect(replay.statusCode).toBe(401);
  });

  it('answers the same for an unknown number (no enumeration) and sends nothing', async () => {
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM notification`.execute(t.core.db)).rows[0]!.n;
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { mobile: '13799999999' } });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ sent: true });
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM notification`.execute(t.core.db)).rows[0]!.n).toBe(before);
  });

  it('throttles repeated requests, refuses expired codes and stops after 5 wrong tries', async () => {
    t.clock.advance(61_000);
    await t.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { mobile: '13700000002' } });
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { mobile: '13700000002' } });
    expect(again.statusCode).toBe(429);
    const code = await latestSmsCode();
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/sms-login', payload: { mobile: '13700000002', code: code === '000000' ? '111111' : '000000' } });
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sms-login', payload: { mobile: '13700000002', code } })).statusCode).toBe(401);
    t.clock.advance(61_000);
    await t.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { mobile: '13700000002' } });
    const fresh = await latestSmsCode();
    t.clock.advance(5 * 60_000 + 1);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sms-login', payload: { mobile: '13700000002', code: fresh } })).statusCode).toBe(401);
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/sms-code', payload: { mobile: '12345' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].pointer).toBe('/body/mobile');
  });
});

describe('delegation (代办/委托)', () => {
  it('a mother authorizes her son for one item; he acts for her and the audit records both', async () => {
    const mother = await login('mother');
    const expiresAt = new Date(t.clock.now().getTime() + 30 * 86_400_000).toISOString();
    const g = await t.app.inject({ method: 'POST', url: '/api/delegations', headers: { cookie: mother.cookie, 'x-csrf-token': mother.csrf }, payload: { agentUsername: 'son', itemCode: 'YN-RETIRE-001', expiresAt } });
    expect(g.statusCode).toBe(201);
    const d = g.json();
    expect(d).toMatchObject({ kind: 'proxy', itemCode: 'YN-RETIRE-001', active: true, agent: { username: 'son' } });
    const son = await login('son');
    const act = await t.app.inject({ method: 'POST', url: '/api/auth/act-as', headers: { cookie: son.cookie, 'x-csrf-token': son.csrf }, payload: { delegationId: d.id } });
    expect(act.statusCode).toBe(200);
    const motherId = d.principal.id;
    expect(act.json()).toEqual({ actingFor: motherId, itemCode: 'YN-RETIRE-001' });
    const entry = (await sql<any>`SELECT actor, on_behalf_of FROM audit_log WHERE action = 'identity.act-as.start' ORDER BY seq DESC LIMIT 1`.execute(t.core.db)).rows[0];
    expect(entry.on_behalf_of).toBe(`user:${motherId}`);
    expect(entry.actor).toBe(`user:${d.agent.id}`);
    // While acting for her he cannot delegate onwards.
    const onward = await t.app.inject({ method: 'POST', url: '/api/delegations', headers: { cookie: son.cookie, 'x-csrf-token': son.csrf }, payload: { agentUsername: 'mother', expiresAt } });
    expect(onward.statusCode).toBe(403);
    // She revokes; acting for her ends.
    const rev = await t.app.inject({ method: 'POST', url: `/api/delegations/${d.id}/revoke`, headers: { cookie: mother.cookie, 'x-csrf-token': mother.csrf } });
    expect(rev.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/act-as', headers: { cookie: son.cookie, 'x-csrf-token': son.csrf }, payload: { delegationId: d.id } });
    expect(again.statusCode).toBe(404);
  });

  it('an enterprise authorizes a staff member; bad agents and expiries are refused', async () => {
    const firm = await login('firm');
    const expiresAt = new Date(t.clock.now().getTime() + 86_400_000).toISOString();
    const ok = await t.app.inject({ method: 'POST', url: '/api/delegations', headers: { cookie: firm.cookie, 'x-csrf-token': firm.csrf }, payload: { agentUsername: 'son', expiresAt } });
    expect(ok.json()).toMatchObject({ kind: 'enterprise-staff', itemCode: null, principal: { type: 'enterprise' } });
    const bad = await t.app.inject({ method: 'POST', url: '/api/delegations', headers: { cookie: firm.cookie, 'x-csrf-token': firm.csrf }, payload: { agentUsername: 'nobody', expiresAt: '2020-01-01T00:00:00Z' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: any) => e.pointer).sort()).toEqual(['/body/agentUsername', '/body/expiresAt']);
    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/delegations', headers: { cookie: firm.cookie }, payload: { agentUsername: 'son', expiresAt } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('CSRF_FAILED');
  });
});
