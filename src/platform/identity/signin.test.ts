import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import { createAccount, getAccount } from './accounts.js';
import { ensureRoles } from './index.js';
import { totp } from './totp.js';
import { demoResidentId } from './seed.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
const ADMIN = { id: 'system:test' };
const PW = 'Correct-horse-9';

function cookies(res: { cookies: Array<{ name: string; value: string }> }): Record<string, string> {
  return Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
}
const cookieHeader = (c: Record<string, string>) => Object.entries(c).map(([k, v]) => `${k}=${v}`).join('; ');

beforeAll(async () => {
  t = await testApp();
  await ensureRoles(t.core);
  await createAccount(t.core, ADMIN, { type: 'citizen', username: 'zhang', password: PW, name: '张三', division: '530102', idNumber: demoResidentId('530102', '19800101', '123'), mobile: '13912345678' });
  await createAccount(t.core, ADMIN, { type: 'staff', username: 'approver1', password: PW, name: '审批员', division: '530100', roles: ['approver'] });
});
afterAll(() => t.close());

describe('accounts', () => {
  it('encrypts personal data at rest and shows it masked', async () => {
    const row = await t.core.db.selectFrom('account').selectAll().where('username', '=', 'zhang').executeTakeFirstOrThrow();
    const id = demoResidentId('530102', '19800101', '123');
    expect(row.id_number_enc!.toString('latin1')).not.toContain(id);
    expect(row.id_number_masked).toBe(`5301**********${id.slice(-4)}`);
    const view = await getAccount(t.core, row.id);
    expect(view).toMatchObject({ type: 'citizen', idNumber: `5301**********${id.slice(-4)}`, mobile: '139****5678' });
  });

  it('refuses invalid ID numbers, credit codes, mobiles and divisions, naming every field', async () => {
    await expect(createAccount(t.core, ADMIN, { type: 'enterprise', username: 'x', name: '', division: '539999', uscc: '91350100M000100Y44', mobile: '12345', idNumber: '530102198001011230' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: expect.arrayContaining([
        expect.objectContaining({ pointer: '/username' }), expect.objectContaining({ pointer: '/name' }), expect.objectContaining({ pointer: '/division' }),
        expect.objectContaining({ pointer: '/uscc' }), expect.objectContaining({ pointer: '/mobile' }), expect.objectContaining({ pointer: '/idNumber' }),
        expect.objectContaining({ pointer: '/legalRepresentative' }),
      ]),
    });
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM account WHERE username = 'x'`.execute(t.core.db)).rows[0]!.n).toBe(0);
  });
});

describe('sign-in page', () => {
  it('serves an accessible zh-CN page with username and password inputs, and English on request', async () => {
    const zh = await t.app.inject({ url: '/login' });
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('<html lang="zh-CN"');
    expect(zh.body).toMatch(/<label for="username">/);
    expect(zh.body).toMatch(/name="username"/);
    expect(zh.body).toMatch(/name="password" type="password"/);
    expect(zh.body).toContain('<main');
    const en = await t.app.inject({ url: '/login?lang=en' });
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('Sign in');
    const elderly = await t.app.inject({ url: '/login?mode=elderly' });
    expect(elderly.body).toContain('class="elderly"');
  });

  it('signs in a citizen with a password, sets an httpOnly SameSite session cookie and redirects', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/login', payload: 'username=zhang&password=' + encodeURIComponent(PW) + '&next=%2Fportal', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/portal');
    const session = r.cookies.find((c) => c.name === 'yl_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const me = await t.app.inject({ url: '/api/auth/session', headers: { cookie: cookieHeader(cookies(r)) } });
    expect(me.json()).toMatchObject({ authenticated: true, account: { username: 'zhang', type: 'citizen' }, roles: [{ role: 'citizen', division: '530000' }] });
  });

  it('gives the same answer for an unknown user and a wrong password, and audits both', async () => {
    const a = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'whatever1' } });
    const b = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhang', password: 'wrong-pass1' } });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.json().detail).toBe(b.json().detail);
    expect(a.json().code).toBe('SIGNIN_FAILED');
    const reasons = (await sql<{ r: string }>`SELECT detail->>'reason' AS r FROM audit_log WHERE action = 'identity.signin.fail' ORDER BY seq`.execute(t.core.db)).rows.map((x) => x.r);
    expect(reasons).toEqual(expect.arrayContaining(['unknown-user', 'bad-password']));
  });

  it('locks an account after repeated failures, with back-off, and still answers the same', async () => {
    await createAccount(t.core, ADMIN, { type: 'staff', username: 'victim', password: PW, name: '测试', division: '530102', roles: ['window_clerk'] });
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'victim', password: 'bad-guess-' + i } });
    const locked = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'victim', password: PW } });
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('SIGNIN_FAILED');
    const lock = (await sql<any>`SELECT detail FROM audit_log WHERE action = 'identity.account.lock' ORDER BY seq DESC LIMIT 1`.execute(t.core.db)).rows[0];
    expect(lock.detail).toMatchObject({ failures: 5, seconds: 60 });
    t.clock.advance(61_000);
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'victim', password: PW } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().authenticated).toBe(true);
  });

  it('requires TOTP for an approver: enrolls on first sign-in, then asks for the code; replays fail', async () => {
    const pw = await t.app.inject({ method: 'POST', url: '/login', payload: `username=approver1&password=${encodeURIComponent(PW)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(pw.statusCode).toBe(200);
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(pw.body)![1]!;
    const pending = cookies(pw);
    const wrong = await t.app.inject({ method: 'POST', url: '/login/mfa', payload: 'code=000000', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(pending) } });
    expect(wrong.statusCode).toBe(401);
    const code = totp(secret, t.clock.now());
    const ok = await t.app.inject({ method: 'POST', url: '/login/mfa', payload: `code=${code}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(pending) } });
    expect(ok.statusCode).toBe(303);
    const me = await t.app.inject({ url: '/api/auth/session', headers: { cookie: cookieHeader(cookies(ok)) } });
    expect(me.json().account.totpEnabled).toBe(true);
    // Second sign-in asks for a code; the same code again is a replay.
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'approver1', password: PW } });
    expect(again.json()).toMatchObject({ authenticated: false, mfaRequired: true, mfaEnrolled: true });
    const replay = await t.app.inject({ method: 'POST', url: '/api/auth/mfa', payload: { code }, headers: { cookie: cookieHeader(cookies(again)) } });
    expect(replay.statusCode).toBe(401);
    t.clock.advance(30_000);
    const fresh = await t.app.inject({ method: 'POST', url: '/api/auth/mfa', payload: { code: totp(secret, t.clock.now()) }, headers: { cookie: cookieHeader(cookies(again)) } });
    expect(fresh.json()).toMatchObject({ authenticated: true, roles: [{ role: 'approver', requiresMfa: true }] });
  });

  it('needs the CSRF token to sign out, and signing out everywhere ends every session', async () => {
    const s1 = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhang', password: PW } });
    const s2 = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhang', password: PW } });
    const c1 = cookies(s1);
    const noToken = await t.app.inject({ method: 'POST', url: '/api/auth/logout-everywhere', headers: { cookie: cookieHeader(c1) } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('CSRF_FAILED');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout-everywhere', headers: { cookie: cookieHeader(c1), 'x-csrf-token': s1.json().csrfToken } });
    expect(out.statusCode).toBe(204);
    for (const s of [s1, s2]) {
      expect((await t.app.inject({ url: '/api/auth/session', headers: { cookie: cookieHeader(cookies(s)) } })).json().authenticated).toBe(false);
    }
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'identity.session.revoke-all'`.execute(t.core.db)).rows[0]!.n).toBe(1);
  });
});
