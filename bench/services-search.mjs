// The catalog-search half of bench/services.mjs (issue 5: p95 ≤ 20 ms over 10,000 items on
// PostgreSQL), and the statement tracer both halves use.
//
// Items: the demo pack's 35 items are the templates. 10,000 are published through publishItem (the
// real path: validation, jieba tokens, the tsvector), named the way real catalogs vary: a pack
// item's name with a variant (（变更）, （延续）, （告知承诺制）…), or a government term with an action
// (公积金 + 提取, 残疾人两项补贴 + 申领…), each keeping a template's materials, body and time limits.
// 70 % are province items, 20 % 昆明市 (530100), 10 % spread over 昆明's counties, so that
// 五华区 (530102) resolves about 9,000 in force.
// Measured: GET /api/services/items?division=530102&q=… over realistic queries, sequentially, one
// keep-alive connection, after a warm-up; baseline: the SQL that request sends (traced), alone.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { publishItem } from '../dist/modules/services/catalog/index.js';
import { packItems } from '../dist/modules/services/catalog/pack.js';
import { DEFAULT_PACK_DIR } from '../dist/modules/services/catalog/index.js';
import { SEARCH_PACK_DIR } from '../dist/modules/services/catalog/search-jieba.js';
import { ms, num, percentile } from './lib/table.mjs';

const TARGET_P95_MS = 20;

export const QUERIES = [
  '办营业执照', '生孩子要办什么', '退休手续', '公积金提取', '身份证丢了', '低保怎么申请', '结婚登记要带什么', '开公司', '注销公司', '异地就医备案',
  '社保卡丢了', '上户口', '打疫苗', '领发票', '个税退税', '失业金怎么领', '办护照', '公积金贷款', '开饭店', '医保转移',
  '营业执照', '社保卡', '公积金', '医保', '退休', '不动产登记', '残疾人两项补贴', '高龄津贴', '出生医学证明', '户口迁移', '婚姻登记', '养老金',
  '食品经营许可', '一网通办', '统一社会信用代码', '税', '000117', '跨省通办', '免申即享', '好差评',
];

const VARIANTS = ['', '（变更）', '（延续）', '（注销）', '（补办）', '（首次申请）', '（告知承诺制）', '（跨省通办）', '（全程网办）', '（容缺受理）'];
const ACTIONS = ['申领', '变更', '注销', '备案', '核准', '登记', '审批', '补办', '查询', '证明开具', '提取', '转移接续', '资格认证', '待遇核定'];
const COUNTIES_OF_KUNMING = ['530102', '530103', '530111', '530112', '530113', '530114', '530115', '530124', '530125', '530126', '530127', '530128', '530129', '530181'];

/** Records the text of every query sent through the pool's clients while on (Kysely uses pool.connect()). */
export function traceStatements(pool) {
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

/** A statement's verb and table: `INSERT job`, `SELECT svc_item_version`, `WITH … audit_log + outbox`. */
export function shape(text) {
  const t = text.replace(/\s+/g, ' ').trim();
  const verb = t.split(' ')[0].toUpperCase();
  if (verb === 'WITH') return `WITH … ${[...t.matchAll(/insert into "?(\w+)"?/gi)].map((m) => m[1]).join(' + ')}`;
  const table = { SELECT: /\bfrom "?(\w+)"?/i, INSERT: /^insert into "?(\w+)"?/i, UPDATE: /^update "?(\w+)"?/i, DELETE: /^delete from "?(\w+)"?/i }[verb]?.exec(t)?.[1];
  return `${verb}${table ? ` ${table}` : ''}${/ for update/i.test(t) ? ' FOR UPDATE' : ''}`;
}

function govTerms() {
  return fs.readFileSync(path.join(SEARCH_PACK_DIR, 'gov-terms.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' ')[0]);
}

/** The i-th generated item: a template from the pack with a varied name, its own key and division. */
function generated(templates, terms, i) {
  const t = templates[i % templates.length];
  const r = i % 10;
  const division = r < 7 ? '530000' : r < 9 ? '530100' : COUNTIES_OF_KUNMING[Math.floor(i / 10) % COUNTIES_OF_KUNMING.length];
  const byTerm = i % 2 === 1;
  const term = terms[Math.floor(i / 2) % terms.length];
  const action = ACTIONS[Math.floor(i / 7) % ACTIONS.length];
  const name = byTerm ? `${term}${action}` : `${t.name}${VARIANTS[Math.floor(i / templates.length) % VARIANTS.length]}`;
  const { code: _c, ...rest } = t;
  return {
    ...rest, key: `bench-item-${i}`, division, name: name.slice(0, 100),
    basicCode: String(100000000000 + i).slice(0, 12),
    keywords: byTerm ? [term, `${action}${term}`] : (t.keywords ?? []),
  };
}

export async function publishAll(core, n, concurrency) {
  const { items } = await packItems(DEFAULT_PACK_DIR);
  const templates = items.filter((x) => x.item.division === '530000').map((x) => x.item);
  const terms = govTerms();
  const principal = { id: 'system:bench', name: 'bench', kind: 'system', permissions: new Set(['services:item.manage']), scopes: ['530000'] };
  const caller = { principal, actor: { id: 'system:bench', onBehalfOf: null, requestId: null }, lang: 'zh-CN' };
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      await publishItem(core, caller, generated(templates, terms, i));
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - t) / 1000;
}

function get(agent, port, p) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, agent, headers: { accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`${p} → ${res.statusCode}`))));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const summary = (arr) => { const s = Float64Array.from(arr).sort(); return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) }; };

