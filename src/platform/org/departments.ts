// Departments: one tree per division (a department's parent is in the same division), with the
// posts (职务) defined in each department. Every change is audited in its transaction; tree edits
// in a division are serialised by locking that division's department rows, so two concurrent
// moves cannot together make a cycle.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError, type Lang } from '../../core/http/errors.js';
import { getDivision, inDivisions } from '../../core/divisions/service.js';
import { validateDivisionCode, type LocalizedText } from '../../core/validators/index.js';
import { assertMay, departmentNotFound, MANAGE, outOfScope, t, visibleScopes, within, type Caller } from './access.js';
import '../identity/tables.js';
import './tables.js';

export const DEPARTMENT_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
export const NAME_MAX = 100;
export const POST_MAX = 50;
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface PostView {
  id: string;
  name: string;
}

export interface DepartmentView {
  id: string;
  division: string;
  code: string;
  name: string;
  parentId: string | null;
  posts: PostView[];
  staffCount: number;
  createdAt: string;
}

export type TreeNode<T> = T & { children: TreeNode<T>[] };
export type DepartmentNode = TreeNode<DepartmentView>;

export interface DepartmentDetail extends DepartmentView {
  /** Ancestors from the root down to the parent. */
  path: Array<{ id: string; code: string; name: string }>;
}

/** Department codes compare after NFKC (full-width → ASCII) and trimming. */
export function normalizeCode(s: string): string {
  return s.normalize('NFKC').trim();
}

export function normalizeName(s: string): string {
  return s.normalize('NFC').trim();
}

export const MSG = {
  codeFormat: { 'zh-CN': '部门编码须为 1–32 位字母、数字或 _ . -（以字母或数字开头）', en: 'Use 1–32 letters, digits or _ . - (starting with a letter or digit)' },
  nameLength: { 'zh-CN': `请填写部门名称（最多 ${NAME_MAX} 字）`, en: `Give a name (at most ${NAME_MAX} characters)` },
  postLength: { 'zh-CN': `请填写职务名称（最多 ${POST_MAX} 字）`, en: `Give a post name (at most ${POST_MAX} characters)` },
  parentDivision: { 'zh-CN': '上级部门须属于同一行政区划', en: 'The parent must belong to the same division' },
  cycle: { 'zh-CN': '不能把部门移到它自己或它的下级部门之下', en: 'A department cannot move under itself or one of its descendants' },
} satisfies Record<string, LocalizedText>;

export const codeTaken = (code: string): LocalizedText => ({ 'zh-CN': `部门编码 ${code} 在该行政区划中已存在`, en: `Department code ${code} already exists in this division` });

export function nameProblem(name: string, max = NAME_MAX): boolean {
  return name.length < 1 || name.length > max || CONTROL.test(name);
}

/**
 * Nests departments by parent, children ordered by code. A node whose parent is not in the list
 * is a root; a cycle (which the service never writes) is cut so that no department disappears.
 */
