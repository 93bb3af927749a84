// The holder's wallet (多卡合一): every license of a person or enterprise by its holder code;
// authorizations (用证码) that let a named division/department use one license for a stated
// purpose until an expiry; and "fetch with authorization" for services, with every use — and
// every refused attempt — logged for the holder and audited.
import { randomBytes } from 'node:crypto';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { audit, recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { getDivision } from '../../core/divisions/service.js';
import { blind } from '../identity/accounts.js';
import { licenseNotFound, mayIn, READ, t, type Caller, type Text } from './access.js';
import { effectiveStatus, licenseDocument, licenseView, type LicenseRow, type LicenseView } from './view.js';
import type { LicenseDocument } from './canonical.js';

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'; // no 0/O, 1/I/L: read aloud at a window
const MAX_DAYS = 366;

function newCode(): string {
  const b = randomBytes(12);
  const s = Array.from(b, (x) => CODE_ALPHABET[x % CODE_ALPHABET.length]).join('');
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}
const codeHash = (core: Core, code: string) => core.crypto.hashHex(`license-authorization:${code.trim().toUpperCase().replace(/[\s-]/g, '')}`);

/**
 * The blind index of the caller's own holder code: a citizen's resident ID, an enterprise's
 * credit code. Identity exports no "holder code of an account" function yet, so the account row
 * is read here (its blind index only; nothing is decrypted).
 */
export async function holderIndexOf(core: Core, ex: Executor, caller: Caller): Promise<string | null> {
  const m = /^user:(.+)$/.exec(caller.principal.id);
  if (!m || (caller.principal.kind !== 'citizen' && caller.principal.kind !== 'enterprise')) return null;
  const a = await ex.selectFrom('account').select(['type', 'id_number_bidx', 'uscc']).where('id', '=', m[1]!).executeTakeFirst();
  if (!a) return null;
  if (a.type === 'citizen') return a.id_number_bidx;
  return a.uscc ? blind(core, 'id', a.uscc.toUpperCase()) : null;
}

export const notHolder = () => new AppError('FORBIDDEN', { 'zh-CN': '只有持证人本人（个人或企业账号）可以查看证照夹', en: 'Only the holder (citizen or enterprise account) has a license wallet' });

export async function myLicenses(core: Core, caller: Caller): Promise<LicenseView[]> {
  const idx = await holderIndexOf(core, core.db, caller);
  if (!idx) throw notHolder();
  const rows = await core.db.selectFrom('license').selectAll().where('holder_code_bidx', '=', idx).orderBy('issued_on', 'desc').orderBy('identifier').execute();
  const now = core.clock.now();
  return rows.map((r) => licenseView(core, r, now));
}

async function ownLicense(core: Core, ex: Executor, caller: Caller, identifier: string): Promise<LicenseRow> {
  const idx = await holderIndexOf(core, ex, caller);
  if (!idx) throw notHolder();
  const row = await ex.selectFrom('license').selectAll().where('identifier', '=', identifier.trim().toUpperCase()).executeTakeFirst();
  if (!row || row.holder_code_bidx !== idx) throw licenseNotFound();
  return row;
}

export interface AuthorizationInput {
  division: string;
  departmentId?: string | null;
  purpose: string;
  expiresAt: string;
}

export interface AuthorizationView {
  id: string;
  identifier: string;
  division: string;
  departmentId: string | null;
  /** The department's name from the org register (null without a department, or when it is gone). */
  departmentName: string | null;
  purpose: string;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

export async function authorizeUse(core: Core, caller: Caller, identifier: string, input: AuthorizationInput): Promise<AuthorizationView & { code: string }> {
  return core.db.transaction().execute(async (tx) => {
    const row = await ownLicense(core, tx, caller, identifier);
    const now = core.clock.now();
    const errors = [];
    const expires = new Date(input.expiresAt);
    if (Number.isNaN(expires.getTime()) || expires <= now || expires.getTime() - now.getTime() > MAX_DAYS * 86400_000) {
      errors.push({ pointer: '/body/expiresAt', code: 'range', message: t(caller.lang, { 'zh-CN': '授权截止时间须在将来且不超过一年', en: 'The expiry must be in the future and within a year' }) });
    }
    if (!(await getDivision(tx, input.division))) errors.push({ pointer: '/body/division', code: 'unknown', message: t(caller.lang, { 'zh-CN': '行政区划不存在', en: 'Unknown division' }) });
    if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
    if (effectiveStatus(row, now) !== 'valid') throw new AppError('INVALID_STATE', { 'zh-CN': '该证照已失效，不能授权使用', en: 'This license is no longer valid and cannot be authorized' });
    const code = newCode();
    const a = await tx.insertInto('license_authorization').values({
      license_id: row.id, code_hash: codeHash(core, code), grantee_division: input.division, grantee_department_id: input.departmentId ?? null,
      purpose: input.purpose, expires_at: expires, created_by: caller.actor.id,
    }).returningAll().executeTakeFirstOrThrow();
    await recordChange(tx, caller.actor, { action: 'licenses.authorization.grant', object: { type: 'license', id: row.identifier }, division: row.division, purpose: input.purpose, detail: { authorizationId: a.id, grantee: input.division, departmentId: input.departmentId ?? null, expiresAt: expires.toISOString() } },
      { type: 'licenses.authorization.granted', payload: { identifier: row.identifier, authorizationId: a.id, grantee: input.division } });
    return { ...authView(a, row.identifier, now, await departmentNames(tx, [a.grantee_department_id])), code };
  });
}

type AuthRow = { id: string; grantee_division: string; grantee_department_id: string | null; purpose: string; expires_at: Date; created_at: Date; revoked_at: Date | null };

/** Department id → name, for the holder to see whom they authorized (not a UUID). */
async function departmentNames(ex: Executor, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (!wanted.length) return new Map();
  const rows = await ex.selectFrom('department').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

function authView(a: AuthRow, identifier: string, now: Date, names: Map<string, string>): AuthorizationView {
  const expiresAt = new Date(a.expires_at);
  return {
    id: a.id, identifier, division: a.grantee_division, departmentId: a.grantee_department_id,
    departmentName: a.grantee_department_id ? names.get(a.grantee_department_id) ?? null : null, purpose: a.purpose,
    expiresAt: expiresAt.toISOString(), createdAt: new Date(a.created_at).toISOString(), revokedAt: a.revoked_at ? new Date(a.revoked_at).toISOString() : null,
    status: a.revoked_at ? 'revoked' : expiresAt <= now ? 'expired' : 'active',
  };
}

export async function myAuthorizations(core: Core, caller: Caller): Promise<AuthorizationView[]> {
  const idx = await holderIndexOf(core, core.db, caller);
  if (!idx) throw notHolder();
  const rows = await core.db.selectFrom('license_authorization as a').innerJoin('license as l', 'l.id', 'a.license_id')
    .select(['a.id', 'a.grantee_division', 'a.grantee_department_id', 'a.purpose', 'a.expires_at', 'a.created_at', 'a.revoked_at', 'l.identifier'])
    .where('l.holder_code_bidx', '=', idx).orderBy('a.created_at', 'desc').execute();
  const now = core.clock.now();
  const names = await departmentNames(core.db, rows.map((r) => r.grantee_department_id));
  return rows.map((r) => authView(r, r.identifier, now, names));
}

export async function revokeAuthorization(core: Core, caller: Caller, id: string): Promise<AuthorizationView> {
  return core.db.transaction().execute(async (tx) => {
    const idx = await holderIndexOf(core, tx, caller);
    if (!idx) throw notHolder();
    const a = await tx.selectFrom('license_authorization as a').innerJoin('license as l', 'l.id', 'a.license_id')
      .select(['a.id', 'a.revoked_at', 'l.identifier', 'l.division', 'l.holder_code_bidx']).where('a.id', '=', id).forUpdate().executeTakeFirst();
    if (!a || a.holder_code_bidx !== idx) throw new AppError('NOT_FOUND', { 'zh-CN': '授权不存在', en: 'No such authorization' });
    const now = core.clock.now();
    const updated = await tx.updateTable('license_authorization').set({ revoked_at: a.revoked_at ?? now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    if (!a.revoked_at) {
      await recordChange(tx, caller.actor, { action: 'licenses.authorization.revoke', object: { type: 'license', id: a.identifier }, division: a.division, detail: { authorizationId: id } },
        { type: 'licenses.authorization.revoked', payload: { identifier: a.identifier, authorizationId: id } });
    }
    return authView(updated, a.identifier, now, await departmentNames(tx, [updated.grantee_department_id]));
  });
}

export interface FetchedLicense extends LicenseView {
  document: LicenseDocument;
  signature: string;
}

/**
 * A service fetches a license with the holder's 用证码 instead of asking for an upload. Refusals
 * are written (use log + audit) in their own transaction before the error is returned.
 */
export async function fetchWithAuthorization(core: Core, caller: Caller, identifier: string, code: string, purpose: string): Promise<FetchedLicense> {
  const row = await core.db.selectFrom('license').selectAll().where('identifier', '=', identifier.trim().toUpperCase()).executeTakeFirst();
  if (!row) throw licenseNotFound();
  const now = core.clock.now();
  const auth = await core.db.selectFrom('license_authorization').selectAll().where('license_id', '=', row.id).where('code_hash', '=', codeHash(core, code)).executeTakeFirst();
  const refuse = async (reason: string, error: AppError): Promise<never> => {
    await core.db.transaction().execute(async (tx) => {
      await tx.insertInto('license_use').values({ license_id: row.id, authorization_id: auth?.id ?? null, actor: caller.actor.id, actor_name: caller.principal.name, purpose, outcome: 'refused', reason, at: now }).execute();
      await audit(tx, caller.actor, { action: 'licenses.license.fetch-refused', object: { type: 'license', id: row.identifier }, division: row.division, purpose, detail: { reason, authorizationId: auth?.id ?? null } });
    });
    throw error;
  };
  const msg = (m: Text) => m;
  if (!auth) return refuse('code', new AppError('FORBIDDEN', msg({ 'zh-CN': '用证码不正确，或不是这张证照的授权', en: 'The authorization code is wrong or not for this license' })));
  if (auth.revoked_at) return refuse('revoked-authorization', new AppError('FORBIDDEN', msg({ 'zh-CN': '持证人已撤销该授权', en: 'The holder has withdrawn this authorization' })));
  if (new Date(auth.expires_at) <= now) return refuse('expired-authorization', new AppError('FORBIDDEN', msg({ 'zh-CN': '该授权已过期，请持证人重新授权', en: 'The authorization has expired; ask the holder for a new one' })));
  const inScope = mayIn(caller.principal, READ, auth.grantee_division);
  if (!inScope || (auth.grantee_department_id && caller.principal.department !== auth.grantee_department_id)) {
    return refuse('grantee', new AppError('FORBIDDEN', msg({ 'zh-CN': '该授权不是给您所在的部门或地区的', en: 'This authorization was not given to your department or division' })));
  }
  const status = effectiveStatus(row, now);
  if (status !== 'valid') {
    const zh = { expired: '已过期', revoked: '已吊销', superseded: '已换发新版本' }[status];
    return refuse(`license-${status}`, new AppError('INVALID_STATE', msg({ 'zh-CN': `该证照${zh}，不能作为办事材料使用`, en: `This license is ${status} and cannot be used` })));
  }
  return core.db.transaction().execute(async (tx) => {
    await tx.insertInto('license_use').values({ license_id: row.id, authorization_id: auth.id, actor: caller.actor.id, actor_name: caller.principal.name, purpose, outcome: 'delivered', reason: null, at: now }).execute();
    await recordChange(tx, caller.actor, { action: 'licenses.license.fetch', object: { type: 'license', id: row.identifier }, division: row.division, purpose, detail: { authorizationId: auth.id } },
      { type: 'licenses.license.fetched', payload: { identifier: row.identifier, authorizationId: auth.id, by: caller.actor.id } });
    return { ...licenseView(core, row, now), document: licenseDocument(core, row), signature: row.signature.toString('base64') };
  });
}

export interface UseView {
  identifier: string;
  by: string;
  purpose: string | null;
  outcome: 'delivered' | 'refused';
  reason: string | null;
  at: string;
}

export async function myLicenseUses(core: Core, caller: Caller): Promise<UseView[]> {
  const idx = await holderIndexOf(core, core.db, caller);
  if (!idx) throw notHolder();
  const rows = await core.db.selectFrom('license_use as u').innerJoin('license as l', 'l.id', 'u.license_id')
    .select(['l.identifier', 'u.actor_name', 'u.purpose', 'u.outcome', 'u.reason', 'u.at'])
    .where('l.holder_code_bidx', '=', idx).orderBy('u.at', 'desc').limit(500).execute();
  return rows.map((r) => ({ identifier: r.identifier, by: r.actor_name, purpose: r.purpose, outcome: r.outcome, reason: r.reason, at: new Date(r.at).toISOString() }));
}
