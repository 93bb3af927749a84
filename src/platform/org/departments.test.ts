import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { createAccount } from '../identity/accounts.js';
import { roleByCode } from '../identity/roles.js';
import { buildTree } from './departments.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;

const ADMIN_PERMS = roleByCode('department_admin')!.permissions;
const admin = (id: string, name: string, division: string): Principal => ({
  id, name, kind: 'staff', permissions: new Set(ADMIN_PERMS), scopes: [division],
  grants: [{ role: 'department_admin', permissions: new Set(ADMIN_PERMS), division }],
});
const PRINCIPALS: Record<string, Principal> = {
  km: admin('user:km-admin', '昆明市管理员', '530100'),
  qj: admin('user:qj-admin', '曲靖市管理员', '530300'),
  // A 五华区 window clerk: may read the directory, not change it.
  wh: { id: 'user:wh-clerk', name: '五华区窗口', kind: 'staff', permissions: new Set(['org:department.read']), scopes: ['530102'], grants: [{ role: 'window_clerk', permissions: new Set(['org:department.read']), division: '530102' }] },
};
const as = (who: string) => ({ authorization: `Bearer ${who}` });

async function req(who: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  return t.app.inject({ method, url, headers: as(who), ...(payload === undefined ? {} : { payload: payload as object }) });
}
async function create(who: string, body: Record<string, unknown>): Promise<string> {
  const r = await req(who, 'POST', '/api/org/departments', body);
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id;
}
const count = async (table: string, where = sql`true`) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(t.core.db)).rows[0]!.n;

beforeAll(async () => {
  t = await testApp();
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer (\w+)$/.exec(r.headers.authorization ?? '');
    return m ? (PRINCIPALS[m[1]!] ?? null) : null;
  });
});
afterAll(() => t.close());

describe('buildTree', () => {
  it('nests by parent, orders children by code (numerically), keeps orphans as roots and cuts cycles', () => {
    const n = (id: string, parentId: string | null, code = id) => ({ id, parentId, code });
    const tree = buildTree([n('c', 'a'), n('a', null), n('b10', 'a'), n('b2', 'a'), n('d', 'c'), n('orphan', 'gone'), n('x', 'y'), n('y', 'x')]);
    const shape = (list: any[]): unknown => list.map((x) => (x.children.length ? { [x.id]: shape(x.children) } : x.id));
    expect(shape(tree)).toEqual([{ a: ['b2', 'b10', { c: ['d'] }] }, 'orphan', { x: ['y'] }]);
  });
});

