// Password sign-in with lockout and back-off, and the TOTP second factor for roles that need it.
// Unknown user, wrong password and locked account get the SAME answer (no account enumeration);
// every attempt is audited with its real reason.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { audit } from '../../core/audit/record.js';
import { verifyPassword } from './password.js';
import { checkTotp } from './totp.js';
import { rolesOf } from './principal.js';

export const LOCKOUT = { freeFailures: 5, baseMs: 60_000, maxMs: 3_600_000 };

export type SignInResult =
  | { ok: true; accountId: string; mfaRequired: boolean; mfaEnrolled: boolean }
  | { ok: false; reason: 'invalid' };

function lockFor(failures: number): number {
  if (failures < LOCKOUT.freeFailures) return 0;
  return Math.min(LOCKOUT.baseMs * 2 ** (failures - LOCKOUT.freeFailures), LOCKOUT.maxMs);
}

export async function passwordSignIn(core: Core, username: string, password: string, ctx: { ip?: string; requestId?: string }): Promise<SignInResult> {
  const now = core.clock.now();
  const a = await core.db.selectFrom('account').select(['id', 'password_hash', 'status', 'failed_logins', 'locked_until', 'division', 'totp_enabled'])
    .where(sql`lower(username)`, '=', username.trim().toLowerCase()).executeTakeFirst();
  const actor = { id: a ? `user:${a.id}` : 'anonymous', requestId: ctx.requestId ?? null };
  // Always pay the password hash, so that timing does not reveal whether the account exists or is locked.
  const passwordOk = await verifyPassword(a?.password_hash ?? null, password);
  if (!a) {
    await audit(core.db, actor, { action: 'identity.signin.fail', detail: { reason: 'unknown-user', username: username.slice(0, 64), ip: ctx.ip } });
    return { ok: false, reason: 'invalid' };
  }
  const object = { type: 'account', id: a.id };
  if (a.status !== 'active') {
    await audit(core.db, actor, { action: 'identity.signin.fail', object, division: a.division, detail: { reason: 'disabled', ip: ctx.ip } });
    return { ok: false, reason: 'invalid' };
  }
  if (a.locked_until && new Date(a.locked_until) > now) {
    await audit(core.db, actor, { action: 'identity.signin.fail', object, division: a.division, detail: { reason: 'locked', until: new Date(a.locked_until).toISOString(), ip: ctx.ip } });
    return { ok: false, reason: 'invalid' };
  }
  if (!passwordOk) {
    const failures = a.failed_logins + 1;
    const lockMs = lockFor(failures);
    await core.db.transaction().execute(async (tx) => {
      await tx.updateTable('account').set({ failed_logins: failures, locked_until: lockMs ? new Date(now.getTime() + lockMs) : null }).where('id', '=', a.id).execute();
      await audit(tx, actor, { action: 'identity.signin.fail', object, division: a.division, detail: { reason: 'bad-password', failures, ip: ctx.ip } });
      if (lockMs) await audit(tx, actor, { action: 'identity.account.lock', object, division: a.division, detail: { failures, seconds: lockMs / 1000 } });
    });
    return { ok: false, reason: 'invalid' };
  }
  await core.db.updateTable('account').set({ failed_logins: 0, locked_until: null }).where('id', '=', a.id).execute();
  const mfaRequired = (await rolesOf(core, a.id)).some((r) => r.requiresMfa);
  await audit(core.db, actor, { action: mfaRequired ? 'identity.signin.password-ok' : 'identity.signin.success', object, division: a.division, detail: { method: 'password', ip: ctx.ip } });
  return { ok: true, accountId: a.id, mfaRequired, mfaEnrolled: a.totp_enabled };
}

/** Checks a TOTP code for an account (enrolled secret), refusing replays of a used step. */
export async function verifyTotpFor(core: Core, accountId: string, code: string, ctx: { ip?: string; requestId?: string }, secretOverride?: string): Promise<boolean> {
  const a = await core.db.selectFrom('account').select(['totp_secret_enc', 'totp_last_step', 'division']).where('id', '=', accountId).executeTakeFirstOrThrow();
  const secret = secretOverride ?? (a.totp_secret_enc ? core.crypto.decrypt(core.keys.field, a.totp_secret_enc, Buffer.from('account.totp')).toString('utf8') : null);
  const actor = { id: `user:${accountId}`, requestId: ctx.requestId ?? null };
  const step = secret ? checkTotp(secret, code.trim(), core.clock.now(), a.totp_last_step) : null;
  if (step === null) {
    await audit(core.db, actor, { action: 'identity.mfa.fail', object: { type: 'account', id: accountId }, division: a.division, detail: { ip: ctx.ip } });
    return false;
  }
  await core.db.updateTable('account').set({ totp_last_step: step }).where('id', '=', accountId).execute();
  await audit(core.db, actor, { action: 'identity.signin.success', object: { type: 'account', id: accountId }, division: a.division, detail: { method: 'password+totp', ip: ctx.ip } });
  return true;
}

/** Enrolls a TOTP secret after the user proved they hold it (a valid code). */
export async function enrollTotp(core: Core, accountId: string, secret: string, code: string, ctx: { ip?: string; requestId?: string }): Promise<boolean> {
  if (!(await verifyTotpFor(core, accountId, code, ctx, secret))) return false;
  await core.db.transaction().execute(async (tx) => {
    await tx.updateTable('account').set({ totp_secret_enc: core.crypto.encrypt(core.keys.field, secret, Buffer.from('account.totp')), totp_enabled: true }).where('id', '=', accountId).execute();
    await audit(tx, { id: `user:${accountId}`, requestId: ctx.requestId ?? null }, { action: 'identity.mfa.enroll', object: { type: 'account', id: accountId } });
  });
  return true;
}
