// Signed outgoing webhooks for other government systems. A durable subscriber turns each matching
// event into one delivery job per webhook (key webhook:<id>:<event>; the subscriber records the
// event with consumeOnce, so a redelivered event does not double-send); the job POSTs the event
// and retries with backoff (10 s · 2^(n-1), at most 6 h, 12 attempts) until the receiver says 2xx.
// Every attempt is a webhook_delivery row. A webhook disabled meanwhile gets nothing.
// Signature: X-Yunling-Signature: t=<unix seconds>,<alg>=<hex HMAC(secret, "<t>.<body>")>,
// alg = hmac-sm3 (CRYPTO_PROFILE=sm) or hmac-sha256 (intl). Receivers should reject old t.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Core } from '../index.js';
import type { Actor } from '../audit/record.js';
import { recordChange } from '../audit/record.js';
import { matches, rowToEvent, type YunlingEvent } from './types.js';
import { isWithin } from '../divisions/service.js';
import { consumeOnce } from './bus.js';
import { errorMessage } from '../jobs/error-message.js';

export const WEBHOOK_JOB = 'core.webhook.deliver';
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookInput {
  name: string;
  url: string;
  eventTypes: string[];
  division?: string | null;
  secret?: string;
}

export function signatureHeader(core: Core, secret: string, body: string, t: number): string {
  const alg = core.config.cryptoProfile === 'sm' ? 'hmac-sm3' : 'hmac-sha256';
  return `t=${t},${alg}=${core.crypto.hmac(Buffer.from(secret, 'utf8'), `${t}.${body}`).toString('hex')}`;
}

export async function createWebhook(core: Core, actor: Actor, input: WebhookInput): Promise<{ id: string; secret: string }> {
  const url = new URL(input.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('webhook URL must be http(s)');
  if (input.eventTypes.length === 0) throw new Error('a webhook needs at least one event type pattern');
  const secret = input.secret ?? randomBytes(24).toString('base64url');
  const enc = core.crypto.encrypt(core.keys.secrets, secret, Buffer.from('webhook-secret'));
  return core.db.transaction().execute(async (tx) => {
    const row = await tx.insertInto('webhook').values({ name: input.name, url: input.url, secret_enc: enc, event_types: input.eventTypes, division: input.division ?? null })
      .returning('id').executeTakeFirstOrThrow();
    await recordChange(tx, actor, { action: 'core.webhook.create', object: { type: 'webhook', id: row.id }, division: input.division ?? null, detail: { name: input.name, url: input.url, eventTypes: input.eventTypes } },
      { type: 'core.webhook.created', payload: { id: row.id, name: input.name } });
    return { id: row.id, secret };
  });
}

export async function setWebhookActive(core: Core, actor: Actor, id: string, active: boolean): Promise<boolean> {
  return core.db.transaction().execute(async (tx) => {
    const r = await tx.updateTable('webhook').set({ active }).where('id', '=', id).returning('division').executeTakeFirst();
    if (!r) return false;
    await recordChange(tx, actor, { action: active ? 'core.webhook.enable' : 'core.webhook.disable', object: { type: 'webhook', id }, division: r.division },
      { type: active ? 'core.webhook.enabled' : 'core.webhook.disabled', payload: { id } });
    return true;
  });
}

export async function listWebhooks(core: Core) {
  return core.db.selectFrom('webhook').select(['id', 'name', 'url', 'event_types', 'division', 'active', 'created_at']).orderBy('created_at').execute();
}

export function registerWebhooks(core: Core): void {
  core.events.subscribe('core.webhooks', '>', async (event: YunlingEvent) => {
    if (event.type.startsWith('core.webhook.')) return;
    const hooks = (await core.db.selectFrom('webhook').select(['id', 'event_types', 'division']).where('active', '=', true).execute())
      .filter((h) => h.event_types.some((p) => matches(p, event.type)) && (!h.division || isWithin(event.division, h.division)));
    if (hooks.length === 0) return;
    // consumeOnce: a redelivered event schedules nothing (the delivery job's key alone would not
    // stop a second send once the first delivery job is done).
    await core.db.transaction().execute(async (tx) => {
      if (!(await consumeOnce(tx, 'core.webhooks', event.id))) return;
      for (const h of hooks) {
        await core.jobs.schedule(tx, WEBHOOK_JOB, { webhookId: h.id, eventId: event.id }, { inMs: 0 }, { key: `webhook:${h.id}:${event.id}`, maxAttempts: 12, division: event.division });
      }
    });
  });

  core.jobs.define(WEBHOOK_JOB, {
    maxAttempts: 12,
    leaseMs: 60_000,
    backoffMs: (n) => Math.min(10_000 * 2 ** (n - 1), 6 * 3_600_000),
    handler: async (job) => {
      const { webhookId, eventId } = job.payload as { webhookId: string; eventId: string };
      const hook = await core.db.selectFrom('webhook').selectAll().where('id', '=', webhookId).executeTakeFirst();
      if (!hook || !hook.active) return;
      const row = (await sql<any>`SELECT * FROM outbox WHERE id = ${eventId}`.execute(core.db)).rows[0];
      if (!row) return;
      const event = rowToEvent(row);
      const secret = core.crypto.decrypt(core.keys.secrets, hook.secret_enc, Buffer.from('webhook-secret')).toString('utf8');
      const body = JSON.stringify(event);
      const t = Math.floor(core.clock.now().getTime() / 1000);
      const started = Date.now();
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': `Yunling/${core.version}`,
            'x-yunling-event': event.type,
            'x-yunling-event-id': event.id,
            'x-yunling-delivery-attempt': String(job.attempts),
            'x-yunling-signature': signatureHeader(core, secret, body, t),
          },
          body,
          signal: AbortSignal.any([job.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) error = `receiver answered ${res.status}`;
      } catch (err) {
        error = errorMessage(err);
      }
      await core.db.insertInto('webhook_delivery').values({ webhook_id: hook.id, event_id: event.id, attempt: job.attempts, status, error, duration_ms: Date.now() - started }).execute();
      if (error) throw new Error(error);
    },
  });
}
