// Notifications over HTTP: templates (administrators), the signed-in person's inbox and
// preferences, and the admin outbox. Thin: schema, access, one service call.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { callerOf, OPS_READ, selfAccount, TEMPLATE_MANAGE } from './access.js';
import { listInbox, markAllRead, markRead } from './inbox.js';
import { listOutbox, type OutboxQuery } from './outbox.js';
import { getPreferences, updatePreferences, type PreferencesInput } from './preferences.js';
import { ensureBuiltinTemplates, listTemplates, publishTemplate, type PublishInput } from './template-store.js';
import { CATEGORIES, CHANNELS, SMS_MAX } from './templates.js';

const tags = ['通知 notifications'];
const Uuid = Type.String({ format: 'uuid' });
const Channel = Type.String({ enum: [...CHANNELS] });
const Category = Type.String({ enum: [...CATEGORIES] });
// One enum including null, so a bad value is one error (a union would report each branch).
const NullableLang = Type.Unsafe<'zh-CN' | 'en' | null>({ type: ['string', 'null'], enum: ['zh-CN', 'en', null], description: '消息语言；null 表示由发送方决定 / null = sender\'s choice' });
const Texts = (max: number, description: string) => Type.Object({
  'zh-CN': Type.String({ minLength: 1, maxLength: max }),
  en: Type.String({ minLength: 1, maxLength: max }),
}, { additionalProperties: false, description });
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()]);

const TemplateBody = Type.Object({
  key: Type.String({ minLength: 3, maxLength: 100, description: '模板编码，如 workflow.task-assigned / dotted key' }),
  division: Type.String({ format: 'division-code', default: '530000', description: '适用行政区划；下级区划可发布同编码模板覆盖上级 / a lower division may override' }),
  category: Category,
  channels: Type.Array(Channel, { minItems: 1, maxItems: 3, uniqueItems: true }),
  placeholders: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 30, description: '声明的占位符；正文中的 {{名称}} 必须在此声明 / every {{name}} used must be declared' }),
  subject: Texts(200, '邮件主题和站内消息标题 / e-mail subject and inbox title'),
  body: Texts(5000, '邮件与站内消息正文；未提供短信正文时也用于短信 / e-mail and inbox body; the SMS body too unless smsBody is given'),
  smsBody: Type.Optional(Type.Union([Texts(SMS_MAX + 100, `短信正文，最多 ${SMS_MAX} 字 / SMS body, at most ${SMS_MAX} characters`), Type.Null()])),
}, { additionalProperties: false });
const TemplateView = Type.Object({
  id: Uuid, key: Type.String(), division: Type.String(), version: Type.Integer(), category: Type.String(), channels: Type.Array(Type.String()),
  placeholders: Type.Array(Type.String()), subject: Texts(10_000, ''), body: Texts(10_000, ''), smsBody: Type.Union([Texts(10_000, ''), Type.Null()]),
  builtin: Type.Boolean(), createdBy: Type.String(), createdAt: Type.String({ format: 'date-time' }),
});

