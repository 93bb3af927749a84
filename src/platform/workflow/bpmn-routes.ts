// BPMN 2.0 import over HTTP: the body is the modeler's XML file itself; the answer is the mapped
// definition with what did not carry over, and (publish=true) the version it was published as.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError, pickLang } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import { getDivision } from '../../core/divisions/service.js';
import { assertMayIn, type WfCaller } from './access.js';
import { publishDefinition, type PublishedDefinition } from './definitions.js';
import { bpmnToDefinition } from './bpmn.js';

const tags = ['流程 workflow'];
const XML_TYPES = ['application/xml', 'text/xml'];
/** Modelers' files with diagrams run to a few hundred KB; 2 MiB leaves room without inviting abuse. */
const BPMN_LIMIT = 2 * 1024 * 1024;
const MANAGE = 'workflow:definition.manage';

function caller(req: FastifyRequest): WfCaller {
  if (!req.principal) throw new AppError('UNAUTHENTICATED');
  return { principal: req.principal, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) };
}

const publishedOut = (d: PublishedDefinition) => ({ id: d.id, key: d.key, version: d.version, division: d.division, status: d.status, publishedBy: d.publishedBy, publishedAt: d.publishedAt.toISOString() });

export const bpmnRoutes = (core: Core) => async (app: FastifyInstance) => {
  // Registered inside this plugin only (no fastify-plugin), so the rest of the API stays JSON-only.
  app.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: BPMN_LIMIT }, (_req, body, done) => done(null, body));

  app.post('/api/workflow/definitions/import-bpmn', {
    config: { permission: MANAGE },
    bodyLimit: BPMN_LIMIT,
    schema: {
      tags,
      summary: '导入 BPMN 2.0 Import a BPMN 2.0 process (Flowable / Camunda modeler export) as a workflow definition',
      description: '请求体为 BPMN 2.0 XML 文件本身（Content-Type: application/xml 或 text/xml，最大 2 MiB）。支持用户任务、排他/并行网关、定时事件；' +
        '其他元素逐一报错，不会被静默丢弃。publish=false（默认）只返回转换结果与警告；publish=true 同时发布为该区划的新版本。映射规则见 src/platform/workflow/README.md。\n\n' +
        'The body is the BPMN XML itself. User tasks, exclusive and parallel gateways and timers map; any other element is refused by id. ' +
        'publish=false (default) only returns the mapped definition and warnings; publish=true also publishes it as a new version for the division.',
      consumes: XML_TYPES,
      querystring: Type.Object({
        key: Type.String({ pattern: '^[a-z][a-z0-9.-]{1,63}$', description: '流程标识 / definition key' }),
        division: Type.String({ format: 'division-code' }),
        publish: Type.Boolean({ default: false }),
      }),
      body: Type.Unsafe<string>({ description: 'BPMN 2.0 XML' }),
      response: {
        '2xx': Type.Object({
          definition: Type.Unknown(),
          warnings: Type.Array(Type.String()),
          published: Type.Optional(Type.Object({ id: Type.String({ format: 'uuid' }), key: Type.String(), version: Type.Integer(), division: Type.String(), status: Type.String(), publishedBy: Type.String(), publishedAt: Type.String() })),
        }),
      },
    },
  }, async (req, reply) => {
    const c = caller(req);
    const { key, division, publish } = req.query as { key: string; division: string; publish: boolean };
    if (typeof req.body !== 'string') {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', { 'zh-CN': '请以 application/xml 或 text/xml 上传 BPMN 文件本身', en: 'Send the BPMN file itself as application/xml or text/xml' });
    }
    // Checked before parsing so a caller outside the division learns nothing from the mapping.
    assertMayIn(c.principal, MANAGE, division);
    if (!(await getDivision(core.db, division))) throw new AppError('DIVISION_NOT_FOUND');
    const { definition, warnings } = await bpmnToDefinition(req.body, { key });
    if (!publish) return { definition, warnings };
    const published = await publishDefinition(core, c, { division, definition });
    reply.code(201);
    return { definition, warnings, published: publishedOut(published) };
  });
};
