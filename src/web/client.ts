// The web app's OpenID Connect client: registered in identity's client registry on the first
// sign-in (once per BASE_URL; every node finds the same row), first-party (no consent page), redirect URI
// ${BASE_URL}/auth/callback.
//
// The web app stays a confidential client behind a token-mediating backend (the registry now also
// takes public clients, for mobile and third-party single-page apps): the browser does not
// redeem its code itself. It does everything else (PKCE verifier, state, nonce) and posts the code
// and verifier to /api/web/token, which adds the client's secret server-side and forwards them to
// the provider's token endpoint — a token-mediating backend that holds no tokens. The secret never
// reaches the browser; the registered redirect URI and PKCE protect the code as they would for a
// public client.
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/index.js';
import { createClient, listClients, type ClientView } from '../platform/identity/oidc/index.js';
import { providerClientMetadata } from '../platform/identity/oidc/clients.js';

export const WEB_CLIENT_NAME = '云岭网页应用 Yunling web app';
export const WEB_SCOPE = 'openid profile roles offline_access';
const ACTOR = { id: 'system:web' };

export interface WebClient {
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export const webRedirectUri = (core: Core): string => `${core.config.baseUrl}/auth/callback`;

function matches(c: ClientView, redirectUri: string): boolean {
  return c.name === WEB_CLIENT_NAME && !c.disabled && c.firstParty && c.redirectUris.includes(redirectUri) && c.grantTypes.includes('refresh_token');
}

/** Finds the web app's client for this BASE_URL, registering it the first time it is needed. */
export async function ensureWebClient(core: Core): Promise<WebClient> {
  const redirectUri = webRedirectUri(core);
  const postLogoutRedirectUri = `${core.config.baseUrl}/portal`;
  const existing = (await listClients(core, { includeDisabled: false })).find((c) => matches(c, redirectUri));
  if (existing) return { clientId: existing.clientId, redirectUri, postLogoutRedirectUri };
  const created = await createClient(core, ACTOR, {
    name: WEB_CLIENT_NAME,
    grant: 'authorization_code',
    redirectUris: [redirectUri],
    postLogoutRedirectUris: [postLogoutRedirectUri],
    scopes: WEB_SCOPE.split(' '),
    firstParty: true,
  });
  core.log.info({ clientId: created.clientId }, 'web app OIDC client registered');
  return { clientId: created.clientId, redirectUri, postLogoutRedirectUri };
}

export interface OAuthResult {
  status: number;
  body: Record<string, unknown>;
}

/** One request to the provider (token or revocation endpoint) as the web client, in-process. */
export async function callProvider(app: FastifyInstance, core: Core, client: WebClient, endpoint: '/oidc/token' | '/oidc/token/revocation', form: Record<string, string>, ip?: string): Promise<OAuthResult> {
  const meta = await providerClientMetadata(core, client.clientId);
  if (!meta) return { status: 401, body: { error: 'invalid_client', error_description: 'the web app client is disabled' } };
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(String(meta.client_secret))}`).toString('base64');
  const res = await app.inject({
    method: 'POST',
    url: endpoint,
    // The provider audits the caller's address: pass the browser's, not the loopback of this in-process call.
    ...(ip ? { remoteAddress: ip } : {}),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json' },
    payload: new URLSearchParams(form).toString(),
  });
  let body: Record<string, unknown> = {};
  try {
    body = res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {};
  } catch {
    body = { error: 'server_error' };
  }
  return { status: res.statusCode, body };
}
