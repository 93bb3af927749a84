// Seal routes: registry, image, authorization, usage log, and "seal this PDF" (raw PDF in, PDF out).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { actorOf } from '../../core/http/auth.js';
import { pickLang } from '../../core/http/errors.js';
import { authorizeSeal, createSeal, getSeal, listSeals, revokeSeal, revokeSealAuthorization, sealPdf, sealUsage, SEAL_MANAGE, SEAL_READ, type Caller, type SealInput } from './service.js';
import { roundSealSvg, squareSealSvg } from './svg.js';

const tags = ['电子印章 seals'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Seal = Type.Object({
  id: Type.String(), kind: Type.String({ enum: ['organization', 'personal'] }), name: Type.String(), purpose: Nullable(Type.String()), ownerCode: Nullable(Type.String()),
  division: Type.String(), departmentId: Nullable(Type.String()), accountId: Nullable(Type.String()), status: Type.String({ enum: ['active', 'revoked'] }),
  certificate: Type.Object({ id: Type.String(), subject: Type.String(), notAfter: Type.String() }), createdAt: Type.String(),
});
const MAX_PDF = 20 * 1024 * 1024;

const callerOf = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });

export const sealRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: MAX_PDF }, (_req, body, done) => done(null, body));

  app.post('/api/seals', {
    config: { permission: SEAL_MANAGE },
    schema: {
      tags, summary: '登记印章 Register a seal (organization seal or personal signature); its certificate comes from the platform CA',
      body: Type.Object({
        kind: Type.String({ enum: ['organization', 'personal'] }), name: Type.String({ minLength: 1, maxLength: 60 }), purpose: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
        ownerCode: Type.Optional(Nullable(Type.String({ format: 'uscc' }))), division: Type.String({ format: 'division-code' }),
        departmentId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))), accountId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
      }, { additionalProperties: false }),
      response: { 201: Seal },
    },
  }, async (req, reply) => reply.code(201).send(await createSeal(core, callerOf(req), req.body as SealInput)));

  app.get('/api/seals', {
    config: { permission: SEAL_READ },
    schema: { tags, summary: '印章列表 Seals of one division', querystring: Type.Object({ division: Type.String({ format: 'division-code' }) }), response: { 200: Type.Object({ items: Type.Array(Seal) }) } },
  }, async (req) => ({ items: await listSeals(core, callerOf(req), (req.query as { division: string }).division) }));

  app.get('/api/seals/:id', {
    config: { permission: SEAL_READ },
    schema: { tags, summary: '印章详情 One seal', params: Id, response: { 200: Seal } },
  }, async (req) => getSeal(core, callerOf(req), (req.params as { id: string }).id));

  app.get('/api/seals/:id/image', {
    config: { permission: SEAL_READ },
    schema: { tags, summary: '印模 The seal image (SVG)', params: Id },
  }, async (req, reply) => {
    const s = await getSeal(core, callerOf(req), (req.params as { id: string }).id);
    return reply.type('image/svg+xml; charset=utf-8').send(s.kind === 'organization' ? roundSealSvg(s.name, s.purpose) : squareSealSvg(s.name));
  });

  app.post('/api/seals/:id/authorizations', {
    config: { permission: SEAL_MANAGE },
    schema: {
      tags, summary: '授权用印 Authorize an account to use the seal', params: Id,
      body: Type.Object({ accountId: Type.String({ format: 'uuid' }), expiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.String(), sealId: Type.String(), accountId: Type.String(), expiresAt: Nullable(Type.String()) }) },
    },
  }, async (req, reply) => reply.code(201).send(await authorizeSeal(core, callerOf(req), (req.params as { id: string }).id, req.body as { accountId: string; expiresAt?: string | null })));

  app.post('/api/seals/:id/authorizations/:authorizationId/revoke', {
    config: { permission: SEAL_MANAGE },
    schema: { tags, summary: '撤销用印授权 Withdraw an authorization', params: Type.Object({ id: Type.String({ format: 'uuid' }), authorizationId: Type.String({ format: 'uuid' }) }) },
  }, async (req, reply) => {
    const p = req.params as { id: string; authorizationId: string };
    await revokeSealAuthorization(core, callerOf(req), p.id, p.authorizationId);
    return reply.code(204).send();
  });

  app.post('/api/seals/:id/revoke', {
    config: { permission: SEAL_MANAGE },
    schema: { tags, summary: '停用印章 Revoke a seal (its certificate is retired)', params: Id, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: Seal } },
  }, async (req) => revokeSeal(core, callerOf(req), (req.params as { id: string }).id, (req.body as { reason: string }).reason));

  app.get('/api/seals/:id/usage', {
    config: { permission: SEAL_READ },
    schema: {
      tags, summary: '用印记录 Usage log (sealed and refused)', params: Id,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ actor: Type.String(), purpose: Nullable(Type.String()), documentHash: Nullable(Type.String()), outcome: Type.String(), reason: Nullable(Type.String()), at: Type.String() })) }) },
    },
  }, async (req) => ({ items: await sealUsage(core, callerOf(req), (req.params as { id: string }).id) }));

  app.post('/api/seals/:id/seal', {
    config: { signedIn: true },
    schema: { tags, summary: '盖章 Stamp and sign a PDF (body: application/pdf; the caller must be authorized for the seal)', params: Id, querystring: Type.Object({ purpose: Type.Optional(Type.String({ maxLength: 200 })) }) },
  }, async (req, reply) => {
    const body = req.body;
    const pdf = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const out = await sealPdf(core, callerOf(req), (req.params as { id: string }).id, pdf, { purpose: (req.query as { purpose?: string }).purpose });
    return reply.type('application/pdf').send(out);
  });
};
