import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { testApp } from '../../../test/db.js';
import type { Principal } from '../../core/http/auth.js';
import { roleByCode } from '../identity/roles.js';
import { verifyPassword } from '../identity/password.js';
import { revealField } from '../identity/accounts.js';
import { XLSX_TYPE } from './sheet.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;

const ADMIN_PERMS = roleByCode('department_admin')!.permissions;
const KM: Principal = {
  id: 'user:km-admin', name: '昆明市管理员', kind: 'staff', permissions: new Set(ADMIN_PERMS), scopes: ['530100'],
  grants: [{ role: 'department_admin', permissions: new Set(ADMIN_PERMS), division: '530100' }],
};
const QJ: Principal = { ...KM, id: 'user:qj-admin', name: '曲靖市管理员', scopes: ['530300'], grants: [{ role: 'department_admin', permissions: new Set(ADMIN_PERMS), division: '530300' }] };

const csv = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
async function upload(body: Buffer, query: string, opts: { type?: string; who?: string; lang?: string } = {}) {
  return t.app.inject({
    method: 'POST', url: `/api/org/import?${query}`, payload: body,
    headers: { authorization: `Bearer ${opts.who ?? 'km'}`, 'content-type': opts.type ?? 'text/csv', ...(opts.lang ? { 'accept-language': opts.lang } : {}) },
  });
}

