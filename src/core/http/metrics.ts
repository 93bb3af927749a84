// Prometheus metrics: HTTP latency by route, DB pool, outbox lag, job queue depth, audit backlog.
// One registry per app instance (tests run several apps in one process).
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import { sql } from 'kysely';
import type { Core } from '../index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry: modules add their gauges to it (served on /metrics). */
    metrics: client.Registry;
  }
}

export function registerMetrics(app: FastifyInstance, core: Core): client.Registry {
  const registry = new client.Registry();
  app.decorate('metrics', registry);
  client.collectDefaultMetrics({ register: registry, prefix: 'yunling_' });
  const http = new client.Histogram({
    name: 'yunling_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pool = core.database.pool;
  new client.Gauge({
    name: 'yunling_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  const outboxPending = new client.Gauge({ name: 'yunling_outbox_pending', help: 'Outbox events not yet dispatched', registers: [registry] });
  const outboxLag = new client.Gauge({ name: 'yunling_outbox_lag_seconds', help: 'Age of the oldest undispatched outbox event', registers: [registry] });
  const jobs = new client.Gauge({ name: 'yunling_jobs', help: 'Jobs by name and status (pending, running, dead)', labelNames: ['name', 'status'] as const, registers: [registry] });
  const jobsDue = new client.Gauge({ name: 'yunling_jobs_due', help: 'Pending jobs whose run time has come (queue depth)', registers: [registry] });
  const auditPending = new client.Gauge({ name: 'yunling_audit_unsealed', help: 'Audit entries not yet sealed into the hash chain', registers: [registry] });
  const refresh = async () => {
    const now = core.clock.now();
    const r = (await sql<{ pending: number; oldest: Date | null; due: number; unsealed: number }>`
      SELECT (SELECT count(*)::int FROM outbox WHERE dispatched_at IS NULL) AS pending,
             (SELECT min(created_at) FROM outbox WHERE dispatched_at IS NULL) AS oldest,
             (SELECT count(*)::int FROM job WHERE status = 'pending' AND run_at <= ${now}) AS due,
             (SELECT count(*)::int FROM audit_log a WHERE NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.seq = a.seq)
                AND a.seq > coalesce((SELECT max(seq) FROM audit_seal), 0) - 100000) AS unsealed`.execute(core.db)).rows[0]!;
    outboxPending.set(r.pending);
    outboxLag.set(r.oldest ? Math.max(0, (now.getTime() - new Date(r.oldest).getTime()) / 1000) : 0);
    jobsDue.set(r.due);
    auditPending.set(r.unsealed);
    jobs.reset();
    for (const d of await core.jobs.depth()) jobs.set({ name: d.name, status: d.status }, d.n);
  };
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    http.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    await refresh();
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}
