// Forms over HTTP. Published definitions, validation and merging are public (a form is what a
// resident fills in before signing in); publishing and withdrawing need forms:definition.manage
// in the division concerned.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError, pickLang } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import { FORM_KEY } from './definition.js';
import { mergeForms } from './merge.js';
import { formForSubmission, formVersions, getForm, MANAGE, publishForm, withdrawForm } from './service.js';
import { attachmentCheckerFor, checkSubmission } from './validate.js';
import { formsAdminRoutes } from './admin-routes.js';
import type { Caller, FormInput, FormVersion } from './types.js';

const tags = ['表单 forms'];
const Title = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const summaryFields = {
  id: Type.String({ format: 'uuid' }),
  key: Type.String(),
  version: Type.Union([Type.Integer(), Type.Null()], { description: '版本号（草稿为空）/ version number, null for a draft' }),
  division: Type.String({ description: '所属行政区划 / owning division (GB/T 2260)' }),
  status: Type.String({ enum: ['draft', 'published', 'withdrawn'] }),
  title: Title,
  createdAt: Type.String({ format: 'date-time' }),
  publishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
};
const Summary = Type.Object(summaryFields);
const Form = Type.Object({
  ...summaryFields,
  schema: Type.Unknown({ description: 'JSON Schema 2020-12（字段类型已展开）/ normalised JSON Schema' }),
  uiSchema: Type.Unknown({ description: '界面配置（含 x-visibleIf 显示条件）/ UI schema' }),
});
const FieldError = Type.Object({ pointer: Type.String(), code: Type.String(), message: Type.String() });
const KeyParams = Type.Object({ key: Type.String({ pattern: FORM_KEY.source, maxLength: 64 }) });
const Division = Type.String({ format: 'division-code' });

const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });
const summary = ({ schema: _s, uiSchema: _u, createdBy: _c, ...rest }: FormVersion) => rest;
const view = ({ createdBy: _c, ...rest }: FormVersion) => rest;
const notFound = (key: string) => new AppError('NOT_FOUND', { 'zh-CN': `表单 ${key} 不存在或未发布`, en: `No published form ${key}` });

/** Service errors point into the input; over HTTP the input is the body. */
async function inBody<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.errors) throw new AppError(err.code, err.detail, err.errors.map((e) => ({ ...e, pointer: `/body${e.pointer}` })), err.extra);
    throw err;
  }
}

