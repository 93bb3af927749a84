// Catalog over HTTP: public browsing (list by division / life event / search, the item guide) and
// the administration of items (publish, withdraw, not implemented here). Thin: schema, access,
// one service call. Item bodies are checked by the service (attachValidation) so that every
// message names the field in zh-CN and 承诺 ≤ 法定 is reported with the shape errors at once.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { pickLang } from '../../../core/http/errors.js';
import { actorOf } from '../../../core/http/auth.js';
import { ItemInput, LIFE_EVENTS } from './schema.js';
import { listItems, itemGuide } from './browse.js';
import { MANAGE, publishItem, setImplemented, withdrawItem, type Caller } from './service.js';
import { exportRoutes } from './excel-routes.js';

const tags = ['政务服务事项 services catalog'];
const Division = Type.String({ format: 'division-code' });
const Material = Type.Object({
  id: Type.String(), name: Type.String(), required: Type.Boolean(), source: Type.String(), copies: Type.Integer(),
  licenseType: Type.Optional(Type.String()), accept: Type.Array(Type.String()), maxBytes: Type.Integer(), note: Type.Optional(Type.String()),
});
const versionFields = {
  id: Type.String({ format: 'uuid' }), itemId: Type.String({ format: 'uuid' }), key: Type.String(), code: Type.String(), basicCode: Type.String(),
  name: Type.String(), division: Type.String(), version: Type.Integer(), status: Type.String({ enum: ['published', 'withdrawn'] }),
  itemType: Type.String(), handling: Type.String({ enum: ['instant', 'promised'] }), legalDays: Type.Integer(), promisedDays: Type.Integer(),
  department: Type.Object({ code: Type.String(), name: Type.String() }), formKey: Type.Union([Type.String(), Type.Null()]), workflowKey: Type.String(),
  materials: Type.Array(Material), lifeEvents: Type.Array(Type.String()),
};
const ItemVersion = Type.Object(versionFields);
const { materials: _m, status: _s, itemId: _i, formKey: _f, workflowKey: _w, ...summaryFields } = versionFields;
const ItemSummary = Type.Object({ ...summaryFields, onlineDepth: Type.Integer(), visits: Type.Integer() });
const ItemGuide = Type.Object({
  ...versionFields,
  legalBasis: Type.Array(Type.String()), conditions: Type.String(), limitNote: Type.Union([Type.String(), Type.Null()]),
  fees: Type.Object({ charged: Type.Boolean(), items: Type.Array(Type.Object({ name: Type.String(), amount: Type.String(), basis: Type.String() })) }),
  channels: Type.Array(Type.String()), onlineDepth: Type.Integer(), visits: Type.Integer(), serviceObjects: Type.Array(Type.String()),
  place: Type.String(), hours: Type.String(), consultation: Type.String(), complaint: Type.String(), onlineUrl: Type.Union([Type.String(), Type.Null()]),
  keywords: Type.Array(Type.String()), publishedAt: Type.String({ format: 'date-time' }),
});
const KeyParams = Type.Object({ key: Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$' }) });

const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });

export const catalogRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/services/life-events', {
    config: { public: true },
    schema: { tags, summary: '主题分类 Life events and enterprise lifecycle stages to browse items by', response: { 200: Type.Object({ items: Type.Array(Type.Object({ key: Type.String(), audience: Type.String(), zh: Type.String(), en: Type.String() })) }) } },
  }, async () => ({ items: LIFE_EVENTS }));

  app.get('/api/services/items', {
    config: { public: true },
    schema: {
      tags, summary: '事项清单 Items in force in a division (its own, else inherited), by life event or full-text search',
      querystring: Type.Object({
        division: Type.String({ format: 'division-code', default: '530000' }),
        lifeEvent: Type.Optional(Type.String()),
        q: Type.Optional(Type.String({ maxLength: 100, description: '中文全文检索 / Chinese full-text search' })),
        page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 }),
        pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
      }),
      response: { 200: Type.Object({ items: Type.Array(ItemSummary), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }) },
    },
  }, async (req) => listItems(core.db, req.query as { division: string; lifeEvent?: string; q?: string; page: number; pageSize: number }, pickLang(req.headers['accept-language'])));

  await app.register(exportRoutes(core));

  app.get('/api/services/items/:key', {
    config: { public: true },
    schema: {
      tags, summary: '办事指南 The guide of an item in force in a division: every element, materials, fees, time limits',
      params: KeyParams, querystring: Type.Object({ division: Type.String({ format: 'division-code', default: '530000' }) }),
      response: { 200: ItemGuide },
    },
  }, async (req) => itemGuide(core.db, (req.params as { key: string }).key, (req.query as { division: string }).division));

  app.post('/api/services/items', {
    config: { permission: MANAGE },
    attachValidation: true,
    schema: {
      tags, summary: '发布事项 Publish a version of an item in a division (201 new version, 200 unchanged)',
      description: '需在该区划拥有 services:item.manage。承诺办结时限不得超过法定办结时限；表单与流程须在该区划已发布。',
      body: ItemInput, response: { 200: ItemVersion, 201: ItemVersion },
    },
  }, async (req, reply) => {
    const r = await publishItem(core, caller(req), req.body);
    return reply.code(r.created ? 201 : 200).send(r.item);
  });

  app.post('/api/services/items/:key/withdraw', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '撤回事项版本 Withdraw a version (default the newest) of the implementation in a division',
      params: KeyParams,
      body: Type.Object({ division: Division, version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: ItemVersion },
    },
  }, async (req) => withdrawItem(core, caller(req), (req.params as { key: string }).key, req.body as { division: string; version?: number }));

  app.put('/api/services/items/:key/implementation', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '本地实施 Mark an inherited item as not implemented in a division (and below), or implemented again',
      params: KeyParams,
      body: Type.Object({ division: Division, implemented: Type.Boolean(), note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) }, { additionalProperties: false }),
      response: { 200: Type.Object({ key: Type.String(), division: Type.String(), implemented: Type.Boolean(), note: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (req) => setImplemented(core, caller(req), (req.params as { key: string }).key, req.body as { division: string; implemented: boolean; note?: string | null }));
};