export function buildTree<T extends { id: string; parentId: string | null; code: string }>(items: T[]): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>();
  for (const i of items) nodes.set(i.id, { ...i, children: [] });
  const roots: TreeNode<T>[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId && n.parentId !== n.id ? nodes.get(n.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const reached = new Set<string>();
  const mark = (start: TreeNode<T>) => {
    const stack = [start];
    while (stack.length) {
      const n = stack.pop()!;
      if (reached.has(n.id)) continue;
      reached.add(n.id);
      stack.push(...n.children);
    }
  };
  roots.forEach(mark);
  for (const n of nodes.values()) {
    if (reached.has(n.id)) continue;
    const parent = nodes.get(n.parentId!)!;
    parent.children = parent.children.filter((c) => c !== n);
    roots.push(n);
    mark(n);
  }
  const byCode = (a: TreeNode<T>, b: TreeNode<T>) => a.code.localeCompare(b.code, 'en', { numeric: true });
  const sort = (list: TreeNode<T>[]) => {
    list.sort(byCode);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

type DepartmentRow = { id: string; division: string; code: string; name: string; parent_id: string | null; created_at: Date };

async function findVisible(ex: Executor, id: string, scopes: string[]): Promise<DepartmentRow | undefined> {
  return ex.selectFrom('department').select(['id', 'division', 'code', 'name', 'parent_id', 'created_at'])
    .where('id', '=', id).where(inDivisions('division', scopes)).executeTakeFirst();
}

/** The department if the caller may see it; otherwise NOT_FOUND, whether or not it exists. */
export async function visibleDepartment(core: Core, caller: Caller, id: string): Promise<DepartmentRow> {
  const d = await findVisible(core.db, id, visibleScopes(caller.principal));
  if (!d) throw departmentNotFound();
  return d;
}

async function decorate(ex: Executor, rows: DepartmentRow[]): Promise<DepartmentView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const posts = await ex.selectFrom('org_post').select(['id', 'name', 'department_id']).where('department_id', 'in', ids).orderBy('created_at').orderBy('name').execute();
  const counts = await ex.selectFrom('account').select(['department_id', sql<number>`count(*)::int`.as('n')])
    .where('department_id', 'in', ids).where('type', '=', 'staff').groupBy('department_id').execute();
  const n = new Map(counts.map((c) => [c.department_id!, Number(c.n)]));
  return rows.map((r) => ({
    id: r.id, division: r.division, code: r.code, name: r.name, parentId: r.parent_id,
    posts: posts.filter((p) => p.department_id === r.id).map((p) => ({ id: p.id, name: p.name })),
    staffCount: n.get(r.id) ?? 0,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

async function divisionOrThrow(core: Core, code: string): Promise<string> {
  const v = validateDivisionCode(code);
  const canonical = v.ok ? v.canonical : code;
  if (!v.ok || !(await getDivision(core.db, canonical))) throw new AppError('DIVISION_NOT_FOUND', { 'zh-CN': `行政区划 ${code} 不存在`, en: `No division ${code}` });
  return canonical;
}

/** The department tree of one division (exactly that division, not its subdivisions). */
export async function departmentTree(core: Core, caller: Caller, divisionCode: string): Promise<{ division: string; items: DepartmentNode[] }> {
  const division = await divisionOrThrow(core, divisionCode);
  if (!within(division, visibleScopes(caller.principal))) throw outOfScope(division);
  const rows = await core.db.selectFrom('department').select(['id', 'division', 'code', 'name', 'parent_id', 'created_at']).where('division', '=', division).execute();
  return { division, items: buildTree(await decorate(core.db, rows)) };
}

export async function departmentDetail(core: Core, caller: Caller, id: string): Promise<DepartmentDetail> {
  const d = await visibleDepartment(core, caller, id);
  const [view] = await decorate(core.db, [d]);
  const path = (await sql<{ id: string; code: string; name: string; depth: number }>`
    WITH RECURSIVE up AS (
      SELECT id, code, name, parent_id, division, 0 AS depth FROM department WHERE id = ${d.parent_id}
      UNION
      SELECT p.id, p.code, p.name, p.parent_id, p.division, up.depth + 1 FROM department p JOIN up ON p.id = up.parent_id WHERE up.depth < 100
    ) SELECT id, code, name, depth FROM up WHERE division = ${d.division} ORDER BY depth DESC`.execute(core.db)).rows;
  return { ...view!, path: path.map((r) => ({ id: r.id, code: r.code, name: r.name })) };
}

function fail(errors: FieldError[]): never {
  throw new AppError('VALIDATION_FAILED', undefined, errors);
}

/** Locks the division's departments: tree edits in one division run one at a time. */
async function lockDivision(ex: Executor, division: string): Promise<void> {
  await sql`SELECT id FROM department WHERE division = ${division} ORDER BY id FOR UPDATE`.execute(ex);
}

export interface NewDepartment {
  division: string;
  code: string;
  name: string;
  parentId?: string | null;
}

export async function createDepartment(core: Core, caller: Caller, input: NewDepartment): Promise<DepartmentView> {
  const { principal: p, lang } = caller;
  const v = validateDivisionCode(input.division);
  const division = v.ok ? v.canonical : input.division;
  await divisionOrThrow(core, division);
  assertMay(p, MANAGE, division);
  const code = normalizeCode(input.code);
  const name = normalizeName(input.name);
  const errors: FieldError[] = [];
  if (!DEPARTMENT_CODE.test(code)) errors.push({ pointer: '/body/code', code: 'pattern', message: t(lang, MSG.codeFormat) });
  if (nameProblem(name)) errors.push({ pointer: '/body/name', code: 'length', message: t(lang, MSG.nameLength) });
  if (errors.length) fail(errors);
  const visible = visibleScopes(p);
  const id = await core.db.transaction().execute(async (tx) => {
    await lockDivision(tx, division);
    if (input.parentId) {
      const parent = await findVisible(tx, input.parentId, visible);
      if (!parent) throw departmentNotFound();
      if (parent.division !== division) fail([{ pointer: '/body/parentId', code: 'division', message: t(lang, MSG.parentDivision) }]);
    }
    if (await tx.selectFrom('department').select('id').where('division', '=', division).where('code', '=', code).executeTakeFirst()) {
      throw new AppError('CONFLICT', codeTaken(code), [{ pointer: '/body/code', code: 'taken', message: t(lang, codeTaken(code)) }]);
    }
    const row = await tx.insertInto('department').values({ division, code, name, parent_id: input.parentId ?? null }).returning('id').executeTakeFirstOrThrow();
    await recordChange(tx, caller.actor, { action: 'org.department.create', object: { type: 'department', id: row.id }, division, detail: { code, name, parentId: input.parentId ?? null } },
      { type: 'org.department.created', payload: { id: row.id, division, code, name, parentId: input.parentId ?? null } });
    return row.id;
  });
  const [view] = await decorate(core.db, [(await findVisible(core.db, id, visible))!]);
  return view!;
}

export interface DepartmentPatch {
  name?: string;
  code?: string;
  /** A department id to move under, or null to make it a root of its division. */
  parentId?: string | null;
}

/** Renames, re-codes and/or moves a department (refusing a move under itself or a descendant). */
export async function updateDepartment(core: Core, caller: Caller, id: string, patch: DepartmentPatch): Promise<DepartmentView> {
  const { principal: p, lang } = caller;
  const visible = visibleScopes(p);
  const current = await visibleDepartment(core, caller, id);
  assertMay(p, MANAGE, current.division);
  const errors: FieldError[] = [];
  const code = patch.code === undefined ? undefined : normalizeCode(patch.code);
  const name = patch.name === undefined ? undefined : normalizeName(patch.name);
  if (code !== undefined && !DEPARTMENT_CODE.test(code)) errors.push({ pointer: '/body/code', code: 'pattern', message: t(lang, MSG.codeFormat) });
  if (name !== undefined && nameProblem(name)) errors.push({ pointer: '/body/name', code: 'length', message: t(lang, MSG.nameLength) });
  if (patch.parentId === id) errors.push({ pointer: '/body/parentId', code: 'cycle', message: t(lang, MSG.cycle) });
  if (errors.length) fail(errors);
  await core.db.transaction().execute(async (tx) => {
    await lockDivision(tx, current.division);
    const d = await findVisible(tx, id, visible);
    if (!d) throw departmentNotFound();
    const from: Record<string, unknown> = {};
    const to: Record<string, unknown> = {};
    const set: { name?: string; code?: string; parent_id?: string | null } = {};
    if (name !== undefined && name !== d.name) {
      from.name = d.name;
      to.name = set.name = name;
    }
    if (code !== undefined && code !== d.code) {
      if (await tx.selectFrom('department').select('id').where('division', '=', d.division).where('code', '=', code).executeTakeFirst()) {
        throw new AppError('CONFLICT', codeTaken(code), [{ pointer: '/body/code', code: 'taken', message: t(lang, codeTaken(code)) }]);
      }
      from.code = d.code;
      to.code = set.code = code;
    }
    if (patch.parentId !== undefined && patch.parentId !== d.parent_id) {
      if (patch.parentId !== null) {
        const parent = await findVisible(tx, patch.parentId, visible);
        if (!parent) throw departmentNotFound();
        if (parent.division !== d.division) fail([{ pointer: '/body/parentId', code: 'division', message: t(lang, MSG.parentDivision) }]);
        const loop = await sql<{ hit: number }>`
          WITH RECURSIVE up AS (
            SELECT id, parent_id FROM department WHERE id = ${parent.id}
            UNION
            SELECT p.id, p.parent_id FROM department p JOIN up ON p.id = up.parent_id
          ) SELECT 1 AS hit FROM up WHERE id = ${d.id} LIMIT 1`.execute(tx);
        if (loop.rows.length) fail([{ pointer: '/body/parentId', code: 'cycle', message: t(lang, MSG.cycle) }]);
      }
      from.parentId = d.parent_id;
      to.parentId = set.parent_id = patch.parentId;
    }
    if (Object.keys(set).length === 0) return;
    await tx.updateTable('department').set(set).where('id', '=', d.id).execute();
    await recordChange(tx, caller.actor, { action: 'org.department.update', object: { type: 'department', id: d.id }, division: d.division, detail: { from, to } },
      { type: 'org.department.updated', payload: { id: d.id, division: d.division, from, to } });
  });
  const [view] = await decorate(core.db, [(await findVisible(core.db, id, visible))!]);
  return view!;
}

const conflict = (lang: Lang, m: LocalizedText, pointer = '/params/id', code = 'in-use') => new AppError('CONFLICT', m, [{ pointer, code, message: t(lang, m) }]);

/** Deletes an empty department: no sub-departments, no staff, no role assignment bound to it. */
export async function deleteDepartment(core: Core, caller: Caller, id: string): Promise<void> {
  const { principal: p, lang } = caller;
  const current = await visibleDepartment(core, caller, id);
  assertMay(p, MANAGE, current.division);
  await core.db.transaction().execute(async (tx) => {
    await lockDivision(tx, current.division);
    const count = async (q: Promise<{ n: number } | undefined>) => Number((await q)?.n ?? 0);
    if (await count(tx.selectFrom('department').select(sql<number>`count(*)::int`.as('n')).where('parent_id', '=', id).executeTakeFirst())) {
      throw conflict(lang, { 'zh-CN': '该部门下还有下级部门，请先移走或删除', en: 'The department has sub-departments; move or delete them first' });
    }
    if (await count(tx.selectFrom('account').select(sql<number>`count(*)::int`.as('n')).where('department_id', '=', id).executeTakeFirst())) {
      throw conflict(lang, { 'zh-CN': '该部门中还有人员，请先调出', en: 'The department still has staff; move them first' });
    }
    if (await count(tx.selectFrom('role_assignment').select(sql<number>`count(*)::int`.as('n')).where('department_id', '=', id).executeTakeFirst())) {
      throw conflict(lang, { 'zh-CN': '该部门仍被角色授权引用，无法删除', en: 'Role assignments refer to the department; it cannot be deleted' });
    }
    await tx.deleteFrom('org_post').where('department_id', '=', id).execute();
    await tx.deleteFrom('department').where('id', '=', id).execute();
    await recordChange(tx, caller.actor, { action: 'org.department.delete', object: { type: 'department', id }, division: current.division, detail: { code: current.code, name: current.name, parentId: current.parent_id } },
      { type: 'org.department.deleted', payload: { id, division: current.division, code: current.code } });
  });
}

// ------------------------------------------------------------------------------------------- posts

export async function createPost(core: Core, caller: Caller, departmentId: string, rawName: string): Promise<PostView> {
  const { principal: p, lang } = caller;
  const d = await visibleDepartment(core, caller, departmentId);
  assertMay(p, MANAGE, d.division);
  const name = normalizeName(rawName);
  if (nameProblem(name, POST_MAX)) fail([{ pointer: '/body/name', code: 'length', message: t(lang, MSG.postLength) }]);
  return core.db.transaction().execute(async (tx) => {
    if (await tx.selectFrom('org_post').select('id').where('department_id', '=', d.id).where('name', '=', name).executeTakeFirst()) {
      throw conflict(lang, { 'zh-CN': `该部门已有职务 ${name}`, en: `The department already has the post ${name}` }, '/body/name', 'taken');
    }
    const row = await tx.insertInto('org_post').values({ department_id: d.id, name }).returning(['id', 'name']).executeTakeFirstOrThrow();
    await recordChange(tx, caller.actor, { action: 'org.post.create', object: { type: 'org_post', id: row.id }, division: d.division, detail: { departmentId: d.id, name } },
      { type: 'org.post.created', payload: { id: row.id, departmentId: d.id, division: d.division, name } });
    return row;
  });
}

export async function deletePost(core: Core, caller: Caller, departmentId: string, postId: string): Promise<void> {
  const { principal: p, lang } = caller;
  const d = await visibleDepartment(core, caller, departmentId);
  const post = await core.db.selectFrom('org_post').select(['id', 'name']).where('id', '=', postId).where('department_id', '=', d.id).executeTakeFirst();
  if (!post) throw new AppError('NOT_FOUND', { 'zh-CN': '职务不存在', en: 'No such post' });
  assertMay(p, MANAGE, d.division);
  await core.db.transaction().execute(async (tx) => {
    if (!(await tx.selectFrom('org_post').select('id').where('id', '=', post.id).forUpdate().executeTakeFirst())) return;
    const held = await tx.selectFrom('account').select('id').where('department_id', '=', d.id).where('post', '=', post.name).executeTakeFirst();
    if (held) throw conflict(lang, { 'zh-CN': `还有人员担任职务 ${post.name}，请先调整`, en: `Staff still hold the post ${post.name}` }, '/params/postId');
    await tx.deleteFrom('org_post').where('id', '=', post.id).execute();
    await recordChange(tx, caller.actor, { action: 'org.post.delete', object: { type: 'org_post', id: post.id }, division: d.division, detail: { departmentId: d.id, name: post.name } },
      { type: 'org.post.deleted', payload: { id: post.id, departmentId: d.id, division: d.division, name: post.name } });
  });
}
