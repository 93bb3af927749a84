// Org directory over HTTP: department trees, posts, staff placement, bulk import and templates.
// Every route is division-scoped (see access.ts); ids the caller cannot see answer 404.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError, pickLang } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import { MANAGE, READ, t, type Caller } from './access.js';
import { createDepartment, createPost, deleteDepartment, deletePost, departmentDetail, departmentTree, updateDepartment } from './departments.js';
import { departmentStaff, getPlacement, placeStaff } from './placement.js';
import { importSheet } from './import.js';
import { CSV_TYPE, csvTemplate, readSheet, SHEET_LIMITS, SheetError, TEMPLATE_NAMES, XLSX_TYPE, xlsxTemplate } from './sheet.js';
import type { ImportKind } from './columns.js';

const tags = ['组织机构 org'];
const Uuid = Type.String({ format: 'uuid' });
const NullableUuid = Type.Union([Uuid, Type.Null()]);

const Post = Type.Object({ id: Uuid, name: Type.String() });
const departmentFields = {
  id: Uuid,
  division: Type.String(),
  code: Type.String(),
  name: Type.String(),
  parentId: NullableUuid,
  posts: Type.Array(Post),
  staffCount: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
};
const Department = Type.Object(departmentFields);
const DepartmentNode = Type.Object({ ...departmentFields, children: Type.Array(Type.Unknown(), { description: '下级部门，结构与本节点相同 / sub-departments, same shape as this node' }) });
const DepartmentDetail = Type.Object({ ...departmentFields, path: Type.Array(Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }), { description: '从根部门到上级部门 / ancestors, root first' }) });
const Staff = Type.Object({
  id: Uuid, username: Type.String(), name: Type.String(), status: Type.String(), division: Type.String(),
  mobile: Type.Union([Type.String(), Type.Null()], { description: '脱敏手机号 / masked' }), departmentId: NullableUuid, post: Type.Union([Type.String(), Type.Null()]),
});
const Placement = Type.Object({
  accountId: Uuid, division: Type.String(),
  department: Type.Union([Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }), Type.Null()]),
  post: Type.Union([Type.String(), Type.Null()]),
});
const ImportReport = Type.Object({
  ok: Type.Boolean({ description: '文件无任何错误（非预检时已全部写入）/ no error (and, unless dryRun, all written)' }),
  dryRun: Type.Boolean(),
  kind: Type.String({ enum: ['departments', 'staff'] }),
  rows: Type.Integer({ description: '数据行数（不含表头和空行）/ data rows' }),
  created: Type.Integer({ description: '已创建（预检时为将创建）的部门或账号数 / created (dry run: would be created)' }),
  postsCreated: Type.Optional(Type.Integer()),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: '表格中的行号，表头为第 1 行 / spreadsheet row, header = 1' }), column: Type.String(), code: Type.String(), message: Type.String() })),
  truncated: Type.Optional(Type.Boolean()),
});
const IdParams = Type.Object({ id: Uuid });
const Kind = Type.String({ enum: ['departments', 'staff'] });

const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });

