// The client registry (service, HTTP API, CLI) and the PostgreSQL adapter, in-process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../../test/db.js';
import type { Principal } from '../../../core/http/auth.js';
import { createClient, disableClient, listClients, providerClientMetadata } from './clients.js';
import { PostgresAdapter, ClientAdapter, purgeExpired } from './adapter.js';
import { oidcClientCommand, oidcClientUsageProblem, oidcKeyCommand, oidcKeyUsageProblem } from './cli.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
const ACTOR = { id: 'system:test' };

const province: Principal = { id: 'user:province-admin', name: '省管理员', kind: 'staff', permissions: new Set(['identity:client.manage', 'core:calendar.write']), scopes: ['530000'] };
const prefecture: Principal = { id: 'user:km-admin', name: '昆明管理员', kind: 'staff', permissions: new Set(['identity:client.manage']), scopes: ['530100'] };
const nobody: Principal = { id: 'user:clerk', name: '窗口', kind: 'staff', permissions: new Set(['services:case.read']), scopes: ['530102'] };

beforeAll(async () => {
  t = await testApp();
  t.app.authenticators.push(async (req) => ({ 'Bearer province': province, 'Bearer prefecture': prefecture, 'Bearer nobody': nobody })[req.headers.authorization ?? ''] ?? null);
});
afterAll(() => t.close());

const actions = async (like: string) => (await sql<{ action: string; actor: string; object_id: string; detail: any }>`SELECT action, actor, object_id, detail FROM audit_log WHERE action LIKE ${like} ORDER BY seq`.execute(t.core.db)).rows;

function capture() {
  const o = { out: '', err: '' };
  return { o, io: { out: (s: string) => void (o.out += s), err: (s: string) => void (o.err += s) } };
}

describe('client registry', () => {
  it('creates a client with a secret shown once and stored encrypted, audited with an event', async () => {
    const r = await createClient(t.core, ACTOR, { name: '公积金系统', grant: 'authorization_code', redirectUris: ['https://gjj.example.gov.cn/cb'], scopes: ['profile'] });
    expect(r.clientId).toMatch(/^ylc_[0-9a-f]{20}$/);
    expect(r.clientSecret.length).toBeGreaterThanOrEqual(43);
    expect(r.client).toMatchObject({ name: '公积金系统', grantTypes: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile'], firstParty: false, division: '530000', disabled: false, createdBy: 'system:test' });
    const row = await t.core.db.selectFrom('oidc_client').selectAll().where('client_id', '=', r.clientId).executeTakeFirstOrThrow();
    expect(row.secret_enc!.toString('latin1')).not.toContain(r.clientSecret);
    expect(JSON.stringify(await listClients(t.core))).not.toContain(r.clientSecret);
    const meta = await providerClientMetadata(t.core, r.clientId);
    expect(meta).toMatchObject({ client_id: r.clientId, client_secret: r.clientSecret, response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', yunling_first_party: false });
    expect((await actions('identity.oidc.client.create')).at(-1)).toMatchObject({ actor: 'system:test', object_id: r.clientId });
    const ev = (await sql<{ type: string }>`SELECT type FROM outbox WHERE aggregate_id = ${r.clientId}`.execute(t.core.db)).rows;
    expect(ev.map((e) => e.type)).toEqual(['identity.oidc.client-created']);
  });

  it('names every problem of a bad registration at once', async () => {
    await expect(createClient(t.core, ACTOR, {
      name: '', grant: 'authorization_code', redirectUris: ['not a url', 'https://x.example/cb#frag', 'ftp://x.example/cb'], scopes: ['email', 'core:calendar.write'],
      permissions: ['core:nothing.do'], division: '539999',
    })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: expect.arrayContaining([
        expect.objectContaining({ pointer: '/name' }), expect.objectContaining({ pointer: '/redirectUris/0' }), expect.objectContaining({ pointer: '/redirectUris/1' }),
        expect.objectContaining({ pointer: '/redirectUris/2' }), expect.objectContaining({ pointer: '/scopes/1', code: 'unknown' }), expect.objectContaining({ pointer: '/scopes/2', code: 'permission' }),
        expect.objectContaining({ pointer: '/permissions/0' }), expect.objectContaining({ pointer: '/division' }),
      ]),
    });
    await expect(createClient(t.core, ACTOR, { name: 'x', grant: 'authorization_code' })).rejects.toMatchObject({ errors: [expect.objectContaining({ pointer: '/redirectUris', code: 'required' })] });
    await expect(createClient(t.core, ACTOR, { name: 'x', grant: 'client_credentials', redirectUris: ['https://a.example/cb'], scopes: ['openid'], firstParty: true })).rejects.toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ pointer: '/redirectUris' }), expect.objectContaining({ pointer: '/scopes/0', code: 'grant' }), expect.objectContaining({ pointer: '/firstParty' })]),
    });
  });

  it('allows http redirect URIs only on loopback addresses in production', async () => {
    const saved = t.core.config.nodeEnv;
    (t.core.config as { nodeEnv: string }).nodeEnv = 'production';
    try {
      await expect(createClient(t.core, ACTOR, { name: 'x', grant: 'authorization_code', redirectUris: ['http://intranet.example/cb'] })).rejects.toMatchObject({ errors: [expect.objectContaining({ pointer: '/redirectUris/0' })] });
      await expect(createClient(t.core, ACTOR, { name: 'dev', grant: 'authorization_code', redirectUris: ['http://127.0.0.1:8080/cb'] })).resolves.toBeTruthy();
    } finally {
      (t.core.config as { nodeEnv: string }).nodeEnv = saved;
    }
  });

  it('disables a client: the provider no longer finds it; audited once', async () => {
    const r = await createClient(t.core, ACTOR, { name: '停用测试', grant: 'client_credentials', permissions: ['core:calendar.write'] });
    expect(await new ClientAdapter(t.core).find(r.clientId)).toBeTruthy();
    const v = await disableClient(t.core, { id: 'user:someone' }, r.clientId);
    expect(v).toMatchObject({ disabled: true, clientId: r.clientId });
    expect(v!.disabledAt).toBeTruthy();
    expect(await new ClientAdapter(t.core).find(r.clientId)).toBeUndefined();
    await disableClient(t.core, ACTOR, r.clientId);
    expect((await actions('identity.oidc.client.disable')).filter((a) => a.object_id === r.clientId)).toHaveLength(1);
    expect(await disableClient(t.core, ACTOR, 'ylc_unknown')).toBeNull();
  });
});

