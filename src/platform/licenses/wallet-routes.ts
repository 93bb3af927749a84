// Holder wallet over HTTP: my licenses, my authorizations (用证码), my license's uses; and the
// service side: fetch a license with an authorization code.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { READ } from './access.js';
import { callerOf } from './routes.js';
import { parseOrThrow } from './verify.js';
import { authorizeUse, fetchWithAuthorization, myAuthorizations, myLicenses, myLicenseUses, revokeAuthorization, type AuthorizationInput } from './wallet.js';
import { IdentifierParams, License, LicenseWithDocument, tags } from './schema.js';

const Authorization = Type.Object({
  id: Type.String(), identifier: Type.String(), division: Type.String(), departmentId: Type.Union([Type.String(), Type.Null()]), departmentName: Type.Union([Type.String(), Type.Null()]), purpose: Type.String(),
  expiresAt: Type.String(), createdAt: Type.String(), revokedAt: Type.Union([Type.String(), Type.Null()]), status: Type.String({ enum: ['active', 'expired', 'revoked'] }),
});
const Purpose = Type.String({ minLength: 1, maxLength: 200, description: '申请事由 / purpose (≤ 200)' });

export const walletRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/licenses/mine', {
    config: { signedIn: true },
    schema: { tags, summary: '我的证照夹 My licenses (citizen or enterprise, by holder code)', response: { 200: Type.Object({ items: Type.Array(License) }) } },
  }, async (req) => ({ items: await myLicenses(core, callerOf(req)) }));

  app.get('/api/licenses/mine/authorizations', {
    config: { signedIn: true },
    schema: { tags, summary: '我的用证授权 My authorizations', response: { 200: Type.Object({ items: Type.Array(Authorization) }) } },
  }, async (req) => ({ items: await myAuthorizations(core, callerOf(req)) }));

  app.post('/api/licenses/mine/authorizations/:id/revoke', {
    config: { signedIn: true },
    schema: { tags, summary: '撤销用证授权 Withdraw an authorization', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: Authorization } },
  }, async (req) => revokeAuthorization(core, callerOf(req), (req.params as { id: string }).id));

  app.get('/api/licenses/mine/uses', {
    config: { signedIn: true },
    schema: {
      tags, summary: '我的证照使用记录 Every use of my licenses (and refused attempts)',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ identifier: Type.String(), by: Type.String(), purpose: Type.Union([Type.String(), Type.Null()]), outcome: Type.String(), reason: Type.Union([Type.String(), Type.Null()]), at: Type.String() })) }) },
    },
  }, async (req) => ({ items: await myLicenseUses(core, callerOf(req)) }));

  app.post('/api/licenses/:identifier/authorizations', {
    config: { signedIn: true },
    schema: {
      tags, summary: '授权用证（生成用证码）Authorize a division/department to use this license; the code is shown once',
      params: IdentifierParams,
      body: Type.Object({ division: Type.String({ format: 'division-code' }), departmentId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])), purpose: Purpose, expiresAt: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ ...Authorization.properties, code: Type.String({ description: '用证码（仅显示一次）/ shown once' }) }) },
    },
  }, async (req, reply) => {
    const caller = callerOf(req);
    const id = (req.params as { identifier: string }).identifier;
    parseOrThrow(id, caller.lang);
    return reply.code(201).send(await authorizeUse(core, caller, id, req.body as AuthorizationInput));
  });

  app.post('/api/licenses/:identifier/fetch', {
    config: { permission: READ },
    schema: {
      tags, summary: '凭用证码调用证照 Fetch a license with the holder\'s authorization code (logged; refusals audited)',
      params: IdentifierParams,
      body: Type.Object({ code: Type.String({ minLength: 4, maxLength: 32 }), purpose: Purpose }, { additionalProperties: false }),
      response: { 200: LicenseWithDocument },
    },
  }, async (req) => {
    const caller = callerOf(req);
    const id = (req.params as { identifier: string }).identifier;
    parseOrThrow(id, caller.lang);
    const body = req.body as { code: string; purpose: string };
    return fetchWithAuthorization(core, caller, id, body.code, body.purpose);
  });
};
