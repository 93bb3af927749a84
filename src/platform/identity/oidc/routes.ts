// HTTP: the client registry API (permission identity:client.manage) and the consent page that
// third-party clients get (first-party clients never show it).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type Provider from 'oidc-provider';
import type { Core } from '../../../core/index.js';
import { actorOf, hasPermission, requireScope, scopesFor } from '../../../core/http/auth.js';
import { audit } from '../../../core/audit/record.js';
import { AppError, pickLang } from '../../../core/http/errors.js';
import { isWithin } from '../../../core/divisions/service.js';
import { getAccount } from '../accounts.js';
import { createClient, disableClient, getClient, listClients, type NewClient } from './clients.js';
import { renderConsentPage, renderErrorPage } from './pages.js';
import { cspWithFormAction, CONSENT_PATH } from './provider.js';
import type { Lang } from './scopes.js';

const MANAGE = 'identity:client.manage';
const tags = ['统一身份认证接入 OIDC clients'];

const ClientView = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  grantTypes: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  firstParty: Type.Boolean(),
  public: Type.Boolean({ description: 'A public client (mobile / single-page app): no secret, token_endpoint_auth_method=none, PKCE' }),
  permissions: Type.Array(Type.String()),
  division: Type.String(),
  disabled: Type.Boolean(),
  disabledAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  createdBy: Type.String(),
});

const Uris = Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { maxItems: 20 });
const Names = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 64 });

const NewClientBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  grant: Type.Optional(Type.String({ enum: ['authorization_code', 'client_credentials'], description: 'Required unless public (a public client signs users in: authorization_code)' })),
  public: Type.Optional(Type.Boolean({ description: 'A mobile or single-page app that cannot keep a secret: no secret is made; redirect URIs may be https, http://127.0.0.1:<port>/… or a reverse-DNS private-use scheme (RFC 8252)' })),
  redirectUris: Type.Optional(Uris),
  postLogoutRedirectUris: Type.Optional(Uris),
  scopes: Type.Optional(Names),
  firstParty: Type.Optional(Type.Boolean()),
  permissions: Type.Optional(Names),
  division: Type.Optional(Type.String({ format: 'division-code' })),
}, { additionalProperties: false });

const lang = (r: FastifyRequest): Lang => pickLang(r.headers['accept-language']);

