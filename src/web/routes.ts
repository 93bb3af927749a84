// What the web app needs from the server besides the module APIs: its sign-in configuration, the
// token exchange with the provider (see client.ts for why it goes through here), and "who am I"
// with the permissions that decide which areas and pages the navigation shows.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../core/index.js';
import { AppError } from '../core/http/errors.js';
import { issuerOf } from '../platform/identity/oidc/index.js';
import { callProvider, WEB_SCOPE, type WebClient } from './client.js';

const tags = ['网页应用 web app'];

const WebConfig = Type.Object({
  clientId: Type.String(),
  issuer: Type.String(),
  redirectUri: Type.String(),
  postLogoutRedirectUri: Type.String(),
  authorizationEndpoint: Type.String(),
  endSessionEndpoint: Type.String(),
  scope: Type.String(),
});

const TokenRequest = Type.Union([
  Type.Object({ grantType: Type.Literal('authorization_code'), code: Type.String({ minLength: 1, maxLength: 512 }), codeVerifier: Type.String({ minLength: 43, maxLength: 128, pattern: '^[A-Za-z0-9._~-]+$' }) }, { additionalProperties: false }),
  Type.Object({ grantType: Type.Literal('refresh_token'), refreshToken: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }),
]);

const TokenResponse = Type.Object({
  accessToken: Type.String(),
  expiresIn: Type.Integer(),
  refreshToken: Type.Optional(Type.String()),
  idToken: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
});

const Me = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  mfa: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  grants: Type.Array(Type.Object({ role: Type.String(), division: Type.String(), department: Type.Union([Type.String(), Type.Null()]) })),
});

const EXPIRED = { 'zh-CN': '登录已过期，请重新登录', en: 'Your sign-in has expired; sign in again' };

export const webRoutes = (core: Core, client: () => Promise<WebClient | null>) => async (app: FastifyInstance) => {
  const need = async (): Promise<WebClient> => {
    const c = await client();
    if (!c) throw new AppError('NOT_READY', { 'zh-CN': '网页应用登录未配置（BASE_URL 须为 https 地址）', en: 'Web sign-in is not configured (BASE_URL must be an https URL)' });
    return c;
  };

  app.get('/api/web/config', {
    config: { public: true },
    schema: { tags, summary: '网页应用登录配置 Sign-in settings of the web app (OpenID Connect, code + PKCE)', response: { 200: WebConfig } },
  }, async (_req, reply) => {
    const c = await need();
    const issuer = issuerOf(core);
    reply.header('cache-control', 'no-cache');
    return { clientId: c.clientId, issuer, redirectUri: c.redirectUri, postLogoutRedirectUri: c.postLogoutRedirectUri, authorizationEndpoint: `${issuer}/auth`, endSessionEndpoint: `${issuer}/session/end`, scope: WEB_SCOPE };
  });

  app.post('/api/web/token', {
    config: { public: true },
    schema: { tags, summary: '换取令牌 Redeem the authorization code (with the PKCE verifier) or a refresh token for the web app', body: TokenRequest, response: { 200: TokenResponse } },
  }, async (request, reply) => {
    const c = await need();
    const b = request.body as { grantType: 'authorization_code'; code: string; codeVerifier: string } | { grantType: 'refresh_token'; refreshToken: string };
    const form: Record<string, string> = b.grantType === 'authorization_code'
      ? { grant_type: 'authorization_code', code: b.code, code_verifier: b.codeVerifier, redirect_uri: c.redirectUri }
      : { grant_type: 'refresh_token', refresh_token: b.refreshToken };
    const r = await callProvider(app, core, c, '/oidc/token', form, request.ip);
    reply.header('cache-control', 'no-store');
    if (r.status !== 200) {
      const description = typeof r.body.error_description === 'string' ? r.body.error_description : String(r.body.error ?? r.status);
      if (r.body.error === 'invalid_grant' || r.status === 401) throw new AppError('UNAUTHENTICATED', EXPIRED, undefined, { oauthError: r.body.error ?? null });
      throw new AppError('VALIDATION_FAILED', { 'zh-CN': `登录未完成：${description}`, en: `Sign-in did not complete: ${description}` });
    }
    const t = r.body as { access_token: string; expires_in: number; refresh_token?: string; id_token?: string; scope?: string };
    return { accessToken: t.access_token, expiresIn: t.expires_in, refreshToken: t.refresh_token, idToken: t.id_token, scope: t.scope };
  });

  app.post('/api/web/revoke', {
    config: { public: true },
    schema: { tags, summary: '吊销令牌 Revoke the web app\'s refresh token at sign-out', body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const c = await need();
    // RFC 7009: the answer is the same whether or not the token was valid.
    await callProvider(app, core, c, '/oidc/token/revocation', { token: (request.body as { token: string }).token, token_type_hint: 'refresh_token' }, request.ip);
    return reply.code(204).send();
  });

  app.get('/api/web/me', {
    config: { signedIn: true },
    schema: { tags, summary: '当前用户及权限 Who am I, with the permissions that decide what the web app shows', response: { 200: Me } },
  }, async (request, reply) => {
    const p = request.principal!;
    reply.header('cache-control', 'no-store');
    return {
      id: p.id, name: p.name, kind: p.kind, mfa: !!p.mfa,
      permissions: [...p.permissions].sort(), scopes: p.scopes,
      grants: (p.grants ?? []).map((g) => ({ role: g.role, division: g.division, department: g.department ?? null })),
    };
  });
};