export const formsRoutes = (core: Core) => async (app: FastifyInstance) => {
  await app.register(formsAdminRoutes(core));
  app.get('/api/forms/:key', {
    config: { public: true },
    schema: {
      tags, summary: '获取表单 The form in force for a division (county → prefecture → province), or one version',
      params: KeyParams,
      querystring: Type.Object({ division: Type.Optional(Division), version: Type.Optional(Type.Integer({ minimum: 1 })) }),
      response: { 200: Form },
    },
  }, async (req) => {
    const { key } = req.params as { key: string };
    const q = req.query as { division?: string; version?: number };
    const f = await getForm(core.db, key, q);
    if (!f) throw notFound(key);
    return view(f);
  });

  app.get('/api/forms/:key/versions', {
    config: { public: true },
    schema: {
      tags, summary: '表单版本 Versions of a form, newest first (with ?division: that division and its ancestors); drafts only for those who manage them',
      params: KeyParams,
      querystring: Type.Object({ division: Type.Optional(Division) }),
      response: { 200: Type.Object({ key: Type.String(), items: Type.Array(Summary) }) },
    },
  }, async (req) => {
    const { key } = req.params as { key: string };
    const items = await formVersions(core.db, key, { division: (req.query as { division?: string }).division, principal: req.principal });
    return { key, items: items.map(summary) };
  });

  app.post('/api/forms', {
    config: { permission: MANAGE },
    schema: {
      tags,
      summary: '发布表单 Publish a new version of a form in a division (or save its draft)',
      description: '定义有误时返回 DEFINITION_INVALID 并列出全部问题；与当前版本完全相同的定义不会产生新版本（200）。\n\n' +
        'A bad definition answers DEFINITION_INVALID listing every problem; publishing the definition already in force creates nothing (200).',
      body: Type.Object({
        key: Type.String({ description: '如 birth-registration' }),
        division: Type.String({ description: 'GB/T 2260' }),
        title: Type.Object({ 'zh-CN': Type.String(), en: Type.Optional(Type.String()) }),
        schema: Type.Object({}, { additionalProperties: true, description: 'JSON Schema 2020-12 with x-kind fields' }),
        uiSchema: Type.Optional(Type.Object({}, { additionalProperties: true })),
        draft: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 200: Form, 201: Form },
    },
  }, async (req, reply) => {
    const r = await inBody(() => publishForm(core, caller(req), req.body as FormInput));
    return reply.code(r.created ? 201 : 200).send(view(r.form));
  });

  app.post('/api/forms/:key/withdraw', {
    config: { permission: MANAGE },
    schema: {
      tags, summary: '撤回表单 Withdraw one version in a division, or every published version there (the division then inherits its parent\'s form)',
      params: KeyParams,
      body: Type.Object({ division: Division, version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ key: Type.String(), withdrawn: Type.Array(Summary) }) },
    },
  }, async (req) => {
    const { key } = req.params as { key: string };
    const withdrawn = await withdrawForm(core, caller(req), key, req.body as { division: string; version?: number });
    return { key, withdrawn: withdrawn.map(summary) };
  });

  app.post('/api/forms/:key/validate', {
    config: { public: true },
    schema: {
      tags, summary: '预校验 Check data against the form in force (the browser\'s pre-check; the server checks again on submission)',
      params: KeyParams,
      body: Type.Object({ data: Type.Unknown(), division: Type.Optional(Division), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ key: Type.String(), version: Type.Integer(), valid: Type.Boolean(), errors: Type.Array(FieldError), hidden: Type.Array(Type.String({ description: '被隐藏而忽略的字段 / hidden fields, ignored' })) }) },
    },
  }, async (req) => {
    const { key } = req.params as { key: string };
    const b = req.body as { data: unknown; division?: string; version?: number };
    const form = await formForSubmission(core.db, key, b);
    const r = await checkSubmission(form, b.data, pickLang(req.headers['accept-language']), { attachments: attachmentCheckerFor(core, req.principal) });
    return { key, version: form.version!, valid: r.errors.length === 0, errors: r.errors, hidden: r.hidden.map((p) => `/data${p}`) };
  });

  app.post('/api/forms/merge', {
    config: { public: true },
    schema: {
      tags, summary: '合并表单 Several forms as one (一件事一次办): fields with the same x-field appear once; mapping splits the data back',
      body: Type.Object({
        forms: Type.Array(Type.Object({ key: Type.String({ pattern: FORM_KEY.source, maxLength: 64 }), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
        division: Type.Optional(Division),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          forms: Type.Array(Type.Object({ key: Type.String(), version: Type.Union([Type.Integer(), Type.Null()]), title: Type.Union([Title, Type.Null()]) })),
          schema: Type.Unknown(), uiSchema: Type.Unknown(),
          mapping: Type.Array(Type.Object({ form: Type.String(), version: Type.Union([Type.Integer(), Type.Null()]), pointer: Type.String(), merged: Type.String() })),
        }),
      },
    },
  }, async (req) => {
    const b = req.body as { forms: Array<{ key: string; version?: number }>; division?: string };
    const forms: FormVersion[] = [];
    for (const f of b.forms) forms.push(await formForSubmission(core.db, f.key, { version: f.version, division: b.division }));
    const merged = await inBody(async () => mergeForms(forms, pickLang(req.headers['accept-language'])));
    return { forms: merged.forms, schema: merged.schema, uiSchema: merged.uiSchema, mapping: merged.mapping };
  });
};