describe('client API', () => {
  const post = (auth: string, payload: unknown, lang = 'zh-CN') => t.app.inject({ method: 'POST', url: '/api/oidc/clients', headers: { authorization: auth, 'accept-language': lang }, payload: payload as object });

  it('registers, lists and disables clients with identity:client.manage', async () => {
    const created = await post('Bearer province', { name: '省电子证照', grant: 'client_credentials', permissions: ['core:calendar.write'], division: '530102' });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const body = created.json();
    expect(body.clientSecret).toBeTruthy();
    expect(body.client).toMatchObject({ name: '省电子证照', permissions: ['core:calendar.write'], division: '530102' });
    const listed = await t.app.inject({ url: '/api/oidc/clients', headers: { authorization: 'Bearer province' } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((c: { clientId: string }) => c.clientId)).toContain(body.clientId);
    expect(listed.body).not.toContain(body.clientSecret);
    const disabled = await t.app.inject({ method: 'POST', url: `/api/oidc/clients/${body.clientId}/disable`, headers: { authorization: 'Bearer province' } });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ clientId: body.clientId, disabled: true });
    expect((await actions('identity.oidc.client.disable')).at(-1)).toMatchObject({ actor: 'user:province-admin', object_id: body.clientId });
    const missing = await t.app.inject({ method: 'POST', url: '/api/oidc/clients/ylc_nope/disable', headers: { authorization: 'Bearer province' } });
    expect(missing.statusCode).toBe(404);
  });

  it('refuses callers without the permission, or outside their division, or handing out what they do not hold', async () => {
    expect((await post('', { name: 'x', grant: 'client_credentials' })).statusCode).toBe(401);
    expect((await post('Bearer nobody', { name: 'x', grant: 'client_credentials' })).statusCode).toBe(403);
    const outside = await post('Bearer prefecture', { name: 'x', grant: 'client_credentials', division: '530000' });
    expect(outside.statusCode).toBe(403);
    const inside = await post('Bearer prefecture', { name: '昆明市系统', grant: 'client_credentials', division: '530102' });
    expect(inside.statusCode).toBe(201);
    const escalate = await post('Bearer prefecture', { name: 'x', grant: 'client_credentials', division: '530102', permissions: ['core:calendar.write'] });
    expect(escalate.statusCode).toBe(403);
    const firstParty = await post('Bearer prefecture', { name: 'x', grant: 'authorization_code', division: '530102', redirectUris: ['https://km.example.gov.cn/cb'], firstParty: true });
    expect(firstParty.statusCode).toBe(403);
    // The prefecture sees only its own subtree.
    const list = (await t.app.inject({ url: '/api/oidc/clients', headers: { authorization: 'Bearer prefecture' } })).json().items;
    expect(list.every((c: { division: string }) => c.division.startsWith('5301'))).toBe(true);
  });

  it('answers bad input with problem+json naming the fields', async () => {
    const r = await post('Bearer province', { name: 'x', grant: 'password', redirectUris: 'https://a' }, 'en');
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    const pointers = r.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/grant', '/body/redirectUris']));
    const semantic = await post('Bearer province', { name: 'x', grant: 'authorization_code', redirectUris: ['https://a.example/cb#x'] }, 'en');
    expect(semantic.statusCode).toBe(400);
    expect(semantic.json().errors[0]).toMatchObject({ pointer: '/redirectUris/0', message: 'must not contain a fragment' });
  });

  it('is documented in the OpenAPI description', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/oidc/clients', '/api/oidc/clients/{id}/disable']));
  });
});

