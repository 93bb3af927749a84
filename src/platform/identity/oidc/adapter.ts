// The provider's storage: one PostgreSQL table (oidc_payload) for every model — sessions,
// interactions, grants, codes, tokens — and the client registry (oidc_client) for model 'Client'.
// Expiry uses the database's now(), like the provider's own checks use the real clock.
import { sql } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Core } from '../../../core/index.js';
import { providerClientMetadata } from './clients.js';
import './tables.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v.length ? v : null);

export class PostgresAdapter implements Adapter {
  constructor(
    private readonly core: Core,
    readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const json = JSON.stringify(payload);
    const expires = typeof expiresIn === 'number' && expiresIn > 0 ? sql`now() + make_interval(secs => ${expiresIn})` : sql`NULL`;
    await sql`INSERT INTO oidc_payload (model, id, payload, grant_id, user_code, uid, expires_at)
      VALUES (${this.model}, ${id}, ${json}::jsonb, ${str(payload.grantId)}, ${str(payload.userCode)}, ${str(payload.uid)}, ${expires})
      ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, user_code = EXCLUDED.user_code,
        uid = EXCLUDED.uid, expires_at = EXCLUDED.expires_at, consumed_at = NULL`.execute(this.core.db);
  }

  private async one(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    if (typeof value !== 'string' || !value) return undefined;
    const r = await sql<{ payload: AdapterPayload; consumed: number | null }>`
      SELECT payload, floor(extract(epoch FROM consumed_at))::int AS consumed FROM oidc_payload
      WHERE model = ${this.model} AND ${sql.ref(column)} = ${value} AND (expires_at IS NULL OR expires_at > now())
      LIMIT 1`.execute(this.core.db);
    const row = r.rows[0];
    if (!row) return undefined;
    return row.consumed !== null ? { ...row.payload, consumed: row.consumed } : row.payload;
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.one('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.one('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.one('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await sql`UPDATE oidc_payload SET consumed_at = now() WHERE model = ${this.model} AND id = ${id} AND consumed_at IS NULL`.execute(this.core.db);
  }

  async destroy(id: string): Promise<void> {
    await sql`DELETE FROM oidc_payload WHERE model = ${this.model} AND id = ${id}`.execute(this.core.db);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await sql`DELETE FROM oidc_payload WHERE model = ${this.model} AND grant_id = ${grantId}`.execute(this.core.db);
  }
}

/** Model 'Client': read-only view of the registry; a disabled client is not found. */
export class ClientAdapter implements Adapter {
  constructor(private readonly core: Core) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    return providerClientMetadata(this.core, id);
  }

  async upsert(): Promise<void> {
    throw new Error('clients are registered with createClient(), not through the provider');
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(): Promise<void> {}

  async destroy(): Promise<void> {
    throw new Error('clients are disabled with disableClient(), not through the provider');
  }

  async revokeByGrantId(): Promise<void> {}
}

/** The adapter factory the provider is configured with. */
export function postgresAdapterFactory(core: Core): (model: string) => Adapter {
  return (model) => (model === 'Client' ? new ClientAdapter(core) : new PostgresAdapter(core, model));
}

/** Deletes expired state (safe on every node at once). Returns the number of rows removed. */
export async function purgeExpired(core: Core): Promise<number> {
  const r = await sql`DELETE FROM oidc_payload WHERE expires_at < now() - interval '1 minute'`.execute(core.db);
  return Number(r.numAffectedRows ?? 0);
}
