// Excel export and import of items over HTTP. The upload is the .xlsx (or CSV) file itself, read
// with org's sheet reader (zip checked before unpacking, size and row limits).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { AppError, pickLang } from '../../../core/http/errors.js';
import { actorOf } from '../../../core/http/auth.js';
import { CSV_TYPE, readSheet, SHEET_LIMITS, SheetError, XLSX_TYPE } from '../../../platform/org/sheet.js';
import { MANAGE, mayManage, type Caller } from './service.js';
import { exportItems, importItems } from './excel.js';

const tags = ['政务服务事项 services catalog'];
const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });

const ImportReport = Type.Object({
  ok: Type.Boolean({ description: '无任何错误（非预检时已全部发布）/ no error (and, unless dryRun, all published)' }),
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  published: Type.Integer({ description: '发布的新版本数（预检时为将发布数）/ new versions (dry run: would be)' }),
  unchanged: Type.Integer({ description: '内容未变、未产生新版本的事项数 / unchanged items' }),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: '表格行号，表头为第 1 行' }), column: Type.String(), code: Type.String(), message: Type.String() })),
  truncated: Type.Optional(Type.Boolean()),
});

export const exportRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.addContentTypeParser([CSV_TYPE, XLSX_TYPE], { parseAs: 'buffer', bodyLimit: SHEET_LIMITS.bytes }, (_req, body, done) => done(null, body));

  app.get('/api/services/items/export', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '导出事项 The items in force in a division as .xlsx (one row per item; the import reads the same layout)',
      querystring: Type.Object({ division: Type.String({ format: 'division-code' }) }),
    },
  }, async (req, reply) => {
    const { division } = req.query as { division: string };
    if (!mayManage(req.principal!, division)) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权管理行政区划 ${division} 的政务服务事项`, en: `You may not manage service items of division ${division}` });
    const file = await exportItems(core, division);
    return reply.type(XLSX_TYPE)
      .header('content-disposition', `attachment; filename="service-items-${division}.xlsx"; filename*=UTF-8''${encodeURIComponent(`政务服务事项-${division}`)}.xlsx`)
      .send(file);
  });

  app.post('/api/services/items/import', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '导入事项 Publish items from .xlsx (or CSV): every row checked first, all or nothing, per-row error report',
      consumes: [XLSX_TYPE, CSV_TYPE],
      querystring: Type.Object({ dryRun: Type.Boolean({ default: false }) }),
      body: Type.Unsafe<Buffer>({ format: 'binary', description: '.xlsx 或 CSV 文件本身 / the file itself' }),
      response: { 200: ImportReport },
    },
  }, async (req) => {
    const c = caller(req);
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const body = req.body;
    if (!Buffer.isBuffer(body) || (type !== CSV_TYPE && type !== XLSX_TYPE)) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { 'zh-CN': `请以 ${XLSX_TYPE} 或 ${CSV_TYPE} 上传文件本身`, en: `Send the file itself as ${XLSX_TYPE} or ${CSV_TYPE}` });
    }
    const fileProblem = (m: { 'zh-CN': string; en: string }) => new AppError('VALIDATION_FAILED', m, [{ pointer: '/body', code: 'file', message: c.lang === 'en' ? m.en : m['zh-CN'] }]);
    if (body.length === 0) throw fileProblem({ 'zh-CN': '文件为空', en: 'The file is empty' });
    let rows;
    try {
      rows = await readSheet(body, type === CSV_TYPE ? 'csv' : 'xlsx');
    } catch (err) {
      if (err instanceof SheetError) throw fileProblem(err.text);
      throw err;
    }
    const report = await importItems(core, c, rows, { dryRun: (req.query as { dryRun: boolean }).dryRun });
    if (!report) throw fileProblem({ 'zh-CN': '文件中没有表头，请使用导出的文件作为模板', en: 'The file has no header row; use an exported file as the template' });
    if (report.ok && report.rows === 0) throw fileProblem({ 'zh-CN': '文件中没有数据行', en: 'The file has no data rows' });
    return report;
  });
};
