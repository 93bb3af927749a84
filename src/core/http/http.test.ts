import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import type { Principal } from './auth.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;

const clerk: Principal = { id: 'user:test-admin', name: '测试管理员', kind: 'staff', permissions: new Set(['core:calendar.write']), scopes: ['530000'] };

beforeAll(async () => {
  t = await testApp({ env: { RATE_LIMIT_MAX: '1000', BODY_LIMIT: '2048' } });
  t.app.authenticators.push(async (req) => (req.headers.authorization === 'Bearer test-admin' ? clerk : null));
});
afterAll(() => t.close());

const put = (body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: '/api/calendar/divisions/532800/days/2026-04-13', headers: { authorization: 'Bearer test-admin', 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });

describe('problem+json errors', () => {
  it('lists every bad field at once, in Chinese by default', async () => {
    const r = await put({ kind: 'party', name: 42, extra: true });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = r.json();
    expect(p).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', title: '提交的内容有误，请按提示修改', type: '/problems/validation-failed' });
    const fields = p.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(fields).toEqual(['/body/extra', '/body/kind', '/body/name']);
    expect(p.errors.find((e: any) => e.pointer === '/body/kind').message).toBe('只能是：holiday、workday');
    expect(p.errors.find((e: any) => e.pointer === '/body/name').message).toBe('应为文本');
  });

  it('answers in English on Accept-Language: en', async () => {
    const r = await put({ kind: 'holiday' }, { 'accept-language': 'en-US,en;q=0.9' });
    const p = r.json();
    expect(p.title).toBe('The request has invalid fields');
    expect(p.errors).toEqual([{ pointer: '/body/name', code: 'required', message: 'is required' }]);
    expect(r.headers['content-language']).toBe('en');
  });

  it('validates params and query with the custom formats', async () => {
    const r = await t.app.inject({ url: '/api/calendar/deadline?start=yesterday&days=0&division=530199X' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: any) => e.pointer).sort()).toEqual(['/query/days', '/query/division', '/query/start']);
  });

  it('malformed JSON is a 400 problem, not a 500', async () => {
    const r = await put('{"kind": "holiday", ');
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'MALFORMED_JSON', title: '请求内容不是有效的 JSON' });
  });

  it('an oversize body is a 413 problem', async () => {
    const r = await put({ kind: 'holiday', name: 'x'.repeat(5000) });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('BODY_TOO_LARGE');
  });

  it('an unknown route is a 404 problem naming the route', async () => {
    const r = await t.app.inject({ url: '/api/nothing-here?x=1' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', detail: '没有 GET /api/nothing-here 这个接口' });
  });

  it('an unsupported content type is a 415 problem', async () => {
    const r = await t.app.inject({ method: 'PUT', url: '/api/calendar/divisions/532800/days/2026-04-13', headers: { authorization: 'Bearer test-admin', 'content-type': 'application/x-yaml' }, payload: 'kind: holiday' });
    expect(r.statusCode).toBe(415);
    expect(r.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('an unknown division is a 404 problem', async () => {
    const r = await t.app.inject({ url: '/api/divisions/539999' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'DIVISION_NOT_FOUND', detail: '行政区划 539999 不存在' });
  });
});

describe('access control', () => {
  it('a write without sign-in is 401, with the wrong permission 403; nothing is written', async () => {
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.core.db)).rows[0]!.n;
    const anon = await t.app.inject({ method: 'PUT', url: '/api/calendar/divisions/532800/days/2026-04-14', headers: { 'content-type': 'application/json' }, payload: { kind: 'holiday', name: '泼水节' } });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('UNAUTHENTICATED');
    t.app.authenticators.push(async (req) => (req.headers.authorization === 'Bearer reader' ? { ...clerk, id: 'user:reader', permissions: new Set(['core:other.read']) } : null));
    const reader = await t.app.inject({ method: 'PUT', url: '/api/calendar/divisions/532800/days/2026-04-14', headers: { authorization: 'Bearer reader' }, payload: { kind: 'holiday', name: '泼水节' } });
    expect(reader.statusCode).toBe(403);
    expect(reader.json()).toMatchObject({ code: 'FORBIDDEN', permission: 'core:calendar.write' });
    const after = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.core.db)).rows[0]!.n;
    expect(after).toBe(before);
  });

  it('an authorised write is applied, audited and evented in one transaction', async () => {
    const r = await put({ kind: 'holiday', name: '泼水节（傣历新年）' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ date: '2026-04-13', working: false, kind: 'holiday', source: 'division:532800' });
    const a = (await sql<any>`SELECT actor, action, object_id, division, request_id FROM audit_log ORDER BY seq DESC LIMIT 1`.execute(t.core.db)).rows[0];
    expect(a).toMatchObject({ actor: 'user:test-admin', action: 'core.calendar.day-set', object_id: '532800:2026-04-13', division: '532800', request_id: r.headers['x-request-id'] });
    const e = (await sql<any>`SELECT type, aggregate_id, payload FROM outbox ORDER BY seq DESC LIMIT 1`.execute(t.core.db)).rows[0];
    expect(e).toMatchObject({ type: 'core.calendar.day-set', aggregate_id: '532800:2026-04-13', payload: { kind: 'holiday' } });
    // The override applies below the prefecture (景洪市 532801) and not elsewhere (五华区 530102).
    const d = await t.app.inject({ url: '/api/calendar/deadline?start=2026-04-10T10:00:00%2B08:00&days=1&division=532801' });
    expect(d.json().due).toBe('2026-04-14T15:59:59.999Z');
    const k = await t.app.inject({ url: '/api/calendar/deadline?start=2026-04-10T10:00:00%2B08:00&days=1&division=530102' });
    expect(k.json().due).toBe('2026-04-13T15:59:59.999Z');
  });
});