describe('CLI', () => {
  it('creates (secret printed once, as JSON), lists and disables', async () => {
    const c = capture();
    const code = await oidcClientCommand(t.core, ['create', '--name', '门户', '--grant', 'authorization_code', '--redirect-uri', 'https://portal.example.gov.cn/cb', '--scope', 'openid profile roles', '--first-party', '--json'], { id: 'cli:tester' }, c.io);
    expect(code).toBe(0);
    const out = JSON.parse(c.o.out);
    expect(out.client_id).toMatch(/^ylc_/);
    expect(out.client_secret).toBeTruthy();
    expect(out.client).toMatchObject({ firstParty: true, scopes: ['openid', 'profile', 'roles'], createdBy: 'cli:tester' });

    const l = capture();
    expect(await oidcClientCommand(t.core, ['list'], { id: 'cli:tester' }, l.io)).toBe(0);
    expect(l.o.out).toContain(out.client_id);
    expect(l.o.out).not.toContain(out.client_secret);
    const lj = capture();
    expect(await oidcClientCommand(t.core, ['list', '--json'], { id: 'cli:tester' }, lj.io)).toBe(0);
    expect(JSON.parse(lj.o.out).some((x: { clientId: string }) => x.clientId === out.client_id)).toBe(true);

    const d = capture();
    expect(await oidcClientCommand(t.core, ['disable', out.client_id], { id: 'cli:tester' }, d.io)).toBe(0);
    expect(d.o.out).toContain('disabled');
    const again = capture();
    expect(await oidcClientCommand(t.core, ['disable', 'ylc_missing'], { id: 'cli:tester' }, again.io)).toBe(1);
    expect((await actions('identity.oidc.client.%')).filter((a) => a.actor === 'cli:tester').map((a) => a.action)).toEqual(['identity.oidc.client.create', 'identity.oidc.client.disable']);
  });

  it('reports usage errors with exit code 2 and validation errors with 1', async () => {
    expect(oidcClientUsageProblem(['create', '--name', 'x'])).toMatch(/--grant/);
    expect(oidcClientUsageProblem(['frobnicate'])).toMatch(/unknown/);
    expect(oidcClientUsageProblem(['list'])).toBeNull();
    const u = capture();
    expect(await oidcClientCommand(t.core, ['create', '--name', 'x', '--grant', 'implicit'], ACTOR, u.io)).toBe(2);
    expect(u.o.err).toContain('Usage');
    const v = capture();
    expect(await oidcClientCommand(t.core, ['create', '--name', 'x', '--grant', 'client_credentials', '--permissions', 'core:nothing.do'], ACTOR, v.io)).toBe(1);
    expect(v.o.err).toContain('/permissions/0');
  });

  it('rotates, lists and retires signing keys', async () => {
    const before = capture();
    await oidcKeyCommand(t.core, ['list', '--json'], ACTOR, before.io);
    const initial = JSON.parse(before.o.out) as Array<{ kid: string; status: string }>;
    expect(initial.filter((k) => k.status === 'current')).toHaveLength(1);
    const r = capture();
    expect(await oidcKeyCommand(t.core, ['rotate'], ACTOR, r.io)).toBe(0);
    const after = capture();
    await oidcKeyCommand(t.core, ['list', '--json'], ACTOR, after.io);
    const keys = JSON.parse(after.o.out) as Array<{ kid: string; status: string }>;
    expect(keys.filter((k) => k.status === 'current')).toHaveLength(1);
    expect(keys.find((k) => k.kid === initial[0]!.kid)!.status).toBe('previous');
    const none = capture();
    expect(await oidcKeyCommand(t.core, ['retire'], ACTOR, none.io)).toBe(0);
    expect(none.o.out).toContain('no previous key');
    const one = capture();
    expect(await oidcKeyCommand(t.core, ['retire', initial[0]!.kid], ACTOR, one.io)).toBe(0);
    expect(one.o.out).toContain(initial[0]!.kid);
    expect(await oidcKeyCommand(t.core, ['spin'], ACTOR, capture().io)).toBe(2);
    expect(oidcKeyUsageProblem(['retire', 'a', 'b'])).toMatch(/at most one/);
    expect(oidcKeyUsageProblem(['retire', '--older-than-hours', 'x'])).toMatch(/non-negative/);
    expect(oidcKeyUsageProblem(['rotate'])).toBeNull();
  });
});

