// Account and role administration over HTTP (admin.ts has the rules). Accounts outside the
// caller's subtrees answer 404; acting in a division outside them answers 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import type { Caller } from '../../core/http/auth.js';
import { actorOf } from '../../core/http/auth.js';
import { pickLang } from '../../core/http/errors.js';
import { ACCOUNT_MANAGE, ACCOUNT_READ, accountDetail, changeAccount, createStaff, grantRole, listAccounts, listRoles, revokeGrant, ROLE_ASSIGN, SESSION_REVOKE, type AccountQuery, type NewStaff } from './admin.js';

const tags = ['账号与角色 identity admin'];
const Uuid = Type.String({ format: 'uuid' });
const Division = Type.String({ format: 'division-code' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Names = Type.Object({ 'zh-CN': Type.String(), en: Type.String() });
const Kind = Type.String({ enum: ['citizen', 'enterprise', 'staff'] });
const Status = Type.String({ enum: ['active', 'disabled'] });

const rowFields = {
  id: Uuid, type: Kind, username: Type.String(), name: Type.String(), status: Status,
  locked: Type.Boolean({ description: '因多次登录失败而暂时锁定 / locked after failed sign-ins' }),
  division: Type.String(), departmentId: Nullable(Uuid), departmentName: Nullable(Type.String()), post: Nullable(Type.String()),
  idNumber: Nullable(Type.String({ description: '脱敏 / masked' })), mobile: Nullable(Type.String({ description: '脱敏 / masked' })),
  createdAt: Type.String({ format: 'date-time' }),
};
const AccountRow = Type.Object(rowFields);
const Grant = Type.Object({
  id: Uuid, role: Type.String(), roleName: Names, division: Type.String(), departmentId: Nullable(Uuid), grantedBy: Type.String(), grantedAt: Type.String({ format: 'date-time' }),
  revocable: Type.Boolean({ description: '当前用户可否收回 / may the caller revoke it' }),
});
const AccountDetail = Type.Object({
  ...rowFields, legalRepresentative: Nullable(Type.String()), uscc: Nullable(Type.String()), totpEnabled: Type.Boolean(), failedLogins: Type.Integer(),
  lockedUntil: Nullable(Type.String({ format: 'date-time' })), grants: Type.Array(Grant),
});
const Role = Type.Object({
  code: Type.String(), name: Names, requiresMfa: Type.Boolean(),
  permissions: Type.Array(Type.Object({ code: Type.String(), name: Names })),
  grantableIn: Type.Array(Type.String(), { description: '当前用户可在哪些区划授予此角色 / where the caller may grant it' }),
});
const IdParams = Type.Object({ id: Uuid });

const caller = (req: FastifyRequest): Caller => ({ principal: req.principal!, actor: actorOf(req), lang: pickLang(req.headers['accept-language']) });

export const identityAdminRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/identity/accounts', {
    config: { permission: ACCOUNT_READ },
    schema: {
      tags, summary: '账号列表 Accounts in the caller\'s divisions (search by name, username, or exactly a mobile or ID number); personal data masked',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 100 })), type: Type.Optional(Kind), status: Type.Optional(Status), division: Type.Optional(Division), departmentId: Type.Optional(Uuid),
        limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }), offset: Type.Integer({ minimum: 0, default: 0 }),
      }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(AccountRow) }) },
    },
  }, async (req) => listAccounts(core, caller(req), req.query as AccountQuery));

  app.post('/api/identity/accounts', {
    config: { permission: ACCOUNT_MANAGE },
    schema: {
      tags, summary: '新建工作人员账号 Create a staff account (password policy and checks as `yunling user create`; roles are granted separately)',
      body: Type.Object({
        username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }), name: Type.String({ minLength: 1, maxLength: 100 }),
        division: Division, mobile: Type.Optional(Type.String({ maxLength: 20 })), departmentId: Type.Optional(Uuid), post: Type.Optional(Type.String({ maxLength: 100 })),
      }, { additionalProperties: false }),
      response: { 201: AccountDetail },
    },
  }, async (req, reply) => {
    const c = caller(req);
    const a = await createStaff(core, c, req.body as NewStaff);
    return reply.code(201).send(await accountDetail(core, c, a.id));
  });

  app.get('/api/identity/accounts/:id', {
    config: { permission: ACCOUNT_READ },
    schema: { tags, summary: '账号详情 One account with its role grants and department', params: IdParams, response: { 200: AccountDetail } },
  }, async (req) => accountDetail(core, caller(req), (req.params as { id: string }).id));

  for (const [op, permission, summary] of [
    ['disable', ACCOUNT_MANAGE, '停用账号 Disable an account (also ends its sessions)'],
    ['enable', ACCOUNT_MANAGE, '启用账号 Enable a disabled account'],
    ['unlock', ACCOUNT_MANAGE, '解除锁定 Clear failed sign-ins and the lock'],
    ['revoke-sessions', SESSION_REVOKE, '强制下线 Sign the account out everywhere'],
  ] as const) {
    app.post(`/api/identity/accounts/:id/${op}`, {
      config: { permission },
      schema: { tags, summary, params: IdParams, response: { 200: AccountDetail } },
    }, async (req) => changeAccount(core, caller(req), (req.params as { id: string }).id, op));
  }

  app.post('/api/identity/accounts/:id/grants', {
    config: { permission: ROLE_ASSIGN },
    schema: {
      tags, summary: '授予角色 Grant a role in a division subtree (only where you hold identity:role.assign, and only roles whose platform permissions you hold there)',
      params: IdParams,
      body: Type.Object({ role: Type.String({ minLength: 1, maxLength: 64 }), division: Division, departmentId: Type.Optional(Nullable(Uuid)) }, { additionalProperties: false }),
      response: { 200: AccountDetail },
    },
  }, async (req) => grantRole(core, caller(req), (req.params as { id: string }).id, req.body as { role: string; division: string; departmentId?: string | null }));

  app.delete('/api/identity/accounts/:id/grants/:grantId', {
    config: { permission: ROLE_ASSIGN },
    schema: { tags, summary: '收回角色 Revoke a role grant', params: Type.Object({ id: Uuid, grantId: Uuid }), response: { 200: AccountDetail } },
  }, async (req) => {
    const { id, grantId } = req.params as { id: string; grantId: string };
    return revokeGrant(core, caller(req), id, grantId);
  });

  app.get('/api/identity/roles', {
    config: { permission: ACCOUNT_READ },
    schema: { tags, summary: '角色列表 Roles with their permissions, and where the caller may grant each', response: { 200: Type.Object({ items: Type.Array(Role) }) } },
  }, async (req) => ({ items: await listRoles(core, caller(req)) }));
};
