// Work orders over HTTP. Thin: schema, permission, one service call. Bodies are loosely typed on
// purpose: the services validate meaning and report every bad field at once.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { pickLang } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import { assertMayIn, CREATE, DISPATCH, orderNotFound, READ, type Caller } from './access.js';
import { categories, CHANNELS, DEMAND_TYPES, REFUSAL_REASONS, RETURN_REASONS } from './catalog.js';
import { createOrder, type IntakeInput } from './intake.js';
import { orderView } from './views.js';
import { listOrders } from './list.js';
import { setTimeLimit } from './time-limits.js';
import * as life from './lifecycle.js';
import { addCoHandlers, coHandlerReply, merge } from './coordination.js';
import { CLIENT_MANAGE, registerClient } from './clients.js';
import { hotlineStats, HotlineStatsOut } from './stats.js';
import { revealCallerPhone } from './reveal.js';
import { dispatchAccuracy, setDispatchRule, suggestUnits } from './dispatch-suggest.js';

const tags = ['12345热线 hotline'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Any = Type.Object({}, { additionalProperties: true });
const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });
const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const body = <T>(req: FastifyRequest) => (req.body ?? {}) as T;

export const orderRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/hotline/vocabulary', {
    config: { signedIn: true },
    schema: { tags, summary: '渠道、诉求类型、不予受理与退单理由 Channels, demand types, refusal and return reasons' },
  }, async () => ({ channels: CHANNELS, demandTypes: DEMAND_TYPES, refusalReasons: REFUSAL_REASONS, returnReasons: RETURN_REASONS }));

  app.get('/api/hotline/categories', {
    config: { signedIn: true },
    schema: { tags, summary: '诉求分类树（扁平，含上级编码与完整路径）The category tree, flat with parent codes and paths' },
  }, async () => ({ items: [...(await categories()).values()] }));

  app.post('/api/hotline/orders', {
    config: { permission: CREATE },
    schema: { tags, summary: '登记工单（受理或不予受理）Register a work order; header Idempotency-Key makes a retry safe', body: Any },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const r = await createOrder(core, caller(req), body<IntakeInput>(req), typeof key === 'string' && key ? key.slice(0, 100) : undefined);
    return reply.code(r.created ? 201 : 200).send(r);
  });

  app.get('/api/hotline/orders', {
    config: { signedIn: true },
    schema: {
      tags, summary: '工单列表：热线视图、承办单位收件箱、我的诉求 Orders: the hotline view, the unit inbox, or my own requests',
      querystring: Type.Object({ view: Type.Union([Type.Literal('hotline'), Type.Literal('unit'), Type.Literal('mine')], { default: 'hotline' }), status: Type.Optional(Type.String()), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
    },
  }, async (req) => listOrders(core, caller(req), req.query as never));

  app.get('/api/hotline/orders/:id', {
    config: { signedIn: true },
    schema: { tags, summary: '工单详情（来电人信息脱敏；匿名时对承办单位隐藏）One order', params: IdParams },
  }, async (req) => (await orderView(core, req.principal!, idOf(req))) ?? Promise.reject(orderNotFound()));

  const step = (path: string, summary: string, run: (c: Caller, id: string, b: never) => Promise<unknown>) =>
    app.post(`/api/hotline/orders/:id/${path}`, { config: { signedIn: true }, schema: { tags, summary, params: IdParams } }, async (req) => run(caller(req), idOf(req), body<never>(req)));

  step('answer', '即时办结（知识库直接答复）Answer at once {reply}', (c, id, b) => life.answerAtOnce(core, c, id, b));
  step('dispatch', '派单 {departmentId, comment?}', (c, id, b) => life.dispatch(core, c, id, b));
  step('sign', '签收（承办单位）Sign for', (c, id) => life.signFor(core, c, id));
  step('return', '退单 {reasonCode, legalBasis, note?}', (c, id, b) => life.returnOrder(core, c, id, b));
  step('return-decision', '退单审定 {decision: redispatch|overrule, departmentId?, comment?}', (c, id, b) => life.decideReturn(core, c, id, b));
  step('extension', '申请延期（期限届满前）{workingDays, reason, legalBasis}', (c, id, b) => life.requestExtension(core, c, id, b));
  step('extension-decision', '延期审批 {approve, comment?}', (c, id, b) => life.decideExtension(core, c, id, b));
  step('reply', '答复（首办单位）{reply}', (c, id, b) => life.reply(core, c, id, b));
  step('review', '热线审核答复 {approve, comment?}', (c, id, b) => life.review(core, c, id, b));
  step('callback', '回访 {satisfaction, unitAtFault?, comment?}', (c, id, b) => life.callback(core, c, id, b));
  step('merge', '合并重复工单 {into}', (c, id, b) => merge(core, c, id, b));
  step('co-handlers', '首办单位邀请协办单位 {departmentIds}', (c, id, b) => addCoHandlers(core, c, id, b));
  step('co-reply', '协办单位反馈 {reply}', (c, id, b) => coHandlerReply(core, c, id, b));

  app.post('/api/hotline/orders/:id/reveal-phone', {
    config: { permission: READ },
    schema: { tags, summary: '查看来电人完整号码（须说明事由，留痕审计）Reveal the caller\'s full number {reason}; audited', params: IdParams, body: Any },
  }, async (req) => revealCallerPhone(core, caller(req), idOf(req), body(req)));

  app.post('/api/hotline/clients', {
    config: { permission: CLIENT_MANAGE },
    schema: { tags, summary: '登记接入系统并签发 API key（只显示一次）Register a client system (open311 | police-110); the key is shown once', body: Any },
  }, async (req, reply) => reply.code(201).send(await registerClient(core, caller(req), body(req))));

  app.get('/api/hotline/stats', {
    config: { permission: READ },
    schema: {
      tags, summary: '一网统管指标：工单量、按时办结率、响应时长、满意率、每日序列、热词、下级区划 Figures for a division subtree and period (Beijing dates, inclusive; default the last 30 days, at most 366)',
      querystring: Type.Object({
        division: Type.String({ maxLength: 12, description: '行政区划代码' }),
        from: Type.Optional(Type.String({ maxLength: 10, description: '开始日期 YYYY-MM-DD（北京时间，含）' })), to: Type.Optional(Type.String({ maxLength: 10, description: '结束日期 YYYY-MM-DD（北京时间，含）' })),
      }),
      response: { 200: HotlineStatsOut },
    },
  }, async (req) => hotlineStats(core, caller(req), req.query as never));

  app.get('/api/hotline/orders/:id/dispatch-suggestions', {
    config: { permission: DISPATCH },
    schema: { tags, summary: '派单建议：规则优先，其次朴素贝叶斯模型 Suggested units: rules first, then the naive-Bayes model', params: IdParams },
  }, async (req) => suggestUnits(core, caller(req), idOf(req)));

  app.get('/api/hotline/dispatch-model/accuracy', {
    config: { permission: DISPATCH },
    schema: { tags, summary: '派单模型留出集准确率 Held-out accuracy of the dispatch model (top-1, top-3)', querystring: Type.Object({ division: Type.String({ pattern: '^\\d{6}$' }) }) },
  }, async (req) => {
    const { division } = req.query as { division: string };
    assertMayIn(req.principal!, DISPATCH, division);
    return dispatchAccuracy(core, division);
  });

  app.put('/api/hotline/dispatch-rules', {
    config: { permission: 'hotline:config.manage' },
    schema: { tags, summary: '派单规则：分类前缀 → 承办单位 Dispatch rule: category prefix → unit', body: Any },
  }, async (req) => setDispatchRule(core, caller(req), body(req)));

  app.put('/api/hotline/time-limits', {
    config: { permission: 'hotline:config.manage' },
    schema: { tags, summary: '设置本区划的办理时限 Set a division\'s time limit for a demand type', body: Any },
  }, async (req) => setTimeLimit(core, caller(req), body(req)));
};