describe('department tree', () => {
  let office: string, dispatch: string, section: string;

  beforeAll(async () => {
    office = await create('km', { division: '530102', code: 'A01', name: '五华区人民政府办公室' });
    section = await create('km', { division: '530102', code: 'A01-2', name: '督查科', parentId: office });
    await create('km', { division: '530102', code: 'A01-1', name: '秘书科', parentId: office });
    dispatch = await create('km', { division: '530102', code: 'B01', name: '五华区政务服务管理局' });
  });

  it('returns the division\'s departments nested, with posts and staff counts', async () => {
    const r = await req('wh', 'GET', '/api/org/departments?division=530102');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.division).toBe('530102');
    expect(body.items.map((d: any) => d.code)).toEqual(['A01', 'B01']);
    expect(body.items[0]).toMatchObject({ id: office, name: '五华区人民政府办公室', parentId: null, posts: [], staffCount: 0 });
    expect(body.items[0].children.map((d: any) => [d.code, d.parentId])).toEqual([['A01-1', office], ['A01-2', office]]);
    expect(body.items[0].children[1].children).toEqual([]);
  });

  it('keeps codes unique within a division but not across divisions', async () => {
    const dup = await req('km', 'POST', '/api/org/departments', { division: '530102', code: 'A01', name: '重复' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().detail).toBe('部门编码 A01 在该行政区划中已存在');
    await create('km', { division: '530103', code: 'A01', name: '盘龙区人民政府办公室' });
    const bad = await req('km', 'POST', '/api/org/departments', { division: '530102', code: '办 公', name: ' ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: any) => e.pointer).sort()).toEqual(['/body/code', '/body/name']);
  });

  it('a parent must be in the same division', async () => {
    const panlong = (await req('km', 'GET', '/api/org/departments?division=530103')).json().items[0].id;
    const r = await req('km', 'POST', '/api/org/departments', { division: '530102', code: 'C01', name: '跨区', parentId: panlong });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ pointer: '/body/parentId', code: 'division' });
  });

  it('renames and moves, refusing a move under itself or a descendant, and audits the change', async () => {
    const leaf = (await req('km', 'GET', `/api/org/departments/${section}`)).json();
    expect(leaf.path).toEqual([{ id: office, code: 'A01', name: '五华区人民政府办公室' }]);
    const grandchild = await create('km', { division: '530102', code: 'A01-2-1', name: '督查一组', parentId: section });
    for (const parentId of [office, section, grandchild]) {
      const r = await req('km', 'PATCH', `/api/org/departments/${office}`, { parentId });
      expect(r.statusCode).toBe(400);
      expect(r.json().errors[0]).toMatchObject({ pointer: '/body/parentId', code: 'cycle' });
    }
    const moved = await req('km', 'PATCH', `/api/org/departments/${section}`, { parentId: dispatch, name: '督查室' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ id: section, parentId: dispatch, name: '督查室', code: 'A01-2' });
    const tree = (await req('km', 'GET', '/api/org/departments?division=530102')).json().items;
    expect(tree[1].children[0]).toMatchObject({ id: section, children: [expect.objectContaining({ id: grandchild })] });
    const audit = (await sql<{ actor: string; detail: any }>`SELECT actor, detail FROM audit_log WHERE action = 'org.department.update' AND object_id = ${section}`.execute(t.core.db)).rows;
    expect(audit).toEqual([{ actor: 'user:km-admin', detail: { from: { name: '督查科', parentId: office }, to: { name: '督查室', parentId: dispatch } } }]);
    // Back to the top level.
    expect((await req('km', 'PATCH', `/api/org/departments/${section}`, { parentId: null })).json().parentId).toBeNull();
  });

  it('two concurrent opposite moves cannot make a cycle', async () => {
    const a = await create('km', { division: '530102', code: 'CC-A', name: '甲' });
    const b = await create('km', { division: '530102', code: 'CC-B', name: '乙' });
    const [r1, r2] = await Promise.all([
      req('km', 'PATCH', `/api/org/departments/${a}`, { parentId: b }),
      req('km', 'PATCH', `/api/org/departments/${b}`, { parentId: a }),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 400]);
    const rows = await t.core.db.selectFrom('department').select(['id', 'parent_id']).where('id', 'in', [a, b]).execute();
    expect(rows.filter((r) => r.parent_id !== null)).toHaveLength(1);
  });

  it('manages posts; a post in use cannot be removed', async () => {
    const p = await req('km', 'POST', `/api/org/departments/${dispatch}/posts`, { name: '科长' });
    expect(p.statusCode).toBe(201);
    expect((await req('km', 'POST', `/api/org/departments/${dispatch}/posts`, { name: '科长' })).statusCode).toBe(409);
    const d = (await req('wh', 'GET', `/api/org/departments/${dispatch}`)).json();
    expect(d.posts).toEqual([{ id: p.json().id, name: '科长' }]);
  });

  it('deletes only an empty department', async () => {
    const parent = await create('km', { division: '530102', code: 'TMP', name: '临时' });
    await create('km', { division: '530102', code: 'TMP-1', name: '临时一', parentId: parent });
    const r = await req('km', 'DELETE', `/api/org/departments/${parent}`);
    expect(r.statusCode).toBe(409);
    const child = (await req('km', 'GET', '/api/org/departments?division=530102')).json().items.find((d: any) => d.code === 'TMP').children[0].id;
    expect((await req('km', 'DELETE', `/api/org/departments/${child}`)).statusCode).toBe(204);
    expect((await req('km', 'DELETE', `/api/org/departments/${parent}`)).statusCode).toBe(204);
    expect(await count('department', sql`code LIKE 'TMP%'`)).toBe(0);
  });
});

