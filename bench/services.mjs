// services (issue 5): two targets of 一网通办, on the machine's PostgreSQL, baselines in the same run.
//
// 1. Submissions: POST /api/services/applications over keep-alive HTTP from a separate load-generator
//    process (validation, authentication + permission, idempotency check, item resolution, form
//    validation, then one transaction: case number, workflow case with its task and timer jobs,
//    history, application row, two audit entries + events, the applicant's inbox and SMS
//    notifications and the SMS job) against a pg.Pool of the same size sending the same 32
//    statements per submission by hand (found by tracing the route; re-traced at the end and
//    compared). Every submission has a new idempotency key; they rotate over Yunnan's counties
//    (each has its own case-number counter row, as real traffic does). Alternating rounds.
// 2. Catalog search: 10,000 items (services-search.mjs), GET /api/services/items?q=…&division=530102
//    sequentially after a warm-up, against the same SQL sent alone through pg.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../dist/core/config.js';
import { createCore } from '../dist/core/index.js';
import { buildApp } from '../dist/app.js';
import { createAccount } from '../dist/platform/identity/accounts.js';
import { loadPrincipal } from '../dist/platform/identity/principal.js';
import { demoResidentId } from '../dist/platform/identity/seed.js';
import { loadServicesPack } from '../dist/modules/services/catalog/index.js';
import { withDatabase } from './lib/pg.mjs';
import { startLoadGenerator } from './lib/load.mjs';
import { postgresCpuSecondsBetween, postgresCpuSnapshot, selfCpuSeconds } from './lib/cpu.mjs';
import { ms, num, percentile } from './lib/table.mjs';
import { searchBench, traceStatements, shape } from './services-search.mjs';

export const name = 'services';
export const summary = 'application submissions/s via HTTP vs raw pg (same statements); catalog search p95 over 10,000 items';

const TARGET_RATIO = 0.5;
const ITEM = 'unemployment-insurance-benefit'; // svc.promised-1, personal-applicant form, one e-license material
const LICENSE_TYPE = '11100000000013127D001';

function settings() {
  return {
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
    rounds: Number(process.env.BENCH_ROUNDS ?? 4),
  };
}

// ---- baseline: the statements one submission sends (traced from the route) ---------------------

