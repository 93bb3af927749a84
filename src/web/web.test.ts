// The web app's server side on the real app: its OIDC client registered once, its sign-in
// configuration, the code + PKCE exchange, refresh rotation, revocation and "who am I".
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, hidden, listeningApp } from '../platform/identity/oidc/test-browser.js';
import { createAccount } from '../platform/identity/accounts.js';
import { listClients } from '../platform/identity/oidc/index.js';
import { demoResidentId } from '../platform/identity/seed.js';
import { ensureWebClient, WEB_CLIENT_NAME } from './client.js';

const PW = 'Yunling@2026';
let t: Awaited<ReturnType<typeof listeningApp>>;

const b64url = (b: Buffer) => b.toString('base64url');

beforeAll(async () => {
  t = await listeningApp();
  await createAccount(t.core, { id: 'system:test' }, { type: 'citizen', username: 'lisi', password: PW, name: '李四', division: '530102', idNumber: demoResidentId('530102', '19900101', '456') });
  await createAccount(t.core, { id: 'system:test' }, { type: 'staff', username: 'clerk', password: PW, name: '窗口小王', division: '530102', roles: ['window_clerk'] });
});
afterAll(() => t.close());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${t.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, type: r.headers.get('content-type'), cache: r.headers.get('cache-control'), body: (r.status === 204 ? null : await r.json()) as any };
}

/** The browser's half of the flow, as the web app does it: PKCE, state, nonce, then /login. */
async function signIn(username: string) {
  const config = (await (await fetch(`${t.base}/api/web/config`)).json()) as any;
  const verifier = b64url(randomBytes(48));
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const q = new URLSearchParams({
    client_id: config.clientId, response_type: 'code', redirect_uri: config.redirectUri, scope: config.scope, state, nonce, prompt: 'consent',
    code_challenge: b64url(createHash('sha256').update(verifier).digest()), code_challenge_method: 'S256',
  });
  const browser = new Browser(t.base);
  const login = await browser.get(`${config.authorizationEndpoint}?${q}`);
  expect(new URL(login.url).pathname).toBe('/login');
  const back = await browser.post('/login', { username, password: PW, interaction: hidden(login.body, 'interaction')! });
  const callback = new URL(back.url);
  expect(callback.pathname).toBe('/auth/callback');
  expect(callback.searchParams.get('state')).toBe(state);
  return { config, code: callback.searchParams.get('code')!, verifier, nonce, browser };
}

describe('web app server side', () => {
  it('registers one first-party client for the web app, whatever the number of starts', async () => {
    const again = await ensureWebClient(t.core);
    const mine = (await listClients(t.core)).filter((c) => c.name === WEB_CLIENT_NAME);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ clientId: again.clientId, firstParty: true, redirectUris: [`${t.base}/auth/callback`], postLogoutRedirectUris: [`${t.base}/portal`] });
    const config = (await (await fetch(`${t.base}/api/web/config`)).json()) as any;
    expect(config).toEqual({
      clientId: again.clientId, issuer: t.issuer, redirectUri: `${t.base}/auth/callback`, postLogoutRedirectUri: `${t.base}/portal`,
      authorizationEndpoint: `${t.issuer}/auth`, endSessionEndpoint: `${t.issuer}/session/end`, scope: 'openid profile roles offline_access',
    });
  });

  it('redeems a code with its PKCE verifier, refreshes with rotation, and revokes at sign-out', async () => {
    const s = await signIn('lisi');
    const wrong = await post('/api/web/token', { grantType: 'authorization_code', code: s.code, codeVerifier: b64url(randomBytes(48)) });
    expect(wrong.status).toBe(401);
    expect(wrong.type).toContain('application/problem+json');
    const s2 = await signIn('lisi');
    const tokens = await post('/api/web/token', { grantType: 'authorization_code', code: s2.code, codeVerifier: s2.verifier });
    expect(tokens.status).toBe(200);
    expect(tokens.cache).toBe('no-store');
    expect(tokens.body).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), idToken: expect.any(String), expiresIn: 900 });
    const claims = JSON.parse(Buffer.from(tokens.body.idToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ iss: t.issuer, aud: s2.config.clientId, nonce: s2.nonce, name: '李四', roles: ['citizen'] });

    const me = (await (await fetch(`${t.base}/api/web/me`, { headers: { authorization: `Bearer ${tokens.body.accessToken}` } })).json()) as any;
    expect(me).toMatchObject({ name: '李四', kind: 'citizen', mfa: false, permissions: expect.arrayContaining(['services:application.create']), grants: [{ role: 'citizen', division: '530000' }] });

    const refreshed = await post('/api/web/token', { grantType: 'refresh_token', refreshToken: tokens.body.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(tokens.body.refreshToken);
    expect((await fetch(`${t.base}/api/web/me`, { headers: { authorization: `Bearer ${refreshed.body.accessToken}` } })).status).toBe(200);

    const revoked = await post('/api/web/revoke', { token: refreshed.body.refreshToken });
    expect(revoked.status).toBe(204);
    const afterRevoke = await post('/api/web/token', { grantType: 'refresh_token', refreshToken: refreshed.body.refreshToken });
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a code used twice and withdraws what it gave the first time', async () => {
    const s = await signIn('lisi');
    const first = await post('/api/web/token', { grantType: 'authorization_code', code: s.code, codeVerifier: s.verifier });
    expect(first.status).toBe(200);
    const replay = await post('/api/web/token', { grantType: 'authorization_code', code: s.code, codeVerifier: s.verifier });
    expect(replay.status).toBe(401);
    expect((await fetch(`${t.base}/api/web/me`, { headers: { authorization: `Bearer ${first.body.accessToken}` } })).status).toBe(401);
  });

  it('gives staff their permissions, and refuses "who am I" without a token', async () => {
    const s = await signIn('clerk');
    const tokens = await post('/api/web/token', { grantType: 'authorization_code', code: s.code, codeVerifier: s.verifier });
    const me = (await (await fetch(`${t.base}/api/web/me`, { headers: { authorization: `Bearer ${tokens.body.accessToken}` } })).json()) as any;
    expect(me.permissions).toEqual(expect.arrayContaining(['workflow:task.read', 'workflow:task.act']));
    expect(me.permissions).not.toContain('core:ops.read');
    const anonymous = await fetch(`${t.base}/api/web/me`);
    expect(anonymous.status).toBe(401);
  });

  it('validates token requests and lists its routes in the OpenAPI document, not the static ones', async () => {
    const bad = await post('/api/web/token', { grantType: 'authorization_code', code: 'x', codeVerifier: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const spec = (await (await fetch(`${t.base}/openapi.json`)).json()) as any;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/web/config', '/api/web/token', '/api/web/revoke', '/api/web/me']));
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/portal') || p.startsWith('/assets'))).toEqual([]);
  });

  it('serves the app under the platform CSP, without upgrade-insecure-requests on a plain-http deployment', async () => {
    const page = await fetch(`${t.base}/portal`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('keeps the platform pages and the provider reachable next to the app', async () => {
    expect((await fetch(`${t.base}/login`)).status).toBe(200);
    expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.base}/oidc/.well-known/openid-configuration`)).status).toBe(200);
    expect((await fetch(`${t.base}/docs`, { redirect: 'manual' })).status).toBeLessThan(400);
  });
});
