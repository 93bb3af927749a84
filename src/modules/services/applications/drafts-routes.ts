// Drafts of the apply wizard over HTTP (see drafts.ts): list, read, save (PUT, last write wins;
// the answer carries the new version), delete.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../../core/index.js';
import { caller, Division } from './routes.js';
import { deleteDraft, getDraft, listDrafts, saveDraft, type DraftInput, type DraftKind } from './drafts.js';

const tags = ['一网通办 办件 applications'];
const P = '/api/services/drafts';
const Params = Type.Object({
  kind: Type.Union([Type.Literal('item'), Type.Literal('bundle')]),
  key: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,99}$' }),
});
const Summary = {
  kind: Type.Union([Type.Literal('item'), Type.Literal('bundle')]), key: Type.String(), division: Type.String(), title: Type.String(),
  step: Type.Integer(), version: Type.Integer(), updatedAt: Type.String({ format: 'date-time' }),
};
const Draft = Type.Object({ ...Summary, data: Type.Record(Type.String(), Type.Unknown()), materials: Type.Record(Type.String(), Type.Unknown()) });
const Body = Type.Object({
  division: Division,
  title: Type.Optional(Type.String({ maxLength: 200 })),
  step: Type.Integer({ minimum: 0, maximum: 9 }),
  data: Type.Record(Type.String(), Type.Unknown()),
  materials: Type.Record(Type.String(), Type.Unknown()),
}, { additionalProperties: false });

type P = { kind: DraftKind; key: string };

export const draftRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get(P, {
    config: { permission: 'services:application.create' },
    schema: { tags, summary: '我的草稿 My saved application drafts, newest first', response: { 200: Type.Object({ items: Type.Array(Type.Object(Summary)) }) } },
  }, async (req) => ({ items: await listDrafts(core, caller(req)) }));

  app.get(`${P}/:kind/:key`, {
    config: { permission: 'services:application.create' },
    schema: { tags, summary: '读取草稿 My saved draft for an item or bundle (404 when none)', params: Params, response: { 200: Draft } },
  }, async (req) => {
    const p = req.params as P;
    return getDraft(core, caller(req), p.kind, p.key);
  });

  app.put(`${P}/:kind/:key`, {
    config: { permission: 'services:application.create' },
    schema: { tags, summary: '保存草稿 Save the draft (another device resumes it)', params: Params, body: Body, response: { 200: Draft } },
  }, async (req) => {
    const p = req.params as P;
    return saveDraft(core, caller(req), p.kind, p.key, req.body as DraftInput);
  });

  app.delete(`${P}/:kind/:key`, {
    config: { permission: 'services:application.create' },
    schema: { tags, summary: '删除草稿 Delete the draft', params: Params },
  }, async (req, reply) => {
    const p = req.params as P;
    await deleteDraft(core, caller(req), p.kind, p.key);
    reply.code(204);
  });
};
