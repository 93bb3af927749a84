// Account and role administration through the real routes, signed in as real demo accounts
// (their role assignments, with the second factor passed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import { createAccount } from './accounts.js';
import { loadPrincipal } from './principal.js';
import { DEMO_PASSWORD, demoResidentId, seedIdentity } from './seed.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
const SEED = { id: 'system:test' };
const idOf = async (username: string) => (await t.core.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

async function call(who: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, lang = 'zh-CN') {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${who}`, 'accept-language': lang }, ...(payload === undefined ? {} : { payload: payload as object }) });
}
const count = async (table: string, where = sql`true`) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(t.core.db)).rows[0]!.n;

beforeAll(async () => {
  t = await testApp();
  await seedIdentity(t.core);
  // A Qujing administrator and a Qujing citizen: out of every Kunming administrator's reach.
  await createAccount(t.core, SEED, { type: 'staff', username: 'qj_admin', password: DEMO_PASSWORD, name: '曲靖市管理员', division: '530300', roles: ['department_admin'] });
  await createAccount(t.core, SEED, { type: 'citizen', username: 'qj_citizen', password: DEMO_PASSWORD, name: '赵曲靖', division: '530302', idNumber: demoResidentId('530302', '19850505', '123'), mobile: '13900001234' });
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer ([\w.]+)$/.exec(r.headers.authorization ?? '');
    if (!m) return null;
    const a = await t.core.db.selectFrom('account').select('id').where('username', '=', m[1]!).executeTakeFirst();
    return a ? loadPrincipal(t.core, a.id, { mfa: true }) : null;
  });
}, 120_000);
afterAll(() => t?.close());

describe('accounts', () => {
  it('lists only accounts in the caller\'s subtree, with ID numbers and mobiles masked', async () => {
    const wh = await call('wh_department_admin', 'GET', '/api/identity/accounts?limit=100');
    expect(wh.statusCode, wh.body).toBe(200);
    const items = wh.json().items as Array<{ username: string; division: string; mobile: string | null; idNumber: string | null }>;
    expect(items.length).toBeGreaterThan(5);
    expect(items.every((a) => a.division.startsWith('530102'))).toBe(true);
    expect(items.map((a) => a.username)).not.toContain('km_citizen');
    const citizen = items.find((a) => a.username === 'wh_citizen')!;
    expect(citizen.mobile).toBe('138****1002');
    expect(citizen.idNumber).toMatch(/^5301\*+\w{4}$/);
    expect(wh.body).not.toContain('13800871002');

    const km = (await call('km_department_admin', 'GET', '/api/identity/accounts?limit=100')).json();
    expect(km.items.map((a: { username: string }) => a.username)).toEqual(expect.arrayContaining(['km_citizen', 'wh_citizen']));
    expect(km.items.map((a: { username: string }) => a.username)).not.toContain('qj_citizen');
  });

  it('searches by name, username, kind, and exactly by mobile (blind index), paged', async () => {
    const byMobile = (await call('admin', 'GET', '/api/identity/accounts?q=13900001234')).json();
    expect(byMobile.items.map((a: { username: string }) => a.username)).toEqual(['qj_citizen']);
    const byName = (await call('km_department_admin', 'GET', `/api/identity/accounts?q=${encodeURIComponent('五华区')}&type=staff&limit=2`)).json();
    expect(byName.total).toBeGreaterThan(2);
    expect(byName.items).toHaveLength(2);
    expect(byName.items.every((a: { type: string; name: string }) => a.type === 'staff' && a.name.includes('五华区'))).toBe(true);
    const page2 = (await call('km_department_admin', 'GET', `/api/identity/accounts?q=${encodeURIComponent('五华区')}&type=staff&limit=2&offset=2`)).json();
    expect(page2.items[0].id).not.toBe(byName.items[0].id);
    // A Kunming admin cannot find a Qujing citizen by mobile either.
    expect((await call('km_department_admin', 'GET', '/api/identity/accounts?q=13900001234')).json().total).toBe(0);
  });

  it('shows a Qujing account to a Kunming admin as not found, for reading and for every change', async () => {
    const qj = await idOf('qj_citizen');
    expect((await call('km_department_admin', 'GET', `/api/identity/accounts/${qj}`)).statusCode).toBe(404);
    for (const op of ['disable', 'enable', 'unlock', 'revoke-sessions']) {
      expect((await call('km_department_admin', 'POST', `/api/identity/accounts/${qj}/${op}`)).statusCode, op).toBe(404);
    }
    expect((await call('km_department_admin', 'POST', `/api/identity/accounts/${qj}/grants`, { role: 'citizen', division: '530100' })).statusCode).toBe(404);
    expect((await call('qj_admin', 'GET', `/api/identity/accounts/${qj}`)).statusCode).toBe(200);
    // A window clerk has no identity:account.read at all.
    expect((await call('km_window_clerk', 'GET', '/api/identity/accounts')).statusCode).toBe(403);
  });

  it('creates a staff account with the CLI\'s password rules, reporting every bad field; audited and evented', async () => {
    const bad = await call('wh_department_admin', 'POST', '/api/identity/accounts', { username: 'a', password: 'short', name: '王五', division: '530102', mobile: '123' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/mobile', '/body/password', '/body/username']);
    const other = await call('wh_department_admin', 'POST', '/api/identity/accounts', { username: 'wang.wu', password: 'Strong@2026x', name: '王五', division: '530103' });
    expect(other.statusCode).toBe(403);
    const ok = await call('wh_department_admin', 'POST', '/api/identity/accounts', { username: 'wang.wu', password: 'Strong@2026x', name: '王五', division: '530102', mobile: '13700001111' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ type: 'staff', username: 'wang.wu', status: 'active', division: '530102', mobile: '137****1111', grants: [] });
    const id = ok.json().id;
    expect(await count('audit_log', sql`action = 'identity.account.create' AND object_id = ${id}`)).toBe(1);
    expect(await count('outbox', sql`type = 'identity.account.created' AND aggregate_id = ${id}`)).toBe(1);
    const dup = await call('wh_department_admin', 'POST', '/api/identity/accounts', { username: 'WANG.WU', password: 'Strong@2026x', name: '王五', division: '530102' }, 'en');
    expect(dup.json().errors).toEqual([expect.objectContaining({ pointer: '/body/username', code: 'taken', message: 'This username is taken' })]);
  });

  it('disables (ending sessions), enables, unlocks and signs out everywhere; each audited and evented', async () => {
    const id = await idOf('wh_window_clerk');
    const dis = await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/disable`);
    expect(dis.statusCode, dis.body).toBe(200);
    expect(dis.json().status).toBe('disabled');
    expect(await loadPrincipal(t.core, id)).toBeNull();
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'wh_window_clerk', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBeGreaterThanOrEqual(400);
    expect((await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/enable`)).json().status).toBe('active');

    await t.core.db.updateTable('account').set({ failed_logins: 7, locked_until: new Date(t.core.clock.now().getTime() + 3_600_000) }).where('id', '=', id).execute();
    const before = (await call('wh_department_admin', 'GET', `/api/identity/accounts/${id}`)).json();
    expect(before).toMatchObject({ locked: true, failedLogins: 7 });
    const un = (await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/unlock`)).json();
    expect(un).toMatchObject({ locked: false, failedLogins: 0, lockedUntil: null });

    const rs = await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/revoke-sessions`);
    expect(rs.statusCode).toBe(200);
    for (const [action, event] of [['identity.account.disable', 'identity.account.disabled'], ['identity.account.enable', 'identity.account.enabled'], ['identity.account.unlock', 'identity.account.unlocked'], ['identity.session.revoke-all', 'identity.sessions.revoked']]) {
      expect(await count('audit_log', sql`action = ${action} AND object_id = ${id}`), action).toBe(1);
      expect(await count('outbox', sql`type = ${event} AND aggregate_id = ${id}`), event).toBe(1);
    }
    // Nobody disables themselves out of the platform.
    const self = await call('wh_department_admin', 'POST', `/api/identity/accounts/${await idOf('wh_department_admin')}/disable`);
    expect(self.statusCode).toBe(409);
  });
});

describe('roles', () => {
  it('lists roles with their permissions (zh/en) and where the caller may grant each', async () => {
    const r = await call('wh_department_admin', 'GET', '/api/identity/roles');
    expect(r.statusCode).toBe(200);
    const roles = r.json().items as Array<{ code: string; permissions: Array<{ code: string; name: { 'zh-CN': string; en: string } }>; grantableIn: string[] }>;
    const clerk = roles.find((x) => x.code === 'window_clerk')!;
    expect(clerk.permissions).toContainEqual({ code: 'services:case.accept', name: { 'zh-CN': '受理办件', en: 'accept cases' } });
    expect(clerk.grantableIn).toEqual(['530102']);
    expect(roles.find((x) => x.code === 'system_admin')!.grantableIn).toEqual([]);
    expect(roles.find((x) => x.code === 'auditor')!.grantableIn).toEqual([]);
  });

  it('grants a role in the caller\'s scope, refuses a wider scope and a role above the caller\'s own, and revokes', async () => {
    const id = await idOf('wang.wu');
    const ok = await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/grants`, { role: 'approver', division: '530102' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().grants).toEqual([expect.objectContaining({ role: 'approver', division: '530102', roleName: { 'zh-CN': '审批人员', en: 'Approver' }, revocable: true })]);
    expect((await loadPrincipal(t.core, id, { mfa: true }))!.permissions.has('services:case.approve')).toBe(true);
    expect(await count('outbox', sql`type = 'identity.role.assigned' AND payload->>'accountId' = ${id}`)).toBe(1);

    const again = await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/grants`, { role: 'approver', division: '530102' });
    expect(again.statusCode).toBe(409);
    const wider = await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/grants`, { role: 'approver', division: '530100' });
    expect(wider.statusCode).toBe(403);
    // No privilege escalation: system_admin ('*') and auditor (core:audit.read) hold permissions a department admin lacks.
    for (const role of ['system_admin', 'auditor']) {
      const up = await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/grants`, { role, division: '530102' }, 'en');
      expect(up.statusCode, role).toBe(403);
      expect(up.json().detail).toMatch(/permissions you do not hold/);
    }
    const unknown = await call('wh_department_admin', 'POST', `/api/identity/accounts/${id}/grants`, { role: 'nobody', division: '539999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/role', '/body/division']);
    expect(await count('role_assignment', sql`account_id = ${id}`)).toBe(1);

    // The province admin's system_admin grant is shown to a Kunming admin as not revocable, and refused.
    const admin = await idOf('admin');
    expect((await call('km_department_admin', 'GET', `/api/identity/accounts/${admin}`)).statusCode).toBe(404);
    const km = await idOf('km_auditor');
    const auditorGrant = (await call('km_department_admin', 'GET', `/api/identity/accounts/${km}`)).json().grants[0];
    expect(auditorGrant).toMatchObject({ role: 'auditor', revocable: false });
    expect((await call('km_department_admin', 'DELETE', `/api/identity/accounts/${km}/grants/${auditorGrant.id}`)).statusCode).toBe(403);

    const grant = ok.json().grants[0].id;
    const rev = await call('wh_department_admin', 'DELETE', `/api/identity/accounts/${id}/grants/${grant}`);
    expect(rev.statusCode, rev.body).toBe(200);
    expect(rev.json().grants).toEqual([]);
    expect((await loadPrincipal(t.core, id, { mfa: true }))!.permissions.size).toBe(0);
    expect(await count('audit_log', sql`action = 'identity.role.revoke' AND object_id = ${id}`)).toBe(1);
    expect((await call('wh_department_admin', 'DELETE', `/api/identity/accounts/${id}/grants/${grant}`)).statusCode).toBe(404);
  });
});
