// write-path: an audited write through HTTP against raw `pg` doing the same three inserts per
// transaction, at the same concurrency, on the same PostgreSQL database, in the same run.
//
// HTTP side: the real route PUT /api/calendar/divisions/:code/days/:date — JSON-Schema validation,
// authentication + permission check, a SELECT that the division exists, one transaction with the
// calendar_day upsert and the audit_log + outbox CTE, then the calendar reload. Driven by a
// separate closed-loop load generator (child process) over keep-alive loopback connections.
// Baseline: a pg.Pool of the same size, BEGIN; upsert into a copy of calendar_day; INSERT
// audit_log; INSERT outbox; COMMIT — the same rows, the same tables, no HTTP, no query builder.
//
// The two sides run in alternating rounds (baseline, HTTP, baseline, HTTP, …) so that background
// load on a shared machine falls on both; every write uses a new (county, date) pair.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../dist/core/config.js';
import { createCore } from '../dist/core/index.js';
import { buildApp } from '../dist/app.js';
import { buildCalendar, loadNationalCalendars } from '../dist/core/calendar/index.js';
import { withDatabase } from './lib/pg.mjs';
import { startLoadGenerator } from './lib/load.mjs';
import { postgresCpuSecondsBetween, postgresCpuSnapshot, selfCpuSeconds } from './lib/cpu.mjs';
import { latencySummary, ms, num } from './lib/table.mjs';

export const name = 'write-path';
export const summary = 'audited HTTP write (validate, insert, audit, outbox) vs raw pg, same concurrency';

const TARGET_RATIO = 0.5;

function settings() {
  return {
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
    rounds: Number(process.env.BENCH_ROUNDS ?? 4),
  };
}

const DAY_MS = 86_400_000;
const FIRST_DATE = '2031-01-01';
const dateOf = (offset) => new Date(Date.parse(FIRST_DATE) + offset * DAY_MS).toISOString().slice(0, 10);

// ---- baseline: raw pg ---------------------------------------------------------------------------

const UPSERT = `INSERT INTO bench_calendar_day (division, date, kind, name) VALUES ($1, $2, $3, $4)
  ON CONFLICT (division, date) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, updated_at = now()`;
const AUDIT = `INSERT INTO audit_log (actor, on_behalf_of, action, object_type, object_id, division, purpose, request_id, detail)
  VALUES ($1, NULL, 'core.calendar.day-set', 'calendar-day', $2, $3, NULL, $4, $5::jsonb)`;
const OUTBOX = `INSERT INTO outbox (type, aggregate_type, aggregate_id, division, actor, request_id, payload)
  VALUES ('core.calendar.day-set', 'calendar-day', $1, $2, $3, $4, $5::jsonb)`;

/** Closed loop: `concurrency` workers, each BEGIN + 3 INSERT + COMMIT on a pooled connection. */
async function rawPhase(pool, { divisions, concurrency, durationMs, startIndex }) {
  const latencies = new Float64Array(1_000_000);
  let count = 0;
  let errors = 0;
  let firstError = null;
  let next = startIndex;
  const cpu0 = selfCpuSeconds();
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && count < latencies.length) {
      const i = next++;
      const division = divisions[i % divisions.length];
      const day = { division, date: dateOf(Math.floor(i / divisions.length)), kind: i % 2 ? 'holiday' : 'workday', name: `压测 bench ${i}` };
      const json = JSON.stringify(day);
      const id = `${division}:${day.date}`;
      const requestId = randomUUID();
      const start = performance.now();
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query(UPSERT, [division, day.date, day.kind, day.name]);
        await c.query(AUDIT, ['system:bench', id, division, requestId, json]);
        await c.query(OUTBOX, [id, division, 'system:bench', requestId, json]);
        await c.query('COMMIT');
      } catch (err) {
        errors++;
        firstError ??= err.message;
        await c.query('ROLLBACK').catch(() => {});
      } finally {
        c.release();
      }
      latencies[count++] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count, errors, firstError, elapsedMs: performance.now() - t0, cpuSeconds: selfCpuSeconds() - cpu0, latencies: latencies.slice(0, count), nextIndex: next };
}

// ---- rounds -------------------------------------------------------------------------------------

function checkNoErrors(label, r) {
  if (r.errors > 0) throw new Error(`${label}: ${r.errors} of ${r.count} writes failed — first: ${r.firstError}`);
}

