// Files over HTTP: upload the raw bytes (no multipart), download with the owner's permission.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError, pickLang } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import { contentDisposition, decodeHeaderName } from './names.js';
import { DEFAULT_ACCEPT, parseAccept } from './types.js';
import { t, UPLOAD, type Caller, type FileInfo } from './runtime.js';
import { uploadFile, UNATTACHED_LIMIT } from './upload.js';
import { openFile } from './download.js';

const tags = ['文件 files'];
const FileView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String({ description: '清理后的文件名 / sanitised name' }),
  size: Type.Integer(),
  mime: Type.String({ description: '按内容识别的类型 / type sniffed from the content' }),
  digest: Type.String({ description: 'sm3:<hex> 或 sha256:<hex>' }),
  status: Type.String({ enum: ['pending-scan', 'clean', 'infected'] }),
  division: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
/** Types a browser may show in place; everything else is always a download. */
const INLINE = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/gif', 'image/webp']);

const view = (f: FileInfo) => ({ id: f.id, name: f.name, size: f.size, mime: f.mime, digest: f.digest, status: f.status, division: f.division, createdAt: f.createdAt });
const callerOf = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });
const EMPTY: AsyncIterable<Uint8Array> = { async *[Symbol.asyncIterator]() {} };

export const filesRoutes = (core: Core) => async (app: FastifyInstance) => {
  // In this plugin's scope every request body stays an unread stream, whatever its Content-Type,
  // for uploadFile to consume chunk by chunk (BODY_LIMIT does not apply; FILE_MAX_BYTES does).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  const limitMib = +(core.config.fileMaxBytes / 1024 / 1024).toFixed(1);
  const uploadSchema = {
    tags,
    summary: '上传文件 Upload one file: the request body is the file itself',
    description:
      `请求体即文件内容（不用 multipart），文件名放在 x-file-name 请求头（URL 编码的 UTF-8）或 name 参数中。最大 ${limitMib} MiB；类型按内容识别，须与扩展名一致；` +
      `可执行文件和脚本一律拒收。accept 为逗号分隔的类型列表（如 application/pdf,image/*,.ofd），默认：${DEFAULT_ACCEPT.join(', ')}。` +
      `24 小时内未使用的上传最多 ${UNATTACHED_LIMIT} 个。\n\n` +
      `The body is the file (no multipart); the name goes in the x-file-name header (URL-encoded UTF-8) or the name parameter. At most ${limitMib} MiB ` +
      '(maxBytes may lower it). The type is sniffed from the content and must match the extension; executables and scripts are always refused. ' +
      '413 FILE_TOO_LARGE, 415 FILE_TYPE_REFUSED, 422 FILE_REJECTED (virus), 429 when too many uploads are unused.',
    consumes: ['application/octet-stream', '*/*'],
    headers: Type.Object({ 'x-file-name': Type.Optional(Type.String({ maxLength: 2000, description: 'URL 编码的文件名 / URL-encoded file name' })) }),
    querystring: Type.Object({
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: '文件名（无 x-file-name 时）/ file name when there is no x-file-name header' })),
      accept: Type.Optional(Type.String({ maxLength: 2000, description: '可接受的类型 / accepted types, e.g. application/pdf,image/jpeg' })),
      maxBytes: Type.Optional(Type.Integer({ minimum: 1, description: '本次上传的大小上限（不超过系统上限）/ size limit for this upload (never above FILE_MAX_BYTES)' })),
      division: Type.Optional(Type.String({ format: 'division-code', description: '归属区划，默认为上传人的区划 / division, default the uploader\'s' })),
    }),
    body: Type.Unsafe<unknown>({ format: 'binary', description: '文件内容 / the file' }),
    response: { 201: FileView },
  };

  const upload = async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = callerOf(req);
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    if (type.startsWith('multipart/')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { 'zh-CN': '请直接以请求体上传文件本身，不要使用 multipart 表单', en: 'Send the file itself as the body, not a multipart form' });
    }
    const q = req.query as { name?: string; accept?: string; maxBytes?: number; division?: string };
    const header = req.headers['x-file-name'];
    let name = q.name ?? '';
    if (typeof header === 'string' && header.trim() !== '') {
      const decoded = decodeHeaderName(header);
      if (decoded === null) {
        const m = { 'zh-CN': 'x-file-name 须为 URL 编码的 UTF-8 文件名', en: 'x-file-name must be a URL-encoded UTF-8 file name' };
        throw new AppError('VALIDATION_FAILED', m, [{ pointer: '/headers/x-file-name', code: 'encoding', message: t(caller.lang, m) }]);
      }
      name = decoded;
    }
    let accept: string[] | undefined;
    if (q.accept !== undefined) {
      const parsed = parseAccept(q.accept);
      if (!parsed) {
        const m = { 'zh-CN': 'accept 须为逗号分隔的类型，如 application/pdf,image/*,.ofd（最多 50 项）', en: 'accept must list types separated by commas, e.g. application/pdf,image/*,.ofd (at most 50)' };
        throw new AppError('VALIDATION_FAILED', m, [{ pointer: '/query/accept', code: 'format', message: t(caller.lang, m) }]);
      }
      accept = parsed;
    }
    const length = Number(req.headers['content-length']);
    try {
      const file = await uploadFile(core, caller, (req.body as AsyncIterable<Uint8Array> | undefined) ?? EMPTY,
        { name, division: q.division, declaredSize: Number.isFinite(length) ? length : null },
        { accept, maxBytes: q.maxBytes });
      return reply.code(201).header('location', `/api/files/${file.id}`).send(view(file));
    } catch (err) {
      // Refused before the body was read to the end (too large, no permission here, quota): close
      // the connection rather than let the server read and discard whatever the client still sends.
      if (!req.raw.readableEnded) reply.header('connection', 'close');
      throw err;
    }
  };
  app.post('/api/files', { config: { permission: UPLOAD }, schema: uploadSchema }, upload);
  app.put('/api/files', { config: { permission: UPLOAD }, schema: { ...uploadSchema, summary: '上传文件（同 POST）Upload one file (same as POST)' } }, upload);

  app.get('/api/files/:id', {
    // Signed-in people only; whether this person may read this file is decided per file.
    config: { public: true },
    schema: {
      tags,
      summary: '下载文件 Download a file (the uploader until it is attached; then whoever the owning case allows)',
      description: '无权访问与不存在一样返回 404。ETag 为内容摘要。/ Files you may not read answer 404, like missing ones. The ETag is the content digest.',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      querystring: Type.Object({ disposition: Type.String({ enum: ['attachment', 'inline'], default: 'attachment', description: 'inline 仅对 PDF 和图片有效 / inline only for PDFs and images' }) }),
    },
  }, async (req, reply) => {
    if (!req.principal) throw new AppError('UNAUTHENTICATED');
    const { id } = req.params as { id: string };
    const { disposition } = req.query as { disposition: 'attachment' | 'inline' };
    const { file, stream } = await openFile(core, req.principal, id, { actor: actorOf(req) });
    const kind = disposition === 'inline' && INLINE.has(file.mime) ? 'inline' : 'attachment';
    return reply
      .header('content-type', file.mime.startsWith('text/') ? `${file.mime}; charset=utf-8` : file.mime)
      .header('content-length', String(file.size))
      .header('content-disposition', contentDisposition(kind, file.name))
      .header('x-content-type-options', 'nosniff')
      .header('etag', `"${file.digest}"`)
      .header('cache-control', 'private, no-cache')
      .send(stream);
  });
};