export const orgRoutes = (core: Core) => async (app: FastifyInstance) => {
  // Raw uploads for /api/org/import, in this plugin's scope only.
  app.addContentTypeParser([CSV_TYPE, XLSX_TYPE], { parseAs: 'buffer', bodyLimit: SHEET_LIMITS.bytes }, (_req, body, done) => done(null, body));

  app.get('/api/org/departments', {
    config: { permission: READ },
    schema: {
      tags, summary: '部门树 Department tree of one division (nested; that division only, not its subdivisions)',
      querystring: Type.Object({ division: Type.String({ format: 'division-code' }) }),
      response: { 200: Type.Object({ division: Type.String(), items: Type.Array(DepartmentNode) }) },
    },
  }, async (req) => departmentTree(core, caller(req), (req.query as { division: string }).division));

  app.post('/api/org/departments', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '新建部门 Create a department (code unique within its division; parent in the same division)',
      body: Type.Object({
        division: Type.String({ format: 'division-code' }),
        code: Type.String({ minLength: 1, maxLength: 64 }),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        parentId: Type.Optional(NullableUuid),
      }, { additionalProperties: false }),
      response: { 201: Department },
    },
  }, async (req, reply) => reply.code(201).send(await createDepartment(core, caller(req), req.body as { division: string; code: string; name: string; parentId?: string | null })));

  app.get('/api/org/departments/:id', {
    config: { permission: READ },
    schema: { tags, summary: '部门详情 One department with its posts and ancestors', params: IdParams, response: { 200: DepartmentDetail } },
  }, async (req) => departmentDetail(core, caller(req), (req.params as { id: string }).id));

  app.patch('/api/org/departments/:id', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '修改部门 Rename, re-code or move a department (parentId null = top level; never under itself or a descendant)',
      params: IdParams,
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        parentId: Type.Optional(NullableUuid),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Department },
    },
  }, async (req) => updateDepartment(core, caller(req), (req.params as { id: string }).id, req.body as { name?: string; code?: string; parentId?: string | null }));

  app.delete('/api/org/departments/:id', {
    config: { permission: MANAGE },
    schema: { tags, summary: '删除部门 Delete an empty department (no sub-departments, staff or role assignments)', params: IdParams },
  }, async (req, reply) => {
    await deleteDepartment(core, caller(req), (req.params as { id: string }).id);
    return reply.code(204).send();
  });

  app.get('/api/org/departments/:id/staff', {
    config: { permission: READ },
    schema: { tags, summary: '部门人员 Staff placed in a department', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Staff) }) } },
  }, async (req) => ({ items: await departmentStaff(core, caller(req), (req.params as { id: string }).id) }));

  app.post('/api/org/departments/:id/posts', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '新增职务 Add a post (e.g. 科长) to a department',
      params: IdParams,
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
      response: { 201: Post },
    },
  }, async (req, reply) => reply.code(201).send(await createPost(core, caller(req), (req.params as { id: string }).id, (req.body as { name: string }).name)));

  app.delete('/api/org/departments/:id/posts/:postId', {
    config: { permission: MANAGE },
    schema: { tags, summary: '删除职务 Remove a post nobody holds', params: Type.Object({ id: Uuid, postId: Uuid }) },
  }, async (req, reply) => {
    const { id, postId } = req.params as { id: string; postId: string };
    await deletePost(core, caller(req), id, postId);
    return reply.code(204).send();
  });

  const AccountParams = Type.Object({ accountId: Uuid });

  app.get('/api/org/staff/:accountId/placement', {
    config: { permission: READ },
    schema: { tags, summary: '人员岗位 Department and post of a staff account', params: AccountParams, response: { 200: Placement } },
  }, async (req) => getPlacement(core, caller(req), (req.params as { accountId: string }).accountId));

  app.put('/api/org/staff/:accountId/placement', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '人员调配 Place (or move) a staff account into a department of its division with a post defined there',
      params: AccountParams,
      body: Type.Object({
        departmentId: NullableUuid,
        post: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
      }, { additionalProperties: false }),
      response: { 200: Placement },
    },
  }, async (req) => placeStaff(core, caller(req), (req.params as { accountId: string }).accountId, req.body as { departmentId: string | null; post?: string | null }));

  app.post('/api/org/import', {
    config: { permission: MANAGE },
    schema: {
      tags,
      summary: '批量导入 Bulk import of departments or staff from CSV or .xlsx, all rows or none',
      description: `请求体为文件本身（Content-Type: ${CSV_TYPE} 或 ${XLSX_TYPE}，最大 ${SHEET_LIMITS.bytes / 1024 / 1024} MiB，最多 ${SHEET_LIMITS.rows} 行）。` +
        '先校验每一行；任何一行有错误时不写入任何数据，返回逐行错误报告（ok=false）。dryRun=true 只校验不写入。\n\n' +
        'The body is the file itself. Every row is checked first; if any row has an error nothing is written and the report lists each bad row and column (ok=false). dryRun=true only checks.',
      consumes: [CSV_TYPE, XLSX_TYPE],
      querystring: Type.Object({ kind: Kind, dryRun: Type.Boolean({ default: false }) }),
      body: Type.Unsafe<Buffer>({ format: 'binary', description: 'CSV（UTF-8/GBK）或 .xlsx 文件 / the CSV or .xlsx file' }),
      response: { 200: ImportReport },
    },
  }, async (req) => {
    const c = caller(req);
    const { kind, dryRun } = req.query as { kind: ImportKind; dryRun: boolean };
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const body = req.body;
    if (!Buffer.isBuffer(body) || (type !== CSV_TYPE && type !== XLSX_TYPE)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { 'zh-CN': `请以 ${CSV_TYPE} 或 ${XLSX_TYPE} 上传文件本身`, en: `Send the file itself as ${CSV_TYPE} or ${XLSX_TYPE}` });
    }
    const fileProblem = (m: { 'zh-CN': string; en: string }) => new AppError('VALIDATION_FAILED', m, [{ pointer: '/body', code: 'file', message: t(c.lang, m) }]);
    if (body.length === 0) throw fileProblem({ 'zh-CN': '文件为空', en: 'The file is empty' });
    let rows;
    try {
      rows = await readSheet(body, type === CSV_TYPE ? 'csv' : 'xlsx');
    } catch (err) {
      if (err instanceof SheetError) throw fileProblem(err.text);
      throw err;
    }
    const report = await importSheet(core, c, kind, rows, { dryRun });
    if (!report) throw fileProblem({ 'zh-CN': '文件中没有表头，请使用导入模板', en: 'The file has no header row; use the template' });
    if (report.ok && report.rows === 0) throw fileProblem({ 'zh-CN': '文件中没有数据行', en: 'The file has no data rows' });
    return report;
  });

  app.get('/api/org/import/template', {
    config: { permission: READ },
    schema: {
      tags, summary: '导入模板 Template for the bulk import (header row; the .xlsx has a 填写说明 sheet)',
      querystring: Type.Object({ kind: Kind, format: Type.String({ enum: ['xlsx', 'csv'], default: 'xlsx' }) }),
    },
  }, async (req, reply) => {
    const { kind, format } = req.query as { kind: ImportKind; format: 'xlsx' | 'csv' };
    const names = TEMPLATE_NAMES[kind];
    const file = format === 'csv' ? csvTemplate(kind) : await xlsxTemplate(kind);
    return reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
      .header('content-disposition', `attachment; filename="${names.en}.${format}"; filename*=UTF-8''${encodeURIComponent(names.zh)}.${format}`)
      .send(file);
  });
};
