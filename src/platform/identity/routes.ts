// Sign-in (HTML form at /login and a JSON API for the web app), second factor, sessions, "who am I".
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError, pickLang } from '../../core/http/errors.js';
import { getAccount } from './accounts.js';
import { rolesOf } from './principal.js';
import { enrollTotp, passwordSignIn, verifyTotpFor } from './signin.js';
import { newTotpSecret, otpauthUri } from './totp.js';
import { openPending, PENDING_COOKIE, sealPending } from './pending.js';
import { auditSignOut, clearSessionCookies, createSession, findSession, revokeAllSessions, revokeSession, sessionToken, setSessionCookies } from './sessions.js';
import { renderLoginPage, type PageOptions } from './login-page.js';

/** OIDC (or another flow) can take over once the user is signed in; see oidc/. */
export interface SignInContinuation {
  /** Returns true when it handled the response (e.g. finished an OIDC interaction). */
  complete(request: FastifyRequest, reply: FastifyReply, accountId: string, mfa: boolean, hidden: Record<string, string>): Promise<boolean>;
  /** The page's CSP while an interaction is pending (form-action must allow the redirect back to the client). */
  loginPageCsp?(interactionUid: string): Promise<string | null>;
}

const INVALID = { 'zh-CN': '用户名或密码不正确。连续多次失败后账号会被暂时锁定。', en: 'Wrong username or password. Repeated failures lock the account for a while.' };
const BAD_CODE = { 'zh-CN': '验证码不正确或已使用，请重新输入。', en: 'The code is wrong or was already used; try again.' };

function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/';
}

function pageLang(request: FastifyRequest): 'zh-CN' | 'en' {
  const q = (request.query ?? {}) as Record<string, string>;
  const b = (request.body ?? {}) as Record<string, string>;
  const explicit = q.lang ?? b.lang;
  if (explicit === 'en' || explicit === 'zh-CN') return explicit;
  return pickLang(request.headers['accept-language']);
}

function elderly(request: FastifyRequest): boolean {
  const q = (request.query ?? {}) as Record<string, string>;
  const b = (request.body ?? {}) as Record<string, string>;
  const m = q.mode ?? b.mode;
  if (m) return m === 'elderly';
  return request.cookies?.yl_elderly === '1';
}

function hiddenFields(src: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['interaction', 'next']) if (typeof src[k] === 'string' && (src[k] as string).length <= 512) out[k] = src[k] as string;
  return out;
}