export const oidcRoutes = (core: Core, provider: () => Provider) => async (app: FastifyInstance) => {
  app.post('/api/oidc/clients', {
    config: { permission: MANAGE },
    schema: {
      tags,
      summary: '登记接入系统 Register a client (the secret is shown once, in this response; public clients have none)',
      body: NewClientBody,
      response: { 201: Type.Object({ clientId: Type.String(), clientSecret: Type.Optional(Type.String()), client: ClientView }) },
    },
  }, async (request, reply) => {
    const body = request.body as NewClient;
    const p = request.principal!;
    const division = body.division ?? '530000';
    requireScope(request, division, MANAGE);
    // First-party means "users are never asked": a province-wide decision.
    if (body.firstParty) requireScope(request, '530000', MANAGE);
    // Nobody hands a system a permission they do not hold themselves (in that division).
    for (const perm of body.permissions ?? []) {
      if (!hasPermission(p, perm) || !scopesFor(p, perm).some((s) => isWithin(division, s))) {
        throw new AppError('FORBIDDEN', { 'zh-CN': `您不能授予接入系统您自己没有的权限 ${perm}`, en: `You cannot give a client the permission ${perm}, which you do not hold in ${division}` });
      }
    }
    const r = await createClient(core, actorOf(request), body, lang(request));
    return reply.code(201).header('cache-control', 'no-store').send(r);
  });

  app.get('/api/oidc/clients', {
    config: { permission: MANAGE },
    schema: { tags, summary: '接入系统列表 List clients (never their secrets)', response: { 200: Type.Object({ items: Type.Array(ClientView) }) } },
  }, async (request) => {
    const scopes = scopesFor(request.principal!, MANAGE);
    return { items: (await listClients(core)).filter((c) => scopes.some((s) => isWithin(c.division, s))) };
  });

  app.post('/api/oidc/clients/:id/disable', {
    config: { permission: MANAGE },
    schema: {
      tags,
      summary: '停用接入系统 Disable a client: it gets no more tokens and its tokens stop working',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: ClientView },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const existing = await getClient(core, id);
    if (!existing) throw new AppError('NOT_FOUND', { 'zh-CN': `接入系统 ${id} 不存在`, en: `No client ${id}` });
    requireScope(request, existing.division, MANAGE);
    return (await disableClient(core, actorOf(request), id))!;
  });

  // ---- consent (third-party clients) ----
  const csrfKey = core.crypto.deriveKey(core.keys.secrets, 'yunling/oidc/consent-csrf/v1');
  const csrfFor = (uid: string) => core.crypto.hmac(csrfKey, uid).toString('base64url');
  const pageLang = (request: FastifyRequest): Lang => {
    const q = (request.query ?? {}) as Record<string, string>;
    const b = (request.body ?? {}) as Record<string, string>;
    const explicit = q.lang ?? b.lang;
    return explicit === 'en' || explicit === 'zh-CN' ? explicit : pickLang(request.headers['accept-language']);
  };
  const elderly = (request: FastifyRequest) => {
    const m = ((request.query ?? {}) as Record<string, string>).mode ?? ((request.body ?? {}) as Record<string, string>).mode;
    return m ? m === 'elderly' : request.cookies?.yl_elderly === '1';
  };
  const html = (reply: FastifyReply, status: number, body: string, l: Lang, csp?: string) => {
    reply.code(status).type('text/html; charset=utf-8').header('content-language', l).header('cache-control', 'no-store');
    if (csp) reply.header('content-security-policy', csp);
    return reply.send(body);
  };
  const expired = (reply: FastifyReply, l: Lang) => html(reply, 400, renderErrorPage(l, { error: 'session_not_found', error_description: 'the authorization request was not found or has expired' }), l);

  const load = async (request: FastifyRequest, reply: FastifyReply) => {
    const { uid } = request.params as { uid: string };
    try {
      const details = await provider().interactionDetails(request.raw, reply.raw);
      if (details.uid !== uid || details.prompt.name !== 'consent' || !details.session?.accountId) return null;
      return details;
    } catch {
      return null;
    }
  };

  const UidParams = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }) });

  app.get(`${CONSENT_PATH}/:uid`, { config: { public: true }, schema: { hide: true, params: UidParams } }, async (request, reply) => {
    const l = pageLang(request);
    const details = await load(request, reply);
    if (!details) return expired(reply, l);
    const client = await provider().Client.find(String(details.params.client_id));
    if (!client) return expired(reply, l);
    const account = await getAccount(core, details.session!.accountId!);
    const requested = String(details.params.scope ?? '').split(' ').filter(Boolean);
    const missing = details.prompt.details.missingOIDCScope ?? requested;
    const scopes = requested.filter((s) => missing.includes(s) || s === 'openid');
    return html(reply, 200, renderConsentPage({
      lang: l, elderly: elderly(request), uid: details.uid, csrf: csrfFor(details.uid), clientName: client.clientName ?? client.clientId,
      accountName: account?.name ?? '', scopes, claims: details.prompt.details.missingOIDCClaims ?? [],
    }), l, cspWithFormAction([details.params.redirect_uri]));
  });

  app.post(`${CONSENT_PATH}/:uid`, {
    config: { public: true },
    schema: { hide: true, params: UidParams, body: Type.Object({ csrf: Type.String({ maxLength: 128 }), decision: Type.String({ enum: ['allow', 'deny'] }) }, { additionalProperties: true }) },
  }, async (request, reply) => {
    const l = pageLang(request);
    const { csrf, decision } = request.body as { csrf: string; decision: 'allow' | 'deny' };
    const details = await load(request, reply);
    if (!details || !core.crypto.constantTimeEqual(Buffer.from(csrf), Buffer.from(csrfFor(details.uid)))) return expired(reply, l);
    const p = provider();
    const accountId = details.session!.accountId!;
    const clientId = String(details.params.client_id);
    let result: Record<string, unknown>;
    if (decision === 'allow') {
      const grant = (details.grantId ? await p.Grant.find(details.grantId) : undefined) ?? new p.Grant({ accountId, clientId });
      const d = details.prompt.details;
      if (d.missingOIDCScope?.length) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims?.length) grant.addOIDCClaims(d.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      result = { consent: details.grantId ? {} : { grantId } };
    } else {
      result = { error: 'access_denied', error_description: 'the user denied the authorization' };
    }
    await audit(core.db, { id: `user:${accountId}`, requestId: String(request.id) }, {
      action: decision === 'allow' ? 'identity.oidc.consent.grant' : 'identity.oidc.consent.deny', object: { type: 'oidc_client', id: clientId },
      detail: { scopes: details.prompt.details.missingOIDCScope ?? [], claims: details.prompt.details.missingOIDCClaims ?? [], ip: request.ip },
    });
    const returnTo = await p.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: true });
    return reply.header('cache-control', 'no-store').redirect(returnTo, 303);
  });
};
