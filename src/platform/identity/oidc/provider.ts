// The OpenID Provider (oidc-provider 9) configured for Yunling: issuer `${BASE_URL}/oidc`,
// authorization code + PKCE (S256, always), refresh tokens with rotation, client credentials,
// public clients (token_endpoint_auth_method=none: mobile apps and single-page apps),
// userinfo, RP-initiated logout, revocation and introspection. State in PostgreSQL (adapter.ts),
// clients from the registry (clients.ts), signing keys from the database (keys.ts), cookie keys
// derived from the master key. Sign-in and consent are our own pages (/login, /oidc-consent/:uid).
import type Provider from 'oidc-provider';
import type { Interaction, KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Core } from '../../../core/index.js';
import { audit, type Actor } from '../../../core/audit/record.js';
import { pickLang } from '../../../core/http/errors.js';
import { CSRF_COOKIE, findSession, SESSION_COOKIE, SESSION_TTL_MS, revokeSession } from '../sessions.js';
import { rolesOf } from '../principal.js';
import { postgresAdapterFactory } from './adapter.js';
import { EXTRA_METADATA, PRIVATE_USE_SCHEME } from './clients.js';
import { renderErrorPage, renderLoggedOutPage, renderLogoutPage } from './pages.js';
import { ALL_SCOPES, SCOPE_CLAIMS, type Lang } from './scopes.js';

export const OIDC_MOUNT = '/oidc';
export const CONSENT_PATH = '/oidc-consent';