export const identityRoutes = (core: Core, continuation: { current: SignInContinuation | null }) => async (app: FastifyInstance) => {
  const ctx = (r: FastifyRequest) => ({ ip: r.ip, requestId: String(r.id) });
  const page = async (request: FastifyRequest, reply: FastifyReply, o: Partial<PageOptions> & Pick<PageOptions, 'step' | 'hidden'>, status = 200) => {
    const lang = pageLang(request);
    const el = elderly(request);
    const csp = o.hidden.interaction ? await continuation.current?.loginPageCsp?.(o.hidden.interaction) : null;
    if (csp) reply.header('content-security-policy', csp);
    reply.setCookie('yl_elderly', el ? '1' : '0', { path: '/', sameSite: 'lax', httpOnly: false, maxAge: 31_536_000 });
    return reply.code(status).type('text/html; charset=utf-8').header('content-language', lang).header('cache-control', 'no-store').send(renderLoginPage({ lang, elderly: el, ...o }));
  };

  const finish = async (request: FastifyRequest, reply: FastifyReply, accountId: string, mfa: boolean, hidden: Record<string, string>) => {
    reply.clearCookie(PENDING_COOKIE, { path: '/' });
    if (continuation.current && (await continuation.current.complete(request, reply, accountId, mfa, hidden))) return reply;
    const s = await createSession(core, accountId, { mfa, ip: request.ip, userAgent: request.headers['user-agent'], requestId: String(request.id) });
    setSessionCookies(core, reply, s.token, s.csrfToken);
    return reply.redirect(safeNext(hidden.next), 303);
  };

  const afterPassword = async (request: FastifyRequest, reply: FastifyReply, r: { accountId: string; mfaRequired: boolean; mfaEnrolled: boolean }, hidden: Record<string, string>) => {
    if (!r.mfaRequired) return finish(request, reply, r.accountId, false, hidden);
    const account = await getAccount(core, r.accountId);
    const secure = core.config.baseUrl.startsWith('https:');
    if (r.mfaEnrolled) {
      reply.setCookie(PENDING_COOKIE, sealPending(core, { accountId: r.accountId }), { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 300 });
      return page(request, reply, { step: 'mfa', hidden });
    }
    const secret = newTotpSecret();
    reply.setCookie(PENDING_COOKIE, sealPending(core, { accountId: r.accountId, enrollSecret: secret }), { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 300 });
    return page(request, reply, { step: 'enroll', hidden, secret, otpauth: otpauthUri(secret, account?.username ?? r.accountId) });
  };

  app.get('/login', { config: { public: true }, schema: { hide: true } }, async (request, reply) => page(request, reply, { step: 'password', hidden: hiddenFields(request.query as Record<string, unknown>) }));

  app.post('/login', {
    config: { public: true },
    schema: { hide: true, body: Type.Object({ username: Type.String({ maxLength: 128 }), password: Type.String({ maxLength: 256 }) }, { additionalProperties: true }) },
  }, async (request, reply) => {
    const body = request.body as Record<string, string>;
    const hidden = hiddenFields(body);
    const r = await passwordSignIn(core, body.username, body.password, ctx(request));
    if (!r.ok) return page(request, reply, { step: 'password', hidden, username: body.username, error: INVALID[pageLang(request)] }, 401);
    return afterPassword(request, reply, r, hidden);
  });

  app.post('/login/mfa', {
    config: { public: true },
    schema: { hide: true, body: Type.Object({ code: Type.String({ maxLength: 16 }) }, { additionalProperties: true }) },
  }, async (request, reply) => {
    const body = request.body as Record<string, string>;
    const hidden = hiddenFields(body);
    const pending = openPending(core, request.cookies[PENDING_COOKIE]);
    if (!pending) return page(request, reply, { step: 'password', hidden, error: INVALID[pageLang(request)] }, 401);
    const ok = pending.enrollSecret ? await enrollTotp(core, pending.accountId, pending.enrollSecret, body.code, ctx(request)) : await verifyTotpFor(core, pending.accountId, body.code, ctx(request));
    if (!ok) {
      const account = await getAccount(core, pending.accountId);
      return page(request, reply, { step: pending.enrollSecret ? 'enroll' : 'mfa', hidden, error: BAD_CODE[pageLang(request)], secret: pending.enrollSecret, otpauth: pending.enrollSecret ? otpauthUri(pending.enrollSecret, account?.username ?? '') : undefined }, 401);
    }
    return finish(request, reply, pending.accountId, true, hidden);
  });

  // The same flow as JSON, for the web app.
  const SessionView = Type.Object({
    authenticated: Type.Boolean(),
    mfaRequired: Type.Optional(Type.Boolean()),
    mfaEnrolled: Type.Optional(Type.Boolean()),
    csrfToken: Type.Optional(Type.String()),
    account: Type.Optional(Type.Any()),
    roles: Type.Optional(Type.Array(Type.Object({ role: Type.String(), division: Type.String(), departmentId: Type.Union([Type.String(), Type.Null()]), requiresMfa: Type.Boolean() }))),
  });
  const tags = ['身份认证 identity'];

  app.post('/api/auth/login', {
    config: { public: true },
    schema: { tags, summary: '密码登录 Password sign-in (sets the session cookie, or asks for the second factor)', body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 128 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }), response: { 200: SessionView } },
  }, async (request, reply) => {
    const body = request.body as { username: string; password: string };
    const r = await passwordSignIn(core, body.username, body.password, ctx(request));
    if (!r.ok) throw new AppError('SIGNIN_FAILED', INVALID);
    if (r.mfaRequired) {
      reply.setCookie(PENDING_COOKIE, sealPending(core, { accountId: r.accountId, enrollSecret: r.mfaEnrolled ? undefined : newTotpSecret() }), { path: '/', httpOnly: true, sameSite: 'lax', secure: core.config.baseUrl.startsWith('https:'), maxAge: 300 });
      return { authenticated: false, mfaRequired: true, mfaEnrolled: r.mfaEnrolled };
    }
    const s = await createSession(core, r.accountId, { mfa: false, ip: request.ip, userAgent: request.headers['user-agent'] });
    setSessionCookies(core, reply, s.token, s.csrfToken);
    return { authenticated: true, csrfToken: s.csrfToken, account: await getAccount(core, r.accountId), roles: await rolesOf(core, r.accountId) };
  });

  app.post('/api/auth/mfa', {
    config: { public: true },
    schema: { tags, summary: '二次验证 Second factor (TOTP); enrolls the pending secret on first use', body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }), response: { 200: SessionView } },
  }, async (request, reply) => {
    const pending = openPending(core, request.cookies[PENDING_COOKIE]);
    if (!pending) throw new AppError('SIGNIN_FAILED', INVALID);
    const { code } = request.body as { code: string };
    const ok = pending.enrollSecret ? await enrollTotp(core, pending.accountId, pending.enrollSecret, code, ctx(request)) : await verifyTotpFor(core, pending.accountId, code, ctx(request));
    if (!ok) throw new AppError('MFA_FAILED', BAD_CODE);
    reply.clearCookie(PENDING_COOKIE, { path: '/' });
    const s = await createSession(core, pending.accountId, { mfa: true, ip: request.ip, userAgent: request.headers['user-agent'] });
    setSessionCookies(core, reply, s.token, s.csrfToken);
    return { authenticated: true, csrfToken: s.csrfToken, account: await getAccount(core, pending.accountId), roles: await rolesOf(core, pending.accountId) };
  });

  app.get('/api/auth/session', {
    config: { public: true },
    schema: { tags, summary: '当前登录状态 Who am I', response: { 200: SessionView } },
  }, async (request) => {
    const token = sessionToken(request);
    const s = token ? await findSession(core, token) : null;
    if (!s) return { authenticated: false };
    return { authenticated: true, csrfToken: s.csrfToken, account: await getAccount(core, s.accountId), roles: await rolesOf(core, s.accountId) };
  });

  app.post('/api/auth/logout', {
    config: { public: true },
    schema: { tags, summary: '退出登录 Sign out of this browser' },
  }, async (request, reply) => {
    const token = sessionToken(request);
    const s = token ? await findSession(core, token) : null;
    if (s && request.headers['x-csrf-token'] !== s.csrfToken) throw new AppError('CSRF_FAILED');
    if (token) await revokeSession(core, token);
    if (s) await auditSignOut(core, s.accountId, String(request.id));
    clearSessionCookies(reply);
    return reply.code(204).send();
  });

  app.post('/api/auth/logout-everywhere', {
    config: { public: true },
    schema: { tags, summary: '全部设备退出 Sign out of every browser and app' },
  }, async (request, reply) => {
    const token = sessionToken(request);
    const s = token ? await findSession(core, token) : null;
    if (!s) throw new AppError('UNAUTHENTICATED');
    if (request.headers['x-csrf-token'] !== s.csrfToken) throw new AppError('CSRF_FAILED');
    await revokeAllSessions(core, s.accountId, { id: `user:${s.accountId}`, requestId: String(request.id) });
    clearSessionCookies(reply);
    return reply.code(204).send();
  });
};
