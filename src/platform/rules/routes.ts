// Rule sets over HTTP: read, publish (or save a draft), publish a draft, withdraw, dry-run.
// Every route needs rules:ruleset.manage in the division concerned (see service.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { pickLang } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import { RULESET_KEY } from './definition.js';
import { dryRun, MANAGE, publishDraft, publishRuleSet, readRuleSet, ruleSetVersions, withdrawRuleSet, type Caller } from './service.js';
import type { RuleSetInput } from './types.js';

const tags = ['规则引擎 rules'];
const Localized = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const RuleSet = Type.Object({
  id: Type.String({ format: 'uuid' }),
  key: Type.String(),
  version: Type.Integer(),
  division: Type.String({ description: '定义所在行政区划 / division that defines this version' }),
  status: Type.String({ enum: ['draft', 'published', 'withdrawn'] }),
  title: Localized,
  description: Type.Optional(Localized),
  rules: Type.Array(Type.Unknown(), { description: 'json-rules-engine 规则 / json-rules-engine rules' }),
  facts: Type.Record(Type.String(), Type.Unknown(), { description: '事实名称（中英文）/ fact labels' }),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const KeyParams = Type.Object({ key: Type.String({ pattern: RULESET_KEY.source, maxLength: 100 }) });
const Division = Type.String({ format: 'division-code' });
const VersionBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const Evaluation = Type.Object({
  ruleSet: Type.Object({ id: Type.String(), key: Type.String(), version: Type.Integer(), division: Type.String(), status: Type.String() }),
  passed: Type.Boolean({ description: '所有必须规则均满足 / every required rule held' }),
  outcomes: Type.Array(Type.Object({ type: Type.String(), params: Type.Optional(Type.Record(Type.String(), Type.Unknown())) })),
  explanation: Type.Array(Type.String(), { description: '未满足的条件，逐条说明 / each failed condition in words' }),
  rules: Type.Array(Type.Object({ name: Type.String(), required: Type.Boolean(), passed: Type.Boolean(), explanation: Type.Array(Type.String()) })),
});

const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });
const keyOf = (req: FastifyRequest) => (req.params as { key: string }).key;

export const rulesRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.post('/api/rules', {
    config: { permission: MANAGE },
    schema: {
      tags,
      summary: '发布规则集 Publish a rule set version (or save a draft with draft=true)',
      description: '请求体为规则集定义：key、division、title{zh-CN,en}、rules（json-rules-engine 规则，运算符含 inDivision、ageAtLeast、ageBelow、withinDays、matches）、' +
        'facts（每个事实的中英文名称）。定义不符合规范时返回 DEFINITION_INVALID，逐项列出问题。\n\n' +
        'The body is the rule set definition (JSON Schema: RULESET_SCHEMA in src/platform/rules/definition.ts). Every problem is listed at once (DEFINITION_INVALID).',
      body: Type.Object({}, { additionalProperties: true }),
      response: { 201: RuleSet },
    },
  }, async (req, reply) => reply.code(201).send(await publishRuleSet(core, caller(req), req.body as RuleSetInput)));

  app.get('/api/rules/:key', {
    config: { permission: MANAGE },
    schema: {
      tags,
      summary: '查看规则集 The rule set that applies in a division (own or inherited), or a named version',
      params: KeyParams,
      querystring: Type.Object({ division: Division, version: Type.Optional(Type.Integer({ minimum: 1 })) }),
      response: { 200: RuleSet },
    },
  }, async (req) => readRuleSet(core, caller(req), keyOf(req), req.query as { division: string; version?: number }));

  app.get('/api/rules/:key/versions', {
    config: { permission: MANAGE },
    schema: {
      tags,
      summary: '版本列表 Every version defined in a division or above it (drafts and withdrawn included), newest first',
      params: KeyParams,
      querystring: Type.Object({ division: Division }),
      response: { 200: Type.Object({ items: Type.Array(RuleSet) }) },
    },
  }, async (req) => ({ items: await ruleSetVersions(core, caller(req), keyOf(req), (req.query as { division: string }).division) }));

  app.post('/api/rules/:key/publish', {
    config: { permission: MANAGE },
    schema: { tags, summary: '发布草稿 Publish a draft version', params: KeyParams, body: VersionBody, response: { 200: RuleSet } },
  }, async (req) => publishDraft(core, caller(req), keyOf(req), (req.body as { version: number }).version));

  app.post('/api/rules/:key/withdraw', {
    config: { permission: MANAGE },
    schema: { tags, summary: '撤回版本 Withdraw a version (it stops applying; the previous published one applies again)', params: KeyParams, body: VersionBody, response: { 200: RuleSet } },
  }, async (req) => withdrawRuleSet(core, caller(req), keyOf(req), (req.body as { version: number }).version));

  app.post('/api/rules/:key/evaluate', {
    config: { permission: MANAGE },
    schema: {
      tags,
      summary: '试算 Dry run with given facts (drafts allowed); explanations in the Accept-Language',
      params: KeyParams,
      body: Type.Object({
        division: Division,
        version: Type.Optional(Type.Integer({ minimum: 1 })),
        facts: Type.Record(Type.String(), Type.Unknown(), { default: {}, description: '事实取值，如 {"applicant.age": 17} / fact values by id' }),
        at: Type.Optional(Type.String({ format: 'date-time', description: '计算年龄与期限所用的时间 / evaluation time' })),
      }, { additionalProperties: false }),
      response: { 200: Evaluation },
    },
  }, async (req) => {
    const b = req.body as { division: string; version?: number; facts: Record<string, unknown>; at?: string };
    return dryRun(core, caller(req), keyOf(req), { division: b.division, version: b.version, facts: b.facts, at: b.at ? new Date(b.at) : undefined });
  });
};