const SQL = {
  replay: 'select * from "svc_application" where "submitted_by" = $1 and "idempotency_key" = $2',
  item: 'select "id", "key", "basic_code" from "svc_item" where "key" = $1',
  local: 'select "division" from "svc_item_local" where "item_id" = $1 and "division" in ($2, $3, $4)',
  version: `SELECT v.id, v.item_id, i.key, i.basic_code, v.division, v.version, v.status, v.code, v.name, v.item_type, v.handling, v.legal_days, v.promised_days,
    v.department_code, v.department_name, v.form_key, v.workflow_key, v.materials, v.life_events, v.elements, v.digest, v.published_by, v.published_at, v.withdrawn_at
    FROM svc_item_version v JOIN svc_item i ON i.id = v.item_id WHERE v.item_id = $1 AND v.status = 'published' AND v.division = ANY($2::text[]) ORDER BY v.version DESC`,
  form: `select distinct on ("division") "id", "key", "version", "division", "status", "title_zh", "title_en", "schema", "ui_schema", "digest", "created_by", "created_at", "published_at", "withdrawn_at"
    from "form_definition" where "key" = $1 and "status" = $2 and "division" in ($3, $4, $5) order by "division", "version" desc`,
  division: 'select * from "division" where "code" = $1',
  counter: 'INSERT INTO case_number_counter (prefix, division, day, n) VALUES ($1, $2, $3, 1) ON CONFLICT (prefix, division, day) DO UPDATE SET n = case_number_counter.n + 1 RETURNING n',
  definition: 'select * from "wf_definition" where "key" = $1 and "division" in ($2, $3, $4) and "status" = $5 order by "version" desc',
  instance: `insert into "wf_instance" ("definition_id", "key", "division", "number", "title", "state", "state_seq", "applicant", "data", "parent_id", "parent_seq", "created_at", "updated_at", "state_entered_at")
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning *`,
  job: `INSERT INTO job (name, payload, key, division, run_at, max_attempts) VALUES ($1, $2::jsonb, $3, $4, $5, $6)
    ON CONFLICT (key) WHERE key IS NOT NULL AND status IN ('pending','running')
    DO UPDATE SET name = EXCLUDED.name, payload = EXCLUDED.payload, division = EXCLUDED.division, run_at = EXCLUDED.run_at,
      max_attempts = EXCLUDED.max_attempts, status = 'pending', attempts = 0, last_error = NULL, locked_by = NULL, locked_until = NULL`,
  task: `insert into "wf_task" ("instance_id", "state", "state_seq", "division", "role", "department_id", "assignee", "due_at", "created_at", "claimed_at")
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning "id"`,
  emit: 'INSERT INTO outbox (type, aggregate_type, aggregate_id, division, actor, request_id, payload) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)',
  history: `insert into "wf_history" ("instance_id", "at", "actor", "on_behalf_of", "kind", "action", "from_state", "to_state", "comment", "diff", "attachments", "detail")
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
  save: `update "wf_instance" set "state" = $1, "state_seq" = $2, "status" = $3, "outcome" = $4, "data" = $5, "pauses" = $6, "extension" = $7, "updated_at" = $8,
    "state_entered_at" = $9, "state_due_at" = $10, "due_at" = $11, "row_version" = row_version + 1 where "id" = $12`,
  recordChange: `WITH a AS ( INSERT INTO audit_log (actor, on_behalf_of, action, object_type, object_id, division, purpose, request_id, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) )
    INSERT INTO outbox (type, aggregate_type, aggregate_id, division, actor, request_id, payload) VALUES ($10, $11, $12, $13, $14, $15, $16::jsonb)`,
  application: `insert into "svc_application" ("number", "parent_id", "bundle_key", "item_version_id", "item_key", "item_name", "department_code", "division", "handling_division", "applicant",
    "applicant_account", "submitted_by", "channel", "status", "state", "outcome", "instance_id", "idempotency_key", "request_digest", "data", "materials", "result", "submitted_at", "updated_at", "completed_at")
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) returning *`,
  account: 'select "id", "name", "division", "status", "mobile_enc" from "account" where "id" = $1',
  template: 'select * from "notify_template" where "key" = $1 and "division" in ($2, $3, $4) order by "version" desc',
  preference: 'select "sms", "email", "muted_categories", "lang" from "notify_preference" where "account_id" = $1',
  notification: `insert into "notification" ("channel", "recipient_enc", "recipient_masked", "purpose", "subject", "body", "account_id", "division", "category", "template_key", "template_version", "lang", "created_at", "status", "adapter", "sent_at")
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning "id"`,
  sms: `insert into "notification" ("channel", "recipient_enc", "recipient_masked", "purpose", "subject", "body", "account_id", "division", "category", "template_key", "template_version", "lang", "created_at")
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning "id"`,
  sendJob: 'INSERT INTO job (name, payload, division, run_at, max_attempts) VALUES ($1, $2::jsonb, $3, $4, $5)',
};

const DAY = 86_400_000;
const chainOf = (d) => [d, `${d.slice(0, 4)}00`, `${d.slice(0, 2)}0000`];
// One formatter (building an Intl.DateTimeFormat per call costs ≈ 30 µs; the route's civilDay does so — see bench/README).
const BEIJING_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const dayOf = (at) => BEIJING_DAY.format(at);

/** One submission by hand: the same statements, parameters and rows as the route (deadlines as fixed offsets). */
async function rawSubmit(pool, w, i) {
  const division = w.divisions[i % w.divisions.length];
  const chain = chainOf(division);
  const key = `raw-${w.run}-${i}`;
  const data = w.data;
  const c = await pool.connect();
  try {
    if ((await c.query(SQL.replay, [w.applicant, key])).rows.length) throw new Error(`key ${key} reused`);
    const item = (await c.query(SQL.item, [ITEM])).rows[0];
    const marks = (await c.query(SQL.local, [item.id, ...chain])).rows;
    if (marks.length) throw new Error(`${ITEM} not implemented in ${division}`);
    const v = (await c.query(SQL.version, [item.id, chain])).rows[0];
    await c.query(SQL.form, [v.form_key, 'published', ...chain]);
    const materials = [{ materialId: 'id-card', name: v.materials[0].name, fileIds: [], license: w.license }];
    const now = new Date();
    await c.query('BEGIN');
    await c.query(SQL.division, [division]);
    const n = (await c.query(SQL.counter, ['YN', division, dayOf(now)])).rows[0].n;
    const number = `YN${division}-${dayOf(now).replaceAll('-', '')}-${String(n).padStart(6, '0')}`;
    const def = (await c.query(SQL.definition, [v.workflow_key, ...chain, 'published'])).rows[0];
    const caseData = { ...data, materials, item: { key: ITEM, versionId: v.id, name: v.name, department: v.department_code, promisedDays: v.promised_days }, acceptingDivision: division, channel: 'online' };
    const inst = (await c.query(SQL.instance, [def.id, v.workflow_key, division, number, v.name, 'submitted', 0, w.applicant, JSON.stringify(caseData), null, null, now, now, now])).rows[0];
    const overallDue = new Date(now.getTime() + 5 * DAY);
    for (let k = 0; k < 4; k++) {
      await c.query(SQL.job, ['workflow.timer', JSON.stringify({ instance: inst.id, scope: 'overall', seq: 0, step: k }), `wf:${inst.id}:overall:${k}`, null, new Date(now.getTime() + k * 2 * DAY), 10]);
    }
    const stateDue = new Date(now.getTime() + 3 * DAY);
    const task = (await c.query(SQL.task, [inst.id, 'submitted', 1, division, 'window_clerk', null, null, stateDue, now, null])).rows[0];
    await c.query(SQL.emit, ['workflow.task.assigned', 'workflow.instance', inst.id, division, 'system:workflow', null, JSON.stringify({
      kind: 'assigned', task: task.id, number, key: v.workflow_key, title: v.name, state: '待受理', assignee: null, role: 'window_clerk', department: null, dueAt: stateDue.toISOString() })]);
    for (let k = 0; k < 3; k++) {
      await c.query(SQL.job, ['workflow.timer', JSON.stringify({ instance: inst.id, scope: 'state', seq: 1, step: k }), `wf:${inst.id}:state:${k}`, null, new Date(stateDue.getTime() + (k - 1) * DAY), 10]);
    }
    await c.query(SQL.history, [inst.id, now, w.applicant, null, 'start', null, null, 'submitted', null, null, null, JSON.stringify({ version: def.version, division: def.division, parent: null })]);
    await c.query(SQL.save, ['submitted', 1, 'active', null, JSON.stringify(caseData), '[]', JSON.stringify({ workingDays: 0, workingHours: 0 }), now, now, stateDue, overallDue, inst.id]);
    const requestId = randomUUID();
    const started = JSON.stringify({ key: v.workflow_key, version: def.version, number, parent: null });
    await c.query(SQL.recordChange, [w.applicant, null, 'workflow.instance.start', 'workflow.instance', inst.id, division, null, requestId, started,
      'workflow.instance.started', 'workflow.instance', inst.id, division, w.applicant, requestId, JSON.stringify({ key: v.workflow_key, version: def.version, number, state: 'submitted', parent: null })]);
    const app = (await c.query(SQL.application, [number, null, null, v.id, ITEM, v.name, v.department_code, division, division, w.applicant, w.applicant.slice(5), w.applicant, 'online', 'submitted', 'submitted',
      null, inst.id, key, randomBytes(32).toString('hex'), JSON.stringify(data), JSON.stringify(materials), null, now, now, null])).rows[0];
    await c.query(SQL.recordChange, [w.applicant, null, 'services.application.submit', 'services.application', app.id, division, null, requestId,
      JSON.stringify({ number, itemKey: ITEM, itemVersionId: v.id, handlingDivision: division, channel: 'online', parentId: null }),
      'services.application.submitted', 'services.application', app.id, division, w.applicant, requestId,
      JSON.stringify({ id: app.id, number, itemKey: ITEM, itemName: v.name, division, handlingDivision: division, departmentCode: v.department_code, applicant: w.applicant, channel: 'online', instanceId: inst.id, parentId: null })]);
    const account = w.applicant.slice(5);
    await c.query(SQL.account, [account]);
    await c.query(SQL.template, ['services.case-status-changed', ...chain]);
    await c.query(SQL.preference, [account]);
    const purpose = `services.application:${app.id}`;
    const subject = `办件进度：${v.name}`;
    const inbox = (await c.query(SQL.notification, ['inbox', randomBytes(65), '张*', purpose, subject, `您申请的「${v.name}」（办件编号 ${number}）状态已更新为：已提交，等待受理。`, account, division, 'case-status', 'services.case-status-changed', 1, 'zh-CN', now, 'sent', 'inbox', now])).rows[0];
    await c.query(SQL.emit, ['notify.inbox.received', 'account', account, division, null, null, JSON.stringify({ accountId: account, id: inbox.id })]);
    const sms = (await c.query(SQL.sms, ['sms', randomBytes(40), '138****0001', purpose, subject, `【云岭】您的办件 ${number}「${v.name}」状态更新为：已提交，等待受理。`, account, division, 'case-status', 'services.case-status-changed', 1, 'zh-CN', now])).rows[0];
    await c.query(SQL.sendJob, ['notify.send', JSON.stringify({ id: sms.id }), division, now, 6]);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

async function rawPhase(pool, w, { concurrency, durationMs, startIndex }) {
  const latencies = new Float64Array(1_000_000);
  let count = 0, errors = 0, firstError = null, next = startIndex;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = next++;
      const start = performance.now();
      try { await rawSubmit(pool, w, i); } catch (err) { errors++; firstError ??= err.message; }
      latencies[count++] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count, errors, firstError, elapsedMs: performance.now() - t0, latencies: latencies.slice(0, count), nextIndex: next };
}

// ---- HTTP side ----------------------------------------------------------------------------------

/** Request bodies for the load generator's `fixed` kind: one per submission, each with its own key. */
function bodies(w, from, n) {
  return Array.from({ length: n }, (_, k) => JSON.stringify({
    itemKey: ITEM, division: w.divisions[(from + k) % w.divisions.length], data: w.data,
    materials: [{ materialId: 'id-card', license: w.license }], idempotencyKey: `http-${w.run}-${from + k}`,
  }));
}

class Side {
  segments = [];
  add(r, nodeCpuS, pgCpuS) { this.segments.push({ ...r, nodeCpuS, pgCpuS }); }
  get count() { return this.segments.reduce((s, r) => s + r.count, 0); }
  get seconds() { return this.segments.reduce((s, r) => s + r.elapsedMs, 0) / 1000; }
  get rate() { return this.count / this.seconds; }
  roundRate(i) { const r = this.segments.at(i); return r.count / (r.elapsedMs / 1000); }
  perOp(key) { const v = this.segments.map((r) => r[key]); return v.some((x) => x == null) ? null : v.reduce((a, b) => a + b, 0) / this.count; }
  latency() {
    const all = Float64Array.from(this.segments.flatMap((r) => Array.from(r.latencies))).sort();
    return { p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99) };
  }
}

async function segment(side, dbName, fn) {
  const cpu0 = selfCpuSeconds();
  const pg0 = postgresCpuSnapshot(dbName);
  const r = await fn();
  side.add(r, selfCpuSeconds() - cpu0, postgresCpuSecondsBetween(pg0, postgresCpuSnapshot(dbName)));
  if (r.errors > 0) throw new Error(`${r.errors} of ${r.count} submissions failed — first: ${r.firstError}`);
  const repeats = Object.entries(r.statuses ?? {}).filter(([s]) => s !== '201');
  if (repeats.length) throw new Error(`HTTP answered ${JSON.stringify(r.statuses)}: a body was reused (raise the body count)`);
  return r;
}

async function submissions(core, app, pool, dbName, s) {
  const segmentMs = (s.seconds * 1000) / s.rounds;
  const idNumber = demoResidentId('530102', '19900101', '101');
  const account = await createAccount(core, { id: 'system:bench' }, { type: 'citizen', username: 'bench_svc_citizen', name: '张三', division: '530102', idNumber, mobile: '13800990001' });
  const principal = await loadPrincipal(core, account.id, {});
  // A token the OIDC bearer authenticator does not claim (it has a '.'), as in write-path: the bench
  // measures the route, not the token store's lookups.
  const token = `bench.${randomBytes(24).toString('hex')}`;
  app.authenticators.push(async (req) => (req.headers.authorization === `Bearer ${token}` ? principal : null));
  const counties = (await pool.query(`SELECT code FROM division WHERE level = 'county' ORDER BY code`)).rows.map((r) => r.code);
  const w = {
    run: randomBytes(3).toString('hex'), divisions: counties, applicant: principal.id,
    data: { applicant: { name: '张三', idNumber, mobile: '13800990001' } },
    license: { type: LICENSE_TYPE, id: `1.2.156.3005.2.${LICENSE_TYPE}.11530102MB0000000X.${idNumber}.001.X` },
  };
  const load = startLoadGenerator();
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = app.server.address().port;
    const headers = { authorization: `Bearer ${token}` };
    let httpNext = 0;
    let rawNext = 0;
    let httpRate = 600;
    const httpPhase = async (durationMs) => {
      // Enough bodies for three times the best rate seen; a reused one would answer 200 and is refused above.
      const n = Math.ceil(httpRate * 3 * (durationMs / 1000)) + 200;
      const r = await load.run({ port, concurrency: s.concurrency, durationMs, maxRequests: n, request: { kind: 'fixed', method: 'POST', path: '/api/services/applications', headers, bodies: bodies(w, httpNext, n) } });
      httpNext += n;
      httpRate = Math.max(httpRate, r.count / (r.elapsedMs / 1000));
      return r;
    };
    const warmRaw = await rawPhase(pool, w, { concurrency: s.concurrency, durationMs: s.warmupSeconds * 1000, startIndex: rawNext });
    if (warmRaw.errors) throw new Error(`raw warm-up: ${warmRaw.firstError}`);
    rawNext = warmRaw.nextIndex;
    await segment(new Side(), dbName, () => httpPhase(s.warmupSeconds * 1000));
    await pool.query('CHECKPOINT');
    const raw = new Side();
    const http = new Side();
    for (let round = 0; round < s.rounds; round++) {
      const r = await segment(raw, dbName, () => rawPhase(pool, w, { concurrency: s.concurrency, durationMs: segmentMs, startIndex: rawNext }));
      rawNext = r.nextIndex;
      await segment(http, dbName, () => httpPhase(segmentMs));
    }
    // Diagnostics, untimed: the statement sequence of one submission on each side.
    const engineTrace = traceStatements(core.database.pool);
    const rawTrace = traceStatements(pool);
    const [body] = bodies(w, httpNext++, 1);
    const et = await engineTrace.run(async () => {
      const res = await app.inject({ method: 'POST', url: '/api/services/applications', headers: { ...headers, 'content-type': 'application/json' }, payload: body });
      if (res.statusCode !== 201) throw new Error(`traced submission: ${res.statusCode} ${res.body}`);
    });
    const rt = await rawTrace.run(() => rawSubmit(pool, w, rawNext++));
    engineTrace.restore();
    rawTrace.restore();
    if (process.env.BENCH_SERVICES_SQL) {
      const dump = (label, t) => t.map((q, i) => `-- ${label} #${i + 1}\n${q.text.replace(/\s+/g, ' ')}\n-- ${JSON.stringify(q.values)}`).join('\n');
      process.stderr.write(`${dump('route', et)}\n${dump('baseline', rt)}\n`);
    }
    const e = et.map((q) => shape(q.text));
    const b = rt.map((q) => shape(q.text));
    const same = e.join('|') === b.join('|');
    return { raw, http, same, counties: counties.length, statements: e.length, baselineStatements: b.length, firstDiff: same ? null : e.findIndex((x, i) => x !== b[i]), e, b };
  } finally {
    await load.stop();
  }
}

