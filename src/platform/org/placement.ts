// Staff placement: which department a staff account sits in and with which post (职务). The
// placement lives on the account (account.department_id, account.post — identity reads them);
// a post must be one defined for that department. Every move is audited with its before and after.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { inDivisions } from '../../core/divisions/service.js';
import { assertMay, MANAGE, t, visibleScopes, type Caller } from './access.js';
import { normalizeName, visibleDepartment } from './departments.js';
import '../identity/tables.js';
import './tables.js';

export interface StaffView {
  id: string;
  username: string;
  name: string;
  status: 'active' | 'disabled';
  division: string;
  mobile: string | null;
  departmentId: string | null;
  post: string | null;
}

export interface Placement {
  accountId: string;
  division: string;
  department: { id: string; code: string; name: string } | null;
  post: string | null;
}

/** 联络员: the post of a department's liaison, whom other modules contact about the department's work (the hotline's 督办 SMS). */
export const LIAISON_POST = '联络员';

/** A department's liaisons: its active staff holding LIAISON_POST (for system messages; no caller scope). */
export async function departmentLiaisons(ex: Executor, departmentId: string): Promise<Array<{ id: string; name: string }>> {
  return ex.selectFrom('account').select(['id', 'name']).where('department_id', '=', departmentId).where('type', '=', 'staff')
    .where('post', '=', LIAISON_POST).where('status', '=', 'active').orderBy('name').execute();
}

const staffNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '工作人员账号不存在', en: 'No such staff account' });

/** Staff of one department, by name. */
export async function departmentStaff(core: Core, caller: Caller, departmentId: string): Promise<StaffView[]> {
  const d = await visibleDepartment(core, caller, departmentId);
  const rows = await core.db.selectFrom('account').select(['id', 'username', 'name', 'status', 'division', 'mobile_masked', 'department_id', 'post'])
    .where('department_id', '=', d.id).where('type', '=', 'staff').orderBy('name').orderBy('username').execute();
  return rows.map((r) => ({ id: r.id, username: r.username, name: r.name, status: r.status, division: r.division, mobile: r.mobile_masked, departmentId: r.department_id, post: r.post }));
}

async function placementOf(core: Core, accountId: string): Promise<Placement> {
  const r = await core.db.selectFrom('account').leftJoin('department', 'department.id', 'account.department_id')
    .select(['account.id', 'account.division', 'account.post', 'department.id as dept_id', 'department.code as dept_code', 'department.name as dept_name'])
    .where('account.id', '=', accountId).executeTakeFirstOrThrow();
  return { accountId: r.id, division: r.division, department: r.dept_id ? { id: r.dept_id, code: r.dept_code!, name: r.dept_name! } : null, post: r.post };
}

export async function getPlacement(core: Core, caller: Caller, accountId: string): Promise<Placement> {
  const a = await core.db.selectFrom('account').select('id').where('id', '=', accountId).where('type', '=', 'staff')
    .where(inDivisions('division', visibleScopes(caller.principal))).executeTakeFirst();
  if (!a) throw staffNotFound();
  return placementOf(core, a.id);
}

/**
 * Places a staff account in a department (of the account's own division) with a post defined
 * there, or removes it from its department (departmentId null). Idempotent: an unchanged
 * placement writes nothing.
 */
export async function placeStaff(core: Core, caller: Caller, accountId: string, input: { departmentId: string | null; post?: string | null }): Promise<Placement> {
  const { principal: p, lang } = caller;
  const account = await core.db.selectFrom('account').select(['id', 'division']).where('id', '=', accountId).where('type', '=', 'staff')
    .where(inDivisions('division', visibleScopes(p))).executeTakeFirst();
  if (!account) throw staffNotFound();
  assertMay(p, MANAGE, account.division);
  const post = input.post === undefined || input.post === null || normalizeName(input.post) === '' ? null : normalizeName(input.post);
  let departmentId: string | null = null;
  if (input.departmentId) {
    const d = await visibleDepartment(core, caller, input.departmentId);
    if (d.division !== account.division) {
      throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/departmentId', code: 'division', message: t(lang, { 'zh-CN': `部门须属于该人员所在的行政区划 ${account.division}`, en: `The department must belong to the staff member's division ${account.division}` }) }]);
    }
    departmentId = d.id;
  } else if (post) {
    throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/post', code: 'department', message: t(lang, { 'zh-CN': '填写职务时须同时指定部门', en: 'A post needs a department' }) }]);
  }
  await core.db.transaction().execute(async (tx) => {
    // FOR SHARE: a concurrent deletePost (which locks the post FOR UPDATE) cannot remove it under us.
    if (departmentId && post && !(await tx.selectFrom('org_post').select('id').where('department_id', '=', departmentId).where('name', '=', post).forShare().executeTakeFirst())) {
      throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body/post', code: 'unknown', message: t(lang, { 'zh-CN': `该部门没有职务 ${post}，请先添加职务`, en: `The department has no post ${post}; add it first` }) }]);
    }
    const before = await tx.selectFrom('account').select(['department_id', 'post']).where('id', '=', account.id).forUpdate().executeTakeFirstOrThrow();
    if (before.department_id === departmentId && before.post === post) return;
    await tx.updateTable('account').set({ department_id: departmentId, post, updated_at: new Date() }).where('id', '=', account.id).execute();
    const from = { departmentId: before.department_id, post: before.post };
    const to = { departmentId, post };
    await recordChange(tx, caller.actor, { action: 'org.staff.place', object: { type: 'account', id: account.id }, division: account.division, detail: { from, to } },
      { type: 'org.staff.placed', payload: { accountId: account.id, division: account.division, from, to } });
  });
  return placementOf(core, account.id);
}
