// hotline-intake: 12345 work orders accepted per second through HTTP (POST /api/hotline/orders:
// idempotency, validation, caller encryption + blind index, the case number, deadline on the
// working calendar, the case on the workflow engine, audit + outbox) against raw `pg`
// issuing the same statements, at the same concurrency (16), on the same PostgreSQL database, in the
// same run (issue 7: ratio ≥ 0.5).
//
// The baseline is a REPLAY of the statements one request sends, captured from the app's pool with
// their parameters and results: every value the database handed back in the captured run (ids,
// counters, the case number built from the counter) and every UUID the app made up is replaced by
// the replay's own, so each replayed order is a new, valid order with its own case and jobs. What
// the baseline does not do is the app's work between statements (HTTP, JSON Schema, validation,
// encryption, calendar arithmetic, Kysely's compilation).
// The load runs in this process (16 keep-alive connections): the server shares its CPU with the
// client, which counts against the HTTP side.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../dist/core/config.js';
import { createCore } from '../dist/core/index.js';
import { buildApp } from '../dist/app.js';
import { createAccount } from '../dist/platform/identity/accounts.js';
import { loadPrincipal } from '../dist/platform/identity/principal.js';
import { ensureWorkflows } from '../dist/modules/hotline/index.js';
import { withDatabase } from './lib/pg.mjs';
import { ms, num, percentile } from './lib/table.mjs';

export const name = 'hotline-intake';
export const summary = '12345 orders accepted/s via POST /api/hotline/orders vs raw pg replaying the same statements, concurrency 16';

const TARGET_RATIO = 0.5;
const settings = () => ({
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  rounds: Number(process.env.BENCH_ROUNDS ?? 2),
});

const ORDER = JSON.stringify({
  channel: 'phone', demandType: '投诉', categoryCode: '120101', content: '盘龙区某小区连续三天停水，物业和自来水公司都不给说法，请尽快恢复供水。',
  caller: { name: '王小明', phone: '13812345678' }, location: { division: '530102', address: '五华区青年路100号', lat: 25.04, lng: 102.71 },
});

/** Captures every statement sent through the pool's clients while on, with its parameters and result rows. */
function tracer(pool) {
  const log = [];
  let on = false;
  const connect = pool.connect;
  const patched = new Set();
  pool.connect = async function (...args) {
    const client = await connect.apply(this, args);
    if (!patched.has(client)) {
      patched.add(client);
      const query = client.query;
      client.query = function (q, ...rest) {
        const p = query.call(this, q, ...rest);
        if (on && p && typeof p.then === 'function') {
          const entry = { text: typeof q === 'string' ? q : q.text, values: Array.isArray(rest[0]) ? rest[0] : (q?.values ?? []), rows: [] };
          log.push(entry);
          return p.then((r) => { entry.rows = r?.rows ?? []; return r; });
        }
        return p;
      };
    }
    return client;
  };
  return { async run(fn) { log.length = 0; on = true; try { await fn(); } finally { on = false; } return [...log]; }, restore() { pool.connect = connect; } };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const NUMBER = /[A-Z]{2}\d{6,12}-\d{8}-\d{6}/g;
const scalar = (v) => (v instanceof Date ? v.toISOString() : typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : null);

function substitute(v, map) {
  if (typeof v === 'string') {
    if (map.has(v)) return map.get(v);
    let s = v.replace(UUID, (m) => map.get(m) ?? m);
    s = s.replace(NUMBER, (m) => map.get(m) ?? m);
    return s;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, map));
  return v;
}

/** Replays one captured request as a new order: fresh ids, the counter's next value, its own key. */
async function replay(pool, template, idemKey, newKey) {
  const returned = new Set(template.flatMap((st) => st.rows.flatMap((r) => Object.values(r).map(scalar).filter(Boolean))));
  const map = new Map([[idemKey, newKey]]);
  // UUIDs the app made up (not handed back by the database) get fresh ones.
  for (const st of template) for (const v of st.values) if (typeof v === 'string') for (const m of v.match(UUID) ?? []) if (!returned.has(m) && !map.has(m)) map.set(m, randomUUID());
  const c = await pool.connect();
  try {
    for (const st of template) {
      const r = await c.query(st.text, st.values.map((v) => substitute(v, map)));
      st.rows.forEach((row, i) => {
        for (const [k, old] of Object.entries(row)) {
          const o = scalar(old); const n = scalar(r.rows[i]?.[k]);
          if (o === null || n === null || o === n) continue;
          map.set(o, n);
          // A counter: the case number built from it changes with it.
          if (/^\d+$/.test(o)) for (const m of template.flatMap((s) => s.values).filter((x) => typeof x === 'string').flatMap((x) => x.match(NUMBER) ?? [])) {
            if (Number(m.slice(-6)) === Number(o)) map.set(m, m.slice(0, -6) + String(n).padStart(6, '0'));
          }
        }
      });
    }
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

function post(agent, port, key, token) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/hotline/orders', method: 'POST', agent,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-length': Buffer.byteLength(ORDER) } }, (res) => {
      const chunks = [];
      res.on('data', (x) => chunks.push(x));
      res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`POST → ${res.statusCode} ${Buffer.concat(chunks)}`))));
    });
    req.on('error', reject);
    req.end(ORDER);
  });
}