// ---- the run ------------------------------------------------------------------------------------

export async function run() {
  const s = settings();
  return withDatabase('services', async (url, dbName) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-bench-'));
    const config = loadConfig({
      DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKERS: 'false', RATE_LIMIT_MAX: '1000000',
      DATABASE_POOL_SIZE: String(s.concurrency), BASE_URL: 'http://127.0.0.1:1',
    });
    const core = await createCore(config, { startWorkers: false });
    const pool = new pg.Pool({ connectionString: url, max: s.concurrency });
    let app;
    try {
      app = await buildApp(core);
      await loadServicesPack(core);
      const sub = await submissions(core, app, pool, dbName, s);
      const ratio = sub.http.rate / sub.raw.rate;
      const row = (label, side, extra) => {
        const lat = side.latency();
        const nodeMs = side.perOp('nodeCpuS');
        const pgMs = side.perOp('pgCpuS');
        return {
          label, rate: num(side.rate), rounds: `${num(side.roundRate(0))} → ${num(side.roundRate(-1))}`, p50: ms(lat.p50), p95: ms(lat.p95), p99: ms(lat.p99), n: num(side.count),
          cpu: `${num(nodeMs * 1000, 2)} / ${pgMs === null ? '—' : num(pgMs * 1000, 2)}`, ...extra,
        };
      };
      const submissionsTable = {
        title: `services submissions — concurrency ${s.concurrency}, pools ${s.concurrency}, ${s.rounds} alternating rounds × ${num(s.seconds / s.rounds, 1)} s per side after ${s.warmupSeconds} s warm-up`,
        columns: [
          { key: 'label', label: 'path', align: 'left' }, { key: 'rate', label: 'submissions/s' }, { key: 'rounds', label: 'round 1 → last' },
          { key: 'p50', label: 'p50' }, { key: 'p95', label: 'p95' }, { key: 'p99', label: 'p99' }, { key: 'n', label: 'submissions' },
          { key: 'cpu', label: 'CPU ms per submission node / PG' }, { key: 'ratio', label: 'vs baseline' },
        ],
        rows: [
          row('baseline: raw pg, the same 32 statements by hand', sub.raw, { ratio: '1.00' }),
          row('POST /api/services/applications (HTTP, load generator)', sub.http, { ratio: `${num(ratio, 2)} ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'} (≥ ${TARGET_RATIO})` }),
        ],
        notes: [
          `Item ${ITEM} (workflow svc.promised-1, form personal-applicant, its one required material referenced by e-license), rotating over ${sub.counties} counties; every submission a new idempotency key. Node CPU for HTTP is the server process only (the load generator is a separate process).`,
          `Statements per submission, traced from the pools (BEGIN and COMMIT included): route ${sub.statements}, baseline ${sub.baselineStatements} — ${sub.same ? 'identical sequences' : `DIFFERENT from #${sub.firstDiff + 1}: route ${sub.e.slice(sub.firstDiff, sub.firstDiff + 3).join(', ')} vs baseline ${sub.b.slice(sub.firstDiff, sub.firstDiff + 3).join(', ')}`}. The baseline writes fixed-offset deadlines (no working calendar) and random bytes for the encrypted recipient.`,
        ],
      };
      const searchTables = await searchBench(core, app, pool);
      return [submissionsTable, ...searchTables];
    } finally {
      await app?.close().catch(() => {});
      await core.close().catch(() => {});
      await pool.end().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
