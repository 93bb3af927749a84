// 好差评 over HTTP. Thin: schema, access declaration, one service call. Scoping is in the services.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { AppError, pickLang } from '../../../core/http/errors.js';
import { actorOf } from '../../../core/http/auth.js';
import { INDICATORS, INDICATOR_VERSION, LEVELS } from './levels.js';
import { invitationView, myInvitations } from './invitations.js';
import { invitationByToken, rateByStaff, rateByToken, rateInvitation, type Caller, type StaffEntry } from './ratings.js';
import { decideAppeal, getRating, listRectifications } from './rectification.js';
import { publicResults, ratingStats, type GroupBy } from './stats.js';
import { readScopes } from './access.js';
import { AppealDecisionBody, CounterBody, Division, HotlineBody, PublicOut, RatingBody, StatsOut, TokenRatingBody, Uuid } from './schema.js';
import type { RatingInput } from './levels.js';

const tags = ['好差评 ratings'];
const P = '/api/services/ratings';

function caller(req: FastifyRequest): Caller {
  if (!req.principal) throw new AppError('UNAUTHENTICATED');
  return { principal: req.principal, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) };
}
function staff(req: FastifyRequest): Caller {
  const c = caller(req);
  if (!readScopes(c.principal).length) throw new AppError('FORBIDDEN');
  return c;
}

export const ratingsRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get(`${P}/scale`, {
    config: { public: true },
    schema: { tags, summary: '评价等级与指标 The five levels and the online/offline indicator sets' },
  }, async () => ({ version: INDICATOR_VERSION, levels: LEVELS, indicators: INDICATORS }));

  app.get(`${P}/invitations/by-token`, {
    config: { public: true },
    schema: { tags, summary: '短信评价链接 What an SMS link rates (no sign-in; 404 invalid, 409 expired)', querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 400 }) }) },
  }, async (req) => invitationView(await invitationByToken(core, (req.query as { token: string }).token), pickLang(req.headers['accept-language'])));

  app.post(`${P}/by-token`, {
    config: { public: true },
    schema: { tags, summary: '短信链接评价 Rate through an SMS link (once per case, before it expires)', body: TokenRatingBody },
  }, async (req, reply) => {
    const { token, ...input } = req.body as { token: string } & RatingInput;
    reply.code(201);
    return rateByToken(core, actorOf(req), token, input);
  });

  app.get(`${P}/invitations/mine`, {
    config: { signedIn: true },
    schema: { tags, summary: '我的评价邀请 My rating invitations (rated or not)' },
  }, async (req) => ({ items: await myInvitations(core, caller(req).principal, pickLang(req.headers['accept-language'])) }));

  app.post(`${P}/invitations/:id/rating`, {
    config: { signedIn: true },
    schema: { tags, summary: '网上评价 Rate my case on the portal (the applicant or their agent)', params: Type.Object({ id: Uuid }), body: RatingBody },
  }, async (req, reply) => {
    reply.code(201);
    return rateInvitation(core, caller(req), (req.params as { id: string }).id, req.body as RatingInput);
  });

  app.post(`${P}/counter`, {
    config: { permission: 'services:rating.record' },
    schema: { tags, summary: '窗口评价 A window visit rated on the hall tablet (一次一评; with a case number, that case\'s rating)', body: CounterBody },
  }, async (req, reply) => {
    const r = await rateByStaff(core, caller(req), 'counter', req.body as StaffEntry, 'services:rating.record');
    reply.code(r.replayed ? 200 : 201);
    return r.rating;
  });

  app.post(`${P}/hotline`, {
    config: { permission: 'services:rating.record' },
    schema: { tags, summary: '热线评价 A rating taken by a 12345 operator', body: HotlineBody },
  }, async (req, reply) => {
    const c = caller(req);
    // Citizens hold hotline:order.create too (they file work orders); only staff record ratings for others.
    if (c.principal.accountType !== 'staff' && c.principal.kind !== 'staff') throw new AppError('FORBIDDEN', { 'zh-CN': '只有热线工作人员可以登记热线评价', en: 'Only hotline staff record hotline ratings' });
    const r = await rateByStaff(core, c, 'hotline', req.body as StaffEntry, 'services:rating.record');
    reply.code(r.replayed ? 200 : 201);
    return r.rating;
  });

  app.get(`${P}/stats`, {
    config: { signedIn: true },
    schema: {
      tags, summary: '评价统计 Counts per level, satisfaction, rectified and callback rates, within your scope',
      querystring: Type.Object({
        division: Type.Optional(Division), groupBy: Type.Optional(Type.Union([Type.Literal('item'), Type.Literal('department'), Type.Literal('division')])),
        from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })),
      }),
      response: { 200: StatsOut },
    },
  }, async (req) => ratingStats(core, staff(req).principal, req.query as { division?: string; groupBy?: GroupBy; from?: string; to?: string }));

  app.get(`${P}/public`, {
    config: { public: true },
    schema: { tags, summary: '评价结果公开 Public results: aggregates only, no personal data', querystring: Type.Object({ division: Type.Optional(Division) }), response: { 200: PublicOut } },
  }, async (req) => publicResults(core, (req.query as { division?: string }).division));

  app.get(`${P}/rectifications`, {
    config: { signedIn: true },
    schema: {
      tags, summary: '差评整改台账 Rectification items in your scope',
      querystring: Type.Object({
        division: Type.Optional(Division), state: Type.Optional(Type.String({ pattern: '^[a-z_]{1,32}$' })),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, maximum: 100000, default: 0 }),
      }),
    },
  }, async (req) => listRectifications(core, staff(req).principal, req.query as { division?: string; state?: string; limit: number; offset: number }));

  app.get(`${P}/:id`, {
    config: { signedIn: true },
    schema: { tags, summary: '评价详情 One rating (staff in scope; 404 otherwise)', params: Type.Object({ id: Uuid }) },
  }, async (req) => getRating(core, staff(req).principal, (req.params as { id: string }).id));

  app.post(`${P}/:id/appeal-decision`, {
    config: { signedIn: true },
    schema: { tags, summary: '申诉复核决定 Decide an appeal (a department administrator of the division above)', params: Type.Object({ id: Uuid }), body: AppealDecisionBody },
  }, async (req) => decideAppeal(core, staff(req), (req.params as { id: string }).id, req.body as { upheld: boolean; comment: string }));
};
