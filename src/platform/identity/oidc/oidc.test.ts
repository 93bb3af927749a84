// The OpenID Provider end to end, with a real relying party (openid-client 6) over real HTTP:
// discovery, authorization code + PKCE through our /login page, consent for third-party systems,
// ID-token claims, refresh with rotation, userinfo, RP-initiated logout, client credentials
// against our own API, disabling a client, key rotation, and the OAuth errors for bad input.
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import * as client from 'openid-client';
import { Browser, hidden, listeningApp, type Page } from './test-browser.js';
import { createAccount } from '../accounts.js';
import { ensureRoles } from '../index.js';
import { demoResidentId, demoUscc } from '../seed.js';
import { totp } from '../totp.js';
import { createClient, disableClient } from './clients.js';
import { listSigningKeys, loadSigningJwks, retireSigningKeys, rotateSigningKey } from './keys.js';
import { oidcContinuation } from './continuation.js';
import { createProvider, providerAudit } from './provider.js';

let t: Awaited<ReturnType<typeof listeningApp>>;
const ADMIN = { id: 'system:test' };
const PW = 'Correct-horse-9';
const RP = 'https://rp.example.gov.cn';
const THIRD = 'https://third.example.com';
const insecure = { execute: [client.allowInsecureRequests] };
/** openid-client reports a refused client authentication as a 401 challenge. */
const INVALID_CLIENT = { status: 401, cause: [{ parameters: { error: 'invalid_client' } }] };

let firstParty: { clientId: string; clientSecret: string };
let thirdParty: { clientId: string; clientSecret: string };

beforeAll(async () => {
  t = await listeningApp();
  await ensureRoles(t.core);
  await createAccount(t.core, ADMIN, { type: 'citizen', username: 'zhang', password: PW, name: '张三', division: '530102', idNumber: demoResidentId('530102', '19800101', '123') });
  await createAccount(t.core, ADMIN, { type: 'enterprise', username: 'yunqi', password: PW, name: '云岭示范科技有限公司', division: '530102', uscc: demoUscc('530102', 'MA6K0001'), legalRepresentative: '王示范' });
  await createAccount(t.core, ADMIN, { type: 'staff', username: 'wh_admin', password: PW, name: '五华区管理员', division: '530102', roles: ['department_admin'] });
  firstParty = await createClient(t.core, ADMIN, {
    name: '云岭政务服务门户', grant: 'authorization_code', redirectUris: [`${RP}/callback`], postLogoutRedirectUris: [`${RP}/signed-out`],
    scopes: ['openid', 'profile', 'roles', 'offline_access'], firstParty: true,
  });
  thirdParty = await createClient(t.core, ADMIN, {
    name: '某市公积金系统', grant: 'authorization_code', redirectUris: [`${THIRD}/cb`], scopes: ['openid', 'profile', 'roles', 'offline_access'],
  });
});
afterAll(() => t.close());

const rp = (c: { clientId: string; clientSecret: string }) => client.discovery(new URL(t.issuer), c.clientId, undefined, client.ClientSecretBasic(c.clientSecret), insecure);

async function authorization(config: client.Configuration, redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri, scope: 'openid profile roles', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state, nonce, ...extra,
  });
  return { url: url.toString(), verifier, state, nonce };
}

async function passwordOnLoginPage(b: Browser, page: Page, username: string, password = PW): Promise<Page> {
  expect(page.status).toBe(200);
  expect(new URL(page.url).pathname).toBe('/login');
  const interaction = hidden(page.body, 'interaction');
  expect(interaction).toBeTruthy();
  return b.post('/login', { username, password, interaction: interaction! });
}

const auditActions = async (like: string) =>
  (await sql<{ action: string; actor: string; object_id: string | null; detail: any }>`SELECT action, actor, object_id, detail FROM audit_log WHERE action LIKE ${like} ORDER BY seq`.execute(t.core.db)).rows;

function decodeJwt(jwt: string): { header: any; payload: any } {
  const [h, p] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()), payload: JSON.parse(Buffer.from(p!, 'base64url').toString()) };
}

async function jwks(): Promise<Array<Record<string, any>>> {
  return ((await (await fetch(`${t.issuer}/jwks`)).json()) as { keys: Array<Record<string, any>> }).keys;
}

