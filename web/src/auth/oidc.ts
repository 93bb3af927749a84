// Sign-in through the platform's own OpenID Provider (${BASE_URL}/oidc): authorization code with
// PKCE (S256). The browser makes the verifier, the challenge, state and nonce; the code and the
// verifier are exchanged at /api/web/token (src/web), which forwards them to the provider's token
// endpoint for the web app's registered client. Sign-out revokes the refresh token and ends the
// provider session (RP-initiated logout), which also ends the platform web session.
import type { Lang } from '../i18n';
import { codeChallenge, jwtClaims, randomToken } from './pkce';
import { clearTokens, currentTokens, storeTokens, type TokenResponse } from './tokens';

const PENDING = 'yl.signin';

export interface WebConfig {
  clientId: string;
  issuer: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  authorizationEndpoint: string;
  endSessionEndpoint: string;
  scope: string;
}

let config: Promise<WebConfig> | null = null;

export function webConfig(): Promise<WebConfig> {
  config ??= fetch('/api/web/config', { credentials: 'omit' }).then(async (r) => {
    if (!r.ok) throw new Error(`web config: HTTP ${r.status}`);
    return (await r.json()) as WebConfig;
  });
  config.catch(() => (config = null));
  return config;
}

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

function safeReturn(path: string): string {
  return /^\/(?!\/)/.test(path) && !path.startsWith('/auth/') ? path : '/portal';
}

/** Leaves the page for the provider's sign-in; comes back to /auth/callback, then to `returnTo`. */
export async function signIn(returnTo: string, lang: Lang): Promise<void> {
  const c = await webConfig();
  const p: Pending = { verifier: randomToken(48), state: randomToken(), nonce: randomToken(), returnTo: safeReturn(returnTo) };
  sessionStorage.setItem(PENDING, JSON.stringify(p));
  const q = new URLSearchParams({
    client_id: c.clientId,
    response_type: 'code',
    redirect_uri: c.redirectUri,
    scope: c.scope,
    state: p.state,
    nonce: p.nonce,
    code_challenge: await codeChallenge(p.verifier),
    code_challenge_method: 'S256',
    // OpenID Connect issues a refresh token (offline_access) only with prompt=consent; the web app
    // is a first-party client, so the provider asks nobody.
    prompt: 'consent',
    ui_locales: lang,
  });
  window.location.assign(`${c.authorizationEndpoint}?${q}`);
}

export class SignInError extends Error {}

/** Handles /auth/callback: checks state, exchanges the code, checks the ID token's nonce. Returns where to go next. */
export async function completeSignIn(search: string): Promise<string> {
  const q = new URLSearchParams(search);
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const p = raw ? (JSON.parse(raw) as Pending) : null;
  if (q.get('error')) throw new SignInError(q.get('error_description') ?? q.get('error') ?? 'error');
  if (!p || !q.get('state') || q.get('state') !== p.state) throw new SignInError('state mismatch');
  const code = q.get('code');
  if (!code) throw new SignInError('no code');
  const c = await webConfig();
  if (q.get('iss') && q.get('iss') !== c.issuer) throw new SignInError('issuer mismatch');
  const res = await fetch('/api/web/token', {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grantType: 'authorization_code', code, codeVerifier: p.verifier }),
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { detail?: string; title?: string };
    throw new SignInError(problem.detail ?? problem.title ?? `HTTP ${res.status}`);
  }
  const tokens = (await res.json()) as TokenResponse;
  const claims = tokens.idToken ? jwtClaims(tokens.idToken) : {};
  if (claims.nonce !== p.nonce || claims.iss !== c.issuer || claims.aud !== c.clientId) throw new SignInError('ID token mismatch');
  storeTokens(tokens);
  return p.returnTo;
}

/** Revokes the refresh token, forgets the tokens and ends the provider session. */
export async function signOut(): Promise<void> {
  const t = currentTokens();
  const c = await webConfig().catch(() => null);
  if (t?.refreshToken) {
    await fetch('/api/web/revoke', { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: t.refreshToken }) }).catch(() => {});
  }
  clearTokens();
  if (!c) return window.location.assign('/portal');
  const q = new URLSearchParams({ client_id: c.clientId, post_logout_redirect_uri: c.postLogoutRedirectUri });
  if (t?.idToken) q.set('id_token_hint', t.idToken);
  window.location.assign(`${c.endSessionEndpoint}?${q}`);
}
