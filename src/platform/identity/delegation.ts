// 代办/委托: a person (or an enterprise) authorizes another person to act for them — for one
// service item or in general — until an expiry. An enterprise's staff act for it the same way
// (kind 'enterprise-staff'). While acting, every audit entry records both: actor = the agent,
// on_behalf_of = the principal.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Actor } from '../../core/audit/record.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';

export interface DelegationView {
  id: string;
  kind: 'proxy' | 'enterprise-staff';
  principal: { id: string; name: string; type: string };
  agent: { id: string; name: string; username: string };
  itemCode: string | null;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  active: boolean;
}

export async function grantDelegation(core: Core, actor: Actor, principalId: string, input: { agentUsername: string; itemCode?: string | null; expiresAt: string }): Promise<DelegationView> {
  const principal = await core.db.selectFrom('account').select(['id', 'type', 'division']).where('id', '=', principalId).executeTakeFirstOrThrow();
  const agent = await core.db.selectFrom('account').select(['id', 'type', 'status']).where(sql`lower(username)`, '=', input.agentUsername.trim().toLowerCase()).executeTakeFirst();
  const errors = [];
  const expires = new Date(input.expiresAt);
  if (!agent || agent.status !== 'active' || agent.type !== 'citizen') errors.push({ pointer: '/body/agentUsername', code: 'unknown', message: '受托人须为已实名注册的自然人账号' });
  else if (agent.id === principalId) errors.push({ pointer: '/body/agentUsername', code: 'self', message: '不能委托给自己' });
  if (Number.isNaN(expires.getTime()) || expires <= core.clock.now()) errors.push({ pointer: '/body/expiresAt', code: 'past', message: '到期时间须晚于现在' });
  else if (expires.getTime() - core.clock.now().getTime() > 366 * 86_400_000) errors.push({ pointer: '/body/expiresAt', code: 'too-long', message: '委托期限最长一年' });
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  const kind = principal.type === 'enterprise' ? 'enterprise-staff' : 'proxy';
  const id = await core.db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('delegation').values({ kind, principal_id: principalId, agent_id: agent!.id, item_code: input.itemCode ?? null, expires_at: expires }).returning('id').executeTakeFirstOrThrow();
    await recordChange(tx, actor, { action: 'identity.delegation.grant', object: { type: 'delegation', id: row.id }, division: principal.division, detail: { kind, principalId, agentId: agent!.id, itemCode: input.itemCode ?? null, expiresAt: expires.toISOString() } },
      { type: 'identity.delegation.granted', payload: { id: row.id, principalId, agentId: agent!.id } });
    return row.id;
  });
  return (await listDelegations(core, principalId)).find((d) => d.id === id)!;
}

export async function revokeDelegation(core: Core, actor: Actor, accountId: string, id: string): Promise<boolean> {
  return core.db.transaction().execute(async (tx) => {
    // The principal or the agent may end it.
    const r = await tx.updateTable('delegation').set({ revoked_at: core.clock.now() }).where('id', '=', id).where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('principal_id', '=', accountId), eb('agent_id', '=', accountId)])).returning(['principal_id', 'agent_id']).executeTakeFirst();
    if (!r) return false;
    await tx.updateTable('web_session').set({ acting_for: null, delegation_id: null }).where('delegation_id', '=', id).execute();
    await recordChange(tx, actor, { action: 'identity.delegation.revoke', object: { type: 'delegation', id }, detail: { principalId: r.principal_id, agentId: r.agent_id } },
      { type: 'identity.delegation.revoked', payload: { id } });
    return true;
  });
}

export async function listDelegations(core: Core, accountId: string): Promise<DelegationView[]> {
  const now = core.clock.now();
  const rows = (await sql<any>`
    SELECT d.*, p.name AS p_name, p.type AS p_type, a.name AS a_name, a.username AS a_username
    FROM delegation d JOIN account p ON p.id = d.principal_id JOIN account a ON a.id = d.agent_id
    WHERE d.principal_id = ${accountId} OR d.agent_id = ${accountId} ORDER BY d.created_at DESC`.execute(core.db)).rows;
  return rows.map((r) => ({
    id: r.id, kind: r.kind, principal: { id: r.principal_id, name: r.p_name, type: r.p_type }, agent: { id: r.agent_id, name: r.a_name, username: r.a_username },
    itemCode: r.item_code, expiresAt: new Date(r.expires_at).toISOString(), createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null, active: !r.revoked_at && new Date(r.expires_at) > now,
  }));
}

/** The delegation `agentId` may use now, or null (expired, revoked, not theirs). */
export async function usableDelegation(core: Core, agentId: string, delegationId: string): Promise<{ id: string; principalId: string; itemCode: string | null } | null> {
  const d = await core.db.selectFrom('delegation').select(['id', 'principal_id', 'item_code', 'expires_at', 'revoked_at']).where('id', '=', delegationId).where('agent_id', '=', agentId).executeTakeFirst();
  if (!d || d.revoked_at || new Date(d.expires_at) <= core.clock.now()) return null;
  return { id: d.id, principalId: d.principal_id, itemCode: d.item_code };
}