export const TTL = {
  AccessToken: 15 * 60,
  AuthorizationCode: 60,
  ClientCredentials: 10 * 60,
  IdToken: 60 * 60,
  RefreshToken: 7 * 24 * 3600,
  Interaction: 15 * 60,
  Session: Math.floor(SESSION_TTL_MS / 1000),
  Grant: 30 * 24 * 3600,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const issuerOf = (core: Core): string => `${core.config.baseUrl}${OIDC_MOUNT}`;

/** The language of a provider page: ui_locales first, then Accept-Language. */
export function ctxLang(ctx: KoaContextWithOIDC): Lang {
  const ui = ctx?.oidc?.params?.ui_locales;
  if (typeof ui === 'string') {
    const first = ui.split(' ')[0]?.toLowerCase() ?? '';
    if (first.startsWith('en')) return 'en';
    if (first.startsWith('zh')) return 'zh-CN';
  }
  return pickLang(ctx?.get?.('accept-language'));
}

/**
 * The CSP source for a redirect target: its origin for http(s), its scheme for a mobile app's
 * private-use scheme (`cn.gov.yn.ysstong:` — a URL with such a scheme has no origin). Anything
 * else (javascript:, data:, not a URL) is left out.
 */
export function formActionSource(target: unknown): string | null {
  if (typeof target !== 'string') return null;
  try {
    const u = new URL(target);
    if (u.protocol === 'https:' || u.protocol === 'http:') return u.origin;
    const scheme = u.protocol.slice(0, -1);
    return PRIVATE_USE_SCHEME.test(scheme) ? `${scheme}:` : null;
  } catch {
    return null;
  }
}

/** `form-action` must name where a form's submission will finally be redirected (Chrome, Safari). */
export function cspWithFormAction(targets: Array<string | undefined>): string {
  const origins = new Set<string>();
  for (const t of targets) {
    const source = formActionSource(t);
    if (source) origins.add(source);
  }
  return `default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'self'; base-uri 'self'; frame-ancestors 'self'; object-src 'none'; form-action 'self'${[...origins].map((o) => ` ${o}`).join('')}`;
}

/**
 * The provider's HTML pages post forms whose submission ends in a redirect to a relying party
 * (sign-out confirmation → post_logout_redirect_uri; form_post responses → redirect_uri).
 * Chrome and Safari check `form-action` against that redirect too, so the page's policy names
 * those origins (already checked against the client's registration by the provider).
 */
function widenFormAction(ctx: KoaContextWithOIDC): void {
  const csp: unknown = ctx.response.get('content-security-policy');
  if (typeof csp !== 'string' || !csp.includes('form-action') || !ctx.response.is('html')) return;
  const p = ctx.oidc?.params ?? {};
  const targets = [p.redirect_uri, p.post_logout_redirect_uri, ctx.oidc?.session?.state?.postLogoutRedirectUri];
  const origins = new Set<string>();
  for (const t of targets) {
    const source = formActionSource(t);
    if (source) origins.add(source);
  }
  if (!origins.size) return;
  ctx.set('content-security-policy', csp.replace(/form-action([^;]*)/, (_m, v: string) => `form-action${v} ${[...origins].join(' ')}`));
}

/**
 * A single-page app's refresh tokens rotate but do not slide: each new one ends when the first one
 * of the sign-in would have (TTL.RefreshToken), so a token lifted from a browser cannot be kept
 * alive forever (oidc-provider's default policy, kept with our lifetime). Confidential clients,
 * mobile apps and sender-constrained tokens get the full lifetime on every rotation.
 */
function refreshTokenTtl(
  ctx: KoaContextWithOIDC | undefined,
  token: { isSenderConstrained?: () => boolean },
  client: { clientAuthMethod?: string; applicationType?: string },
): number {
  const rotated = ctx?.oidc?.entities?.RotatedRefreshToken as { remainingTTL?: number } | undefined;
  if (rotated?.remainingTTL !== undefined && client.clientAuthMethod === 'none' && client.applicationType === 'web' && !token.isSenderConstrained?.()) {
    return rotated.remainingTTL;
  }
  return TTL.RefreshToken;
}

export const amrFor = (mfa: boolean): string[] => (mfa ? ['pwd', 'otp'] : ['pwd']);

/** Claims of an account for the ID token and userinfo (filtered by the provider per scope). */
export async function accountClaims(core: Core, accountId: string): Promise<Record<string, unknown> | null> {
  if (!UUID.test(accountId)) return null;
  const a = await core.db.selectFrom('account').select(['id', 'name', 'type', 'status', 'division', 'uscc']).where('id', '=', accountId).executeTakeFirst();
  if (!a || a.status !== 'active') return null;
  const roles = [...new Set((await rolesOf(core, a.id)).map((r) => r.role))];
  return {
    sub: a.id,
    name: a.name,
    division: a.division,
    account_type: a.type,
    roles,
    ...(a.type === 'enterprise' && a.uscc ? { uscc: a.uscc } : {}),
  };
}

/**
 * A web session (yl_session) satisfies the login prompt when the only reason for it is that the
 * provider has no session yet (not prompt=login, max_age, a different account hint, …).
 */
async function loginFromWebSession(core: Core, ctx: KoaContextWithOIDC, interaction: Interaction): Promise<boolean> {
  if (interaction.prompt.name !== 'login' || interaction.prompt.reasons.length !== 1 || interaction.prompt.reasons[0] !== 'no_session') return false;
  const token = ctx.cookies.get(SESSION_COOKIE, { signed: false });
  if (!token) return false;
  const s = await findSession(core, token);
  if (!s || s.actingFor) return false;
  interaction.result = { login: { accountId: s.accountId, amr: amrFor(s.mfa) } };
  await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)));
  await audit(core.db, { id: `user:${s.accountId}`, requestId: ctx.req.id ?? null }, {
    action: 'identity.oidc.login', object: { type: 'oidc_client', id: String(interaction.params.client_id ?? '') }, detail: { via: 'web-session', mfa: s.mfa, ip: ctx.req.ip ?? null },
  });
  return true;
}

/**
 * First-party clients are never shown the consent page, even when they send prompt=consent
 * (which OpenID Connect requires for offline_access): what they ask for is granted.
 */