/** Sums the segments of one side; CPU shares are per second of that side's wall time. */
class Side {
  segments = [];
  add(r, serverCpuS, pgCpuS) {
    this.segments.push({ ...r, serverCpuS, pgCpuS });
  }
  get count() { return this.segments.reduce((s, r) => s + r.count, 0); }
  get seconds() { return this.segments.reduce((s, r) => s + r.elapsedMs, 0) / 1000; }
  get rate() { return this.count / this.seconds; }
  roundRate(i) { const r = this.segments.at(i); return r.count / (r.elapsedMs / 1000); }
  share(key) {
    const v = this.segments.map((r) => r[key]);
    return v.some((x) => x === null || x === undefined) ? null : v.reduce((a, b) => a + b, 0) / this.seconds;
  }
  latency() {
    const all = new Float64Array(this.count);
    let o = 0;
    for (const r of this.segments) { all.set(r.latencies, o); o += r.latencies.length; }
    return latencySummary(all);
  }
}

/** Runs one segment and records the CPU this process and PostgreSQL spent during it. */
async function segment(side, dbName, fn) {
  const cpu0 = selfCpuSeconds();
  const pg0 = postgresCpuSnapshot(dbName);
  const r = await fn();
  const cpu1 = selfCpuSeconds();
  side.add(r, cpu1 - cpu0, postgresCpuSecondsBetween(pg0, postgresCpuSnapshot(dbName)));
  return r;
}

// ---- the run ------------------------------------------------------------------------------------

