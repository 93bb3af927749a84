// HTTP for applications: thin handlers over the service functions (see README.md for the table).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { AppError, pickLang } from '../../../core/http/errors.js';
import { actorOf } from '../../../core/http/auth.js';
import { prefill } from '../../../platform/forms/index.js';
import type { Caller } from './access.js';
import { submitApplication, submitCounterApplication, type CounterInput, type SubmitInput } from './submit.js';
import { actOnApplication, type ActionInput } from './actions.js';
import { listForStaff, listMine, summary, track, viewApplication, type StaffFilter } from './views.js';
import { itemForm, resolveItem } from './prepare.js';
import { bundleRoutes } from './bundle-routes.js';
import { applicationStatsRoutes } from './stats.js';

export const tags = ['一网通办 办件 applications'];
export const Uuid = Type.String({ format: 'uuid' });
export const Division = Type.String({ format: 'division-code' });
export const MaterialIn = Type.Object({
  materialId: Type.String({ minLength: 1, maxLength: 64 }),
  fileIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
  license: Type.Optional(Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }), id: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false })),
}, { additionalProperties: false });
export const IdempotencyKey = Type.String({ minLength: 8, maxLength: 100, description: '客户端生成的请求编号（如 UUID），重复提交返回同一办件' });
const SubmitBody = {
  itemKey: Type.String({ minLength: 1, maxLength: 100 }), division: Division, handlingDivision: Type.Optional(Division),
  itemVersion: Type.Optional(Type.Integer({ minimum: 1 })), data: Type.Record(Type.String(), Type.Unknown()),
  materials: Type.Array(MaterialIn, { maxItems: 100 }), idempotencyKey: IdempotencyKey,
};

export function caller(req: FastifyRequest): Caller {
  if (!req.principal) throw new AppError('UNAUTHENTICATED');
  return { principal: req.principal, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) };
}

export const applicationRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.post('/api/services/applications', {
    config: { permission: 'services:application.create' },
    schema: { tags, summary: '在线申请 Apply online (for oneself, or for the person one acts for)', body: Type.Object(SubmitBody, { additionalProperties: false }) },
  }, async (req, reply) => {
    const r = await submitApplication(core, caller(req), req.body as SubmitInput);
    reply.code(r.created ? 201 : 200);
    return summary(r.application);
  });

  app.post('/api/services/applications/counter', {
    config: { permission: 'services:case.accept' },
    schema: { tags, summary: '窗口收件 Enter a counter application for a person identified by resident ID', body: Type.Object({ ...SubmitBody, applicantIdNumber: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const r = await submitCounterApplication(core, caller(req), req.body as CounterInput);
    reply.code(r.created ? 201 : 200);
    return summary(r.application);
  });

  app.get('/api/services/applications/prefill', {
    config: { permission: 'services:application.create' },
    schema: { tags, summary: '预填表单 The item\'s form prefilled from the applicant\'s profile', querystring: Type.Object({ itemKey: Type.String({ minLength: 1, maxLength: 100 }), division: Division }) },
  }, async (req) => {
    const { itemKey, division } = req.query as { itemKey: string; division: string };
    const item = await resolveItem(core.db, { key: itemKey, division });
    const form = await itemForm(core.db, item, division);
    return {
      item: { id: item.id, key: item.key, name: item.name, version: item.version, materials: item.materials },
      form: form ? { key: form.key, version: form.version, schema: form.schema, uiSchema: form.uiSchema } : null,
      data: form ? await prefill(core, form, req.principal!) : {},
    };
  });

  app.get('/api/services/applications/mine', {
    config: { permission: 'services:application.read-own' },
    schema: { tags, summary: '我的办件 My applications, newest first', querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }), offset: Type.Integer({ minimum: 0, default: 0 }) }) },
  }, async (req) => listMine(core, caller(req), req.query as { limit: number; offset: number }));

  app.get('/api/services/applications', {
    config: { permission: 'services:case.read' },
    schema: {
      tags, summary: '办件列表 Applications handled or accepted in the caller\'s divisions, newest first',
      querystring: Type.Object({
        status: Type.Optional(Type.Union(['submitted', 'processing', 'correction', 'completed'].map((s) => Type.Literal(s)))),
        itemKey: Type.Optional(Type.String({ maxLength: 100 })), channel: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('counter')])),
        number: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '办件编号（或其开头）' })),
        from: Type.Optional(Type.String({ format: 'date', description: '提交日期起（北京时间，含）' })), to: Type.Optional(Type.String({ format: 'date', description: '提交日期止（北京时间，含）' })),
        limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }), offset: Type.Integer({ minimum: 0, default: 0 }),
      }),
    },
  }, async (req) => listForStaff(core, caller(req), req.query as StaffFilter));

  app.get('/api/services/applications/:id', {
    config: { signedIn: true },
    schema: { tags, summary: '办件详情 An application by its id or its workflow case id (its applicant, or staff over its handling or accepting division)', params: Type.Object({ id: Uuid }) },
  }, async (req) => viewApplication(core, caller(req), (req.params as { id: string }).id));

  app.post('/api/services/applications/:id/actions/:action', {
    config: { signedIn: true },
    schema: {
      tags, summary: '办理操作 受理 / 不予受理 / 补正 / 审批 / 办结 / 撤回 — a workflow action on the application\'s case',
      params: Type.Object({ id: Uuid, action: Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$' }) }),
      body: Type.Object({
        comment: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
        data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        attachments: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
        expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
        corrections: Type.Optional(Type.Array(Type.Object({ materialId: Type.Optional(Type.String({ maxLength: 64 })), field: Type.Optional(Type.String({ maxLength: 200 })), note: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }), { maxItems: 50 })),
        legalBasis: Type.Optional(Type.String({ maxLength: 2000 })),
        result: Type.Optional(Type.Object({ fileId: Type.Optional(Uuid), text: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false })),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    const { id, action } = req.params as { id: string; action: string };
    return summary(await actOnApplication(core, caller(req), id, action, (req.body ?? {}) as ActionInput));
  });

  app.get('/api/services/track', {
    config: { public: true },
    schema: { tags, summary: '办件查询 Public status by case number and the applicant\'s mobile (no personal data)', querystring: Type.Object({ number: Type.String({ minLength: 5, maxLength: 40 }), mobile: Type.String({ minLength: 5, maxLength: 20 }) }) },
  }, async (req) => {
    const { number, mobile } = req.query as { number: string; mobile: string };
    return track(core, number, mobile);
  });

  await app.register(bundleRoutes(core));
  await app.register(applicationStatsRoutes(core));
};