async function firstPartyConsent(ctx: KoaContextWithOIDC, interaction: Interaction): Promise<boolean> {
  const { client } = ctx.oidc;
  const accountId = interaction.session?.accountId;
  if (interaction.prompt.name !== 'consent' || client?.yunling_first_party !== true || !accountId) return false;
  const existing = ctx.oidc.grant;
  const grant = existing && existing.accountId === accountId && existing.clientId === client.clientId ? existing : new ctx.oidc.provider.Grant({ accountId, clientId: client.clientId });
  const scope = [...ctx.oidc.requestParamOIDCScopes].join(' ');
  if (scope) grant.addOIDCScope(scope);
  const d = interaction.prompt.details;
  if (d.missingOIDCClaims?.length) grant.addOIDCClaims(d.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  // Keep what the user did just before (the login of prompt=login): without it the resumed
  // request would ask for that prompt again, and again. Native apps reach here on every sign-in
  // (oidc-provider always asks native clients for consent).
  interaction.result = { ...(interaction.lastSubmission ?? {}), consent: { grantId } };
  await interaction.save(Math.max(1, interaction.exp - Math.floor(Date.now() / 1000)));
  return true;
}

interface Hooks {
  /** Called after every provider request, with the Koa context (audit). */
  afterRequest(ctx: KoaContextWithOIDC): Promise<void>;
}

let providerClass: Promise<typeof Provider> | null = null;

/**
 * oidc-provider, loaded when the first provider is built (not when app.ts is imported). On Node 20
 * it prints "Unsupported runtime" to stderr at import; Yunling supports Node 20.19+ on purpose
 * (docs/STACK), so that line goes to the debug log instead of breaking one-line CLI errors.
 */
function loadProviderClass(log: Logger): Promise<typeof Provider> {
  providerClass ??= (async () => {
    const original = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider WARNING: Unsupported runtime')) log.debug({ node: process.version }, String(args[0]));
      else original(...args);
    };
    try {
      return (await import('oidc-provider')).default;
    } finally {
      console.warn = original;
    }
  })();
  return providerClass;
}

