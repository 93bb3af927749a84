// workflow: case transitions per second through the service layer — act(core, caller, id, action,
// input) from platform/workflow — against raw `pg` issuing the same statements, at the same
// concurrency, on the same PostgreSQL database and tables, in the same run (issue 4: ratio ≥ 0.5).
//
// The definition is a short chain of queue tasks, each with a state SLA and a two-rung ladder:
// submitted (window_clerk) → accept → review (approver) → pass → decision (department_admin) →
// approve → approved (final), plus an overall SLA with one rung. One transition therefore locks the
// case, finds the caller's task, completes it, cancels the old state's timer jobs, and either opens
// the next task (its `workflow.task.assigned` event and two new timer jobs) or, on the last step,
// cancels the overall timer; then the history row, the case row, and the audit entry + event.
//
// Cases are opened with startInstance before each timed segment (never inside it). Both sides run
// the same mix — every third transition is an accept, a pass, an approve — and each keeps its own
// cases: a case acted on goes to the back of the next step's queue. The baseline replays, per step,
// the statement sequence that one act() issues (checked at the end against a statement trace of the
// engine), with the same parameters, in one transaction on a pg.Pool of the same size. What it does
// not do is the engine's work between statements: the definition and permission checks, the
// requirements, the working-calendar deadlines (it writes fixed offsets) and Kysely's compilation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../dist/core/config.js';
import { createCore } from '../dist/core/index.js';
import { buildApp } from '../dist/app.js';
import { createAccount } from '../dist/platform/identity/accounts.js';
import { loadPrincipal } from '../dist/platform/identity/principal.js';
import { demoResidentId } from '../dist/platform/identity/seed.js';
import { publishDefinition } from '../dist/platform/workflow/definitions.js';
import { act, startInstance } from '../dist/platform/workflow/engine.js';
import { addDuration, rungTime } from '../dist/platform/workflow/deadlines.js';
import { withDatabase } from './lib/pg.mjs';
import { postgresCpuSecondsBetween, postgresCpuSnapshot, selfCpuSeconds } from './lib/cpu.mjs';
import { ms, num, percentile } from './lib/table.mjs';

export const name = 'workflow';
export const summary = 'workflow transitions/s through act() vs raw pg issuing the same statements, same concurrency';

const TARGET_RATIO = 0.5;
const DIVISION = '530102';

function settings() {
  return {
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
    rounds: Number(process.env.BENCH_ROUNDS ?? 4),
  };
}

// ---- the definition and the three steps ---------------------------------------------------------

const ladder = (beforeHours, afterDays) => [{ kind: 'remind', before: { workingHours: beforeHours } }, { kind: 'urge', after: { workingDays: afterDays } }];
const DEFINITION = {
  key: 'bench.approval',
  title: { 'zh-CN': '压测审批流程', en: 'Bench approval' },
  initial: 'submitted',
  sla: { workingDays: 20 },
  escalation: [{ kind: 'notice', after: { workingDays: 1 } }],
  states: [
    { id: 'submitted', name: { 'zh-CN': '待受理', en: 'Awaiting acceptance' }, assignment: { role: 'window_clerk' }, sla: { workingDays: 1 }, escalation: ladder(2, 0) },
    { id: 'review', name: { 'zh-CN': '审查', en: 'Review' }, assignment: { role: 'approver' }, sla: { workingDays: 3 }, escalation: ladder(4, 0) },
    { id: 'decision', name: { 'zh-CN': '决定', en: 'Decision' }, assignment: { role: 'department_admin' }, sla: { workingDays: 2 }, escalation: ladder(2, 1) },
    { id: 'approved', name: { 'zh-CN': '准予许可', en: 'Approved' }, kind: 'final', outcome: 'approved' },
  ],
  actions: [
    { id: 'accept', name: { 'zh-CN': '受理', en: 'Accept' }, from: ['submitted'], to: 'review', roles: ['window_clerk'], requires: { comment: true, fields: ['/applicant/name'] } },
    { id: 'pass', name: { 'zh-CN': '审查通过', en: 'Pass review' }, from: ['review'], to: 'decision', roles: ['approver'], requires: { comment: true } },
    { id: 'approve', name: { 'zh-CN': '准予许可', en: 'Approve' }, from: ['decision'], to: 'approved', roles: ['department_admin'], requires: { comment: true } },
  ],
};
const stateDef = (id) => DEFINITION.states.find((s) => s.id === id);
const STEPS = DEFINITION.actions.map((a) => ({ action: a.id, from: a.from[0], to: a.to, role: a.roles[0] }));
const COMMENTS = { accept: '材料齐全，予以受理', pass: '审查通过，拟准予许可', approve: '同意' };
const caseData = (i) => ({
  applicant: { name: '张三', idType: '居民身份证', mobileMasked: '138****0000' },
  item: { code: '530102-XK-0001', name: '公共场所卫生许可' },
  address: '云南省昆明市五华区东风西路 1 号',
  seq: i,
});
const STAFF_PER_ROLE = 4;

