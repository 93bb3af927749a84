// Delegations over HTTP, and switching the current session to act for someone.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { actorOf } from '../../core/http/auth.js';
import { audit } from '../../core/audit/record.js';
import { grantDelegation, listDelegations, revokeDelegation, usableDelegation } from './delegation.js';
import { sessionToken } from './sessions.js';
import { createHash } from 'node:crypto';

const accountIdOf = (principalId: string) => principalId.startsWith('user:') ? principalId.slice(5) : null;
const tags = ['委托代办 delegation'];

export const delegationRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/delegations', {
    config: { permission: 'identity:delegation.manage' },
    schema: { tags, summary: '我的委托（委托他人和受他人委托）My delegations, given and received' },
  }, async (req) => ({ items: await listDelegations(core, accountIdOf(req.principal!.id)!) }));

  app.post('/api/delegations', {
    config: { permission: 'identity:delegation.manage' },
    schema: {
      tags,
      summary: '委托他人代办 Authorize someone to act for me (or, for an enterprise, a staff member)',
      body: Type.Object({
        agentUsername: Type.String({ minLength: 3, maxLength: 64 }),
        itemCode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
        expiresAt: Type.String({ format: 'date-time' }),
      }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    if (req.principal!.onBehalfOf) throw new AppError('FORBIDDEN', { 'zh-CN': '代办身份下不能再委托他人', en: 'You cannot delegate while acting for someone' });
    const d = await grantDelegation(core, actorOf(req), accountIdOf(req.principal!.id)!, req.body as { agentUsername: string; itemCode?: string | null; expiresAt: string });
    return reply.code(201).send(d);
  });

  app.post('/api/delegations/:id/revoke', {
    config: { permission: 'identity:delegation.manage' },
    schema: { tags, summary: '撤销委托 Revoke a delegation (principal or agent)', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
  }, async (req, reply) => {
    const ok = await revokeDelegation(core, actorOf(req), accountIdOf(req.principal!.id)!, (req.params as { id: string }).id);
    if (!ok) throw new AppError('NOT_FOUND');
    return reply.code(204).send();
  });

  app.post('/api/auth/act-as', {
    config: { permission: 'identity:delegation.manage' },
    schema: {
      tags,
      summary: '切换代办身份 Act for the principal of a delegation (null to act as myself again)',
      body: Type.Object({ delegationId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const token = sessionToken(req);
    if (!token) throw new AppError('UNAUTHENTICATED');
    const agentId = accountIdOf(req.principal!.id)!;
    const { delegationId } = req.body as { delegationId: string | null };
    const d = delegationId ? await usableDelegation(core, agentId, delegationId) : null;
    if (delegationId && !d) throw new AppError('NOT_FOUND', { 'zh-CN': '委托不存在、已过期或已撤销', en: 'No such active delegation' });
    const idHash = createHash('sha256').update(token).digest('base64url');
    await core.db.updateTable('web_session').set({ acting_for: d?.principalId ?? null, delegation_id: d?.id ?? null }).where('id_hash', '=', idHash).execute();
    await audit(core.db, { ...actorOf(req), onBehalfOf: d ? `user:${d.principalId}` : null }, { action: d ? 'identity.act-as.start' : 'identity.act-as.stop', object: d ? { type: 'delegation', id: d.id } : null });
    return { actingFor: d?.principalId ?? null, itemCode: d?.itemCode ?? null };
  });
};
