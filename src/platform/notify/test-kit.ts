// Test helpers for this module's tests (excluded from the build): an app with a bearer-token
// authenticator for made-up principals, real accounts, and a few queries.
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { createAccount } from '../identity/accounts.js';
import { residentIdCheckChar } from '../../core/validators/index.js';

export type T = Awaited<ReturnType<typeof testApp>>;
export const SYS = { id: 'system:test' };

/** A made-up principal holding `permissions` in `division`. */
export function staff(id: string, permissions: string[], division: string): Principal {
  return { id, name: id, kind: 'staff', permissions: new Set(permissions), scopes: [division], grants: [{ role: 'test', permissions: new Set(permissions), division }] };
}

/** A signed-in person with no permissions at all (what a citizen's inbox needs). */
export function person(accountId: string): Principal {
  return { id: `user:${accountId}`, name: accountId, kind: 'citizen', permissions: new Set(), scopes: [], grants: [] };
}

export async function appWith(principals: Record<string, Principal>, opts: Parameters<typeof testApp>[0] = {}): Promise<T> {
  const t = await testApp(opts);
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer ([\w-]+)$/.exec(r.headers.authorization ?? '');
    return m ? (principals[m[1]!] ?? null) : null;
  });
  return t;
}

export const bearer = (who: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${who}`, ...extra });

let n = 0;
export async function staffAccount(t: T, opts: { name?: string; mobile?: string; division?: string } = {}): Promise<string> {
  n += 1;
  const a = await createAccount(t.core, SYS, { type: 'staff', username: `notify_staff_${n}_${Date.now()}`, name: opts.name ?? `测试人员${n}`, division: opts.division ?? '530102', ...(opts.mobile ? { mobile: opts.mobile } : {}) });
  return a.id;
}

/** A valid 18-character resident ID number whose check character is X. */
export function idNumberWithX(): string {
  for (let seq = 1; seq < 1000; seq++) {
    const first17 = `53010219900101${String(seq).padStart(3, '0')}`;
    if (residentIdCheckChar(first17) === 'X') return `${first17}X`;
  }
  throw new Error('no check digit X found');
}

export async function rows(t: T, where = sql`true`) {
  return (await sql<any>`SELECT * FROM notification WHERE ${where} ORDER BY created_at, channel, id`.execute(t.core.db)).rows;
}

export async function auditActions(t: T, prefix: string): Promise<string[]> {
  return (await sql<{ action: string }>`SELECT action FROM audit_log WHERE action LIKE ${`${prefix}%`} ORDER BY seq`.execute(t.core.db)).rows.map((r) => r.action);
}

export async function events(t: T, prefix: string): Promise<Array<{ type: string; payload: any }>> {
  return (await sql<{ type: string; payload: any }>`SELECT type, payload FROM outbox WHERE type LIKE ${`${prefix}%`} ORDER BY seq`.execute(t.core.db)).rows;
}