const TABLES = ['department', 'account', 'role_assignment', 'org_post', 'audit_log', 'outbox'];
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const tb of TABLES) out[tb] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(tb)}`.execute(t.core.db)).rows[0]!.n;
  return out;
}
const errorKeys = (r: { errors: Array<{ row: number; column: string; code: string }> }) => r.errors.map((e) => `${e.row}|${e.column}|${e.code}`);

const DEPT_HEADER = '区划代码,部门编码,部门名称,上级部门编码';
const STAFF_HEADER = '用户名,姓名,手机号,区划代码,部门编码,职务,角色,初始密码';
const PW = 'Welcome-2026';

beforeAll(async () => {
  t = await testApp();
  t.app.authenticators.push(async (r) => (r.headers.authorization === 'Bearer km' ? KM : r.headers.authorization === 'Bearer qj' ? QJ : null));
  // Qujing has a department coded QJ-01; Kunming's report must not reveal it.
  const qj = await upload(csv([DEPT_HEADER, '530302,QJ-01,麒麟区办公室,']), 'kind=departments', { who: 'qj' });
  expect(qj.json()).toMatchObject({ ok: true, created: 1 });
});
afterAll(() => t.close());

describe('templates', () => {
  it('serves CSV and .xlsx templates with the headers', async () => {
    const c = await t.app.inject({ url: '/api/org/import/template?kind=staff&format=csv', headers: { authorization: 'Bearer km' } });
    expect(c.statusCode).toBe(200);
    expect(c.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(c.headers['content-disposition']).toBe(`attachment; filename="staff-template.csv"; filename*=UTF-8''${encodeURIComponent('人员导入模板')}.csv`);
    expect(c.body).toBe(`\uFEFF${STAFF_HEADER}\r\n`);
    const x = await t.app.inject({ url: '/api/org/import/template?kind=departments', headers: { authorization: 'Bearer km' } });
    expect(x.headers['content-type']).toBe(XLSX_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect((wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(DEPT_HEADER.split(','));
  });
});

describe('department import', () => {
  it('imports a good CSV (BOM, CRLF, quoted fields, children before parents, blank rows) in one go', async () => {
    const before = await counts();
    const r = await upload(csv([
      DEPT_HEADER,
      '530102,WH-02-1,"督查科,一组",WH-02',
      '530102,WH-01,"五华区""政务""服务局",',
      '',
      '530102,WH-02,五华区办公室,',
      '530103,PL-01,盘龙区办公室,',
    ]), 'kind=departments');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ok: true, dryRun: false, kind: 'departments', rows: 4, created: 4, errors: [] });
    const tree = (await t.app.inject({ url: '/api/org/departments?division=530102', headers: { authorization: 'Bearer km' } })).json().items;
    expect(tree.map((d: any) => [d.code, d.name, d.children.map((c: any) => c.name)])).toEqual([
      ['WH-01', '五华区"政务"服务局', []],
      ['WH-02', '五华区办公室', ['督查科,一组']],
    ]);
    const after = await counts();
    expect(after.department - before.department).toBe(4);
    // One audit entry per department and one for the import.
    expect(after.audit_log - before.audit_log).toBe(5);
    const summary = (await sql<{ detail: any }>`SELECT detail FROM audit_log WHERE action = 'org.import' AND actor = 'user:km-admin'`.execute(t.core.db)).rows;
    expect(summary).toEqual([{ detail: { kind: 'departments', divisions: ['530102', '530103'], rows: 4, created: 4 } }]);
  });

  it('a dry run checks and reports but writes nothing', async () => {
    const before = await counts();
    const r = await upload(csv([DEPT_HEADER, '530102,WH-03,五华区信访局,WH-01', '530102,WH-03-1,接访科,WH-03']), 'kind=departments&dryRun=true', { type: 'text/csv; charset=utf-8' });
    expect(r.json()).toEqual({ ok: true, dryRun: true, kind: 'departments', rows: 2, created: 2, errors: [] });
    expect(await counts()).toEqual(before);
  });

  it('reports every bad row and column and writes nothing', async () => {
    const before = await counts();
    const r = await upload(csv([
      DEPT_HEADER,
      '530102,WH-10,正常部门,',           // 2: fine
      '530102,WH-01,已存在,',            // 3: code exists in the database
      '530102,WH-10,重复,',              // 4: duplicate of row 2
      '530302,QJ-01,越权,',              // 5: Qujing: out of scope (and nothing said about QJ-01)
      '539999,X1,不存在的区划,',          // 6: unknown division
      '530102,坏 编码,,',                 // 7: bad code, missing name
      '530102,WH-11,找不到上级,NOPE',      // 8: unknown parent
      '530102,WH-12,循环甲,WH-13',         // 9: cycle with 10
      '530102,WH-13,循环乙,WH-12',         // 10
      '530102,WH-14,自己,WH-14',          // 11: own parent
      '530103,PL-02,跨区上级,WH-01',       // 12: parent of another division
    ]), 'kind=departments');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ ok: false, dryRun: false, rows: 11, created: 0 });
    expect(errorKeys(body)).toEqual([
      '3|部门编码|exists',
      '4|部门编码|duplicate',
      '5|区划代码|out-of-scope',
      '6|区划代码|unknown',
      '7|部门编码|pattern',
      '7|部门名称|required',
      '8|上级部门编码|unknown',
      '9|上级部门编码|cycle',
      '10|上级部门编码|cycle',
      '11|上级部门编码|cycle',
      '12|上级部门编码|unknown',
    ]);
    expect(body.errors[1].message).toBe('与第 2 行的部门编码重复');
    expect(body.errors[2].message).toBe('您无权操作行政区划 530302 的数据');
    expect(await counts()).toEqual(before);
  });

  it('answers in English on request', async () => {
    const r = await upload(csv([DEPT_HEADER, '530102,WH-01,x,']), 'kind=departments', { lang: 'en' });
    expect(r.json().errors).toEqual([{ row: 2, column: '部门编码', code: 'exists', message: 'Department code WH-01 already exists in this division' }]);
  });

  it('reports missing or repeated header columns on row 1', async () => {
    const r = await upload(csv(['区划代码,部门编码,部门编码', '530102,A,B']), 'kind=departments');
    expect(errorKeys(r.json())).toEqual(['1|部门编码|duplicate-column', '1|部门名称|missing-column']);
  });

  it('rolls everything back when the database fails mid-way', async () => {
    await sql.raw(`CREATE FUNCTION org_test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.code = 'BOOM' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER org_test_boom BEFORE INSERT ON department FOR EACH ROW EXECUTE FUNCTION org_test_boom();`).execute(t.core.db);
    try {
      const before = await counts();
      const r = await upload(csv([DEPT_HEADER, '530102,WH-20,甲,', '530102,WH-21,乙,WH-20', '530102,BOOM,丙,WH-21', '530102,WH-22,丁,']), 'kind=departments');
      expect(r.statusCode).toBe(500);
      expect(await counts()).toEqual(before);
    } finally {
      await sql.raw('DROP TRIGGER org_test_boom ON department; DROP FUNCTION org_test_boom();').execute(t.core.db);
    }
  });
});

describe('staff import', () => {
  async function staffXlsx(rows: unknown[][]): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(STAFF_HEADER.split(','));
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('imports a good .xlsx: accounts placed with posts (added to the department), roles scoped to the division', async () => {
    const before = await counts();
    const file = await staffXlsx([
      ['zhang.san', '张三', 13912345678, 530102, 'WH-01', '科长', 'window_clerk, approver', PW],
      ['li.si', '李四', null, '530102', null, null, null, PW],
      ['wang.wu', '王五', '139 1234 5679', '530102', 'WH-01', '科员', 'department_admin', PW],
    ]);
    const r = await upload(file, 'kind=staff', { type: XLSX_TYPE });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ ok: true, dryRun: false, kind: 'staff', rows: 3, created: 3, postsCreated: 2, errors: [] });
    const wh01 = (await t.core.db.selectFrom('department').select('id').where('division', '=', '530102').where('code', '=', 'WH-01').executeTakeFirstOrThrow()).id;
    const zhang = await t.core.db.selectFrom('account').selectAll().where('username', '=', 'zhang.san').executeTakeFirstOrThrow();
    expect(zhang).toMatchObject({ type: 'staff', name: '张三', division: '530102', department_id: wh01, post: '科长', mobile_masked: '139****5678' });
    expect(revealField(t.core, zhang.mobile_enc, 'mobile')).toBe('13912345678');
    expect(await verifyPassword(zhang.password_hash, PW)).toBe(true);
    const roles = await t.core.db.selectFrom('role_assignment').select(['role_code', 'division', 'granted_by']).where('account_id', '=', zhang.id).orderBy('role_code').execute();
    expect(roles).toEqual([
      { role_code: 'approver', division: '530102', granted_by: 'user:km-admin' },
      { role_code: 'window_clerk', division: '530102', granted_by: 'user:km-admin' },
    ]);
    expect((await t.core.db.selectFrom('account').select(['department_id', 'post']).where('username', '=', 'li.si').executeTakeFirstOrThrow())).toEqual({ department_id: null, post: null });
    const posts = await t.core.db.selectFrom('org_post').select('name').where('department_id', '=', wh01).orderBy('name').execute();
    expect(posts.map((p) => p.name).sort()).toEqual(['科员', '科长'].sort());
    const after = await counts();
    expect(after.account - before.account).toBe(3);
    expect(after.role_assignment - before.role_assignment).toBe(3);
    const staff = (await t.app.inject({ url: `/api/org/departments/${wh01}/staff`, headers: { authorization: 'Bearer km' } })).json().items;
    expect(staff.map((s: any) => [s.username, s.post]).sort()).toEqual([['wang.wu', '科员'], ['zhang.san', '科长']]);
  });

  it('reports each bad row and column of a staff sheet and writes nothing (nor on a dry run)', async () => {
    const before = await counts();
    const file = csv([
      STAFF_HEADER,
      `ok.one,好人,13812345678,530102,WH-01,科长,window_clerk,${PW}`,      // 2: fine
      `zhang.san,重名,12345,530102,,,,${PW}`,                              // 3: username taken; bad mobile
      `OK.one,重复,,530302,,,,${PW}`,                                       // 4: duplicate username; out of scope
      'new.one,新人,,539999,,,,short',                                     // 5: unknown division; weak password
      `new.two,新人二,,530102,,科长,"nope,system_admin,auditor",${PW}`,      // 6: unknown role; not grantable ×2; post without department
      `new.three,,,530102,NOPE,,,`,                                         // 7: no name; unknown department; no password
    ]);
    for (const dry of [false, true]) {
      const r = await upload(file, `kind=staff&dryRun=${dry}`);
      expect(r.statusCode).toBe(200);
      const body = r.json();
      expect(body).toMatchObject({ ok: false, dryRun: dry, rows: 6, created: 0 });
      expect(errorKeys(body)).toEqual([
        '3|用户名|taken',
        '3|手机号|format',
        '4|用户名|duplicate',
        '4|区划代码|out-of-scope',
        '5|区划代码|unknown',
        '5|初始密码|policy',
        '6|职务|department',
        '6|角色|unknown',
        '6|角色|not-grantable',
        '6|角色|not-grantable',
        '7|姓名|required',
        '7|部门编码|unknown',
        '7|初始密码|required',
      ]);
      expect(body.errors.find((e: any) => e.row === 3 && e.column === '手机号').message).toBe('手机号码应为11位数字');
      // The password itself never appears in the report.
      expect(r.body).not.toContain('short');
      expect(await counts()).toEqual(before);
    }
  });

  it('a good staff dry run reports what would be created and writes nothing', async () => {
    const before = await counts();
    const r = await upload(csv([STAFF_HEADER, `dry.one,预检,,530102,WH-02,主任,,${PW}`]), 'kind=staff&dryRun=true');
    expect(r.json()).toEqual({ ok: true, dryRun: true, kind: 'staff', rows: 1, created: 1, postsCreated: 1, errors: [] });
    expect(await counts()).toEqual(before);
  });
});

describe('upload handling', () => {
  it('refuses other content types, unreadable files, empty files and oversize uploads', async () => {
    const json = await t.app.inject({ method: 'POST', url: '/api/org/import?kind=departments', headers: { authorization: 'Bearer km' }, payload: { rows: [] } });
    expect(json.statusCode).toBe(415);
    const notXlsx = await upload(Buffer.from('not a zip'), 'kind=departments', { type: XLSX_TYPE });
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().errors[0]).toMatchObject({ pointer: '/body', code: 'file' });
    const quote = await upload(Buffer.from(`${DEPT_HEADER}\n530102,"A,x,\n`), 'kind=departments');
    expect(quote.statusCode).toBe(400);
    expect(quote.json().detail).toBe('第 2 行的引号没有闭合');
    expect((await upload(csv([DEPT_HEADER]), 'kind=departments')).json().detail).toBe('文件中没有数据行');
    expect((await upload(Buffer.alloc(6 * 1024 * 1024, 0x41), 'kind=departments')).statusCode).toBe(413);
    expect((await upload(csv([DEPT_HEADER, '530102,A,B,']), 'kind=people')).statusCode).toBe(400);
  });
});
