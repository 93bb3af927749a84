// identity: OAuth client-credentials grants and password sign-ins against the anchor's published
// figures (Keycloak: 120 client-credentials grants/s and 15 password logins/s per vCPU). Goal:
// client credentials ≥ 600/s per core (5×), password logins at parity per core at OWASP argon2id
// parameters — the hash is the cost, so its time is printed too. "Per core" = requests per CPU
// second of the Yunling node (the load generator and PostgreSQL run on the same 2 cores and are
// reported beside it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../dist/core/config.js';
import { createCore } from '../dist/core/index.js';
import { buildApp } from '../dist/app.js';
import { createClient } from '../dist/platform/identity/oidc/clients.js';
import { createAccount } from '../dist/platform/identity/accounts.js';
import { ensureRoles } from '../dist/platform/identity/index.js';
import { hashPassword } from '../dist/platform/identity/password.js';
import { demoResidentId } from '../dist/platform/identity/seed.js';
import { withDatabase } from './lib/pg.mjs';
import { startLoadGenerator } from './lib/load.mjs';
import { postgresCpuSecondsBetween, postgresCpuSnapshot, selfCpuSeconds } from './lib/cpu.mjs';
import { latencySummary, ms, num } from './lib/table.mjs';

export const name = 'identity';
export const summary = 'client-credentials grants and password sign-ins per core vs Keycloak\'s published figures';

const KEYCLOAK = { clientCredentials: 120, passwordLogins: 15 };
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

async function measure(load, dbName, port, request, seconds) {
  await load.run({ port, concurrency: CONCURRENCY, durationMs: 1500, request });
  const cpu0 = selfCpuSeconds();
  const pg0 = postgresCpuSnapshot(dbName);
  const r = await load.run({ port, concurrency: CONCURRENCY, durationMs: seconds * 1000, request });
  const nodeCpu = selfCpuSeconds() - cpu0;
  const pgCpu = postgresCpuSecondsBetween(pg0, postgresCpuSnapshot(dbName));
  const lat = latencySummary(Array.from(r.latencies).sort((a, b) => a - b));
  return { ...r, nodeCpu, pgCpu, lat, rate: r.count / (r.elapsedMs / 1000), perCore: r.count / nodeCpu };
}

export async function run() {
  return withDatabase('identity', async (url, dbName) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-bench-'));
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKERS: 'false', RATE_LIMIT_MAX: '1000000', DATABASE_POOL_SIZE: String(CONCURRENCY), BASE_URL: 'http://127.0.0.1:1' });
    const core = await createCore(config, { startWorkers: false });
    const load = startLoadGenerator();
    let app;
    try {
      app = await buildApp(core);
      await ensureRoles(core);
      const { clientId, clientSecret } = await createClient(core, { id: 'system:bench' }, { name: '压测系统 bench', grant: 'client_credentials', permissions: ['core:calendar.write'], division: '530100' });
      const users = [];
      for (let i = 0; i < CONCURRENCY; i++) {
        const username = `bench_user_${i}`;
        await createAccount(core, { id: 'system:bench' }, { type: 'citizen', username, password: 'Bench-pass-2026', name: `压测${i}`, division: '530102', idNumber: demoResidentId('530102', '19900101', String(300 + i)) });
        users.push(JSON.stringify({ username, password: 'Bench-pass-2026' }));
      }
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = app.server.address().port;
      const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
      const cc = await measure(load, dbName, port, { kind: 'fixed', method: 'POST', path: '/oidc/token', body: 'grant_type=client_credentials', contentType: 'application/x-www-form-urlencoded', headers: { authorization: `Basic ${basic}` } }, SECONDS);
      const login = await measure(load, dbName, port, { kind: 'fixed', method: 'POST', path: '/api/auth/login', bodies: users }, SECONDS);
      const hashTimes = [];
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        await hashPassword('Bench-pass-2026');
        hashTimes.push(performance.now() - t);
      }
      hashTimes.sort((a, b) => a - b);
      const row = (label, m, anchor) => ({
        path: label, rate: num(m.rate), perCore: num(m.perCore), anchor: `${anchor}/s per vCPU`, ratio: `${(m.perCore / anchor).toFixed(1)}×`,
        p50: ms(m.lat.p50), p99: ms(m.lat.p99), errors: `${m.errors}${m.firstError ? ` (${m.firstError.slice(0, 60)})` : ''}`,
        cpu: `${num((m.nodeCpu / (m.elapsedMs / 1000)) * 100)} / ${num((m.pgCpu / (m.elapsedMs / 1000)) * 100)}`,
      });
      return [{
        title: `identity — concurrency ${CONCURRENCY}, ${SECONDS} s each, PostgreSQL, ${os.cpus().length} cores shared by node, PostgreSQL and the load generator`,
        columns: [
          { key: 'path', label: 'path', align: 'left' }, { key: 'rate', label: 'req/s' }, { key: 'perCore', label: 'per node CPU-second' },
          { key: 'anchor', label: 'Keycloak (published)' }, { key: 'ratio', label: 'vs Keycloak' }, { key: 'p50', label: 'p50' }, { key: 'p99', label: 'p99' },
          { key: 'cpu', label: 'CPU % node / PG' }, { key: 'errors', label: 'errors' },
        ],
        rows: [
          row('POST /oidc/token (client_credentials)', cc, KEYCLOAK.clientCredentials),
          row('POST /api/auth/login (argon2id m=19 MiB, t=2, p=1)', login, KEYCLOAK.passwordLogins),
        ],
        notes: [
          `argon2id hash time (one hash, this process): median ${ms(hashTimes[5])}, min ${ms(hashTimes[0])} — the floor of a password sign-in.`,
          'Goal: client credentials ≥ 5× Keycloak per core (≥ 600/s); password sign-ins at parity (≥ 15/s per core).',
          'Every grant and every sign-in writes an audit entry (and a token row) in PostgreSQL.',
        ],
      }];
    } finally {
      await load.stop();
      await app?.close();
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
