// Account and role administration for administrators, division-scoped: an administrator sees and
// changes only accounts placed in the subtrees where they hold identity:account.read / .manage;
// any other account answers 404 (guessing ids confirms nothing). Roles are granted only where the
// caller holds identity:role.assign, and only roles whose platform permissions they hold there
// themselves (org/access.ts mayGrant, the same rule as the staff import). Every change is audited
// and evented in its transaction. Personal data leaves only masked.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Caller, Principal } from '../../core/http/auth.js';
import { scopesFor } from '../../core/http/auth.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError, type Lang } from '../../core/http/errors.js';
import { getDivision, inDivisions, isWithin } from '../../core/divisions/service.js';
import { validateMobile, validateResidentId } from '../../core/validators/index.js';
import { mayGrant } from '../org/access.js';
import { assignRoleTx, blind, createAccount, type AccountView } from './accounts.js';
import { BUILTIN_ROLES, PERMISSIONS } from './roles.js';
import type { AccountType } from './tables.js';
import '../org/tables.js';

export const ACCOUNT_READ = 'identity:account.read';
export const ACCOUNT_MANAGE = 'identity:account.manage';
export const ROLE_ASSIGN = 'identity:role.assign';
export const SESSION_REVOKE = 'identity:session.revoke';

const tr = (lang: Lang, m: { 'zh-CN': string; en: string }) => (lang === 'en' ? m.en : m['zh-CN']);
const accountNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '账号不存在', en: 'No such account' });
const forbidden = (m: { 'zh-CN': string; en: string }) => new AppError('FORBIDDEN', m);

/** Subtrees where the caller may see accounts (manage implies read). */
export function accountScopes(p: Principal): string[] {
  return [...new Set([...scopesFor(p, ACCOUNT_READ), ...scopesFor(p, ACCOUNT_MANAGE)])];
}
const mayIn = (p: Principal, permission: string, division: string) => scopesFor(p, permission).some((s) => isWithin(division, s));

export interface AccountRow {
  id: string;
  type: AccountType;
  username: string;
  name: string;
  status: 'active' | 'disabled';
  locked: boolean;
  division: string;
  departmentId: string | null;
  departmentName: string | null;
  post: string | null;
  idNumber: string | null;
  mobile: string | null;
  createdAt: string;
}

export interface AccountQuery {
  q?: string;
  type?: AccountType;
  status?: 'active' | 'disabled';
  division?: string;
  departmentId?: string;
  limit?: number;
  offset?: number;
}

function baseQuery(core: Core) {
  return core.db.selectFrom('account').leftJoin('department', 'department.id', 'account.department_id');
}
const ROW_COLS = ['account.id', 'account.type', 'account.username', 'account.name', 'account.status', 'account.locked_until', 'account.division', 'account.department_id',
  'department.name as department_name', 'account.post', 'account.id_number_masked', 'account.mobile_masked', 'account.created_at'] as const;