describe('request ids, headers, rate limits', () => {
  it('echoes a given request id and generates one otherwise', async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.app.inject({ url: '/healthz' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'x'.repeat(300) } });
    expect(bad.headers['x-request-id']).not.toBe('x'.repeat(300));
  });

  it('sends security headers', async () => {
    const r = await t.app.inject({ url: '/healthz' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['strict-transport-security']).toBeDefined();
  });

  it('limits each client and answers 429 problem+json', async () => {
    const limited = await testApp({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.app.inject({ url: '/api/divisions?parent=530000', remoteAddress: '10.0.0.9' })).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const r = await limited.app.inject({ url: '/api/divisions', remoteAddress: '10.0.0.9' });
      expect(r.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', title: '请求过于频繁，请稍后再试' });
      expect((await limited.app.inject({ url: '/api/divisions', remoteAddress: '10.0.0.10' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('operations endpoints', () => {
  it('GET /healthz reports db, version and migrations', async () => {
    const r = await t.app.inject({ url: '/healthz' });
    expect(r.statusCode).toBe(200);
    const h = r.json();
    expect(h).toMatchObject({ status: 'ok', db: t.core.database.kind, version: t.core.version, migrations: { pending: 0 } });
    expect(h.migrations.applied).toBeGreaterThanOrEqual(5);
  });

  it('GET /readyz checks the database', async () => {
    const r = await t.app.inject({ url: '/readyz' });
    expect(r.json()).toEqual({ ready: true, checks: { database: 'ok', migrations: 'ok' } });
  });

  it('GET /metrics exposes latency by route, pool, outbox lag and job depth', async () => {
    await t.app.inject({ url: '/api/divisions?parent=530000' });
    const r = await t.app.inject({ url: '/metrics' });
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    const m = r.body;
    expect(m).toMatch(/yunling_http_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/api\/divisions",status="200"\}/);
    expect(m).toMatch(/yunling_db_pool_connections\{state="total"\} \d+/);
    expect(m).toMatch(/^yunling_outbox_lag_seconds \d/m);
    expect(m).toMatch(/^yunling_outbox_pending \d+/m);
    expect(m).toMatch(/^yunling_jobs_due \d+/m);
    expect(m).toMatch(/^yunling_audit_unsealed \d+/m);
  });

  it('GET /openapi.json is OpenAPI 3.1 generated from the route schemas; /docs serves the docs', async () => {
    const spec = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/divisions', '/api/divisions/{code}', '/api/calendar/deadline', '/api/calendar/divisions/{code}/days/{date}', '/healthz', '/api/audit/keys']));
    expect(spec.paths['/api/calendar/days'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'division']));
    const docs = await t.app.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('publishes the audit checkpoint key', async () => {
    const r = (await t.app.inject({ url: '/api/audit/keys' })).json();
    expect(r.hashAlgorithm).toBe('SM3');
    expect(r.keys[0]).toMatchObject({ algorithm: 'SM2-with-SM3', current: true });
    expect(r.keys[0].publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});
