// 免申即享 over HTTP: thin handlers, one service call each.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { callerOf, MANAGE } from './access.js';
import { currentPolicies, currentPolicy, policyNotFound, POLICY_KEY, type PolicyInput } from './policies.js';
import { checkPolicy, decideGrant, listGrants, myGrants, type GrantQuery } from './grants.js';
import { publishBenefitPolicy, requestScan } from './service.js';

const tags = ['免申即享 benefits'];
const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Policy = Type.Object({
  id: Type.String({ format: 'uuid' }), key: Type.String(), version: Type.Integer(), division: Type.String(), status: Type.String(),
  title: Localized, description: Localized, department: Type.String(), legalBasis: Type.String(),
  period: Type.String({ enum: ['month', 'year', 'once'], description: '发放周期 / how often it is offered' }), amount: Localized,
  acceptDays: Type.Integer({ description: '确认期限（天）/ days an offer stays open' }),
  rules: Type.Record(Type.String(), Type.Unknown(), { description: '{ruleSet} 或 {rules, facts} / a rules-engine key or inline rules' }),
  createdBy: Type.String(), createdAt: Type.String({ format: 'date-time' }),
});
const Grant = Type.Object({
  id: Type.String({ format: 'uuid' }), policyKey: Type.String(), policyVersion: Type.Integer(), title: Localized, period: Type.String(),
  status: Type.String({ enum: ['offered', 'accepted', 'declined', 'expired'] }), amount: Localized, division: Type.String(),
  subject: Type.String({ description: '身份证号（脱敏）/ masked ID number' }), name: Type.String({ description: '姓名（脱敏）/ masked name' }),
  evidence: Type.Record(Type.String(), Type.Unknown(), { description: '享受依据：规则结果与所用数据（脱敏）/ why: rule outcomes and facts used (masked)' }),
  declineReason: Nullable(Type.String()), offeredAt: Type.String({ format: 'date-time' }), expiresAt: Type.String({ format: 'date-time' }),
  decidedAt: Nullable(Type.String({ format: 'date-time' })),
});
const KeyParams = Type.Object({ key: Type.String({ pattern: POLICY_KEY.source }) });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Division = Type.String({ format: 'division-code' });

export const benefitsRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/services/benefits/policies', {
    config: { public: true },
    schema: { tags, summary: '惠民政策 Benefit policies in force (newest version of each)', response: { 200: Type.Object({ items: Type.Array(Policy) }) } },
  }, async () => ({ items: await currentPolicies(core.db) }));

  app.get('/api/services/benefits/policies/:key', {
    config: { public: true },
    schema: { tags, summary: '政策详情 One policy (newest version)', params: KeyParams, response: { 200: Policy } },
  }, async (req) => {
    const key = (req.params as { key: string }).key;
    const policy = await currentPolicy(core.db, key);
    if (!policy) throw policyNotFound(key);
    return policy;
  });

  app.post('/api/services/benefits/policies', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '发布政策 Publish the next version of a benefit policy; a scan of its division starts at once',
      description: 'key, division, title, description, department, legalBasis, period (month|year|once), amount, acceptDays?, and ruleSet (规则引擎规则集 key) or rules + facts (inline json-rules-engine rules). Every bad field is listed at once.',
      body: Type.Object({}, { additionalProperties: true }),
      response: { 201: Policy },
    },
  }, async (req, reply) => reply.code(201).send(await publishBenefitPolicy(core, callerOf(req), req.body as PolicyInput)));

  app.get('/api/services/benefits/policies/:key/check', {
    config: { signedIn: true },
    schema: {
      tags, summary: '资格自查 Does the signed-in citizen qualify? If not, which condition failed and with which value',
      params: KeyParams,
      response: {
        200: Type.Object({
          policyKey: Type.String(), policyVersion: Type.Integer(), title: Localized, period: Type.String(), passed: Type.Boolean(),
          explanation: Type.Array(Type.String(), { description: '未满足的条件 / failed conditions in words' }),
          rules: Type.Array(Type.Object({ name: Type.String(), passed: Type.Boolean(), explanation: Type.Array(Type.String()) })),
          grant: Type.Union([Grant, Type.Null()]),
        }),
      },
    },
  }, async (req) => checkPolicy(core, callerOf(req), (req.params as { key: string }).key));

  app.get('/api/services/benefits/policies/:key/grants', {
    // READ or MANAGE (either will do), checked per division in listGrants.
    config: { signedIn: true },
    schema: {
      tags, summary: '享受名单 Grants of one policy in the caller\'s divisions', params: KeyParams,
      querystring: Type.Object({
        division: Type.Optional(Division), status: Type.Optional(Type.String({ enum: ['offered', 'accepted', 'declined', 'expired'] })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), offset: Type.Optional(Type.Integer({ minimum: 0 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Grant), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }) },
    },
  }, async (req) => listGrants(core, callerOf(req), (req.params as { key: string }).key, req.query as GrantQuery));

  app.post('/api/services/benefits/policies/:key/scan', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '重新比对 Re-run the scan of a policy for a division (adds only what is missing)', params: KeyParams,
      body: Type.Object({ division: Division }, { additionalProperties: false }),
      response: { 202: Type.Object({ policyKey: Type.String(), division: Type.String(), period: Type.String() }) },
    },
  }, async (req, reply) => {
    const p = await requestScan(core, callerOf(req), (req.params as { key: string }).key, (req.body as { division: string }).division);
    return reply.code(202).send({ policyKey: p.policyKey, division: p.division, period: p.period });
  });

  app.get('/api/services/benefits/mine', {
    config: { signedIn: true },
    schema: { tags, summary: '我的惠民待遇 Benefits offered to the signed-in citizen', response: { 200: Type.Object({ items: Type.Array(Grant) }) } },
  }, async (req) => ({ items: await myGrants(core, callerOf(req)) }));

  app.post('/api/services/benefits/grants/:id/accept', {
    config: { signedIn: true },
    schema: { tags, summary: '确认领取 Accept an offered benefit (repeating it is harmless)', params: IdParams, response: { 200: Grant } },
  }, async (req) => decideGrant(core, callerOf(req), (req.params as { id: string }).id, 'accept'));

  app.post('/api/services/benefits/grants/:id/decline', {
    config: { signedIn: true },
    schema: {
      tags, summary: '放弃 Decline an offered benefit, saying why', params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Grant },
    },
  }, async (req) => decideGrant(core, callerOf(req), (req.params as { id: string }).id, 'decline', (req.body as { reason: string }).reason));
};