export async function createProvider(core: Core, jwks: { keys: Array<Record<string, unknown>> }, hooks: Hooks): Promise<Provider> {
  const Provider = await loadProviderClass(core.log);
  const cookieKey = core.crypto.deriveKey(core.keys.secrets, 'yunling/oidc/cookie-keys/v1').toString('base64url');
  // amr (pwd / pwd+otp) rides with openid so that a relying party can see whether a second factor was used.
  const claims: Record<string, string[] | null> = { acr: null, sid: null, auth_time: null, iss: null, ...SCOPE_CLAIMS, openid: ['sub', 'amr'] };

  const configuration: Record<string, unknown> = {
    adapter: postgresAdapterFactory(core),
    jwks,
    cookies: {
      names: { session: 'yl_oidc_session', interaction: 'yl_oidc_interaction', resume: 'yl_oidc_resume' },
      keys: [cookieKey],
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    claims,
    scopes: ALL_SCOPES,
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    // 'none' is for public clients only: the provider holds each client to the method it is
    // registered with, so a confidential client that sends no secret is still refused.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    extraClientMetadata: { properties: [...EXTRA_METADATA] },
    // Every refresh token is single-use — for public clients (no secret) this is what makes a
    // stolen refresh token detectable: whichever side uses it second fails and the grant is revoked.
    rotateRefreshToken: true,
    // A single-page app redeems its code and refreshes from the browser: CORS is allowed from the
    // origin of one of its registered redirect URIs — for public clients at every endpoint, for
    // confidential ones at userinfo only (their token calls come from their servers).
    clientBasedCORS(ctx: KoaContextWithOIDC, origin: string, client: { clientAuthMethod?: string; redirectUris?: string[] }) {
      if (origin === 'null') return false;
      if (ctx.oidc?.route !== 'userinfo' && client.clientAuthMethod !== 'none') return false;
      return (client.redirectUris ?? []).some((uri) => formActionSource(uri) === origin);
    },
    ttl: { ...TTL, RefreshToken: refreshTokenTtl },
    discovery: {
      ui_locales_supported: ['zh-CN', 'en'],
      claims_locales_supported: ['zh-CN'],
      service_documentation: `${core.config.baseUrl}/docs`,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContextWithOIDC, form: string) {
          ctx.type = 'html';
          ctx.body = renderLogoutPage(ctxLang(ctx), form, ctx.oidc.client?.clientName);
        },
        async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
          ctx.type = 'html';
          ctx.body = renderLoggedOutPage(ctxLang(ctx), ctx.oidc.client?.clientName);
        },
      },
    },
    async renderError(ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }) {
      ctx.type = 'html';
      ctx.body = renderErrorPage(ctxLang(ctx), out, ctx.status);
    },
    interactions: {
      async url(ctx: KoaContextWithOIDC, interaction: Interaction) {
        if (interaction.prompt.name === 'login') {
          if (await loginFromWebSession(core, ctx, interaction)) return interaction.returnTo;
          const lang = ctxLang(ctx);
          return `/login?interaction=${encodeURIComponent(interaction.uid)}${lang === 'en' ? '&lang=en' : ''}`;
        }
        if (await firstPartyConsent(ctx, interaction)) return interaction.returnTo;
        return `${CONSENT_PATH}/${encodeURIComponent(interaction.uid)}`;
      },
    },
    // First-party clients (the platform's own systems) are granted what they ask for: no consent page.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
      let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (client.yunling_first_party === true && session.accountId) {
        if (!grant || grant.accountId !== session.accountId) grant = new ctx.oidc.provider.Grant({ accountId: session.accountId, clientId: client.clientId });
        const scope = [...ctx.oidc.requestParamOIDCScopes].join(' ');
        if (scope) grant.addOIDCScope(scope);
        const requested = [...ctx.oidc.requestParamClaims];
        if (requested.length) grant.addOIDCClaims(requested);
        await grant.save();
      }
      return grant;
    },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const c = await accountClaims(core, sub);
      if (!c) return undefined;
      return { accountId: sub, claims: async () => c };
    },
    // Opaque access tokens remember whether the sign-in passed a second factor (for our API).
    async extraTokenClaims(ctx: KoaContextWithOIDC, token: { kind: string }) {
      if (token.kind !== 'AccessToken') return undefined;
      const e = ctx?.oidc?.entities ?? {};
      const amr: unknown = e.AuthorizationCode?.amr ?? e.RefreshToken?.amr ?? ctx?.oidc?.session?.amr;
      return { yl_mfa: Array.isArray(amr) && amr.includes('otp') };
    },
  };

  const provider = new Provider(issuerOf(core), configuration);
  provider.proxy = core.config.trustProxy;

  // Errors are remembered on the request for the audit written after it (hooks.afterRequest).
  const remember = (ctx: KoaContextWithOIDC, err: unknown) => {
    if (ctx?.state) ctx.state.ylError = err;
  };
  for (const ev of ['grant.error', 'authorization.error', 'userinfo.error', 'end_session.error', 'introspection.error', 'revocation.error', 'jwks.error', 'discovery.error']) provider.on(ev, remember);
  provider.on('server_error', (ctx: KoaContextWithOIDC, err: Error) => {
    remember(ctx, err);
    core.log.error({ err, route: ctx?.oidc?.route }, 'oidc provider error');
  });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    ctx.state.ylGranted = true;
  });
  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    ctx.state.ylLoggedOut = ctx.oidc.session?.accountId ?? true;
  });

  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    if (ctx.req.id) ctx.set('x-request-id', String(ctx.req.id));
    // Captured before the request: end_session destroys the provider session.
    await next();
    widenFormAction(ctx);
    try {
      await hooks.afterRequest(ctx);
    } catch (err) {
      core.log.error({ err }, 'oidc audit failed');
    }
  });
  return provider;
}