describe('PostgreSQL adapter', () => {
  it('upserts, finds, consumes, indexes by uid and user code, and revokes by grant', async () => {
    const at = new PostgresAdapter(t.core, 'AccessToken');
    const session = new PostgresAdapter(t.core, 'Session');
    await at.upsert('tok1', { jti: 'tok1', grantId: 'g1', kind: 'AccessToken' }, 60);
    await at.upsert('tok2', { jti: 'tok2', grantId: 'g1', kind: 'AccessToken' }, 60);
    await at.upsert('tok3', { jti: 'tok3', grantId: 'g2', kind: 'AccessToken', userCode: 'ABCD-EFGH' }, 60);
    await session.upsert('sess1', { jti: 'sess1', uid: 'uid-1', kind: 'Session' }, 60);
    expect(await at.find('tok1')).toMatchObject({ jti: 'tok1', grantId: 'g1' });
    expect(await new PostgresAdapter(t.core, 'RefreshToken').find('tok1')).toBeUndefined();
    expect(await session.findByUid('uid-1')).toMatchObject({ jti: 'sess1' });
    expect(await at.findByUserCode('ABCD-EFGH')).toMatchObject({ jti: 'tok3' });
    await at.consume('tok1');
    expect((await at.find('tok1'))!.consumed).toEqual(expect.any(Number));
    await at.revokeByGrantId('g1');
    expect(await at.find('tok1')).toBeUndefined();
    expect(await at.find('tok2')).toBeUndefined();
    expect(await at.find('tok3')).toBeTruthy();
    await at.destroy('tok3');
    expect(await at.find('tok3')).toBeUndefined();
    // Re-saving a payload replaces it (and clears the consumed mark).
    await session.upsert('sess1', { jti: 'sess1', uid: 'uid-2', kind: 'Session' }, 60);
    expect(await session.findByUid('uid-1')).toBeUndefined();
    expect(await session.findByUid('uid-2')).toBeTruthy();
  });

  it('treats expired rows as gone and purges them', async () => {
    const code = new PostgresAdapter(t.core, 'AuthorizationCode');
    await code.upsert('old', { jti: 'old' }, 60);
    await code.upsert('keep', { jti: 'keep' }, 60);
    await sql`UPDATE oidc_payload SET expires_at = now() - interval '2 minutes' WHERE id = 'old'`.execute(t.core.db);
    expect(await code.find('old')).toBeUndefined();
    expect(await purgeExpired(t.core)).toBeGreaterThanOrEqual(1);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM oidc_payload WHERE id = 'old'`.execute(t.core.db)).rows[0]!.n).toBe(0);
    expect(await code.find('keep')).toBeTruthy();
  });

  it('reads clients from the registry only', async () => {
    const a = new ClientAdapter(t.core);
    await expect(a.upsert()).rejects.toThrow(/createClient/);
    expect(await a.find('x'.repeat(200))).toBeUndefined();
  });
});
