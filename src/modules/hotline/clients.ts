// Client systems allowed to file orders through an API (Open311 apps, the 110 platform): a
// registered name, kind and division, and an API key shown once and stored only as its SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { getDivision } from '../../core/divisions/service.js';
import { assertMayIn, CREATE, READ, type Caller } from './access.js';
import { badFields } from './runner.js';

export type ClientKind = 'open311' | 'police-110';
export const CLIENT_MANAGE = 'identity:client.manage';
const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export async function registerClient(core: Core, caller: Caller, input: { name: string; kind: ClientKind; division: string }): Promise<{ id: string; apiKey: string }> {
  const errors = [];
  if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 100) errors.push({ pointer: '/body/name', code: 'required', message: '请填写 1–100 个字符的系统名称' });
  if (input.kind !== 'open311' && input.kind !== 'police-110') errors.push({ pointer: '/body/kind', code: 'enum', message: '类型须为 open311 或 police-110' });
  if (!/^\d{6}$/.test(String(input.division ?? '')) || !(await getDivision(core.db, input.division))) errors.push({ pointer: '/body/division', code: 'unknown', message: '行政区划不存在' });
  if (errors.length) throw badFields(errors);
  assertMayIn(caller.principal, CLIENT_MANAGE, input.division);
  const apiKey = `yl311_${randomBytes(24).toString('base64url')}`;
  const id = await core.db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('hotline_api_client').values({ name: input.name.trim(), kind: input.kind, division: input.division, key_hash: hash(apiKey), created_by: caller.actor.id, created_at: core.clock.now() }).returning('id').executeTakeFirstOrThrow();
    await recordChange(tx, caller.actor, { action: 'hotline.client.register', object: { type: 'hotline.client', id: row.id }, division: input.division, detail: { name: input.name, kind: input.kind } },
      { type: 'hotline.client.registered', payload: { name: input.name, kind: input.kind } });
    return row.id;
  });
  return { id, apiKey };
}

/** The principal of a client system for an API key (null if unknown, revoked or of another kind). */
export async function clientByKey(core: Core, apiKey: unknown, kind: ClientKind): Promise<Principal | null> {
  if (typeof apiKey !== 'string' || !apiKey) return null;
  const c = await core.db.selectFrom('hotline_api_client').selectAll().where('key_hash', '=', hash(apiKey)).where('kind', '=', kind).where('revoked_at', 'is', null).executeTakeFirst();
  if (!c) return null;
  return { id: `client:${kind}:${c.id}`, name: c.name, kind: 'client', permissions: new Set([CREATE, READ]), scopes: [c.division] };
}

export const keyRefused = () => new AppError('FORBIDDEN', { 'zh-CN': 'api_key 无效或未提供', en: 'api_key was not provided or is not valid' });