/** The client id a request claims in `Authorization: Basic` (before it is authenticated). */
function basicClientId(header: unknown): string | undefined {
  if (typeof header !== 'string' || !/^basic /i.test(header)) return undefined;
  try {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i > 0 ? decodeURIComponent(decoded.slice(0, i)).slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}

/** Audit of what the provider did: tokens issued, sign-ins authorized, refusals, sign-outs. */
export function providerAudit(core: Core): Hooks {
  return {
    async afterRequest(ctx) {
      const oidc = ctx.oidc;
      if (!oidc) return;
      const route: string = oidc.route ?? 'unknown';
      const requestId = ctx.req.id ?? null;
      const ip = ctx.req.ip ?? null;
      const clientId: string | undefined = oidc.client?.clientId;
      const claimedClient: string | undefined = clientId ?? (typeof oidc.params?.client_id === 'string' ? oidc.params.client_id : undefined) ?? basicClientId(ctx.get('authorization'));
      const err = ctx.state.ylError as { error?: string; error_description?: string; message?: string } | undefined;
      const clientActor: Actor = { id: clientId ? `client:${clientId}` : 'anonymous', requestId };
      if (err) {
        const action = route === 'token' ? 'identity.oidc.token.fail'
          : route === 'authorization' || route === 'resume' ? 'identity.oidc.authorize.fail'
            : `identity.oidc.${route.replace(/[^a-z_]/gi, '')}.fail`;
        await audit(core.db, clientActor, {
          action, object: claimedClient ? { type: 'oidc_client', id: claimedClient.slice(0, 64) } : null,
          detail: { route, error: err.error ?? 'server_error', description: err.error_description ?? null, grantType: oidc.params?.grant_type ?? null, ip },
        });
        return;
      }
      if (route === 'token' && ctx.state.ylGranted) {
        const e = oidc.entities ?? {};
        const token = e.AccessToken ?? e.ClientCredentials;
        const accountId: string | undefined = token?.accountId;
        await audit(core.db, clientActor, {
          action: 'identity.oidc.token', object: accountId ? { type: 'account', id: accountId } : { type: 'oidc_client', id: clientId ?? '' },
          detail: { grantType: oidc.params?.grant_type, clientId, scope: token?.scope ?? null, refreshToken: !!ctx.body?.refresh_token, idToken: !!ctx.body?.id_token, ip },
        });
        return;
      }
      if ((route === 'authorization' || route === 'resume') && oidc.entities?.AuthorizationCode) {
        const code = oidc.entities.AuthorizationCode;
        await audit(core.db, { id: `user:${code.accountId}`, requestId }, {
          action: 'identity.oidc.authorize', object: { type: 'oidc_client', id: clientId ?? '' }, detail: { scope: code.scope ?? null, redirectUri: code.redirectUri ?? null, ip },
        });
        return;
      }
      if (route === 'userinfo' && ctx.status === 200 && oidc.entities?.AccessToken) {
        const at = oidc.entities.AccessToken;
        await audit(core.db, clientActor, { action: 'identity.oidc.userinfo', object: { type: 'account', id: at.accountId }, detail: { scope: at.scope ?? null, ip } });
        return;
      }
      if (route === 'revocation' && ctx.status === 200) {
        await audit(core.db, clientActor, { action: 'identity.oidc.revoke', object: clientId ? { type: 'oidc_client', id: clientId } : null, detail: { ip } });
        return;
      }
      if (route === 'end_session_confirm' && ctx.state.ylLoggedOut) {
        const accountId = typeof ctx.state.ylLoggedOut === 'string' ? ctx.state.ylLoggedOut : undefined;
        const everywhere = !!oidc.params?.logout;
        // Signing out of the unified sign-in also ends the platform's web session in this browser,
        // or it would sign the user straight back in.
        const web = ctx.cookies.get(SESSION_COOKIE, { signed: false });
        if (everywhere && web) {
          await revokeSession(core, web);
          ctx.cookies.set(SESSION_COOKIE, null, { path: '/', signed: false });
          ctx.cookies.set(CSRF_COOKIE, null, { path: '/', signed: false, httpOnly: false });
        }
        await audit(core.db, { id: accountId ? `user:${accountId}` : 'anonymous', requestId }, {
          action: 'identity.oidc.logout', object: clientId ? { type: 'oidc_client', id: clientId } : null, detail: { everywhere, webSession: everywhere && !!web, ip },
        });
      }
    },
  };
}
