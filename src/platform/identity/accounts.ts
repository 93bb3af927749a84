// Accounts of the three kinds. Personal data is encrypted at rest (SM4-GCM or AES-GCM with the
// field key), looked up by blind index (keyed hash) and shown masked. Every change is audited
// and evented in its transaction.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Actor } from '../../core/audit/record.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError } from '../../core/http/errors.js';
import { getDivision } from '../../core/divisions/service.js';
import { maskMobile, maskResidentId, validateMobile, validateResidentId, validateUscc } from '../../core/validators/index.js';
import { hashPassword, passwordProblem } from './password.js';
import { roleByCode } from './roles.js';
import type { AccountType } from './tables.js';

export interface NewAccount {
  type: AccountType;
  username: string;
  password?: string;
  name: string;
  division: string;
  idNumber?: string;
  mobile?: string;
  address?: string;
  uscc?: string;
  legalRepresentative?: string;
  departmentId?: string;
  post?: string;
  roles?: string[];
}

export interface AccountView {
  id: string;
  type: AccountType;
  username: string;
  name: string;
  status: 'active' | 'disabled';
  division: string;
  idNumber: string | null;
  mobile: string | null;
  uscc: string | null;
  legalRepresentative: string | null;
  departmentId: string | null;
  post: string | null;
  totpEnabled: boolean;
  createdAt: string;
}

const AAD = { id: Buffer.from('account.id_number'), mobile: Buffer.from('account.mobile'), address: Buffer.from('account.address') };

export function blind(core: Core, kind: 'id' | 'mobile', value: string): string {
  return core.crypto.blindIndex(core.keys.blindIndex, `${kind}:${value}`);
}

function zhEn(lang: 'zh-CN' | 'en' | undefined, m: { 'zh-CN': string; en: string }): string {
  return lang === 'en' ? m.en : m['zh-CN'];
}

/** Validates a new account; returns every problem at once (problem+json `errors`). */
export async function validateNewAccount(core: Core, input: NewAccount, lang?: 'zh-CN' | 'en'): Promise<{ errors: FieldError[]; normalized: NewAccount }> {
  const errors: FieldError[] = [];
  const n: NewAccount = { ...input, username: input.username.trim(), name: input.name.trim() };
  const bad = (field: string, code: string, m: { 'zh-CN': string; en: string }) => errors.push({ pointer: `/${field}`, code, message: zhEn(lang, m) });
  if (!/^[A-Za-z0-9_.@-]{3,64}$/.test(n.username)) bad('username', 'pattern', { 'zh-CN': '用户名须为 3–64 位字母、数字或 _ . @ -', en: 'Use 3–64 letters, digits or _ . @ -' });
  if (n.name.length < 1 || n.name.length > 100) bad('name', 'length', { 'zh-CN': '请填写姓名或名称（最多 100 字）', en: 'Give a name (at most 100 characters)' });
  if (input.password !== undefined) {
    const p = passwordProblem(input.password);
    if (p) bad('password', 'policy', p);
  }
  if (!(await getDivision(core.db, n.division))) bad('division', 'unknown', { 'zh-CN': `行政区划 ${n.division} 不存在`, en: `Unknown division ${n.division}` });
  if (input.idNumber !== undefined) {
    const r = validateResidentId(input.idNumber);
    if (r.ok) n.idNumber = r.value;
    else bad('idNumber', r.reason, r.message);
  } else if (n.type === 'citizen') bad('idNumber', 'required', { 'zh-CN': '自然人须填写居民身份证号码', en: 'A citizen account needs a resident ID number' });
  if (input.mobile !== undefined) {
    const r = validateMobile(input.mobile);
    if (r.ok) n.mobile = r.value;
    else bad('mobile', r.reason, r.message);
  }
  if (input.uscc !== undefined) {
    const r = validateUscc(input.uscc);
    if (r.ok) n.uscc = r.value;
    else bad('uscc', r.reason, r.message);
  } else if (n.type === 'enterprise') bad('uscc', 'required', { 'zh-CN': '法人须填写统一社会信用代码', en: 'An enterprise account needs a unified social credit code' });
  if (n.type === 'enterprise' && !n.legalRepresentative) bad('legalRepresentative', 'required', { 'zh-CN': '请填写法定代表人', en: 'Give the legal representative' });
  for (const [i, role] of (n.roles ?? []).entries()) {
    if (!roleByCode(role)) bad(`roles/${i}`, 'unknown', { 'zh-CN': `角色 ${role} 不存在`, en: `Unknown role ${role}` });
  }
  const existing = await core.db.selectFrom('account').select('id').where(sql`lower(username)`, '=', n.username.toLowerCase()).executeTakeFirst();
  if (existing) bad('username', 'taken', { 'zh-CN': '该用户名已被使用', en: 'This username is taken' });
  if (n.idNumber && (await core.db.selectFrom('account').select('id').where('id_number_bidx', '=', blind(core, 'id', n.idNumber)).executeTakeFirst())) {
    bad('idNumber', 'taken', { 'zh-CN': '该身份证号码已注册', en: 'This ID number is already registered' });
  }
  if (n.uscc && (await core.db.selectFrom('account').select('id').where('uscc', '=', n.uscc).executeTakeFirst())) {
    bad('uscc', 'taken', { 'zh-CN': '该统一社会信用代码已注册', en: 'This credit code is already registered' });
  }
  return { errors, normalized: n };
}