async function verifiesWithJwks(jwt: string): Promise<boolean> {
  const { header } = decodeJwt(jwt);
  const key = (await jwks()).find((k) => k.kid === header.kid);
  if (!key) return false;
  const [h, p, s] = jwt.split('.');
  return verifySignature('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: key as any, format: 'jwk' }), Buffer.from(s!, 'base64url'));
}

describe('discovery', () => {
  it('publishes the issuer, PKCE S256 only, our grants, scopes and claims, and the signing keys', async () => {
    const res = await fetch(`${t.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, any>;
    expect(d.issuer).toBe(`${t.base}/oidc`);
    expect(d.authorization_endpoint).toBe(`${t.base}/oidc/auth`);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.response_types_supported).toEqual(['code']);
    expect(d.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'roles', 'offline_access', 'core:calendar.write']));
    expect(d.claims_supported).toEqual(expect.arrayContaining(['sub', 'name', 'division', 'account_type', 'roles', 'uscc']));
    expect(d.end_session_endpoint).toBe(`${t.base}/oidc/session/end`);
    expect(d.userinfo_endpoint).toBe(`${t.base}/oidc/me`);
    const keys = await jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
  });
});

describe('a first-party system signs a citizen in', () => {
  const b = () => new Browser(t.base);
  let browser: Browser;
  let config: client.Configuration;
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;

  it('goes through our /login page, asks no consent, and returns a code for the PKCE exchange', async () => {
    browser = b();
    config = await rp(firstParty);
    const a = await authorization(config, `${RP}/callback`, { scope: 'openid profile roles offline_access', prompt: 'consent' });
    const login = await browser.get(a.url);
    expect(login.url).toMatch(new RegExp(`^${t.base}/login\\?interaction=`));
    const back = await passwordOnLoginPage(browser, login, 'zhang');
    expect(back.status).toBe(303);
    expect(back.location!.startsWith(`${RP}/callback?code=`)).toBe(true);
    tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeTruthy();
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: t.issuer, aud: firstParty.clientId, name: '张三', division: '530102', account_type: 'citizen', roles: ['citizen'], amr: ['pwd'] });
    expect(claims).not.toHaveProperty('uscc');
    expect(await verifiesWithJwks(tokens.id_token!)).toBe(true);
    const audits = await auditActions('identity.oidc.%');
    expect(audits.map((x) => x.action)).toEqual(expect.arrayContaining(['identity.oidc.login', 'identity.oidc.authorize', 'identity.oidc.token']));
    expect(audits.find((x) => x.action === 'identity.oidc.token')).toMatchObject({ actor: `client:${firstParty.clientId}`, object_id: claims.sub, detail: { grantType: 'authorization_code', refreshToken: true } });
  });

  it('signs the same browser in again without the login page (single sign-on)', async () => {
    const a = await authorization(config, `${RP}/callback`);
    const back = await browser.get(a.url);
    expect(back.status).toBe(303);
    expect(back.location!.startsWith(`${RP}/callback?code=`)).toBe(true);
  });

  it('serves userinfo with the same claims', async () => {
    const sub = tokens.claims()!.sub;
    const info = await client.fetchUserInfo(config, tokens.access_token, sub);
    expect(info).toMatchObject({ sub, name: '张三', division: '530102', account_type: 'citizen', roles: ['citizen'] });
    expect((await auditActions('identity.oidc.userinfo')).length).toBeGreaterThan(0);
  });

  it('refreshes with rotation: the new refresh token works, the used one is refused', async () => {
    const first = tokens.refresh_token!;
    const refreshed = await client.refreshTokenGrant(config, first);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(first);
    expect(refreshed.claims()).toMatchObject({ name: '张三', roles: ['citizen'] });
    await expect(client.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await auditActions('identity.oidc.token.fail')).some((x) => x.detail.grantType === 'refresh_token' && x.detail.error === 'invalid_grant')).toBe(true);
  });

  it('signs out at the relying party’s request (RP-initiated logout), after which the login page is needed again', async () => {
    const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${RP}/signed-out`, state: 'bye' });
    const confirm = await browser.get(url.toString());
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('确认退出登录');
    expect(confirm.headers.get('content-security-policy')).toMatch(/form-action 'self' https:\/\/rp\.example\.gov\.cn/);
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirm.body)![1]!;
    const done = await browser.post(action, { xsrf: hidden(confirm.body, 'xsrf')!, logout: 'yes' });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`${RP}/signed-out?state=bye`);
    const again = await browser.get((await authorization(config, `${RP}/callback`)).url);
    expect(new URL(again.url).pathname).toBe('/login');
    expect((await auditActions('identity.oidc.logout')).at(-1)).toMatchObject({ detail: { everywhere: true } });
  });
});

