// Public clients (mobile apps such as 云事通, single-page apps): registered without a secret, they
// sign users in with the authorization code + PKCE and token_endpoint_auth_method=none, get
// rotating refresh tokens, and can use neither client credentials nor a secret. The relying party
// is the real openid-client 6 over real HTTP, as in oidc.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import * as client from 'openid-client';
import type { Principal } from '../../../core/http/auth.js';
import { createAccount } from '../accounts.js';
import { ensureRoles } from '../index.js';
import { demoResidentId } from '../seed.js';
import { oidcClientCommand, oidcClientUsageProblem } from './cli.js';
import { createClient, providerClientMetadata } from './clients.js';
import { Browser, freePort, hidden, listeningApp, type Page } from './test-browser.js';

let t: Awaited<ReturnType<typeof listeningApp>>;
const ADMIN = { id: 'system:test' };
const PW = 'Correct-horse-9';
const SPA = 'https://spa.example.gov.cn';
const APP_SCHEME = 'cn.gov.yn.ysstong';
const APP_REDIRECT = `${APP_SCHEME}:/oauth2redirect`;
const insecure = { execute: [client.allowInsecureRequests] };
const INVALID_CLIENT = { status: 401, cause: [{ parameters: { error: 'invalid_client' } }] };

const province: Principal = { id: 'user:province-admin', name: '省管理员', kind: 'staff', permissions: new Set(['identity:client.manage']), scopes: ['530000'] };

beforeAll(async () => {
  t = await listeningApp();
  t.app.authenticators.push(async (req) => (req.headers.authorization === 'Bearer province' ? province : null));
  await ensureRoles(t.core);
  await createAccount(t.core, ADMIN, { type: 'citizen', username: 'lisi', password: PW, name: '李四', division: '530102', idNumber: demoResidentId('530102', '19900202', '456') });
});
afterAll(() => t.close());

const register = (payload: Record<string, unknown>, lang = 'zh-CN') =>
  fetch(`${t.base}/api/oidc/clients`, { method: 'POST', headers: { authorization: 'Bearer province', 'content-type': 'application/json', 'accept-language': lang }, body: JSON.stringify(payload) });

/** The relying party as a public client: it authenticates with nothing but its client_id. */
const publicRp = (clientId: string) => client.discovery(new URL(t.issuer), clientId, undefined, client.None(), insecure);

const auditRows = async (like: string) =>
  (await sql<{ action: string; actor: string; object_id: string | null; detail: any }>`SELECT action, actor, object_id, detail FROM audit_log WHERE action LIKE ${like} ORDER BY seq`.execute(t.core.db)).rows;

async function authorization(config: client.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile offline_access', prompt: 'consent', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce, ...extra,
  });
  return { url: url.toString(), verifier, state, nonce };
}

/** Moves a refresh token's end a day earlier (as if it had been issued a day ago); returns the new end. */
async function ageRefreshToken(token: string): Promise<number> {
  const r = await sql<{ exp: number }>`UPDATE oidc_payload SET payload = jsonb_set(payload, '{exp}', to_jsonb((payload->>'exp')::bigint - 86400))
    WHERE model = 'RefreshToken' AND id = ${token} RETURNING (payload->>'exp')::bigint AS exp`.execute(t.core.db);
  expect(r.rows).toHaveLength(1);
  return Number(r.rows[0]!.exp);
}

const refreshTokenEnd = async (token: string): Promise<number> =>
  Number((await sql<{ exp: string }>`SELECT payload->>'exp' AS exp FROM oidc_payload WHERE model = 'RefreshToken' AND id = ${token}`.execute(t.core.db)).rows[0]!.exp);

async function password(b: Browser, page: Page): Promise<Page> {
  expect(new URL(page.url).pathname).toBe('/login');
  return b.post('/login', { username: 'lisi', password: PW, interaction: hidden(page.body, 'interaction')! });
}

let spa: { clientId: string };
let app: { clientId: string };

