// Signed outgoing webhooks against a real local HTTP receiver: retries with backoff, the body, the
// HMAC-SM3 / HMAC-SHA256 signature, disabled webhooks, division filters, one delivery row per attempt.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testCore, type TestCore } from '../../../test/db.js';
import { recordChange } from '../audit/record.js';
import { createWebhook, listWebhooks, setWebhookActive, WEBHOOK_JOB } from './webhooks.js';

interface Received { path: string; headers: http.IncomingHttpHeaders; body: string }

// The receiver: answers with the next status from `answers` (200 when empty), records each request.
let server: http.Server;
let base = '';
const received: Received[] = [];
const answers: number[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  // Keep idle connections open for the whole file: a server closing one just as the client reuses it
  // is a real-world ECONNRESET (the retry covers it), but would make these tests flaky.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

let t: TestCore | undefined;
beforeEach(() => {
  received.length = 0;
  answers.length = 0;
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const admin = { id: 'user:admin' };
async function approve(id: string, division = '530102'): Promise<string> {
  await t!.core.db.transaction().execute((tx) =>
    recordChange(tx, { id: 'user:clerk' }, { action: 'test.case.approve', object: { type: 'case', id }, division }, { type: 'test.case.approved', payload: { id, 名称: '营业执照' } }));
  return (await sql<{ id: string }>`SELECT id FROM outbox WHERE type = 'test.case.approved' ORDER BY seq DESC LIMIT 1`.execute(t!.core.db)).rows[0]!.id;
}
const deliveries = async () =>
  (await sql<any>`SELECT webhook_id, event_id, attempt, status, error FROM webhook_delivery ORDER BY id`.execute(t!.core.db)).rows;

/** Parses and checks `t=<unix>,<alg>=<hex>` the way a receiver would. */
function verifySignature(header: string | undefined, body: string, secret: string, alg: 'hmac-sm3' | 'hmac-sha256'): number {
  const m = /^t=(\d+),([a-z0-9-]+)=([0-9a-f]+)$/.exec(header ?? '');
  expect(m, `signature header ${header}`).not.toBeNull();
  const [, ts, gotAlg, hex] = m!;
  expect(gotAlg).toBe(alg);
  const mac = createHmac(alg === 'hmac-sm3' ? 'sm3' : 'sha256', secret).update(`${ts}.${body}`).digest();
  expect(hex).toHaveLength(64);
  expect(timingSafeEqual(mac, Buffer.from(hex!, 'hex'))).toBe(true);
  return Number(ts);
}

describe('webhooks', () => {
  it('retries a 500 with backoff, then delivers; body is the event JSON, signed with HMAC-SM3', async () => {
    t = await testCore();
    const { core, clock } = t;
    const hook = await createWebhook(core, admin, { name: '省电子证照库', url: `${base}/hooks/licence`, eventTypes: ['test.case.*'] });
    expect(hook.secret.length).toBeGreaterThanOrEqual(24);
    answers.push(500);
    const eventId = await approve('case-1');

    await core.workers.tick(); // dispatch → delivery job → POST → 500
    expect(received).toHaveLength(1);
    let rows = await deliveries();
    expect(rows).toEqual([{ webhook_id: hook.id, event_id: eventId, attempt: 1, status: 500, error: 'receiver answered 500' }]);
    const job = (await sql<any>`SELECT status, attempts, run_at, last_error FROM job WHERE name = ${WEBHOOK_JOB}`.execute(core.db)).rows[0];
    expect(job).toMatchObject({ status: 'pending', attempts: 1, last_error: 'receiver answered 500' });
    expect(new Date(job.run_at).getTime()).toBe(clock.now().getTime() + 10_000);

    clock.advance(9_999);
    await core.workers.tick();
    expect(received).toHaveLength(1);
    clock.advance(1);
    await core.workers.tick();
    expect(received).toHaveLength(2);
    rows = await deliveries();
    expect(rows.map((r) => [r.attempt, r.status, r.error])).toEqual([[1, 500, 'receiver answered 500'], [2, 200, null]]);
    expect((await sql<any>`SELECT status FROM job WHERE name = ${WEBHOOK_JOB}`.execute(core.db)).rows).toEqual([{ status: 'done' }]);

    const req = received[1]!;
    expect(req.path).toBe('/hooks/licence');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-yunling-event']).toBe('test.case.approved');
    expect(req.headers['x-yunling-event-id']).toBe(eventId);
    expect(req.headers['x-yunling-delivery-attempt']).toBe('2');
    const event = JSON.parse(req.body);
    const row = (await sql<any>`SELECT seq FROM outbox WHERE id = ${eventId}`.execute(core.db)).rows[0];
    expect(event).toMatchObject({ id: eventId, seq: row.seq, type: 'test.case.approved', aggregateType: 'case', aggregateId: 'case-1', division: '530102', actor: 'user:clerk', payload: { id: 'case-1', 名称: '营业执照' } });
    const ts = verifySignature(req.headers['x-yunling-signature'] as string, req.body, hook.secret, 'hmac-sm3');
    expect(ts).toBe(Math.floor(clock.now().getTime() / 1000));
    // The first attempt was signed with its own timestamp, and a wrong secret does not verify.
    const ts1 = verifySignature(received[0]!.headers['x-yunling-signature'] as string, received[0]!.body, hook.secret, 'hmac-sm3');
    expect(ts - ts1).toBe(10);
    const hex = /hmac-sm3=([0-9a-f]+)/.exec(req.headers['x-yunling-signature'] as string)![1];
    expect(createHmac('sm3', 'wrong-secret').update(`${ts}.${req.body}`).digest('hex')).not.toBe(hex);

    // A redelivered event (dispatcher crashed before marking it) is not sent again.
    await sql`UPDATE outbox SET dispatched_at = NULL WHERE id = ${eventId}`.execute(core.db);
    await core.workers.tick();
    expect(received).toHaveLength(2);
  });

  it('signs with HMAC-SHA256 under CRYPTO_PROFILE=intl', async () => {
    t = await testCore({ env: { CRYPTO_PROFILE: 'intl' } });
    const hook = await createWebhook(t.core, admin, { name: 'intl', url: `${base}/intl`, eventTypes: ['test.>'], secret: 'a-shared-secret-of-some-length' });
    expect(hook.secret).toBe('a-shared-secret-of-some-length');
    await approve('case-2');
    await t.core.workers.tick();
    expect(received).toHaveLength(1);
    verifySignature(received[0]!.headers['x-yunling-signature'] as string, received[0]!.body, hook.secret, 'hmac-sha256');
  });

  it('a disabled webhook gets nothing, also when disabled after the delivery was scheduled', async () => {
    t = await testCore();
    const { core } = t;
    const on = await createWebhook(core, admin, { name: 'on', url: `${base}/on`, eventTypes: ['test.case.approved'] });
    const off = await createWebhook(core, admin, { name: 'off', url: `${base}/off`, eventTypes: ['test.case.approved'] });
    expect(await setWebhookActive(core, admin, off.id, false)).toBe(true);
    expect(await setWebhookActive(core, admin, '00000000-0000-0000-0000-000000000000', false)).toBe(false);
    await approve('case-3');
    await core.workers.tick();
    expect(received.map((r) => r.path), JSON.stringify(await deliveries())).toEqual(['/on']);

    // Scheduled while active, disabled before the job ran: nothing is sent, the job ends.
    while ((await core.events.dispatchBatch()) > 0);
    await approve('case-4');
    while ((await core.events.dispatchBatch()) > 0);
    expect(await setWebhookActive(core, admin, on.id, false)).toBe(true);
    await core.jobs.runDue();
    expect(received).toHaveLength(1);
    expect((await deliveries()).map((d) => d.webhook_id)).toEqual([on.id]);
    expect((await listWebhooks(core)).map((h) => [h.name, h.active])).toEqual([['on', false], ['off', false]]);
  });

  it('filters by event type pattern and division subtree', async () => {
    t = await testCore();
    const { core } = t;
    await createWebhook(core, admin, { name: 'kunming', url: `${base}/kunming`, eventTypes: ['test.case.*'], division: '530100' });
    await createWebhook(core, admin, { name: 'other-type', url: `${base}/other`, eventTypes: ['hotline.>'] });
    await approve('in-kunming', '530102');
    await approve('in-chuxiong', '532301');
    await core.workers.tick();
    expect(received.map((r) => [r.path, JSON.parse(r.body).aggregateId])).toEqual([['/kunming', 'in-kunming']]);
    await expect(createWebhook(core, admin, { name: 'bad', url: 'ftp://example.org/x', eventTypes: ['>'] })).rejects.toThrow(/http/);
    await expect(createWebhook(core, admin, { name: 'bad', url: `${base}/x`, eventTypes: [] })).rejects.toThrow(/event type/);
  });

  it('records a connection failure as an attempt and retries', async () => {
    t = await testCore();
    const { core, clock } = t;
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await createWebhook(core, admin, { name: 'down', url: `http://127.0.0.1:${port}/x`, eventTypes: ['test.>'] });
    await approve('case-5');
    await core.workers.tick();
    const [d] = await deliveries();
    expect(d).toMatchObject({ attempt: 1, status: null });
    expect(d.error).toMatch(/fetch failed|ECONNREFUSED/);
    const job = (await sql<any>`SELECT status, attempts, max_attempts FROM job WHERE name = ${WEBHOOK_JOB}`.execute(core.db)).rows[0];
    expect(job).toEqual({ status: 'pending', attempts: 1, max_attempts: 12 });
    clock.advance(10_000);
    await core.workers.tick();
    expect((await deliveries()).map((x) => x.attempt)).toEqual([1, 2]);
  });
});