async function phase(concurrency, seconds, op) {
  const end = performance.now() + seconds * 1000;
  const lat = [];
  let i = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const k = i++;
      const t = performance.now();
      await op(k);
      lat.push(performance.now() - t);
    }
  }));
  return { count: lat.length, seconds: (performance.now() - t0) / 1000, lat };
}

export async function run() {
  const s = settings();
  return withDatabase('hotline_intake', async (url) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-bench-'));
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKERS: 'false', RATE_LIMIT_MAX: '1000000', DATABASE_POOL_SIZE: String(s.concurrency), BASE_URL: 'http://127.0.0.1:1' });
    const core = await createCore(config, { startWorkers: false });
    const pool = new pg.Pool({ connectionString: url, max: s.concurrency });
    let app;
    try {
      app = await buildApp(core);
      await ensureWorkflows(core);
      const acc = await createAccount(core, { id: 'system:bench' }, { type: 'staff', username: 'bench_operator', name: '压测话务员', division: '530102', roles: ['hotline_operator'], mobile: '13800880001' });
      const principal = await loadPrincipal(core, acc.id, { mfa: true });
      const token = 'bench.hotline-operator';
      app.authenticators.push(async (req) => (req.headers.authorization === `Bearer ${token}` ? principal : null));
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = app.server.address().port;
      const agent = new http.Agent({ keepAlive: true, maxSockets: s.concurrency });
      const run = randomUUID().slice(0, 8);
      for (let k = 0; k < 20; k++) await post(agent, port, `warm-${run}-${k}`, token);
      const tr = tracer(core.database.pool);
      const template = await tr.run(() => post(agent, port, `tpl-${run}`, token));
      const second = await tr.run(() => post(agent, port, `tpl2-${run}`, token));
      tr.restore();
      const shape = (l) => l.map((x) => x.text).join('\n');
      const stable = shape(template) === shape(second);
      await replay(pool, template, `tpl-${run}`, `check-${run}`);
      const rates = { http: [], raw: [] };
      const lats = { http: [], raw: [] };
      const per = s.seconds / s.rounds;
      for (let r = 0; r < s.rounds; r++) {
        const h = await phase(s.concurrency, per, (k) => post(agent, port, `h-${run}-${r}-${k}`, token));
        const b = await phase(s.concurrency, per, (k) => replay(pool, template, `tpl-${run}`, `b-${run}-${r}-${k}`));
        rates.http.push(h.count / h.seconds); rates.raw.push(b.count / b.seconds);
        lats.http.push(...h.lat); lats.raw.push(...b.lat);
      }
      agent.destroy();
      const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
      const orders = Number((await pool.query('SELECT count(*) FROM hotline_order')).rows[0].count);
      const jobs = Number((await pool.query("SELECT count(*) FROM job WHERE name = 'hotline.supervision'")).rows[0].count);
      const ratio = mean(rates.http) / mean(rates.raw);
      const row = (label, side, extra) => { const l = Float64Array.from(lats[side]).sort(); return { label, rate: num(mean(rates[side])), rounds: rates[side].map((x) => num(x)).join(' → '), p50: ms(percentile(l, 50)), p95: ms(percentile(l, 95)), p99: ms(percentile(l, 99)), n: num(l.length), ...extra }; };
      return [{
        title: `hotline intake — concurrency ${s.concurrency}, pools ${s.concurrency}, ${s.rounds} alternating rounds × ${num(per, 1)} s per side`,
        columns: [{ key: 'label', label: 'path', align: 'left' }, { key: 'rate', label: 'orders/s' }, { key: 'rounds', label: 'per round' }, { key: 'p50', label: 'p50' }, { key: 'p95', label: 'p95' }, { key: 'p99', label: 'p99' }, { key: 'n', label: 'orders' }, { key: 'ratio', label: 'vs baseline' }],
        rows: [
          row(`baseline: raw pg replaying the ${template.length} captured statements`, 'raw', { ratio: '1.00' }),
          row('POST /api/hotline/orders (HTTP, in-process client)', 'http', { ratio: `${num(ratio, 2)} ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'} (≥ ${TARGET_RATIO})` }),
        ],
        notes: [
          `Statements per order (BEGIN and COMMIT included), captured from the app's pool: ${template.length}; two consecutive requests sent ${stable ? 'identical sequences' : 'DIFFERENT sequences'}: ${template.map((x) => x.text.replace(/\s+/g, ' ').trim().split(' ').slice(0, 3).join(' ')).join(' · ')}.`,
          `After the run: ${num(orders)} orders in hotline_order (both sides write real orders), ${num(jobs)} 督办 jobs.`,
        ],
      }];
    } finally {
      await app?.close().catch(() => {});
      await core.close().catch(() => {});
      await pool.end().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