export async function searchBench(core, app, pool) {
  const n = Number(process.env.BENCH_SEARCH_ITEMS ?? 10000);
  const reps = Number(process.env.BENCH_SEARCH_REPS ?? 20);
  const publishSeconds = await publishAll(core, n, 8);
  await pool.query('VACUUM ANALYZE svc_item_version');
  const total = Number((await pool.query('SELECT count(*) FROM svc_item_version')).rows[0].count);
  const port = app.server.address().port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = (q) => `/api/services/items?division=530102&q=${encodeURIComponent(q)}`;
  // The SQL each request sends (traced once), replayed alone for the baseline.
  const tracer = traceStatements(core.database.pool);
  const statements = new Map();
  const hits = new Map();
  for (const q of QUERIES) {
    let page;
    const log = await tracer.run(async () => { page = await get(agent, port, url(q)); });
    hits.set(q, page.total);
    statements.set(q, log);
  }
  tracer.restore();
  const inForce = (await get(agent, port, '/api/services/items?division=530102&pageSize=1')).total;
  for (let k = 0; k < 3; k++) for (const q of QUERIES) await get(agent, port, url(q)); // warm-up
  const httpMs = [];
  const sqlMs = [];
  const perQuery = new Map(QUERIES.map((q) => [q, []]));
  for (let k = 0; k < reps; k++) {
    for (const q of QUERIES) {
      let t = performance.now();
      await get(agent, port, url(q));
      const d = performance.now() - t;
      httpMs.push(d);
      perQuery.get(q).push(d);
      const c = await pool.connect();
      try {
        t = performance.now();
        for (const st of statements.get(q)) await c.query(st.text, st.values);
        sqlMs.push(performance.now() - t);
      } finally {
        c.release();
      }
    }
  }
  agent.destroy();
  const h = summary(httpMs);
  const b = summary(sqlMs);
  const slowest = [...perQuery.entries()].map(([q, v]) => ({ q, p95: summary(v).p95 })).sort((x, y) => y.p95 - x.p95).slice(0, 3);
  // The broadest query's plan, inside the same transaction and hint as the route.
  const main = statements.get('营业执照').find((st) => /svc_item_version/.test(st.text));
  const pc = await pool.connect();
  let plan;
  try {
    await pc.query('BEGIN');
    await pc.query('SET LOCAL enable_seqscan = off');
    plan = (await pc.query(`EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) ${main.text}`, main.values)).rows.map((r) => r['QUERY PLAN']);
    await pc.query('ROLLBACK');
  } finally {
    pc.release();
  }
  const usesIndex = plan.some((l) => /svc_item_version_search/.test(l));
  const row = (label, s, extra) => ({ label, p50: ms(s.p50), p95: ms(s.p95), p99: ms(s.p99), max: ms(s.max), n: num(httpMs.length), ...extra });
  return [{
    title: `services catalog search — ${num(total)} item versions (${num(inForce)} in force in 530102), ${QUERIES.length} queries × ${reps} rounds, sequential, after 3 warm-up rounds`,
    columns: [
      { key: 'label', label: 'path', align: 'left' }, { key: 'p50', label: 'p50' }, { key: 'p95', label: 'p95' }, { key: 'p99', label: 'p99' },
      { key: 'max', label: 'max' }, { key: 'n', label: 'requests' }, { key: 'target', label: 'target' },
    ],
    rows: [
      row('baseline: the traced statements alone (pg, one connection)', b, { target: '' }),
      row('GET /api/services/items?division=530102&q=…', h, { target: `p95 ${h.p95 <= TARGET_P95_MS ? 'PASS' : 'MISS'} (≤ ${TARGET_P95_MS} ms)` }),
    ],
    notes: [
      `Items published through publishItem at 8 at a time in ${num(publishSeconds, 1)} s (${num(n / publishSeconds)} items/s, jieba tokens included).`,
      `Hits per query (first page of 20 is returned): ${QUERIES.map((q) => `${q} ${hits.get(q)}`).join(', ')}.`,
      `Slowest queries by p95 over HTTP: ${slowest.map((x) => `${x.q} ${ms(x.p95)}`).join(', ')}. Statements per request (traced): ${[...new Set([...statements.values()].map((s) => s.map((x) => x.text.trim().split(/\s+/).slice(0, 2).join(' ')).join(' · ')))].join(' | ')}.`,
      `Plan of 营业执照 (the broadest) with the route's hint ${usesIndex ? 'uses' : 'does NOT use'} the GIN index svc_item_version_search; ${plan.filter((l) => /Execution Time|Planning Time/.test(l)).join('; ')}.`,
    ],
  }];
}
