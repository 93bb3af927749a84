// Sign-in with a one-time SMS code. Asking for a code always gets the same answer, whether or not
// the number has an account (no enumeration); a code lives 5 minutes, allows 5 tries, works once,
// and a number gets at most one code a minute.
import type { FastifyInstance } from 'fastify';
import { randomInt } from 'node:crypto';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { audit } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { validateMobile } from '../../core/validators/index.js';
import { queueSms } from '../notify/index.js';
import { blind, getAccount } from './accounts.js';
import { rolesOf } from './principal.js';
import { createSession, setSessionCookies } from './sessions.js';

const TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;
const RESEND_MS = 60_000;
const PURPOSE = 'signin';

const codeHash = (core: Core, mobileBidx: string, code: string) => core.crypto.hmac(core.keys.secrets, `${mobileBidx}:${code}`).toString('base64url');

export async function requestSmsCode(core: Core, mobileInput: string, ctx: { ip?: string; requestId?: string }): Promise<void> {
  const m = validateMobile(mobileInput);
  if (!m.ok) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/mobile', code: m.reason, message: m.message['zh-CN'] }]);
  const bidx = blind(core, 'mobile', m.value);
  const now = core.clock.now();
  const account = await core.db.selectFrom('account').select(['id', 'division', 'status']).where('mobile_bidx', '=', bidx).executeTakeFirst();
  const recent = await core.db.selectFrom('one_time_code').select('created_at').where('mobile_bidx', '=', bidx).where('purpose', '=', PURPOSE)
    .where('created_at', '>', new Date(now.getTime() - RESEND_MS)).executeTakeFirst();
  if (recent) throw new AppError('RATE_LIMITED', { 'zh-CN': '验证码已发送，请 1 分钟后再试', en: 'A code was sent; wait a minute before asking again' });
  const actor = { id: account ? `user:${account.id}` : 'anonymous', requestId: ctx.requestId ?? null };
  await core.db.transaction().execute(async (tx) => {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await tx.insertInto('one_time_code').values({ purpose: PURPOSE, mobile_bidx: bidx, code_hash: codeHash(core, bidx, code), created_at: now, expires_at: new Date(now.getTime() + TTL_MS) }).execute();
    if (account && account.status === 'active') {
      await queueSms(core, tx, m.value, 'identity.signin-code', `【云岭】您的登录验证码为 ${code}，5 分钟内有效。如非本人操作，请忽略。`);
    }
    await audit(tx, actor, { action: 'identity.sms-code.request', object: account ? { type: 'account', id: account.id } : null, division: account?.division ?? null, detail: { known: !!account, ip: ctx.ip } });
  });
}

export async function smsSignIn(core: Core, mobileInput: string, code: string, ctx: { ip?: string; requestId?: string }): Promise<string | null> {
  const m = validateMobile(mobileInput);
  if (!m.ok) return null;
  const bidx = blind(core, 'mobile', m.value);
  const now = core.clock.now();
  return core.db.transaction().execute(async (tx) => {
    const row = (await sql<{ id: string; code_hash: string; attempts: number }>`
      SELECT id, code_hash, attempts FROM one_time_code WHERE mobile_bidx = ${bidx} AND purpose = ${PURPOSE}
        AND consumed_at IS NULL AND expires_at > ${now} ORDER BY created_at DESC LIMIT 1 FOR UPDATE`.execute(tx)).rows[0];
    const account = await tx.selectFrom('account').select(['id', 'division', 'status']).where('mobile_bidx', '=', bidx).executeTakeFirst();
    const actor = { id: account ? `user:${account.id}` : 'anonymous', requestId: ctx.requestId ?? null };
    const ok = !!row && row.attempts < MAX_ATTEMPTS && core.crypto.constantTimeEqual(Buffer.from(row.code_hash), Buffer.from(codeHash(core, bidx, code.trim()))) && !!account && account.status === 'active';
    if (!ok) {
      if (row) await tx.updateTable('one_time_code').set({ attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
      await audit(tx, actor, { action: 'identity.signin.fail', object: account ? { type: 'account', id: account.id } : null, detail: { method: 'sms', reason: row ? 'bad-code' : 'no-valid-code', ip: ctx.ip } });
      return null;
    }
    await tx.updateTable('one_time_code').set({ consumed_at: now }).where('id', '=', row!.id).execute();
    await audit(tx, actor, { action: 'identity.signin.success', object: { type: 'account', id: account!.id }, division: account!.division, detail: { method: 'sms', ip: ctx.ip } });
    return account!.id;
  });
}

export const smsRoutes = (core: Core) => async (app: FastifyInstance) => {
  const tags = ['身份认证 identity'];
  app.post('/api/auth/sms-code', {
    config: { public: true, rateLimit: { max: 10, timeWindow: 60_000 } },
    schema: { tags, summary: '获取短信验证码 Send a one-time sign-in code by SMS', body: Type.Object({ mobile: Type.String({ maxLength: 20 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    await requestSmsCode(core, (request.body as { mobile: string }).mobile, { ip: request.ip, requestId: String(request.id) });
    return reply.code(202).send({ sent: true });
  });

  app.post('/api/auth/sms-login', {
    config: { public: true },
    schema: { tags, summary: '短信验证码登录 Sign in with the SMS code', body: Type.Object({ mobile: Type.String({ maxLength: 20 }), code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const { mobile, code } = request.body as { mobile: string; code: string };
    const accountId = await smsSignIn(core, mobile, code, { ip: request.ip, requestId: String(request.id) });
    if (!accountId) throw new AppError('MFA_FAILED', { 'zh-CN': '验证码不正确、已过期或已使用', en: 'The code is wrong, expired or already used' });
    // An SMS code is one factor: roles that need TOTP stay inactive in this session (see principal.ts).
    const s = await createSession(core, accountId, { mfa: false, ip: request.ip, userAgent: request.headers['user-agent'] });
    setSessionCookies(core, reply, s.token, s.csrfToken);
    return { authenticated: true, csrfToken: s.csrfToken, account: await getAccount(core, accountId), roles: await rolesOf(core, accountId) };
  });
};