describe('division scoping', () => {
  let qjDept: string;
  beforeAll(async () => {
    qjDept = await create('qj', { division: '530302', code: 'A01', name: '麒麟区人民政府办公室' });
  });

  it('a Kunming administrator cannot list, see or change Qujing departments; unknown and foreign ids look the same', async () => {
    const list = await req('km', 'GET', '/api/org/departments?division=530302');
    expect(list.statusCode).toBe(403);
    const missing = '00000000-0000-4000-8000-000000000000';
    const foreign = await req('km', 'GET', `/api/org/departments/${qjDept}`);
    const unknown = await req('km', 'GET', `/api/org/departments/${missing}`);
    expect(foreign.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(foreign.json().detail).toBe(unknown.json().detail);
    expect((await req('km', 'PATCH', `/api/org/departments/${qjDept}`, { name: '越权' })).statusCode).toBe(404);
    expect((await req('km', 'DELETE', `/api/org/departments/${qjDept}`)).statusCode).toBe(404);
    expect((await req('km', 'GET', `/api/org/departments/${qjDept}/staff`)).statusCode).toBe(404);
    expect((await req('km', 'POST', `/api/org/departments/${qjDept}/posts`, { name: '科长' })).statusCode).toBe(404);
    expect((await req('km', 'POST', '/api/org/departments', { division: '530102', code: 'X1', name: '挂靠', parentId: qjDept })).statusCode).toBe(404);
    expect((await req('km', 'POST', '/api/org/departments', { division: '530302', code: 'X1', name: '越权' })).statusCode).toBe(403);
    expect(await count('department', sql`division = '530302'`)).toBe(1);
    expect((await t.core.db.selectFrom('department').select('name').where('id', '=', qjDept).executeTakeFirstOrThrow()).name).toBe('麒麟区人民政府办公室');
    // The owner sees it.
    expect((await req('qj', 'GET', '/api/org/departments?division=530302')).json().items.map((d: any) => d.id)).toEqual([qjDept]);
  });

  it('reading needs org:department.read and changing needs org:department.manage', async () => {
    const own = (await req('wh', 'GET', '/api/org/departments?division=530102')).json().items[0].id;
    expect((await req('wh', 'PATCH', `/api/org/departments/${own}`, { name: '改名' })).statusCode).toBe(403);
    expect((await req('wh', 'GET', '/api/org/departments?division=530103')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/org/departments?division=530102' })).statusCode).toBe(401);
  });
});

describe('staff placement', () => {
  let staffId: string, office: string, bureau: string;
  beforeAll(async () => {
    staffId = (await createAccount(t.core, { id: 'system:test' }, { type: 'staff', username: 'zhao.liu', password: 'Correct-horse-9', name: '赵六', division: '530102' })).id;
    office = await create('km', { division: '530102', code: 'P01', name: '办公室' });
    bureau = await create('km', { division: '530102', code: 'P02', name: '信访局' });
    await req('km', 'POST', `/api/org/departments/${office}/posts`, { name: '科员' });
    await req('km', 'POST', `/api/org/departments/${bureau}/posts`, { name: '科长' });
  });

  it('places a staff member with a post defined in the department, moves them, and audits each move', async () => {
    const unknownPost = await req('km', 'PUT', `/api/org/staff/${staffId}/placement`, { departmentId: office, post: '局长' });
    expect(unknownPost.statusCode).toBe(400);
    expect(unknownPost.json().errors[0]).toMatchObject({ pointer: '/body/post', code: 'unknown' });
    const first = await req('km', 'PUT', `/api/org/staff/${staffId}/placement`, { departmentId: office, post: '科员' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ accountId: staffId, department: { id: office, code: 'P01' }, post: '科员' });
    const moved = await req('km', 'PUT', `/api/org/staff/${staffId}/placement`, { departmentId: bureau, post: '科长' });
    expect(moved.json()).toMatchObject({ department: { id: bureau }, post: '科长' });
    // Unchanged: nothing more is written.
    await req('km', 'PUT', `/api/org/staff/${staffId}/placement`, { departmentId: bureau, post: '科长' });
    const row = await t.core.db.selectFrom('account').select(['department_id', 'post']).where('id', '=', staffId).executeTakeFirstOrThrow();
    expect(row).toEqual({ department_id: bureau, post: '科长' });
    const audit = (await sql<{ detail: any }>`SELECT detail FROM audit_log WHERE action = 'org.staff.place' AND object_id = ${staffId} ORDER BY seq`.execute(t.core.db)).rows.map((r) => r.detail);
    expect(audit).toEqual([
      { from: { departmentId: null, post: null }, to: { departmentId: office, post: '科员' } },
      { from: { departmentId: office, post: '科员' }, to: { departmentId: bureau, post: '科长' } },
    ]);
    const staff = (await req('wh', 'GET', `/api/org/departments/${bureau}/staff`)).json().items;
    expect(staff).toEqual([expect.objectContaining({ id: staffId, username: 'zhao.liu', name: '赵六', post: '科长' })]);
    expect((await req('wh', 'GET', `/api/org/staff/${staffId}/placement`)).json().post).toBe('科长');
    // The post is held: it cannot be removed, nor the department deleted.
    const postId = (await req('km', 'GET', `/api/org/departments/${bureau}`)).json().posts[0].id;
    expect((await req('km', 'DELETE', `/api/org/departments/${bureau}/posts/${postId}`)).statusCode).toBe(409);
    expect((await req('km', 'DELETE', `/api/org/departments/${bureau}`)).statusCode).toBe(409);
  });

  it('refuses a department of another division, and hides the staff member from another prefecture', async () => {
    const panlong = await create('km', { division: '530103', code: 'P09', name: '盘龙区办公室' });
    const other = await req('km', 'PUT', `/api/org/staff/${staffId}/placement`, { departmentId: panlong });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0]).toMatchObject({ pointer: '/body/departmentId', code: 'division' });
    expect((await req('qj', 'PUT', `/api/org/staff/${staffId}/placement`, { departmentId: null })).statusCode).toBe(404);
    expect((await req('qj', 'GET', `/api/org/staff/${staffId}/placement`)).statusCode).toBe(404);
    expect((await t.core.db.selectFrom('account').select('department_id').where('id', '=', staffId).executeTakeFirstOrThrow()).department_id).toBe(bureau);
  });
});