function toRow(core: Core, r: { id: string; type: AccountType; username: string; name: string; status: 'active' | 'disabled'; locked_until: Date | string | null; division: string; department_id: string | null; department_name: string | null; post: string | null; id_number_masked: string | null; mobile_masked: string | null; created_at: Date | string }): AccountRow {
  return {
    id: r.id, type: r.type, username: r.username, name: r.name, status: r.status,
    locked: !!r.locked_until && new Date(r.locked_until).getTime() > core.clock.now().getTime(),
    division: r.division, departmentId: r.department_id, departmentName: r.department_name, post: r.post,
    idNumber: r.id_number_masked, mobile: r.mobile_masked, createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Accounts in the caller's subtrees, by name; `q` matches name or username, or exactly a mobile or ID number (by blind index). */
export async function listAccounts(core: Core, caller: Caller, q: AccountQuery): Promise<{ total: number; items: AccountRow[] }> {
  const scopes = accountScopes(caller.principal);
  let base = baseQuery(core).where(inDivisions('account.division', scopes));
  if (q.division) base = base.where(inDivisions('account.division', [q.division]));
  if (q.type) base = base.where('account.type', '=', q.type);
  if (q.status) base = base.where('account.status', '=', q.status);
  if (q.departmentId) base = base.where('account.department_id', '=', q.departmentId);
  const text = q.q?.trim();
  if (text) {
    const mobile = validateMobile(text);
    const id = validateResidentId(text);
    if (mobile.ok) base = base.where('account.mobile_bidx', '=', blind(core, 'mobile', mobile.value));
    else if (id.ok) base = base.where('account.id_number_bidx', '=', blind(core, 'id', id.value));
    else {
      const like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      base = base.where((eb) => eb.or([eb('account.name', 'ilike', like), eb('account.username', 'ilike', like)]));
    }
  }
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base.select([...ROW_COLS]).orderBy('account.name').orderBy('account.username').limit(q.limit ?? 20).offset(q.offset ?? 0).execute();
  return { total: Number(n), items: rows.map((r) => toRow(core, r)) };
}

export interface GrantView {
  id: string;
  role: string;
  roleName: { 'zh-CN': string; en: string };
  division: string;
  departmentId: string | null;
  grantedBy: string;
  grantedAt: string;
  /** May the caller revoke this grant (holds role.assign there and every platform permission of the role)? */
  revocable: boolean;
}

export interface AccountDetail extends AccountRow {
  legalRepresentative: string | null;
  uscc: string | null;
  totpEnabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  grants: GrantView[];
}

/** One account the caller may see, or 404. */
async function visibleAccount(core: Core, caller: Caller, id: string) {
  const r = await core.db.selectFrom('account').selectAll().where('id', '=', id).where(inDivisions('division', accountScopes(caller.principal))).executeTakeFirst();
  if (!r) throw accountNotFound();
  return r;
}

export async function accountDetail(core: Core, caller: Caller, id: string): Promise<AccountDetail> {
  const a = await visibleAccount(core, caller, id);
  const row = await baseQuery(core).select([...ROW_COLS]).where('account.id', '=', a.id).executeTakeFirstOrThrow();
  const grants = (await sql<{ id: string; role_code: string; name_zh: string; name_en: string; permissions: string[]; division: string; department_id: string | null; granted_by: string; granted_at: Date }>`
    SELECT ra.id, ra.role_code, r.name_zh, r.name_en, r.permissions, ra.division, ra.department_id, ra.granted_by, ra.granted_at
    FROM role_assignment ra JOIN role r ON r.code = ra.role_code
    WHERE ra.account_id = ${a.id} AND ra.revoked_at IS NULL ORDER BY ra.granted_at, ra.id`.execute(core.db)).rows;
  return {
    ...toRow(core, row), legalRepresentative: a.legal_representative, uscc: a.uscc, totpEnabled: a.totp_enabled, failedLogins: a.failed_logins,
    lockedUntil: a.locked_until ? new Date(a.locked_until).toISOString() : null,
    grants: grants.map((g) => ({
      id: g.id, role: g.role_code, roleName: { 'zh-CN': g.name_zh, en: g.name_en }, division: g.division, departmentId: g.department_id,
      grantedBy: g.granted_by, grantedAt: new Date(g.granted_at).toISOString(), revocable: mayGrant(caller.principal, g.division, g.permissions),
    })),
  };
}

export interface NewStaff {
  username: string;
  password: string;
  name: string;
  division: string;
  mobile?: string;
  departmentId?: string;
  post?: string;
}

/** Creates a staff account (password policy, unique username: the same checks as `yunling user create`), with no roles yet. */
export async function createStaff(core: Core, caller: Caller, input: NewStaff): Promise<AccountView> {
  const { principal: p, lang } = caller;
  if (!mayIn(p, ACCOUNT_MANAGE, input.division)) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权在行政区划 ${input.division} 创建账号`, en: `You may not create accounts in division ${input.division}` });
  }
  const errors: FieldError[] = [];
  if (input.departmentId) {
    const d = await core.db.selectFrom('department').select(['id', 'division']).where('id', '=', input.departmentId).executeTakeFirst();
    if (!d || d.division !== input.division) errors.push({ pointer: '/departmentId', code: 'division', message: tr(lang, { 'zh-CN': `部门须属于行政区划 ${input.division}`, en: `The department must belong to division ${input.division}` }) });
    else if (input.post && !(await core.db.selectFrom('org_post').select('id').where('department_id', '=', d.id).where('name', '=', input.post.trim()).executeTakeFirst())) {
      errors.push({ pointer: '/post', code: 'unknown', message: tr(lang, { 'zh-CN': `该部门没有职务 ${input.post}`, en: `The department has no post ${input.post}` }) });
    }
  } else if (input.post) errors.push({ pointer: '/post', code: 'department', message: tr(lang, { 'zh-CN': '填写职务时须同时指定部门', en: 'A post needs a department' }) });
  try {
    if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
    return await createAccount(core, caller.actor, {
      type: 'staff', username: input.username, password: input.password, name: input.name, division: input.division, mobile: input.mobile,
      departmentId: input.departmentId, post: input.post?.trim() || undefined,
    }, lang);
  } catch (err) {
    // Report the placement problems together with the account's own.
    if (err instanceof AppError && err.errors) {
      const all = [...errors, ...err.errors.filter((e) => !errors.some((x) => x.pointer === e.pointer))];
      throw new AppError('VALIDATION_FAILED', undefined, all.map((e) => ({ ...e, pointer: `/body${e.pointer}` })));
    }
    throw err;
  }
}

type AccountChange = 'disable' | 'enable' | 'unlock' | 'revoke-sessions';

/** Disable (also ends every session), enable, unlock (clears failed sign-ins) or sign out everywhere. */
export async function changeAccount(core: Core, caller: Caller, id: string, change: AccountChange): Promise<AccountDetail> {
  const { principal: p } = caller;
  const a = await visibleAccount(core, caller, id);
  const permission = change === 'revoke-sessions' ? SESSION_REVOKE : ACCOUNT_MANAGE;
  if (!mayIn(p, permission, a.division)) throw forbidden({ 'zh-CN': `您无权在行政区划 ${a.division} 执行此操作`, en: `You may not do this in division ${a.division}` });
  if (change === 'disable' && p.id === `user:${a.id}`) throw new AppError('CONFLICT', { 'zh-CN': '不能停用自己的账号', en: 'You cannot disable your own account' });
  const now = core.clock.now();
  await core.db.transaction().execute(async (tx) => {
    let detail: Record<string, unknown> = {};
    if (change === 'disable' || change === 'revoke-sessions') {
      const r = await tx.updateTable('web_session').set({ revoked_at: now }).where('account_id', '=', a.id).where('revoked_at', 'is', null).executeTakeFirst();
      detail.sessions = Number(r.numUpdatedRows);
    }
    if (change === 'disable') await tx.updateTable('account').set({ status: 'disabled', sessions_valid_after: now, updated_at: now }).where('id', '=', a.id).execute();
    if (change === 'revoke-sessions') await tx.updateTable('account').set({ sessions_valid_after: now }).where('id', '=', a.id).execute();
    if (change === 'enable') await tx.updateTable('account').set({ status: 'active', updated_at: now }).where('id', '=', a.id).execute();
    if (change === 'unlock') {
      detail = { failedLogins: a.failed_logins, lockedUntil: a.locked_until ? new Date(a.locked_until).toISOString() : null };
      await tx.updateTable('account').set({ failed_logins: 0, locked_until: null, updated_at: now }).where('id', '=', a.id).execute();
    }
    const action = change === 'revoke-sessions' ? 'identity.session.revoke-all' : `identity.account.${change}`;
    const event = { disable: 'identity.account.disabled', enable: 'identity.account.enabled', unlock: 'identity.account.unlocked', 'revoke-sessions': 'identity.sessions.revoked' }[change];
    await recordChange(tx, caller.actor, { action, object: { type: 'account', id: a.id }, division: a.division, detail },
      { type: event, payload: { id: a.id, division: a.division } });
  });
  return accountDetail(core, caller, a.id);
}

export interface RoleView {
  code: string;
  name: { 'zh-CN': string; en: string };
  requiresMfa: boolean;
  permissions: Array<{ code: string; name: { 'zh-CN': string; en: string } }>;
  /** Divisions (of the caller's role.assign scopes) where the caller may grant this role. */
  grantableIn: string[];
}

const permissionName = (code: string) => {
  const text = code === '*' ? '全部权限 / every permission' : (PERMISSIONS as Record<string, string>)[code] ?? code;
  const [zh, en] = text.split(' / ');
  return { 'zh-CN': zh!, en: en ?? zh! };
};

export async function listRoles(core: Core, caller: Caller): Promise<RoleView[]> {
  const rows = await core.db.selectFrom('role').selectAll().execute();
  const order = new Map(BUILTIN_ROLES.map((r, i) => [r.code, i]));
  const assignScopes = scopesFor(caller.principal, ROLE_ASSIGN);
  return rows.sort((a, b) => (order.get(a.code) ?? 99) - (order.get(b.code) ?? 99) || a.code.localeCompare(b.code)).map((r) => ({
    code: r.code, name: { 'zh-CN': r.name_zh, en: r.name_en }, requiresMfa: r.requires_mfa,
    permissions: r.permissions.map((c) => ({ code: c, name: permissionName(c) })),
    grantableIn: assignScopes.filter((s) => mayGrant(caller.principal, s, r.permissions)),
  }));
}

/** Grants `role` to an account within `division` (and optionally one department of that division). */
export async function grantRole(core: Core, caller: Caller, accountId: string, input: { role: string; division: string; departmentId?: string | null }): Promise<AccountDetail> {
  const { principal: p, lang } = caller;
  const a = await visibleAccount(core, caller, accountId);
  const errors: FieldError[] = [];
  const role = await core.db.selectFrom('role').selectAll().where('code', '=', input.role).executeTakeFirst();
  if (!role) errors.push({ pointer: '/body/role', code: 'unknown', message: tr(lang, { 'zh-CN': `角色 ${input.role} 不存在`, en: `Unknown role ${input.role}` }) });
  if (!(await getDivision(core.db, input.division))) errors.push({ pointer: '/body/division', code: 'unknown', message: tr(lang, { 'zh-CN': `行政区划 ${input.division} 不存在`, en: `Unknown division ${input.division}` }) });
  if (input.departmentId) {
    const d = await core.db.selectFrom('department').select('division').where('id', '=', input.departmentId).executeTakeFirst();
    if (!d || !isWithin(d.division, input.division)) errors.push({ pointer: '/body/departmentId', code: 'division', message: tr(lang, { 'zh-CN': `部门须属于行政区划 ${input.division}`, en: `The department must lie in division ${input.division}` }) });
  }
  if (role && (role.code === 'citizen' || role.code === 'enterprise') !== (a.type !== 'staff')) {
    errors.push({ pointer: '/body/role', code: 'kind', message: tr(lang, { 'zh-CN': '该角色不适用于此类账号', en: 'This role does not fit this kind of account' }) });
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  if (!mayIn(p, ROLE_ASSIGN, input.division)) throw forbidden({ 'zh-CN': `您无权在行政区划 ${input.division} 授予角色`, en: `You may not grant roles in division ${input.division}` });
  if (!mayGrant(p, input.division, role!.permissions)) {
    throw forbidden({ 'zh-CN': `您不能授予角色「${role!.name_zh}」：它包含您在该区划并不具有的权限`, en: `You cannot grant the role ${role!.name_en}: it holds permissions you do not hold there` });
  }
  await core.db.transaction().execute(async (tx) => {
    await sql`SELECT id FROM account WHERE id = ${a.id} FOR UPDATE`.execute(tx);
    const same = await tx.selectFrom('role_assignment').select('id').where('account_id', '=', a.id).where('role_code', '=', role!.code).where('division', '=', input.division)
      .where('revoked_at', 'is', null).where((eb) => (input.departmentId ? eb('department_id', '=', input.departmentId) : eb('department_id', 'is', null))).executeTakeFirst();
    if (same) throw new AppError('CONFLICT', { 'zh-CN': '该账号已在此范围拥有该角色', en: 'The account already holds this role in this scope' });
    await assignRoleTx(tx, caller.actor, a.id, role!.code, input.division, input.departmentId ?? null);
  });
  return accountDetail(core, caller, a.id);
}

export async function revokeGrant(core: Core, caller: Caller, accountId: string, grantId: string): Promise<AccountDetail> {
  const { principal: p } = caller;
  const a = await visibleAccount(core, caller, accountId);
  const g = await core.db.selectFrom('role_assignment').innerJoin('role', 'role.code', 'role_assignment.role_code')
    .select(['role_assignment.id', 'role_assignment.role_code', 'role_assignment.division', 'role.permissions', 'role.name_zh', 'role.name_en'])
    .where('role_assignment.id', '=', grantId).where('role_assignment.account_id', '=', a.id).where('role_assignment.revoked_at', 'is', null).executeTakeFirst();
  if (!g) throw new AppError('NOT_FOUND', { 'zh-CN': '没有该角色授权', en: 'No such role grant' });
  if (!mayGrant(p, g.division, g.permissions)) {
    throw forbidden({ 'zh-CN': `您不能收回角色「${g.name_zh}」（行政区划 ${g.division}）`, en: `You cannot revoke the role ${g.name_en} in division ${g.division}` });
  }
  await core.db.transaction().execute(async (tx) => {
    await tx.updateTable('role_assignment').set({ revoked_at: core.clock.now() }).where('id', '=', g.id).where('revoked_at', 'is', null).execute();
    await recordChange(tx, caller.actor, { action: 'identity.role.revoke', object: { type: 'account', id: a.id }, division: g.division, detail: { role: g.role_code, division: g.division, grantId: g.id } },
      { type: 'identity.role.revoked', payload: { accountId: a.id, role: g.role_code, division: g.division } });
  });
  return accountDetail(core, caller, a.id);
}
