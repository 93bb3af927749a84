// Knowledge base over HTTP (see kb.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { pickLang } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import type { Caller } from './access.js';
import { chat, orderFromChat } from './chat.js';
import { getKbEntry, KB_KINDS, KB_READ, reviewKbEntry, saveKbEntry, searchKb, suggestKb, type KbInput } from './kb.js';

const tags = ['12345热线知识库 hotline knowledge base'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Any = Type.Object({}, { additionalProperties: true });
const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });
const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

export const kbRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.post('/api/hotline/kb', {
    config: { signedIn: true },
    schema: { tags, summary: `新建知识（进入审核）Create an entry (goes to review); kind: ${KB_KINDS.join('/')}`, body: Any },
  }, async (req, reply) => reply.code(201).send(await saveKbEntry(core, caller(req), req.body as KbInput)));

  app.put('/api/hotline/kb/:id', {
    config: { signedIn: true },
    schema: { tags, summary: '修改知识（重新审核）Revise an entry (back to review)', params: IdParams, body: Any },
  }, async (req) => saveKbEntry(core, caller(req), req.body as KbInput, idOf(req)));

  app.post('/api/hotline/kb/:id/review', {
    config: { signedIn: true },
    schema: { tags, summary: '审核知识 {approve, comment?}', params: IdParams, body: Type.Object({ approve: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 500 })) }) },
  }, async (req) => reviewKbEntry(core, caller(req), idOf(req), req.body as { approve: boolean; comment?: string }));

  app.get('/api/hotline/kb/search', {
    config: { permission: KB_READ },
    schema: { tags, summary: '知识检索（中文，含高亮）Search published entries, with highlights', querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }), limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }), offset: Type.Integer({ minimum: 0, default: 0 }) }) },
  }, async (req) => {
    const q = req.query as { q: string; limit: number; offset: number };
    const r = await searchKb(core, caller(req), q.q, q);
    return { total: r.total, capped: r.capped, items: r.items.map(({ content: _content, ...i }) => i) };
  });

  app.get('/api/hotline/kb/suggest', {
    config: { permission: KB_READ },
    schema: { tags, summary: '边输入边推荐 Suggestions while typing', querystring: Type.Object({ q: Type.String({ maxLength: 200 }) }) },
  }, async (req) => suggestKb(core, caller(req), (req.query as { q: string }).q));

  app.post('/api/hotline/chat', {
    config: { signedIn: true },
    schema: { tags, summary: '智能文本客服 {chatId?, division (first message), message} → answer with sources | clarify | no-answer', body: Any },
  }, async (req) => chat(core, caller(req), req.body as never));

  app.post('/api/hotline/chat/:id/order', {
    config: { permission: 'hotline:order.create' },
    schema: { tags, summary: '自助下单：会话转工单（附对话记录）An order from the conversation', params: IdParams, body: Any },
  }, async (req, reply) => {
    const r = await orderFromChat(core, caller(req), idOf(req), req.body as never);
    return reply.code(r.created ? 201 : 200).send(r);
  });

  app.get('/api/hotline/kb/:id', {
    config: { signedIn: true },
    schema: { tags, summary: '知识详情 One entry', params: IdParams },
  }, async (req) => getKbEntry(core, caller(req), idOf(req)));
};