const Preferences = Type.Object({
  channels: Type.Object({ sms: Type.Boolean(), email: Type.Boolean(), inbox: Type.Boolean() }),
  categories: Type.Object(Object.fromEntries(CATEGORIES.map((c) => [c, Type.Boolean()]))),
  lang: NullableLang,
  locked: Type.Object({ channels: Type.Array(Type.String()), categories: Type.Array(Type.String()) }),
});
const PreferencesBody = Type.Object({
  channels: Type.Optional(Type.Object({ sms: Type.Optional(Type.Boolean()), email: Type.Optional(Type.Boolean()), inbox: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
  categories: Type.Optional(Type.Object(Object.fromEntries(CATEGORIES.map((c) => [c, Type.Optional(Type.Boolean())])), { additionalProperties: false })),
  lang: Type.Optional(NullableLang),
}, { additionalProperties: false, minProperties: 1 });

const InboxItem = Type.Object({
  id: Uuid, subject: Nullable(Type.String()), body: Type.String(), category: Nullable(Type.String()), templateKey: Nullable(Type.String()),
  purpose: Type.String(), createdAt: Type.String({ format: 'date-time' }), readAt: Nullable(Type.String({ format: 'date-time' })),
});
const OutboxItem = Type.Object({
  id: Uuid, channel: Type.String(), recipient: Type.String({ description: '脱敏 / masked' }), purpose: Type.String(), subject: Nullable(Type.String()),
  body: Type.String(), status: Type.String(), adapter: Nullable(Type.String()), templateKey: Nullable(Type.String()), templateVersion: Type.Union([Type.Integer(), Type.Null()]),
  division: Nullable(Type.String()), attempts: Type.Integer(), lastError: Nullable(Type.String()), createdAt: Type.String(), sentAt: Nullable(Type.String()),
});

export const notifyRoutes = (core: Core) => async (app: FastifyInstance) => {
  // Code-defined templates exist before the first request (idempotent, safe on every node).
  await ensureBuiltinTemplates(core);

  app.get('/api/notify/templates', {
    config: { permission: TEMPLATE_MANAGE },
    schema: {
      tags, summary: '消息模板 Message templates: the latest version per key and division, or every version of one key',
      querystring: Type.Object({ key: Type.Optional(Type.String({ maxLength: 100 })) }),
      response: { 200: Type.Object({ items: Type.Array(TemplateView) }) },
    },
  }, async (req) => ({ items: await listTemplates(core, callerOf(req), req.query as { key?: string }) }));

  app.post('/api/notify/templates', {
    config: { permission: TEMPLATE_MANAGE },
    schema: {
      tags, summary: '发布模板新版本 Publish the next version of a template (earlier versions stay)',
      body: TemplateBody, response: { 201: TemplateView },
    },
  }, async (req, reply) => reply.code(201).send(await publishTemplate(core, callerOf(req), req.body as PublishInput)));

  app.get('/api/notify/preferences', {
    config: { public: true },
    schema: { tags, summary: '我的通知设置 My notification settings (signed-in person)', response: { 200: Preferences } },
  }, async (req) => getPreferences(core, await selfAccount(core, req)));

  app.put('/api/notify/preferences', {
    config: { public: true },
    schema: {
      tags, summary: '修改通知设置 Change my settings (站内消息和安全类消息不能关闭 / inbox and security messages stay on)',
      body: PreferencesBody, response: { 200: Preferences },
    },
  }, async (req) => updatePreferences(core, await selfAccount(core, req), req.body as PreferencesInput));

  app.get('/api/notify/inbox', {
    config: { public: true },
    schema: {
      tags, summary: '我的站内消息 My inbox, newest first, with the unread count',
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
        offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
        unreadOnly: Type.Boolean({ default: false }),
      }),
      response: { 200: Type.Object({ items: Type.Array(InboxItem), total: Type.Integer(), unread: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }) },
    },
  }, async (req) => listInbox(core, await selfAccount(core, req), req.query as { limit: number; offset: number; unreadOnly: boolean }));

  app.post('/api/notify/inbox/read-all', {
    config: { public: true },
    schema: { tags, summary: '全部标为已读 Mark all my messages read', response: { 200: Type.Object({ updated: Type.Integer() }) } },
  }, async (req) => markAllRead(core, await selfAccount(core, req)));

  app.post('/api/notify/inbox/:id/read', {
    config: { public: true },
    schema: {
      tags, summary: '标为已读 Mark one of my messages read', params: Type.Object({ id: Uuid }),
      response: { 200: Type.Object({ id: Uuid, readAt: Type.String({ format: 'date-time' }) }) },
    },
  }, async (req) => markRead(core, await selfAccount(core, req), (req.params as { id: string }).id));

  app.get('/api/admin/notifications', {
    config: { permission: OPS_READ },
    schema: {
      tags,
      summary: '通知发件箱 Notification outbox: every message and its delivery state (the dev adapter delivers here)',
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
        channel: Type.Optional(Channel),
        status: Type.Optional(Type.String({ enum: ['queued', 'sent', 'failed'] })),
        templateKey: Type.Optional(Type.String({ maxLength: 100 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(OutboxItem), total: Type.Integer() }) },
    },
  }, async (req) => listOutbox(core, callerOf(req), req.query as OutboxQuery));
};
