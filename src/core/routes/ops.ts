// Liveness, readiness and version: for load balancers, systemd and operators.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Core } from '../index.js';
import { migrationStatus } from '../db/migrate.js';
import { allMigrations } from '../../migrations.js';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  db: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]),
  version: Type.String(),
  migrations: Type.Object({ applied: Type.Integer(), pending: Type.Integer(), latest: Type.Union([Type.String(), Type.Null()]) }),
});

export const opsRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/healthz', {
    config: { public: true },
    schema: { tags: ['运维 ops'], summary: '存活检查 Liveness and version', response: { 200: Health } },
  }, async () => {
    const m = await migrationStatus(core.db, allMigrations);
    return {
      status: m.pending.length === 0 ? ('ok' as const) : ('degraded' as const),
      db: core.database.kind,
      version: core.version,
      migrations: { applied: m.applied.length, pending: m.pending.length, latest: m.latest },
    };
  });

  app.get('/readyz', {
    config: { public: true },
    schema: { tags: ['运维 ops'], summary: '就绪检查 Readiness: database reachable, schema current' },
  }, async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      await sql`SELECT 1`.execute(core.db);
      checks.database = 'ok';
      const m = await migrationStatus(core.db, allMigrations);
      checks.migrations = m.pending.length === 0 ? 'ok' : `${m.pending.length} pending`;
    } catch (err) {
      checks.database = (err as Error).message;
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
};
