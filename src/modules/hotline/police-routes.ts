// 12345 ↔ 110 over HTTP (see police.ts). The 110 platform authenticates with its API key in the
// `X-Api-Key` header; hotline staff use their session.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { pickLang } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import type { Caller } from './access.js';
import { policeFeedback, policeStatus, transferFrom110, transferTo110 } from './police.js';

const tags = ['12345↔110 linkage'];
const Any = Type.Object({}, { additionalProperties: true });
const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });
const key = (req: FastifyRequest) => req.headers['x-api-key'];

export const policeRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.post('/api/hotline/orders/:id/transfer-110', {
    config: { signedIn: true },
    schema: { tags, summary: '转110 {transferType: one-click|three-way|push, policeCaseNo?, note?}', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), body: Any },
  }, async (req) => transferTo110(core, caller(req), (req.params as { id: string }).id, req.body as never));

  app.post('/api/hotline/110/transfers', {
    config: { public: true },
    schema: { tags, summary: '110 转入非警务诉求（X-Api-Key）: an intake plus {transferType, policeCaseNo}; idempotent on policeCaseNo', body: Any },
  }, async (req, reply) => {
    const r = await transferFrom110(core, key(req), req.body as never);
    return reply.code(r.created ? 201 : 200).send(r);
  });

  app.get('/api/hotline/110/transfers/:policeCaseNo', {
    config: { public: true },
    schema: { tags, summary: '110 查询转办进度（X-Api-Key）Progress of an order by its 110 case number', params: Type.Object({ policeCaseNo: Type.String({ maxLength: 40 }) }) },
  }, async (req) => policeStatus(core, key(req), (req.params as { policeCaseNo: string }).policeCaseNo));

  app.post('/api/hotline/110/feedback', {
    config: { public: true },
    schema: { tags, summary: '110 反馈转出工单的处置情况（X-Api-Key）{number, status, policeCaseNo?, note?}', body: Any },
  }, async (req) => policeFeedback(core, key(req), req.body as never));
};