describe('a third-party system', () => {
  it('shows an accessible consent page listing the claims (zh-CN and en), then signs the enterprise in with its credit code', async () => {
    const browser = new Browser(t.base);
    const config = await rp(thirdParty);
    const a = await authorization(config, `${THIRD}/cb`);
    const login = await browser.get(a.url);
    // The CSP the /login page needs for this interaction names the relying party (Chrome checks
    // form-action against the redirect that ends the sign-in). Any node can answer: state is in the database.
    const elsewhere = await createProvider(t.core, await loadSigningJwks(t.core), providerAudit(t.core));
    const continuation = oidcContinuation(t.core, () => elsewhere);
    expect(await continuation.loginPageCsp(new URL(login.url).searchParams.get('interaction')!)).toContain(`form-action 'self' ${THIRD}`);
    expect(await continuation.loginPageCsp('no-such-interaction')).toBeNull();
    const consent = await passwordOnLoginPage(browser, login, 'yunqi');
    expect(consent.status).toBe(200);
    expect(new URL(consent.url).pathname).toMatch(/^\/oidc-consent\//);
    expect(consent.body).toContain('<html lang="zh-CN"');
    expect(consent.body).toContain('某市公积金系统');
    expect(consent.body).toContain('云岭示范科技有限公司');
    expect(consent.body).toContain('统一社会信用代码');
    expect(consent.body).toContain('角色');
    expect(consent.body).toMatch(/<main id="main">/);
    expect(consent.body).toMatch(/<ul aria-labelledby="scopes-heading">/);
    expect(consent.headers.get('content-security-policy')).toContain(`form-action 'self' ${THIRD}`);
    const en = await browser.request(`${new URL(consent.url).pathname}?lang=en`);
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('Unified social credit code');
    const back = await browser.post(new URL(consent.url).pathname, { csrf: hidden(consent.body, 'csrf')!, decision: 'allow' });
    expect(back.location!.startsWith(`${THIRD}/cb?code=`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.claims()).toMatchObject({ name: '云岭示范科技有限公司', account_type: 'enterprise', division: '530102', roles: ['enterprise'], uscc: demoUscc('530102', 'MA6K0001') });
    expect((await auditActions('identity.oidc.consent.grant')).at(-1)).toMatchObject({ object_id: thirdParty.clientId });
    // Consent is remembered: the next sign-in of this browser goes straight back.
    const again = await browser.get((await authorization(config, `${THIRD}/cb`)).url);
    expect(again.location!.startsWith(`${THIRD}/cb?code=`)).toBe(true);
  });

  it('reports access_denied to the relying party when the user refuses', async () => {
    const browser = new Browser(t.base);
    const config = await rp(thirdParty);
    const a = await authorization(config, `${THIRD}/cb`);
    const consent = await passwordOnLoginPage(browser, await browser.get(a.url), 'zhang');
    const back = await browser.post(new URL(consent.url).pathname, { csrf: hidden(consent.body, 'csrf')!, decision: 'deny' });
    const cb = new URL(back.location!);
    expect(cb.origin + cb.pathname).toBe(`${THIRD}/cb`);
    expect(cb.searchParams.get('error')).toBe('access_denied');
    expect((await auditActions('identity.oidc.consent.deny')).length).toBe(1);
  });

  it('refuses a consent form without the page’s token', async () => {
    const browser = new Browser(t.base);
    const config = await rp(thirdParty);
    const consent = await passwordOnLoginPage(browser, await browser.get((await authorization(config, `${THIRD}/cb`)).url), 'zhang');
    const forged = await browser.post(new URL(consent.url).pathname, { csrf: 'forged', decision: 'allow' });
    expect(forged.status).toBe(400);
  });
});

describe('sign-in from an existing web session', () => {
  it('satisfies the login prompt with the yl_session cookie, unless the client forces prompt=login', async () => {
    const browser = new Browser(t.base);
    const res = await fetch(`${t.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhang', password: PW }) });
    expect(res.status).toBe(200);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      browser.jar.set(name!, { value: value!, path: '/' });
    }
    const config = await rp(firstParty);
    const a = await authorization(config, `${RP}/callback`);
    const back = await browser.get(a.url);
    expect(back.status).toBe(303);
    expect(back.location!.startsWith(`${RP}/callback?code=`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.claims()).toMatchObject({ name: '张三' });
    expect((await auditActions('identity.oidc.login')).some((x) => x.detail.via === 'web-session')).toBe(true);

    const forced = await new Browser(t.base).get((await authorization(config, `${RP}/callback`, { prompt: 'login' })).url);
    expect(new URL(forced.url).pathname).toBe('/login');
  });

  it('ends the web session too when the user signs out of the unified sign-in', async () => {
    const browser = new Browser(t.base);
    const res = await fetch(`${t.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhang', password: PW }) });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      browser.jar.set(name!, { value: value!, path: '/' });
    }
    const session = browser.jar.get('yl_session')!.value;
    const config = await rp(firstParty);
    const a = await authorization(config, `${RP}/callback`);
    const tokens = await client.authorizationCodeGrant(config, new URL((await browser.get(a.url)).location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    const confirm = await browser.get(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${RP}/signed-out` }).toString());
    const action = /action="([^"]+)"/.exec(confirm.body)![1]!;
    await browser.post(action, { xsrf: hidden(confirm.body, 'xsrf')!, logout: 'yes' });
    const me = await fetch(`${t.base}/api/auth/session`, { headers: { cookie: `yl_session=${session}` } });
    expect(((await me.json()) as { authenticated: boolean }).authenticated).toBe(false);
    const again = await browser.get((await authorization(config, `${RP}/callback`)).url);
    expect(new URL(again.url).pathname).toBe('/login');
  });
});

describe('staff with a second factor, and user tokens on our API', () => {
  let adminToken: string;
  let totpSecret: string;

  it('enrolls TOTP inside the OIDC sign-in; amr says pwd+otp; the token carries the admin role', async () => {
    const browser = new Browser(t.base);
    const config = await rp(firstParty);
    const a = await authorization(config, `${RP}/callback`);
    const enroll = await passwordOnLoginPage(browser, await browser.get(a.url), 'wh_admin');
    expect(enroll.status).toBe(200);
    totpSecret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(enroll.body)![1]!;
    expect(hidden(enroll.body, 'interaction')).toBeTruthy();
    const back = await browser.post('/login/mfa', { code: totp(totpSecret, t.clock.now()), interaction: hidden(enroll.body, 'interaction')! });
    expect(back.location!.startsWith(`${RP}/callback?code=`)).toBe(true);
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    expect(tokens.claims()).toMatchObject({ account_type: 'staff', roles: ['department_admin'], amr: ['pwd', 'otp'] });
    adminToken = tokens.access_token;
  });

  it('a first-party user token acts as the user (with the second factor) on our API', async () => {
    const put = await fetch(`${t.base}/api/calendar/divisions/530102/days/2026-10-09`, {
      method: 'PUT', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'holiday', name: '区庆' }),
    });
    expect(put.status).toBe(200);
    const other = await fetch(`${t.base}/api/calendar/divisions/530103/days/2026-10-09`, {
      method: 'PUT', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'holiday', name: '越权' }),
    });
    expect(other.status).toBe(403);
  });

  it('a third-party client’s token for the same user carries only the client’s permissions (none)', async () => {
    const browser = new Browser(t.base);
    const config = await rp(thirdParty);
    const a = await authorization(config, `${THIRD}/cb`);
    const first = await passwordOnLoginPage(browser, await browser.get(a.url), 'wh_admin');
    expect(first.body).toContain('name="code"');
    t.clock.advance(30_000); // a fresh code: the enrolment's code may not be used twice
    const consent = await browser.post('/login/mfa', { code: totp(totpSecret, t.clock.now()), interaction: hidden(first.body, 'interaction')! });
    const back = await browser.post(new URL(consent.url).pathname, { csrf: hidden(consent.body, 'csrf')!, decision: 'allow' });
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    const put = await fetch(`${t.base}/api/calendar/divisions/530102/days/2026-10-10`, {
      method: 'PUT', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'holiday', name: '第三方' }),
    });
    expect(put.status).toBe(403);
  });
});

describe('client credentials for system-to-system calls', () => {
  it('a token carries the client’s permissions in its division; disabling the client ends it', async () => {
    const sys = await createClient(t.core, ADMIN, { name: '五华区日历同步', grant: 'client_credentials', permissions: ['core:calendar.write'], division: '530102' });
    const config = await client.discovery(new URL(t.issuer), sys.clientId, undefined, client.ClientSecretBasic(sys.clientSecret), insecure);
    const cc = await client.clientCredentialsGrant(config);
    expect(cc.access_token).toBeTruthy();
    expect(cc.expires_in).toBe(600);
    const call = (division: string, token = cc.access_token) => fetch(`${t.base}/api/calendar/divisions/${division}/days/2026-08-07`, {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'holiday', name: '火把节' }),
    });
    expect((await call('530102')).status).toBe(200);
    expect((await call('530100')).status).toBe(403);
    const set = (await sql<{ actor: string }>`SELECT actor FROM audit_log WHERE action = 'core.calendar.day-set' ORDER BY seq DESC LIMIT 1`.execute(t.core.db)).rows[0];
    expect(set!.actor).toBe(`client:${sys.clientId}`);
    expect((await auditActions('identity.oidc.token')).some((x) => x.actor === `client:${sys.clientId}` && x.detail.grantType === 'client_credentials')).toBe(true);

    await disableClient(t.core, ADMIN, sys.clientId);
    const refused = await call('530102');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
    expect((await auditActions('identity.oidc.bearer.reject')).at(-1)).toMatchObject({ object_id: sys.clientId, detail: { reason: 'client-disabled' } });
    await expect(client.clientCredentialsGrant(config)).rejects.toMatchObject(INVALID_CLIENT);
    expect((await auditActions('identity.oidc.token.fail')).some((x) => x.object_id === sys.clientId && x.detail.error === 'invalid_client')).toBe(true);
  });

  it('narrows the token to the permission scopes asked for', async () => {
    const sys = await createClient(t.core, ADMIN, { name: '运维监控', grant: 'client_credentials', permissions: ['core:calendar.write', 'core:ops.read'], division: '530102' });
    const config = await client.discovery(new URL(t.issuer), sys.clientId, undefined, client.ClientSecretBasic(sys.clientSecret), insecure);
    const cc = await client.clientCredentialsGrant(config, { scope: 'core:ops.read' });
    expect(cc.scope).toBe('core:ops.read');
    const put = await fetch(`${t.base}/api/calendar/divisions/530102/days/2026-08-08`, {
      method: 'PUT', headers: { authorization: `Bearer ${cc.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'holiday', name: '无权' }),
    });
    expect(put.status).toBe(403);
    await expect(client.clientCredentialsGrant(config, { scope: 'identity:client.manage' })).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses a wrong client secret', async () => {
    const sys = await createClient(t.core, ADMIN, { name: '测试系统', grant: 'client_credentials', permissions: [] });
    const config = await client.discovery(new URL(t.issuer), sys.clientId, undefined, client.ClientSecretBasic('wrong-secret'), insecure);
    await expect(client.clientCredentialsGrant(config)).rejects.toMatchObject(INVALID_CLIENT);
  });
});

describe('disabling a sign-in client', () => {
  it('ends its user tokens at userinfo, its refresh tokens and its API access', async () => {
    const temp = await createClient(t.core, ADMIN, { name: '临时系统', grant: 'authorization_code', redirectUris: [`${RP}/temp`], scopes: ['openid', 'profile', 'offline_access'], firstParty: true });
    const config = await rp(temp);
    const browser = new Browser(t.base);
    const a = await authorization(config, `${RP}/temp`, { scope: 'openid profile offline_access', prompt: 'consent' });
    const back = await passwordOnLoginPage(browser, await browser.get(a.url), 'zhang');
    const tokens = await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    const sub = tokens.claims()!.sub;
    expect(await client.fetchUserInfo(config, tokens.access_token, sub)).toMatchObject({ name: '张三' });
    await disableClient(t.core, ADMIN, temp.clientId);
    await expect(client.fetchUserInfo(config, tokens.access_token, sub)).rejects.toMatchObject({ status: 401, cause: [{ parameters: { error: 'invalid_token' } }] });
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject(INVALID_CLIENT);
    const api = await fetch(`${t.base}/api/oidc/clients`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(api.status).toBe(401);
    expect((await auditActions('identity.oidc.userinfo.fail')).at(-1)).toMatchObject({ detail: { error: 'invalid_token' } });
  });
});

describe('bad input gets OAuth errors, and each is audited', () => {
  async function codeFor(config: client.Configuration, extra: Record<string, string> = {}) {
    const browser = new Browser(t.base);
    const a = await authorization(config, `${RP}/callback`, extra);
    const back = await passwordOnLoginPage(browser, await browser.get(a.url), 'zhang');
    return { ...a, callback: new URL(back.location!) };
  }

  it('a wrong PKCE verifier', async () => {
    const config = await rp(firstParty);
    const a = await codeFor(config);
    await expect(client.authorizationCodeGrant(config, a.callback, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: a.state, expectedNonce: a.nonce }))
      .rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await auditActions('identity.oidc.token.fail')).at(-1)).toMatchObject({ detail: { grantType: 'authorization_code', error: 'invalid_grant' } });
  });

  it('a replayed code (and the tokens it gave are revoked)', async () => {
    const config = await rp(firstParty);
    const a = await codeFor(config);
    const tokens = await client.authorizationCodeGrant(config, a.callback, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce });
    await expect(client.authorizationCodeGrant(config, a.callback, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce })).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).rejects.toBeTruthy();
  });

  it('an expired code', async () => {
    const config = await rp(firstParty);
    const a = await codeFor(config);
    await sql`UPDATE oidc_payload SET expires_at = now() - interval '1 second' WHERE model = 'AuthorizationCode'`.execute(t.core.db);
    await expect(client.authorizationCodeGrant(config, a.callback, { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a redirect URI that is not registered', async () => {
    const config = await rp(firstParty);
    const a = await authorization(config, 'https://evil.example.com/callback');
    const page = await new Browser(t.base).get(a.url);
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.body).toContain('redirect_uri');
    expect(page.body).toContain('回调地址');
    expect((await auditActions('identity.oidc.authorize.fail')).at(-1)).toMatchObject({ object_id: firstParty.clientId, detail: { error: 'invalid_redirect_uri' } });
  });

  it('an authorization request without PKCE', async () => {
    const config = await rp(firstParty);
    const url = client.buildAuthorizationUrl(config, { redirect_uri: `${RP}/callback`, scope: 'openid', state: 's1' });
    const page = await new Browser(t.base).get(url.toString());
    const cb = new URL(page.location!);
    expect(cb.searchParams.get('error')).toBe('invalid_request');
    expect(cb.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('an unknown client', async () => {
    const config = await client.discovery(new URL(t.issuer), 'ylc_nobody', undefined, client.ClientSecretBasic('x'), insecure);
    const page = await new Browser(t.base).get((await authorization(config, `${RP}/callback`)).url);
    expect(page.status).toBe(400);
    expect(page.body).toContain('invalid_client');
  });

  it('a sign-in form whose interaction has expired shows a clear page instead of signing in elsewhere', async () => {
    const res = await fetch(`${t.base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'zhang', password: PW, interaction: 'stale-interaction-id' }) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('登录请求已过期');
  });
});

describe('signing keys', () => {
  it('rotates: the new key signs, the old one stays published until retired', async () => {
    const config = await rp(firstParty);
    const browser = new Browser(t.base);
    const sign = async () => {
      const a = await authorization(config, `${RP}/callback`);
      const first = await browser.get(a.url);
      const back = first.status === 200 ? await passwordOnLoginPage(browser, first, 'zhang') : first;
      return (await client.authorizationCodeGrant(config, new URL(back.location!), { pkceCodeVerifier: a.verifier, expectedState: a.state, expectedNonce: a.nonce })).id_token!;
    };
    const before = await sign();
    const oldKid = decodeJwt(before).header.kid;
    const newKid = await rotateSigningKey(t.core, ADMIN);
    // The rotation reaches every node as a broadcast event (delivered by the outbox dispatcher).
    while ((await t.core.events.dispatchBatch()) > 0);
    const keys = (await jwks()).map((k) => k.kid);
    expect(keys).toEqual(expect.arrayContaining([oldKid, newKid]));
    const after = await sign();
    expect(decodeJwt(after).header.kid).toBe(newKid);
    expect(await verifiesWithJwks(before)).toBe(true);
    expect(await verifiesWithJwks(after)).toBe(true);
    const stored = await t.core.db.selectFrom('oidc_signing_key').select(['private_jwk_enc']).where('kid', '=', newKid).executeTakeFirstOrThrow();
    expect(stored.private_jwk_enc.toString('latin1')).not.toContain('"d"');

    expect(await retireSigningKeys(t.core, ADMIN, { kid: oldKid })).toEqual([oldKid]);
    while ((await t.core.events.dispatchBatch()) > 0);
    expect((await jwks()).map((k) => k.kid)).toEqual([newKid]);
    expect(await verifiesWithJwks(before)).toBe(false);
    expect((await listSigningKeys(t.core)).map((k) => k.status).sort()).toEqual(['current', 'retired']);
    expect((await auditActions('identity.oidc.key.%')).map((x) => x.action)).toEqual(expect.arrayContaining(['identity.oidc.key.rotate', 'identity.oidc.key.retire']));
  });
});