export async function createAccount(core: Core, actor: Actor, input: NewAccount, lang?: 'zh-CN' | 'en'): Promise<AccountView> {
  const { errors, normalized: n } = await validateNewAccount(core, input, lang);
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  const passwordHash = n.password ? await hashPassword(n.password) : null;
  const enc = (v: string | undefined, aad: Buffer) => (v ? core.crypto.encrypt(core.keys.field, v, aad) : null);
  const defaultRole = n.type === 'citizen' ? 'citizen' : n.type === 'enterprise' ? 'enterprise' : null;
  const roles = [...new Set([...(defaultRole ? [defaultRole] : []), ...(n.roles ?? [])])];
  const id = await core.db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('account').values({
      type: n.type, username: n.username, name: n.name, division: n.division, password_hash: passwordHash,
      id_number_enc: enc(n.idNumber, AAD.id), id_number_bidx: n.idNumber ? blind(core, 'id', n.idNumber) : null, id_number_masked: n.idNumber ? maskResidentId(n.idNumber) : null,
      mobile_enc: enc(n.mobile, AAD.mobile), mobile_bidx: n.mobile ? blind(core, 'mobile', n.mobile) : null, mobile_masked: n.mobile ? maskMobile(n.mobile) : null,
      address_enc: enc(n.address, AAD.address), uscc: n.uscc ?? null, legal_representative: n.legalRepresentative ?? null,
      department_id: n.departmentId ?? null, post: n.post ?? null,
    }).returning('id').executeTakeFirstOrThrow();
    // Citizens and enterprises act anywhere in the province (跨域通办); staff roles are scoped to their division.
    for (const role of roles) {
      const scope = role === 'citizen' || role === 'enterprise' ? '530000' : n.division;
      await assignRoleTx(tx, actor, row.id, role, scope, n.departmentId ?? null);
    }
    await recordChange(tx, actor, { action: 'identity.account.create', object: { type: 'account', id: row.id }, division: n.division, detail: { type: n.type, username: n.username, roles } },
      { type: 'identity.account.created', payload: { id: row.id, type: n.type, division: n.division } });
    return row.id;
  });
  return (await getAccount(core, id))!;
}

export async function assignRoleTx(tx: Executor, actor: Actor, accountId: string, role: string, division: string, departmentId: string | null): Promise<void> {
  await tx.insertInto('role_assignment').values({ account_id: accountId, role_code: role, division, department_id: departmentId, granted_by: actor.id }).execute();
  await recordChange(tx, actor, { action: 'identity.role.assign', object: { type: 'account', id: accountId }, division, detail: { role, division, departmentId } },
    { type: 'identity.role.assigned', payload: { accountId, role, division, departmentId } });
}

export async function getAccount(core: Core, id: string): Promise<AccountView | null> {
  const r = await core.db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id, type: r.type, username: r.username, name: r.name, status: r.status, division: r.division,
    idNumber: r.id_number_masked, mobile: r.mobile_masked, uscc: r.uscc, legalRepresentative: r.legal_representative,
    departmentId: r.department_id, post: r.post, totpEnabled: r.totp_enabled, createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Decrypts a personal field for a caller whose access has been checked and audited. */
export function revealField(core: Core, enc: Buffer | null, field: 'id' | 'mobile' | 'address'): string | null {
  return enc ? core.crypto.decrypt(core.keys.field, enc, AAD[field]).toString('utf8') : null;
}