export async function run() {
  const s = settings();
  const segmentMs = (s.seconds * 1000) / s.rounds;
  const warmupMs = s.warmupSeconds * 1000;
  return withDatabase('write', async (url, dbName) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-bench-'));
    const config = loadConfig({
      DATABASE_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      WORKERS: 'false',
      // The limiter stays on (it is part of the path) but must not refuse the load; 1e6 is the config maximum.
      RATE_LIMIT_MAX: '1000000',
      DATABASE_POOL_SIZE: String(s.concurrency),
    });
    const core = await createCore(config, { startWorkers: false });
    const pool = new pg.Pool({ connectionString: url, max: s.concurrency });
    const load = startLoadGenerator();
    let app;
    try {
      app = await buildApp(core);
      // A token the OIDC bearer authenticator does not claim (it has a '.'), so the bench measures the
      // floor — validate, insert, audit, outbox — and not the token store's lookups (see bench/README).
      const token = `bench.${randomBytes(24).toString('hex')}`;
      const principal = { id: 'system:bench', name: 'bench', kind: 'system', permissions: new Set(['core:calendar.write']), scopes: ['530000'] };
      // Authenticators are read per request, so one can be added after ready().
      app.authenticators.push(async (req) => (req.headers.authorization === `Bearer ${token}` ? principal : null));
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = app.server.address().port;

      const divisions = (await pool.query(`SELECT code FROM division WHERE level = 'county' ORDER BY code`)).rows.map((r) => r.code);
      await pool.query(`CREATE TABLE bench_calendar_day (LIKE calendar_day INCLUDING ALL);
        ALTER TABLE bench_calendar_day ADD FOREIGN KEY (division) REFERENCES division(code);`);

      const request = { kind: 'calendar-put', divisions, firstDate: FIRST_DATE, token };
      const rawArgs = { divisions, concurrency: s.concurrency };
      const httpArgs = { port, concurrency: s.concurrency, request };
      let rawNext = 0;
      let httpNext = 0;
      const warmRaw = await rawPhase(pool, { ...rawArgs, durationMs: warmupMs, startIndex: rawNext });
      checkNoErrors('raw pg warm-up', warmRaw);
      rawNext = warmRaw.nextIndex;
      const warmHttp = await load.run({ ...httpArgs, durationMs: warmupMs, startIndex: httpNext });
      checkNoErrors('HTTP warm-up', warmHttp);
      httpNext = warmHttp.nextIndex;
      const rowsBefore = Number((await pool.query('SELECT count(*) FROM calendar_day')).rows[0].count);
      await pool.query('CHECKPOINT');

      const raw = new Side();
      const http = new Side();
      for (let round = 0; round < s.rounds; round++) {
        const r = await segment(raw, dbName, () => rawPhase(pool, { ...rawArgs, durationMs: segmentMs, startIndex: rawNext }));
        checkNoErrors('raw pg', r);
        rawNext = r.nextIndex;
        const h = await segment(http, dbName, () => load.run({ ...httpArgs, durationMs: segmentMs, startIndex: httpNext }));
        checkNoErrors('HTTP', h);
        httpNext = h.nextIndex;
      }
      const rowsAfter = Number((await pool.query('SELECT count(*) FROM calendar_day')).rows[0].count);
      // Every response was sent after its reload finished, so the node's calendar must hold every row now.
      const inMemory = core.calendar.calendar.overrides.length;

      // Diagnostics: one calendar reload at the final row count, split into the SELECT and the
      // in-memory rebuild; and the HTTP floor (a public route that touches no database).
      const reloads = 10;
      let t = performance.now();
      for (let i = 0; i < reloads; i++) await core.calendar.reload();
      const reloadMs = (performance.now() - t) / reloads;
      t = performance.now();
      let rows = [];
      for (let i = 0; i < reloads; i++) rows = await core.db.selectFrom('calendar_day').select(['division', 'date', 'kind', 'name']).execute();
      const selectMs = (performance.now() - t) / reloads;
      const national = loadNationalCalendars();
      t = performance.now();
      for (let i = 0; i < reloads; i++) buildCalendar(national, rows);
      const buildMs = (performance.now() - t) / reloads;

      const floor = new Side();
      const f = await segment(floor, dbName, () =>
        load.run({ port, concurrency: s.concurrency, durationMs: Math.min(3000, s.seconds * 1000), request: { kind: 'get', path: '/api/calendar/days?from=2026-01-05&to=2026-01-05' } }));
      checkNoErrors('HTTP floor', f);

      const ratio = http.rate / raw.rate;
      const row = (label, side, loadgen, extra) => {
        const lat = side.latency();
        const cpu = [side.share('serverCpuS'), side.share('pgCpuS'), loadgen ? side.share('cpuSeconds') : null];
        return {
          label, reqs: num(side.rate), rounds: `${num(side.roundRate(0))} → ${num(side.roundRate(-1))}`, p50: ms(lat.p50), p99: ms(lat.p99), n: num(side.count),
          cpu: cpu.map((v) => (v === null ? '—' : num(v * 100))).join(' / '), ...extra,
        };
      };
      return [
        {
          title: `write-path — concurrency ${s.concurrency}, pool ${s.concurrency}, ${s.rounds} alternating rounds × ${num(segmentMs / 1000, 1)} s per side after ${s.warmupSeconds} s warm-up`,
          columns: [
            { key: 'label', label: 'path', align: 'left' },
            { key: 'reqs', label: 'writes/s' },
            { key: 'rounds', label: 'round 1 → last' },
            { key: 'p50', label: 'p50' },
            { key: 'p99', label: 'p99' },
            { key: 'n', label: 'writes' },
            { key: 'cpu', label: 'CPU % node / PG / loadgen' },
            { key: 'ratio', label: 'vs baseline' },
          ],
          rows: [
            row('baseline: raw pg, BEGIN + 3 INSERT + COMMIT', raw, false, { ratio: '1.00' }),
            row('PUT /api/calendar/divisions/:code/days/:date', http, true, { ratio: `${num(ratio, 2)} ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'} (≥ ${TARGET_RATIO})` }),
            { ...row('diag: HTTP floor, GET /api/calendar/days (no DB)', floor, true, { ratio: '' }), rounds: '' },
          ],
          notes: [
            `calendar_day rows: ${num(rowsBefore)} after warm-up, ${num(rowsAfter)} at the end (distinct (county, date) pairs over ${divisions.length} counties); ` +
              `the node's in-memory calendar then held ${num(inMemory)} overrides${inMemory === rowsAfter ? ' (consistent)' : ' — STALE: a slower concurrent reload overwrote a newer one'}.`,
            `calendar reload at ${num(rowsAfter)} rows: ${ms(reloadMs)} (its SELECT ${ms(selectMs)}, its rebuild ${ms(buildMs)}) — the route runs one per write, so its cost grows with the table.`,
            `CPU % of one core per wall second: node = the process running the server (for the baseline: the pg client); PG = this database's backends + WAL writer, checkpointer, bgwriter; loadgen = the HTTP load generator, a separate process on the same cores.`,
          ],
        },
      ];
    } finally {
      await load.stop();
      await app?.close().catch(() => {});
      await core.close().catch(() => {});
      await pool.end().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