describe('registering a public client', () => {
  it('through the API: no secret is made, shown, stored or evented; the provider sees token_endpoint_auth_method none', async () => {
    const res = await register({ name: '某州政务单页应用', public: true, redirectUris: [`${SPA}/cb`], postLogoutRedirectUris: [`${SPA}/`], scopes: ['openid', 'profile', 'offline_access'] });
    expect(res.status).toBe(201);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body).not.toHaveProperty('clientSecret');
    expect(text).not.toMatch(/secret/i);
    expect(body.client).toMatchObject({ public: true, grantTypes: ['authorization_code', 'refresh_token'], firstParty: false });
    spa = body;

    const row = await t.core.db.selectFrom('oidc_client').select(['kind', 'secret_enc']).where('client_id', '=', spa.clientId).executeTakeFirstOrThrow();
    expect(row).toEqual({ kind: 'public', secret_enc: null });
    const meta = await providerClientMetadata(t.core, spa.clientId);
    expect(meta).toMatchObject({ token_endpoint_auth_method: 'none', application_type: 'web', grant_types: ['authorization_code', 'refresh_token'] });
    expect(meta).not.toHaveProperty('client_secret');

    expect((await auditRows('identity.oidc.client.create')).at(-1)).toMatchObject({ actor: 'user:province-admin', object_id: spa.clientId, detail: { public: true } });
    const ev = (await sql<{ type: string; payload: any }>`SELECT type, payload FROM outbox WHERE aggregate_id = ${spa.clientId}`.execute(t.core.db)).rows;
    expect(ev).toEqual([expect.objectContaining({ type: 'identity.oidc.client-created', payload: expect.objectContaining({ public: true }) })]);

    const listed = await fetch(`${t.base}/api/oidc/clients`, { headers: { authorization: 'Bearer province' } });
    const items = ((await listed.json()) as { items: Array<{ clientId: string; public: boolean }> }).items;
    expect(items.find((c) => c.clientId === spa.clientId)).toMatchObject({ public: true });
    expect(items.filter((c) => c.clientId !== spa.clientId).every((c) => c.public === false)).toBe(true);

    const d = (await (await fetch(`${t.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint_auth_methods_supported: string[] };
    expect(d.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'none']));
  });

  it('accepts a private-use scheme (reverse DNS) and a loopback redirect for a mobile app', async () => {
    const res = await register({ name: '云事通', public: true, firstParty: true, redirectUris: [APP_REDIRECT, 'http://127.0.0.1/callback'], scopes: ['openid', 'profile', 'offline_access'] });
    expect(res.status).toBe(201);
    app = (await res.json()) as { clientId: string };
    expect(await providerClientMetadata(t.core, app.clientId)).toMatchObject({ token_endpoint_auth_method: 'none', application_type: 'native', redirect_uris: [APP_REDIRECT, 'http://127.0.0.1/callback'] });
  });

  it('refuses client credentials and bad redirect URIs, naming the fields', async () => {
    const cc = await register({ name: 'x', public: true, grant: 'client_credentials' }, 'en');
    expect(cc.status).toBe(400);
    expect(cc.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(((await cc.json()) as { errors: unknown[] }).errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/grant', code: 'public', message: expect.stringContaining('client_credentials') })]));

    const bad = await register({ name: 'x', public: true, redirectUris: ['myapp:/cb', 'https://127.0.0.1/cb', 'http://intranet.example/cb', `${APP_REDIRECT}#frag`], postLogoutRedirectUris: ['javascript:alert(1)'] }, 'en');
    expect(bad.status).toBe(400);
    const errors = ((await bad.json()) as { errors: Array<{ pointer: string; message: string }> }).errors;
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/postLogoutRedirectUris/0', '/redirectUris/0', '/redirectUris/1', '/redirectUris/2', '/redirectUris/3']);
    expect(errors.find((e) => e.pointer === '/redirectUris/0')!.message).toMatch(/myapp: must be a reverse domain name with a dot/);
    const zh = await register({ name: 'x', public: true, redirectUris: ['myapp:/cb'] });
    expect(((await zh.json()) as { errors: Array<{ pointer: string; message: string }> }).errors[0]).toMatchObject({ pointer: '/redirectUris/0', message: expect.stringContaining('倒写的域名') });

    // A confidential client keeps today's rules: web redirect URIs only.
    await expect(createClient(t.core, ADMIN, { name: 'x', grant: 'authorization_code', redirectUris: [APP_REDIRECT] })).rejects.toMatchObject({ errors: [expect.objectContaining({ pointer: '/redirectUris/0' })] });
    // Refused registrations leave nothing behind.
    expect((await auditRows('identity.oidc.client.create')).filter((a) => a.detail.name === 'x')).toHaveLength(0);
  });

  it('the table itself refuses a secret or client credentials on a public client', async () => {
    await expect(sql`UPDATE oidc_client SET secret_enc = '\\x00'::bytea WHERE client_id = ${spa.clientId}`.execute(t.core.db)).rejects.toThrow(/oidc_client_secret_by_kind/);
    await expect(sql`UPDATE oidc_client SET grant_types = '{client_credentials}' WHERE client_id = ${spa.clientId}`.execute(t.core.db)).rejects.toThrow(/oidc_client_public_grants/);
  });

  it('through the CLI (--public): no secret printed; list shows the kind; client_credentials is a field error', async () => {
    const o = { out: '', err: '' };
    const io = { out: (s: string) => void (o.out += s), err: (s: string) => void (o.err += s) };
    expect(await oidcClientCommand(t.core, ['create', '--name', '云事通测试版', '--public', '--redirect-uri', APP_REDIRECT, '--scope', 'openid profile', '--json'], { id: 'cli:tester' }, io)).toBe(0);
    const out = JSON.parse(o.out);
    expect(out).not.toHaveProperty('client_secret');
    expect(out.client).toMatchObject({ public: true, redirectUris: [APP_REDIRECT], createdBy: 'cli:tester' });
    o.out = '';
    expect(await oidcClientCommand(t.core, ['create', '--name', '单页应用', '--public', '--redirect-uri', `${SPA}/other`], { id: 'cli:tester' }, io)).toBe(0);
    expect(o.out).toMatch(/public client: no secret/);
    expect(o.out).not.toMatch(/client_secret/);
    o.out = '';
    expect(await oidcClientCommand(t.core, ['list'], { id: 'cli:tester' }, io)).toBe(0);
    expect(o.out.split('\n').find((l) => l.startsWith(out.client_id))).toMatch(/authorization_code public/);
    expect(await oidcClientCommand(t.core, ['create', '--name', 'x', '--public', '--grant', 'client_credentials'], { id: 'cli:tester' }, io)).toBe(1);
    expect(o.err).toContain('/grant');
    expect(oidcClientUsageProblem(['create', '--name', 'x'])).toMatch(/--public/);
    expect(oidcClientUsageProblem(['create', '--name', 'x', '--public'])).toBeNull();
  });
});

describe('a single-page app signs a citizen in without a secret', () => {
  let config: client.Configuration;
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;

  it('code + PKCE with token_endpoint_auth_method none; a third-party public client gets the consent page', async () => {
    config = await publicRp(spa.clientId);
    const browser = new Browser(t.base);
    const a = await authorization(config, `${SPA}/cb`);
    const consent = await password(browser, await browser.get(a.url));
    expect(new URL(consent.url).pathname).toMatch(/^\/oidc-consent\//);
    expect(consent.body).toContain('某州政务单页应用');
    const back = await browser.post(new URL(consent.url).pathname, { csrf: hidden(consent.body, 'csrf')!, decision: 'allow' });
    expect(back.location!.startsWith(`${SPA}/cb?code=`)).toBe(true);
    tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.claims()).toMatchObject({ iss: t.issuer, aud: spa.clientId, name: '李四', division: '530102' });
    expect((await auditRows('identity.oidc.token')).at(-1)).toMatchObject({ actor: `client:${spa.clientId}`, detail: { grantType: 'authorization_code', refreshToken: true } });
  });

  it('serves userinfo', async () => {
    const sub = tokens.claims()!.sub;
    expect(await client.fetchUserInfo(config, tokens.access_token, sub)).toMatchObject({ sub, name: '李四', account_type: 'citizen' });
  });

  it('lets the app’s origin call the token endpoint from the browser (CORS), and no other origin', async () => {
    const call = (origin: string) => fetch(`${t.issuer}/token`, {
      method: 'POST', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: spa.clientId }),
    });
    expect((await call(SPA)).headers.get('access-control-allow-origin')).toBe(SPA);
    expect((await call('https://evil.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('rotates refresh tokens without extending them: the used one is refused, and reusing it revokes the grant', async () => {
    const first = tokens.refresh_token!;
    const end = await ageRefreshToken(first);
    const refreshed = await client.refreshTokenGrant(config, first);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(first);
    // A browser app's refresh tokens end when the sign-in's first one would have.
    expect(Math.abs((await refreshTokenEnd(refreshed.refresh_token!)) - end)).toBeLessThanOrEqual(1);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(await client.fetchUserInfo(config, refreshed.access_token, tokens.claims()!.sub)).toMatchObject({ name: '李四' });
    await expect(client.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    // Someone replayed a rotated token: the whole grant is gone, the newest token too.
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await auditRows('identity.oidc.token.fail')).some((x) => x.object_id === spa.clientId && x.detail.grantType === 'refresh_token' && x.detail.error === 'invalid_grant')).toBe(true);
  });

  it('refuses a token request without the PKCE verifier', async () => {
    const browser = new Browser(t.base);
    const a = await authorization(config, `${SPA}/cb`);
    const consent = await password(browser, await browser.get(a.url));
    const back = await browser.post(new URL(consent.url).pathname, { csrf: hidden(consent.body, 'csrf')!, decision: 'allow' });
    const callback = new URL(back.location!);
    expect(callback.searchParams.get('code')).toBeTruthy();
    await expect(client.authorizationCodeGrant(config, callback, { expectedState: a.state, expectedNonce: a.nonce })).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await auditRows('identity.oidc.token.fail')).at(-1)).toMatchObject({ object_id: spa.clientId, detail: { grantType: 'authorization_code', error: 'invalid_grant' } });
  });

  it('cannot use client credentials, nor authenticate with a secret', async () => {
    await expect(client.clientCredentialsGrant(config)).rejects.toMatchObject({ error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
    const guessed = await client.discovery(new URL(t.issuer), spa.clientId, undefined, client.ClientSecretBasic('guessed-secret'), insecure);
    await expect(client.clientCredentialsGrant(guessed)).rejects.toMatchObject(INVALID_CLIENT);
    const posted = await client.discovery(new URL(t.issuer), spa.clientId, undefined, client.ClientSecretPost('guessed-secret'), insecure);
    await expect(client.clientCredentialsGrant(posted)).rejects.toMatchObject({ error: 'invalid_client' });
    const fails = (await auditRows('identity.oidc.token.fail')).filter((x) => x.object_id === spa.clientId && x.detail.grantType === 'client_credentials');
    expect(fails.map((x) => x.detail.error)).toEqual(['invalid_request', 'invalid_client', 'invalid_client']);
  });

  it('a confidential client still cannot skip its secret', async () => {
    const sys = await createClient(t.core, ADMIN, { name: '保密系统', grant: 'client_credentials', permissions: [] });
    const none = await client.discovery(new URL(t.issuer), sys.clientId, undefined, client.None(), insecure);
    await expect(client.clientCredentialsGrant(none)).rejects.toMatchObject({ error: 'invalid_client' });
  });
});

describe('a mobile app (private-use scheme, loopback)', () => {
  it('a first-party app signs in without consent and is sent back to its private-use scheme', async () => {
    const config = await publicRp(app.clientId);
    const browser = new Browser(t.base);
    const a = await authorization(config, APP_REDIRECT);
    const login = await browser.get(a.url);
    // Chrome (Custom Tabs) checks form-action against the redirect that ends the sign-in: the
    // app's scheme is named as a scheme source (such a URL has no origin).
    expect(login.headers.get('content-security-policy')).toContain(`form-action 'self' ${APP_SCHEME}:`);
    const back = await password(browser, login);
    expect(back.status).toBe(303);
    expect(back.location!.startsWith(`${APP_REDIRECT}?code=`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.claims()).toMatchObject({ aud: app.clientId, name: '李四' });
    const end = await ageRefreshToken(tokens.refresh_token!);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    // A mobile app keeps its user signed in: each rotation gives the full lifetime again.
    expect(await refreshTokenEnd(refreshed.refresh_token!)).toBeGreaterThan(end + 86_000);
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts any port on the registered loopback redirect (RFC 8252 §7.3)', async () => {
    const config = await publicRp(app.clientId);
    let port = await freePort();
    if (String(port) === new URL(t.base).port) port += 1;
    const redirect = `http://127.0.0.1:${port}/callback`;
    const browser = new Browser(t.base);
    // prompt=login: oidc-provider asks native apps for consent on every sign-in; the first-party
    // answer to that must keep the login just made, or the user would be asked to sign in again.
    const a = await authorization(config, redirect, { scope: 'openid profile', prompt: 'login' });
    const back = await password(browser, await browser.get(a.url));
    expect(back.status).toBe(303);
    expect(back.location!.startsWith(`${redirect}?code=`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.claims()).toMatchObject({ name: '李四' });
    // …but not another path.
    const wrong = await new Browser(t.base).get((await authorization(config, `http://127.0.0.1:${port}/elsewhere`)).url);
    expect(wrong.status).toBe(400);
  });

  it('a third-party app sees consent, and the consent page lets the form end at the app’s scheme', async () => {
    const r = await createClient(t.core, ADMIN, { name: '某县便民应用', public: true, redirectUris: ['cn.gov.yn.county.app:/cb'], scopes: ['openid', 'profile'] });
    const config = await publicRp(r.clientId);
    const browser = new Browser(t.base);
    const a = await authorization(config, 'cn.gov.yn.county.app:/cb', { scope: 'openid profile' });
    const consent = await password(browser, await browser.get(a.url));
    expect(new URL(consent.url).pathname).toMatch(/^\/oidc-consent\//);
    expect(consent.headers.get('content-security-policy')).toContain("form-action 'self' cn.gov.yn.county.app:");
    const back = await browser.post(new URL(consent.url).pathname, { csrf: hidden(consent.body, 'csrf')!, decision: 'allow' });
    expect(back.location!.startsWith('cn.gov.yn.county.app:/cb?code=')).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.claims()).toMatchObject({ aud: r.clientId });
  });
});