// ---- per-side case queues -----------------------------------------------------------------------

/**
 * Cases waiting for each step. Transition i takes step i mod 3 (the next step in line if that queue
 * is empty), so both sides run the same mix; a case that moved goes to the back of the next queue.
 */
class CaseQueues {
  queues = STEPS.map(() => []);
  heads = STEPS.map(() => 0);
  n = 0;
  waiting(step) { return this.queues[step].length - this.heads[step]; }
  take() {
    const s0 = this.n++ % STEPS.length;
    for (let k = 0; k < STEPS.length; k++) {
      const s = (s0 + k) % STEPS.length;
      if (this.waiting(s) > 0) return { id: this.queues[s][this.heads[s]++], step: s };
    }
    return null;
  }
  moved(item) { if (item.step + 1 < STEPS.length) this.queues[item.step + 1].push(item.id); }
  add(step, ids) { this.queues[step].push(...ids); }
  compact() {
    for (let s = 0; s < STEPS.length; s++) { this.queues[s] = this.queues[s].slice(this.heads[s]); this.heads[s] = 0; }
  }
}

// ---- baseline: raw pg, the statements one act() issues ------------------------------------------

const SQL = {
  lock: 'SELECT * FROM wf_instance WHERE id = $1 FOR UPDATE',
  tasks: 'SELECT id, assignee, role, department_id FROM wf_task WHERE instance_id = $1 AND state_seq = $2 AND status = $3 ORDER BY created_at',
  taskDone: 'UPDATE wf_task SET status = $1, vote = $2, completed_at = $3, completed_by = $4, assignee = $5, claimed_at = coalesce(claimed_at, $6) WHERE id = $7',
  cancelOpenTasks: 'UPDATE wf_task SET status = $1, completed_at = $2 WHERE instance_id = $3 AND state_seq = $4 AND status = $5',
  cancelJob: `UPDATE job SET status = 'cancelled', finished_at = $1, locked_by = NULL, locked_until = NULL WHERE key = $2 AND status IN ('pending','running') RETURNING id`,
  insertTask: `INSERT INTO wf_task (instance_id, state, state_seq, division, role, department_id, assignee, due_at, created_at, claimed_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
  emit: `INSERT INTO outbox (type, aggregate_type, aggregate_id, division, actor, request_id, payload) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
  scheduleJob: `INSERT INTO job (name, payload, key, division, run_at, max_attempts) VALUES ($1, $2::jsonb, $3, $4, $5, $6)
    ON CONFLICT (key) WHERE key IS NOT NULL AND status IN ('pending','running')
    DO UPDATE SET name = EXCLUDED.name, payload = EXCLUDED.payload, division = EXCLUDED.division, run_at = EXCLUDED.run_at,
      max_attempts = EXCLUDED.max_attempts, status = 'pending', attempts = 0, last_error = NULL, locked_by = NULL, locked_until = NULL`,
  history: `INSERT INTO wf_history (instance_id, at, actor, on_behalf_of, kind, action, from_state, to_state, comment, diff, attachments, detail)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
  save: `UPDATE wf_instance SET state = $1, state_seq = $2, status = $3, outcome = $4, data = $5, pauses = $6, extension = $7, updated_at = $8,
    state_entered_at = $9, state_due_at = $10, due_at = $11, row_version = row_version + 1 WHERE id = $12`,
  recordChange: `WITH a AS (
      INSERT INTO audit_log (actor, on_behalf_of, action, object_type, object_id, division, purpose, request_id, detail)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
    )
    INSERT INTO outbox (type, aggregate_type, aggregate_id, division, actor, request_id, payload)
    VALUES ($10, $11, $12, $13, $14, $15, $16::jsonb)`,
};

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const rungKey = (id, scope, i) => `wf:${id}:${scope}:${i}`;

/**
 * One transition by hand. The deadlines are fixed offsets (a working-day calendar is the engine's
 * business, not a write); every row, column and JSON document is the one act() writes.
 */
async function rawTransition(pool, who, id, step) {
  const s = STEPS[step];
  const from = stateDef(s.from);
  const to = stateDef(s.to);
  const final = to.kind === 'final';
  const actor = who.principal.id;
  const me = who.accountId;
  const requestId = randomUUID();
  const comment = COMMENTS[s.action];
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const row = (await c.query(SQL.lock, [id])).rows[0];
    if (!row || row.state !== s.from) throw new Error(`case ${id} is in ${row?.state}, expected ${s.from}`);
    const tasks = (await c.query(SQL.tasks, [id, row.state_seq, 'open'])).rows;
    const task = tasks.find((t) => t.assignee === me) ?? tasks.find((t) => !t.assignee && t.role === s.role);
    if (!task) throw new Error(`no open ${s.role} task on case ${id}`);
    const now = new Date();
    await c.query(SQL.taskDone, ['done', null, now, actor, task.assignee ?? me, now, task.id]);
    // leave the state: its other open tasks, its timers
    await c.query(SQL.cancelOpenTasks, ['cancelled', now, id, row.state_seq, 'open']);
    for (let i = 0; i < from.escalation.length; i++) await c.query(SQL.cancelJob, [now, rungKey(id, 'state', i)]);
    // enter the next one
    const seq = row.state_seq + 1;
    const stateDue = final ? null : new Date(now.getTime() + to.sla.workingDays * DAY_MS);
    if (final) {
      for (let i = 0; i < DEFINITION.escalation.length; i++) await c.query(SQL.cancelJob, [now, rungKey(id, 'overall', i)]);
    } else {
      const t = (await c.query(SQL.insertTask, [id, to.id, seq, row.division, to.assignment.role, null, null, stateDue, now, null])).rows[0];
      await c.query(SQL.emit, ['workflow.task.assigned', 'workflow.instance', id, row.division, 'system:workflow', null, JSON.stringify({
        kind: 'assigned', task: t.id, number: row.number, key: row.key, title: row.title, state: to.name['zh-CN'],
        // dueAt: the engine does not pass the task's due date to notifyTask, so the event says null (see bench/README).
        assignee: null, role: to.assignment.role, department: null, dueAt: null,
      })]);
      for (const [i, rung] of to.escalation.entries()) {
        const at = rung.before ? new Date(stateDue.getTime() - rung.before.workingHours * HOUR_MS) : new Date(stateDue.getTime() + rung.after.workingDays * DAY_MS);
        await c.query(SQL.scheduleJob, ['workflow.timer', JSON.stringify({ instance: id, scope: 'state', seq, step: i }), rungKey(id, 'state', i), null, at < now ? now : at, 10]);
      }
    }
    await c.query(SQL.history, [id, now, actor, null, 'action', s.action, s.from, s.to, comment, null, null, JSON.stringify({ task: task.id })]);
    const status = final ? 'completed' : 'active';
    const outcome = final ? to.outcome : null;
    await c.query(SQL.save, [s.to, seq, status, outcome, JSON.stringify(row.data), JSON.stringify(row.pauses), JSON.stringify(row.extension), now, now, stateDue, row.due_at, id]);
    await c.query(SQL.recordChange, [
      actor, null, 'workflow.instance.transition', 'workflow.instance', id, row.division, null, requestId, JSON.stringify({ action: s.action, from: s.from, to: s.to, number: row.number }),
      'workflow.instance.transitioned', 'workflow.instance', id, row.division, actor, requestId,
      JSON.stringify({ key: row.key, number: row.number, action: s.action, from: s.from, to: s.to, status, outcome }),
    ]);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

// ---- the service layer --------------------------------------------------------------------------

function engineTransition(core, who, id, step) {
  const s = STEPS[step];
  const caller = { principal: who.principal, actor: { id: who.principal.id, onBehalfOf: null, requestId: randomUUID() }, lang: 'zh-CN' };
  return act(core, caller, id, s.action, { comment: COMMENTS[s.action] });
}

// ---- closed loop --------------------------------------------------------------------------------

/** `concurrency` workers, each taking the next case from the queues and moving it one step. */
async function phase({ queues, staff, concurrency, durationMs, transition }) {
  const latencies = new Float64Array(1_000_000);
  const steps = STEPS.map(() => 0);
  let count = 0;
  let errors = 0;
  let starved = 0;
  let firstError = null;
  let turn = 0;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && count < latencies.length) {
      const item = queues.take();
      if (!item) { starved++; return; }
      const people = staff[STEPS[item.step].role];
      const who = people[turn++ % people.length];
      const start = performance.now();
      try {
        await transition(who, item.id, item.step);
        queues.moved(item);
        steps[item.step]++;
      } catch (err) {
        errors++;
        firstError ??= err.message;
      }
      latencies[count++] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  queues.compact();
  return { count, errors, starved, firstError, steps, elapsedMs: performance.now() - t0, latencies: latencies.slice(0, count) };
}

function checkNoErrors(label, r) {
  if (r.errors > 0) throw new Error(`${label}: ${r.errors} of ${r.count} transitions failed — first: ${r.firstError}`);
}

// Rows in the tables a transition writes, to check that both sides write the same per transition.
const COUNTS = `SELECT (SELECT count(*) FROM wf_task) AS "wf_task",
  (SELECT count(*) FROM wf_task WHERE status = 'done') AS "wf_task done",
  (SELECT count(*) FROM wf_history) AS "wf_history",
  (SELECT count(*) FROM job) AS "job",
  (SELECT count(*) FROM job WHERE status = 'cancelled') AS "job cancelled",
  (SELECT count(*) FROM audit_log) AS "audit_log",
  (SELECT count(*) FROM outbox) AS "outbox",
  (SELECT sum(row_version) FROM wf_instance) AS "wf_instance versions"`;
const countRows = async (pool) => Object.fromEntries(Object.entries((await pool.query(COUNTS)).rows[0]).map(([k, v]) => [k, Number(v)]));

/** Sums one side's segments: rate, latency, CPU per transition, rows written per transition. */
class Side {
  segments = [];
  rows = {};
  steps = STEPS.map(() => 0);
  add(r, extra) {
    this.segments.push({ ...r, ...extra });
    for (const [k, v] of Object.entries(extra.rows)) this.rows[k] = (this.rows[k] ?? 0) + v;
    r.steps.forEach((n, i) => (this.steps[i] += n));
  }
  get count() { return this.segments.reduce((s, r) => s + r.count, 0); }
  get seconds() { return this.segments.reduce((s, r) => s + r.elapsedMs, 0) / 1000; }
  get rate() { return this.count / this.seconds; }
  get starved() { return this.segments.reduce((s, r) => s + r.starved, 0); }
  roundRate(i) { const r = this.segments.at(i); return r.count / (r.elapsedMs / 1000); }
  perTransition(key) {
    const v = this.segments.map((r) => r[key]);
    return v.some((x) => x === null || x === undefined) ? null : v.reduce((a, b) => a + b, 0) / this.count;
  }
  share(key) {
    const v = this.segments.map((r) => r[key]);
    return v.some((x) => x === null || x === undefined) ? null : v.reduce((a, b) => a + b, 0) / this.seconds;
  }
  latency() {
    const all = new Float64Array(this.count);
    let o = 0;
    for (const r of this.segments) { all.set(r.latencies, o); o += r.latencies.length; }
    all.sort();
    return { p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99) };
  }
}

/** Runs one segment; records node and PostgreSQL CPU and the rows written during it. */
async function segment(side, pool, dbName, fn) {
  const rows0 = await countRows(pool);
  const cpu0 = selfCpuSeconds();
  const pg0 = postgresCpuSnapshot(dbName);
  const r = await fn();
  const nodeCpuS = selfCpuSeconds() - cpu0;
  const pgCpuS = postgresCpuSecondsBetween(pg0, postgresCpuSnapshot(dbName));
  const rows1 = await countRows(pool);
  side.add(r, { nodeCpuS, pgCpuS, rows: Object.fromEntries(Object.keys(rows1).map((k) => [k, rows1[k] - rows0[k]])) });
  return r;
}

// ---- statement trace ----------------------------------------------------------------------------

/** Records the text of every query sent through the pool's clients while on. */
function traceStatements(pool) {
  const log = [];
  const patched = [];
  let on = false;
  const connect = pool.connect;
  pool.connect = async function (...args) {
    const client = await connect.apply(this, args);
    if (!patched.some((p) => p.client === client)) {
      const query = client.query;
      patched.push({ client, query });
      client.query = function (q, ...rest) {
        if (on) log.push({ text: typeof q === 'string' ? q : q.text, values: Array.isArray(rest[0]) ? rest[0] : (q?.values ?? []) });
        return query.call(this, q, ...rest);
      };
    }
    return client;
  };
  return {
    async run(fn) { log.length = 0; on = true; try { await fn(); } finally { on = false; } return [...log]; },
    restore() { pool.connect = connect; for (const p of patched) p.client.query = p.query; },
  };
}

/** A statement's verb and table: `UPDATE job`, `SELECT wf_instance FOR UPDATE`, `WITH … audit_log + outbox`. */
function shape(text) {
  const t = text.replace(/\s+/g, ' ').trim();
  const verb = t.split(' ')[0].toUpperCase();
  if (verb === 'WITH') return `WITH … ${[...t.matchAll(/insert into "?(\w+)"?/gi)].map((m) => m[1]).join(' + ')}`;
  const table = { SELECT: /\bfrom "?(\w+)"?/i, INSERT: /^insert into "?(\w+)"?/i, UPDATE: /^update "?(\w+)"?/i, DELETE: /^delete from "?(\w+)"?/i }[verb]?.exec(t)?.[1];
  return `${verb}${table ? ` ${table}` : ''}${/ for update/i.test(t) ? ' FOR UPDATE' : ''}`;
}

// ---- set-up -------------------------------------------------------------------------------------

async function setUp(core) {
  const system = { id: 'system:bench' };
  let n = 0;
  const account = async (username, division, roles) => {
    const a = await createAccount(core, system, { type: 'staff', username, name: username, division, roles, mobile: `1380099${String(n++).padStart(4, '0')}` });
    return { accountId: a.id, principal: await loadPrincipal(core, a.id, { mfa: true }) };
  };
  const admin = await account('bench_wf_admin', '530000', ['department_admin']);
  await publishDefinition(core, { principal: admin.principal, actor: { id: admin.principal.id }, lang: 'zh-CN' }, { division: '530000', definition: DEFINITION });
  const staff = {};
  for (const s of STEPS) {
    staff[s.role] = [];
    for (let i = 0; i < STAFF_PER_ROLE; i++) staff[s.role].push(await account(`bench_wf_${s.role}_${i}`, DIVISION, [s.role]));
  }
  const citizen = await createAccount(core, system, { type: 'citizen', username: 'bench_wf_citizen', name: '张三', division: DIVISION, idNumber: demoResidentId(DIVISION, '19900101', '401') });
  return { staff, applicant: `user:${citizen.id}` };
}

/** Opens `n` cases (each in its own transaction, `concurrency` at a time), as a clerk's start would. */
async function openCases(core, world, n, concurrency, next) {
  const ids = new Array(n);
  let i = 0;
  const worker = async () => {
    while (i < n) {
      const k = i++;
      const seq = next.value++;
      const row = await core.db.transaction().execute((tx) => startInstance(core, tx, { id: world.staff.window_clerk[seq % STAFF_PER_ROLE].principal.id, requestId: randomUUID() },
        { key: DEFINITION.key, division: DIVISION, data: caseData(seq), applicant: world.applicant, number: `BENCH-${String(seq).padStart(7, '0')}` }));
      ids[k] = row.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/**
 * Tops a side's queues up before a segment: enough fresh cases for `transitions` (a third of them
 * are accepts), and a buffer of cases already in review and decision so that no worker waits.
 */
async function topUp(core, world, queues, transitions, concurrency, next) {
  const buffer = 4 * concurrency;
  const fresh = Math.max(0, Math.ceil(transitions / STEPS.length) + buffer - queues.waiting(0));
  if (fresh) queues.add(0, await openCases(core, world, fresh, concurrency, next));
  for (let step = 1; step < STEPS.length; step++) {
    const missing = Math.max(0, buffer - queues.waiting(step));
    if (!missing) continue;
    // Cases for a later step are opened and moved there through the engine, untimed.
    const ids = await openCases(core, world, missing, concurrency, next);
    for (let s = 0; s < step; s++) {
      await Promise.all(ids.map((id, k) => engineTransition(core, world.staff[STEPS[s].role][k % STAFF_PER_ROLE], id, s)));
    }
    queues.add(step, ids);
  }
}

// ---- the run ------------------------------------------------------------------------------------

export async function run() {
  const s = settings();
  const segmentMs = (s.seconds * 1000) / s.rounds;
  const warmupMs = s.warmupSeconds * 1000;
  return withDatabase('workflow', async (url, dbName) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-bench-'));
    const config = loadConfig({
      DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKERS: 'false',
      DATABASE_POOL_SIZE: String(s.concurrency), BASE_URL: 'http://127.0.0.1:1',
    });
    const core = await createCore(config, { startWorkers: false });
    const pool = new pg.Pool({ connectionString: url, max: s.concurrency });
    let app;
    try {
      // buildApp registers the workflow's timer job and event subscribers and the built-in roles, as in production.
      app = await buildApp(core);
      const world = await setUp(core);
      const next = { value: 0 };
      const engineQ = new CaseQueues();
      const rawQ = new CaseQueues();
      const engineSide = { queues: engineQ, staff: world.staff, concurrency: s.concurrency, transition: (who, id, step) => engineTransition(core, who, id, step) };
      const rawSide = { queues: rawQ, staff: world.staff, concurrency: s.concurrency, transition: (who, id, step) => rawTransition(pool, who, id, step) };

      // Warm-up (sizes the case supply for the rounds), then alternating measured rounds.
      const guess = 1500;
      let setupMs = 0;
      const supply = async (queues, rate, durationMs) => {
        const t = performance.now();
        await topUp(core, world, queues, Math.ceil(rate * (durationMs / 1000) * 1.5), s.concurrency, next);
        setupMs += performance.now() - t;
      };
      await supply(rawQ, guess, warmupMs);
      const warmRaw = await phase({ ...rawSide, durationMs: warmupMs });
      checkNoErrors('raw pg warm-up', warmRaw);
      await supply(engineQ, guess, warmupMs);
      const warmEngine = await phase({ ...engineSide, durationMs: warmupMs });
      checkNoErrors('act() warm-up', warmEngine);
      let rawRate = warmRaw.count / (warmRaw.elapsedMs / 1000);
      let engineRate = warmEngine.count / (warmEngine.elapsedMs / 1000);
      await pool.query('CHECKPOINT');

      const raw = new Side();
      const engine = new Side();
      for (let round = 0; round < s.rounds; round++) {
        await supply(rawQ, rawRate, segmentMs);
        const r = await segment(raw, pool, dbName, () => phase({ ...rawSide, durationMs: segmentMs }));
        checkNoErrors('raw pg', r);
        rawRate = Math.max(rawRate, r.count / (r.elapsedMs / 1000));
        await supply(engineQ, engineRate, segmentMs);
        const e = await segment(engine, pool, dbName, () => phase({ ...engineSide, durationMs: segmentMs }));
        checkNoErrors('act()', e);
        engineRate = Math.max(engineRate, e.count / (e.elapsedMs / 1000));
      }

      // Diagnostics, untimed: the statements one transition of each step sends, engine and baseline.
      await topUp(core, world, engineQ, STEPS.length, 1, next);
      await topUp(core, world, rawQ, STEPS.length, 1, next);
      const engineTrace = traceStatements(core.database.pool);
      const rawTrace = traceStatements(pool);
      const statements = [];
      for (let step = 0; step < STEPS.length; step++) {
        const who = world.staff[STEPS[step].role][0];
        const eid = engineQ.queues[step][engineQ.heads[step]++];
        const rid = rawQ.queues[step][rawQ.heads[step]++];
        const et = await engineTrace.run(() => engineTransition(core, who, eid, step));
        const rt = await rawTrace.run(() => rawTransition(pool, who, rid, step));
        if (process.env.BENCH_WORKFLOW_SQL) {
          const dump = (label, t) => t.map((q, i) => `-- ${label} ${STEPS[step].action} #${i + 1}\n${q.text.replace(/\s+/g, ' ')}\n-- ${JSON.stringify(q.values)}`).join('\n');
          process.stderr.write(`${dump('act()', et)}\n${dump('baseline', rt)}\n`);
        }
        const e = et.map((q) => shape(q.text));
        const r = rt.map((q) => shape(q.text));
        statements.push({ step: STEPS[step].action, engine: e, raw: r, same: e.join('|') === r.join('|') });
      }
      engineTrace.restore();
      rawTrace.restore();

      // The working-calendar arithmetic the engine does per accept/pass (the baseline writes fixed offsets).
      const calendarMs = (() => {
        const reps = 200;
        const t = performance.now();
        for (let i = 0; i < reps; i++) {
          const now = new Date();
          const due = addDuration(core, now, { workingDays: 3 }, DIVISION);
          addDuration(core, new Date(now.getTime() - 86_400_000), { workingDays: 20 }, DIVISION); // the overall deadline, recomputed on entry
          for (const step of ladder(4, 0)) rungTime(core, due, step, DIVISION, now);
        }
        return (performance.now() - t) / reps;
      })();

      const ratio = engine.rate / raw.rate;
      const perStep = (side) => side.steps.map((n, i) => `${STEPS[i].action} ${num(n)}`).join(', ');
      const statementsPer = (side) => (side === 'engine'
        ? statements.map((x) => x.engine.length) : statements.map((x) => x.raw.length)).join(' / ');
      const row = (label, side, key, extra) => {
        const lat = side.latency();
        const nodeMs = side.perTransition('nodeCpuS');
        const pgMs = side.perTransition('pgCpuS');
        return {
          label, rate: num(side.rate), rounds: `${num(side.roundRate(0))} → ${num(side.roundRate(-1))}`,
          p50: ms(lat.p50), p95: ms(lat.p95), p99: ms(lat.p99), n: num(side.count), stmts: statementsPer(key),
          cpuPer: `${nodeMs === null ? '—' : num(nodeMs * 1000, 2)} / ${pgMs === null ? '—' : num(pgMs * 1000, 2)}`,
          cpu: `${num(side.share('nodeCpuS') * 100)} / ${side.share('pgCpuS') === null ? '—' : num(side.share('pgCpuS') * 100)}`,
          ...extra,
        };
      };
      const rowsPer = Object.keys(engine.rows).map((k) => {
        const e = engine.rows[k] / engine.count;
        const r = raw.rows[k] / raw.count;
        return `${k} ${num(e, 2)}${Math.abs(e - r) > 0.02 ? ` vs ${num(r, 2)} (DIFFERENT)` : ''}`;
      });
      const sameStatements = statements.every((x) => x.same);
      return [
        {
          title: `workflow — concurrency ${s.concurrency}, pools ${s.concurrency}, ${s.rounds} alternating rounds × ${num(segmentMs / 1000, 1)} s per side after ${s.warmupSeconds} s warm-up`,
          columns: [
            { key: 'label', label: 'path', align: 'left' },
            { key: 'rate', label: 'transitions/s' },
            { key: 'rounds', label: 'round 1 → last' },
            { key: 'p50', label: 'p50' },
            { key: 'p95', label: 'p95' },
            { key: 'p99', label: 'p99' },
            { key: 'n', label: 'transitions' },
            { key: 'stmts', label: 'statements accept / pass / approve' },
            { key: 'cpuPer', label: 'CPU ms per transition node / PG' },
            { key: 'cpu', label: 'CPU % node / PG' },
            { key: 'ratio', label: 'vs baseline' },
          ],
          rows: [
            row('baseline: raw pg, the same statements by hand', raw, 'raw', { ratio: '1.00' }),
            row('act(core, caller, id, action, input)', engine, 'engine', { ratio: `${num(ratio, 2)} ${ratio >= TARGET_RATIO ? 'PASS' : 'MISS'} (≥ ${TARGET_RATIO})` }),
          ],
          notes: [
            `Definition: submitted → accept → review → pass → decision → approve → approved; queues by role in ${DIVISION}; each task state has an SLA and a two-rung ladder (remind before, urge after), the case an overall SLA with one rung. Mix: act() ${perStep(engine)}; baseline ${perStep(raw)}.`,
            `Statements per transition (BEGIN and COMMIT included), traced from the pool: ${sameStatements ? 'identical sequences on both sides' : 'DIFFERENT — the baseline no longer mirrors the engine'}: ` +
              statements.map((x, i) => `${x.step}: ${i > 0 && x.engine.join() === statements[i - 1].engine.join() ? `as ${statements[i - 1].step}` : x.engine.join(', ')}${x.same ? '' : ` ≠ baseline ${x.raw.join(', ')}`}`).join('; ') + '.',
            `Rows written per transition (act(); the baseline's only where it differs): ${rowsPer.join(', ')}.`,
            `${num(next.value)} cases opened with startInstance outside the timed segments (${num(setupMs / 1000, 1)} s of set-up)${engine.starved + raw.starved ? `; workers ran out of cases ${engine.starved + raw.starved} times` : ''}.`,
            `The engine's working-calendar arithmetic for one accept/pass (state deadline, overall deadline, two rungs): ${ms(calendarMs)}; the baseline writes fixed offsets instead.`,
            `CPU: node = this process (for the baseline: the pg client); PG = this database's backends + WAL writer, checkpointer, bgwriter.`,
          ],
        },
      ];
    } finally {
      await app?.close().catch(() => {});
      await core.close().catch(() => {});
      await pool.end().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
