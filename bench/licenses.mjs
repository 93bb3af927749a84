// licenses: signatures and verifications per core for e-licenses (issue 6), SM2-with-SM3 (`sm`
// profile: sm-crypto-v2 signs; verification on noble-curves with per-key window tables and native SM3, the previous sm-crypto-v2 verifier shown beside it) and Ed25519 (`intl`, node:crypto), against OpenSSL's own
// `openssl speed` for the same algorithms run in the same bench. There is no target in the issue:
// the tables report figures, they do not pass or fail.
//
// 1. Raw: core.crypto.sign / verify (the calls issueLicense and verifyDocument make) over the
//    canonical serialization of a realistic food-business license, one thread, counted per CPU
//    second of this process (openssl speed also divides by CPU time unless -elapsed).
// 2. End to end: `GET /api/licenses/{identifier}/verify` (public, no sign-in) on PostgreSQL, a few
//    hundred issued licenses rotated over, closed-loop keep-alive load from a child process; per
//    node CPU-second as in identity.mjs. bench/lib/loadgen.mjs sends one fixed path per run, so
//    this file forks ITSELF as the load generator (same closed loop) to rotate identifiers and to
//    check that every answer says `signatureValid: true`.
import { execFile, fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const name = 'licenses';
export const summary = 'SM2 / Ed25519 license signatures and verifications per core vs openssl speed; public verify over HTTP';

const settings = () => ({
  cryptoSeconds: Number(process.env.BENCH_CRYPTO_SECONDS ?? 3),
  opensslSeconds: Number(process.env.BENCH_OPENSSL_SECONDS ?? 3),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 2),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  licenses: Number(process.env.BENCH_LICENSES ?? 300),
});

const PROFILES = [
  { profile: 'sm', algorithm: 'SM2-with-SM3', openssl: 'sm2', label: 'SM2-with-SM3 (sign sm-crypto-v2; verify noble-curves + window table)' },
  { profile: 'intl', algorithm: 'Ed25519', openssl: 'ed25519', label: 'Ed25519 (node:crypto)' },
];

// ---- a realistic license ------------------------------------------------------------------------

/** 食品经营许可证: the face data a market-supervision bureau prints on one. */
const FACE_SCHEMA = {
  type: 'object',
  required: ['经营者名称', '社会信用代码', '法定代表人', '住所', '经营场所', '主体业态', '经营项目', '日常监督管理机构', '签发人'],
  properties: Object.fromEntries(
    ['经营者名称', '社会信用代码', '法定代表人', '住所', '经营场所', '主体业态', '经营项目', '日常监督管理机构', '日常监督管理人员', '投诉举报电话', '签发人', '备注']
      .map((k) => [k, { type: 'string', minLength: 1, maxLength: 500 }]),
  ),
  additionalProperties: false,
};

function faceData(i, uscc) {
  return {
    经营者名称: `昆明云岭${i}号餐饮店`, 社会信用代码: uscc, 法定代表人: '张三', 住所: `云南省昆明市五华区翠湖南路${i + 1}号`,
    经营场所: `云南省昆明市五华区翠湖南路${i + 1}号一层101室`, 主体业态: '餐饮服务经营者（中型餐馆）',
    经营项目: '热食类食品制售；冷食类食品制售（含烧卤熟肉）；生食类食品制售（不含生食水产品）；自制饮品制售（不含自酿酒）',
    日常监督管理机构: '昆明市五华区市场监督管理局华山市场监督管理所', 日常监督管理人员: '李四、王五', 投诉举报电话: '12315', 签发人: '赵六', 备注: '无',
  };
}

async function world() {
  const { orgCodeCheckChar, usccCheckChar } = await import('../dist/core/validators/index.js');
  const { demoResidentId, demoUscc } = await import('../dist/platform/identity/seed.js');
  const gov = (region, org8) => {
    const first17 = `11${region}${org8}${orgCodeCheckChar(org8)}`;
    return first17 + usccCheckChar(first17);
  };
  const definer = gov('530000', '01500000');
  return { typeCode: `${definer}001`, issuerCode: gov('530102', '01500001'), demoResidentId, demoUscc };
}

// ---- 1. raw sign / verify -----------------------------------------------------------------------

const cpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/** Calls fn in a tight loop for `seconds` of wall time; ops per CPU second of this process. */
function loop(fn, seconds) {
  const deadline = performance.now() + seconds * 1000;
  const c0 = cpuSeconds();
  const t0 = performance.now();
  let n = 0;
  do {
    for (let k = 0; k < 8; k++) fn();
    n += 8;
  } while (performance.now() < deadline);
  const cpu = cpuSeconds() - c0;
  return { ops: n, cpu, wall: (performance.now() - t0) / 1000, perCpuSecond: n / cpu };
}

async function rawDocument(p, w, crypto, pair) {
  const { canonicalize, formatIdentifier, randomSerial } = await import('../dist/platform/licenses/index.js');
  const holderCode = w.demoUscc('530102', '12345678');
  const serial = randomSerial();
  const doc = {
    v: 1, identifier: formatIdentifier({ typeCode: w.typeCode, issuerCode: w.issuerCode, serial, version: '001' }),
    typeCode: w.typeCode, typeName: '食品经营许可证', licenseNumber: `JY25301020001${String(7).padStart(3, '0')}`,
    holder: { name: '昆明云岭0号餐饮店', codeType: '001', code: holderCode }, issuer: { name: '昆明市五华区市场监督管理局', code: w.issuerCode },
    issuedOn: '2026-11-27', validFrom: '2026-11-27', validUntil: '2031-11-26', jurisdiction: '530102', trustLevel: 'A',
    faceData: faceData(0, holderCode), keyId: crypto.keyId(pair), algorithm: p.algorithm,
  };
  return Buffer.from(canonicalize(doc), 'utf8');
}

async function measureRaw(p, w, seconds) {
  const { createCrypto } = await import('../dist/core/crypto/index.js');
  const crypto = createCrypto(p.profile);
  const pair = crypto.generateSigningKey();
  const data = await rawDocument(p, w, crypto, pair);
  const pub = { algorithm: pair.algorithm, publicKey: pair.publicKey };
  const sig = crypto.sign(pair, data);
  if (!crypto.verify(pub, data, sig)) throw new Error(`${p.algorithm}: our own signature does not verify`);
  const bad = Buffer.from(data);
  bad[bad.length - 3] ^= 1;
  if (crypto.verify(pub, bad, sig)) throw new Error(`${p.algorithm}: an altered document verifies`);
  loop(() => crypto.sign(pair, data), Math.min(0.5, seconds / 4)); // JIT warm-up
  loop(() => crypto.verify(pub, data, sig), Math.min(0.5, seconds / 4));
  const sign = loop(() => crypto.sign(pair, data), seconds);
  const verify = loop(() => crypto.verify(pub, data, sig), seconds);
  // SM2: the previous verifier (sm-crypto-v2 end to end) in the same run, so that the speed-up is
  // measured under the same machine load.
  let reference = null;
  if (p.profile === 'sm') {
    const { sm2VerifyReference } = await import('../dist/core/crypto/index.js');
    if (!sm2VerifyReference(pair.publicKey, data, sig)) throw new Error('reference verifier disagrees');
    loop(() => sm2VerifyReference(pair.publicKey, data, sig), Math.min(0.5, seconds / 4));
    reference = loop(() => sm2VerifyReference(pair.publicKey, data, sig), seconds);
  }
  return { bytes: data.length, sign, verify, reference };
}

// ---- OpenSSL baseline ---------------------------------------------------------------------------

/** `openssl speed -seconds S <alg>` → { sign, verify } per CPU second, or { missing: reason }. */
function opensslSpeed(alg, seconds) {
  return new Promise((resolve) => {
    execFile('openssl', ['speed', '-seconds', String(seconds), alg], { timeout: (seconds * 4 + 30) * 1000 }, (err, stdout, stderr) => {
      // The result line: " 256 bits SM2 (CurveSM2)   0.0002s   0.0002s   4146.3   4604.2"
      const m = /^\s*\d+ bits \S+ \(([^)]+)\)\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)\s*$/m.exec(stdout ?? '');
      if (m) resolve({ curve: m[1], sign: Number(m[2]), verify: Number(m[3]) });
      else resolve({ missing: (err ? `${err.message.split('\n')[0]} ` : '') + (stderr || stdout || '').trim().split('\n').slice(0, 2).join(' / ') });
    });
  });
}

const opensslVersion = () => new Promise((resolve) => execFile('openssl', ['version'], (err, out) => resolve(err ? 'openssl unavailable' : out.trim())));

// ---- 2. end to end: GET /api/licenses/{identifier}/verify ----------------------------------------

async function issueMany(core, w, count) {
  const { defineLicenseType, issueLicense } = await import('../dist/platform/licenses/index.js');
  const principal = { id: 'system:bench', name: '压测 bench', kind: 'system', permissions: new Set(['*']), scopes: ['530000'] };
  const caller = { principal, actor: { id: 'system:bench' }, lang: 'zh-CN' };
  await defineLicenseType(core, caller, {
    code: w.typeCode, name: '食品经营许可证', definerName: '云南省市场监督管理局', holderKinds: ['001', '111'],
    faceSchema: FACE_SCHEMA, validity: { years: 5 }, trustLevel: 'A',
  });
  const identifiers = [];
  const t0 = performance.now();
  const c0 = cpuSeconds();
  for (let i = 0; i < count; i++) {
    const uscc = w.demoUscc('530102', String(20000000 + i));
    // One license in three is held by a person (代码类型 111), the rest by businesses (001).
    const holder = i % 3 === 0
      ? { name: `张${i}`, codeType: '111', code: w.demoResidentId('530102', '19900101', String(100 + (i % 800))) }
      : { name: `昆明云岭${i}号餐饮店`, codeType: '001', code: uscc };
    const lic = await core.db.transaction().execute((tx) => issueLicense(core, tx, caller, {
      typeCode: w.typeCode, issuerCode: w.issuerCode, issuerName: '昆明市五华区市场监督管理局', division: '530102',
      holder, faceData: faceData(i, uscc), caseRef: `YN530102-20261127-${String(i).padStart(6, '0')}`,
    }));
    identifiers.push(lic.identifier);
  }
  return { identifiers, issueSeconds: (performance.now() - t0) / 1000, issueCpu: cpuSeconds() - c0 };
}

function startVerifyLoad() {
  const child = fork(fileURLToPath(import.meta.url), ['--verify-load'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  let exited = false;
  child.on('exit', () => { exited = true; });
  return {
    run: (opts) => new Promise((resolve, reject) => {
      if (exited) return reject(new Error('load generator has exited'));
      const onExit = (code) => reject(new Error(`load generator exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        if (m.fatal) reject(new Error(`load generator: ${m.fatal}`));
        else resolve(m);
      });
      child.send({ cmd: 'run', ...opts });
    }),
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.send({ cmd: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Child side: closed loop, `concurrency` keep-alive connections, identifiers in rotation. */
function verifyLoadChild() {
  let agent = null;
  const get = (port, p) => new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: 'GET', path: p, agent, headers: { accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end();
  });
  async function run({ port, concurrency, durationMs, identifiers }) {
    agent ??= new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const latencies = [];
    let count = 0;
    let errors = 0;
    let firstError = null;
    let next = 0;
    const t0 = performance.now();
    const deadline = t0 + durationMs;
    const worker = async () => {
      while (performance.now() < deadline) {
        const id = identifiers[next++ % identifiers.length];
        const p = `/api/licenses/${encodeURIComponent(id)}/verify`;
        const start = performance.now();
        try {
          const res = await get(port, p);
          if (res.status !== 200 || JSON.parse(res.body).signatureValid !== true) {
            errors++;
            firstError ??= `GET ${p} → ${res.status} ${res.body.slice(0, 300)}`;
          }
        } catch (err) {
          errors++;
          firstError ??= `GET ${p} → ${err.message}`;
        }
        latencies.push(performance.now() - start);
        count++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { count, errors, firstError, elapsedMs: performance.now() - t0, latencies: Float64Array.from(latencies) };
  }
  process.on('message', (msg) => {
    if (msg.cmd === 'run') run(msg).then((r) => process.send(r), (err) => process.send({ fatal: err.stack ?? String(err) }));
    else if (msg.cmd === 'exit') { agent?.destroy(); process.disconnect(); }
  });
}

async function measureHttp(p, w, s) {
  const { withDatabase } = await import('./lib/pg.mjs');
  const { postgresCpuSecondsBetween, postgresCpuSnapshot } = await import('./lib/cpu.mjs');
  const { latencySummary } = await import('./lib/table.mjs');
  const { loadConfig } = await import('../dist/core/config.js');
  const { createCore } = await import('../dist/core/index.js');
  const { buildApp } = await import('../dist/app.js');
  return withDatabase(`licenses_${p.profile}`, async (url, dbName) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-bench-'));
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKERS: 'false', RATE_LIMIT_MAX: '1000000', DATABASE_POOL_SIZE: String(s.concurrency), CRYPTO_PROFILE: p.profile, BASE_URL: 'http://127.0.0.1:1' });
    const core = await createCore(config, { startWorkers: false });
    const load = startVerifyLoad();
    let app;
    try {
      app = await buildApp(core);
      const issued = await issueMany(core, w, s.licenses);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = app.server.address().port;
      const opts = { port, concurrency: s.concurrency, identifiers: issued.identifiers };
      await load.run({ ...opts, durationMs: s.warmupSeconds * 1000 });
      const cpu0 = cpuSeconds();
      const pg0 = postgresCpuSnapshot(dbName);
      const r = await load.run({ ...opts, durationMs: s.seconds * 1000 });
      const nodeCpu = cpuSeconds() - cpu0;
      const pgCpu = postgresCpuSecondsBetween(pg0, postgresCpuSnapshot(dbName));
      if (r.errors) throw new Error(`${p.algorithm}: ${r.errors} of ${r.count} verifications failed — first: ${r.firstError}`);
      const wall = r.elapsedMs / 1000;
      return { ...issued, count: r.count, rate: r.count / wall, perCore: r.count / nodeCpu, lat: latencySummary(r.latencies), nodePct: (nodeCpu / wall) * 100, pgPct: pgCpu === null ? null : (pgCpu / wall) * 100 };
    } finally {
      await load.stop();
      await app?.close();
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}

// ---- the run ------------------------------------------------------------------------------------

export async function run() {
  const { ms, num } = await import('./lib/table.mjs');
  const s = settings();
  const w = await world();
  const version = await opensslVersion();
  const raw = [];
  for (const p of PROFILES) {
    const ossl = await opensslSpeed(p.openssl, s.opensslSeconds);
    raw.push({ p, ossl, ours: await measureRaw(p, w, s.cryptoSeconds) });
  }
  const e2e = [];
  for (const p of PROFILES) e2e.push({ p, r: await measureHttp(p, w, s) });

  const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : '—');
  const rawRows = raw.flatMap(({ p, ossl, ours }) => ['sign', 'verify', 'reference'].filter((op) => ours[op]).map((op) => ({
    what: op === 'reference' ? 'SM2-with-SM3 verify, previous: sm-crypto-v2 doVerifySignature' : `${p.label} ${op}`,
    ours: num(ours[op].perCpuSecond),
    us: num(1e6 / ours[op].perCpuSecond, 0),
    ops: num(ours[op].ops),
    openssl: ossl.missing ? 'n/a' : num(ossl[op === 'reference' ? 'verify' : op]),
    ratio: ossl.missing ? '—' : ratio(ours[op].perCpuSecond, ossl[op === 'reference' ? 'verify' : op]),
  })));
  const e2eRows = e2e.map(({ p, r }) => {
    const rawVerify = raw.find((x) => x.p === p).ours.verify.perCpuSecond;
    return {
      what: `${p.algorithm}: GET /api/licenses/{identifier}/verify`, rate: num(r.rate), perCore: num(r.perCore),
      share: `${num((r.perCore / rawVerify) * 100)} %`, p50: ms(r.lat.p50), p99: ms(r.lat.p99),
      cpu: `${num(r.nodePct)} / ${r.pgPct === null ? '—' : num(r.pgPct)}`, n: num(r.count),
      issue: `${num(r.identifiers.length / r.issueSeconds)}/s`,
    };
  });
  const missing = raw.filter((x) => x.ossl.missing).map((x) => `\`openssl speed ${x.p.openssl}\` gave no figure (${x.ossl.missing}).`);
  return [
    {
      title: `licenses — signatures and verifications per core (report; no target in issue 6), ${s.cryptoSeconds} s each, vs \`openssl speed -seconds ${s.opensslSeconds}\``,
      columns: [
        { key: 'what', label: 'operation', align: 'left' }, { key: 'ours', label: 'ours per CPU-second' }, { key: 'us', label: 'µs CPU each' },
        { key: 'ops', label: 'ops' }, { key: 'openssl', label: 'OpenSSL per CPU-second' }, { key: 'ratio', label: 'ours / OpenSSL' },
      ],
      rows: rawRows,
      notes: [
        `Ours: \`core.crypto.sign(pair, doc)\` / \`verify({algorithm, publicKey}, doc, sig)\` — the calls \`issueLicense\` and \`verifyDocument\` make — over the canonical JSON of a 食品经营许可证 (${raw[0].ours.bytes} bytes SM2 / ${raw[1].ours.bytes} bytes Ed25519, 12 face-data fields), one thread; divided by this process's CPU time (user + system).`,
        `OpenSSL: ${version}, \`openssl speed\` (EVP_DigestSign/Verify over a short buffer; SM2 includes the Z/SM3 step), divided by its user CPU time — both sides are "per core".`,
        ...missing,
      ],
    },
    {
      title: `licenses — public verification over HTTP, PostgreSQL, ${s.licenses} licenses in rotation, concurrency ${s.concurrency}, ${s.seconds} s each (report)`,
      columns: [
        { key: 'what', label: 'path', align: 'left' }, { key: 'rate', label: 'verifications/s' }, { key: 'perCore', label: 'per node CPU-second' },
        { key: 'share', label: 'signature share of node CPU' }, { key: 'p50', label: 'p50' }, { key: 'p99', label: 'p99' },
        { key: 'cpu', label: 'CPU % node / PG' }, { key: 'n', label: 'requests' }, { key: 'issue', label: 'issuance (setup)' },
      ],
      rows: e2eRows,
      notes: [
        'Each request: parse + check character, one SELECT of the license, canonical re-serialization and column comparison (holder code decrypted), one SELECT of the issuer key, the signature verification, the masked answer. Every answer was checked for `signatureValid: true`.',
        '"signature share of node CPU" = end-to-end verifications per node CPU-second ÷ raw verifications per CPU-second = the raw verify time ÷ the node CPU time per request.',
        `Issuance (setup, one license per transaction, sequential) includes type validation, key decryption, signing, insert, audit + outbox.`,
        `${os.cpus().length} cores shared by node, the load generator and PostgreSQL; the per-core column counts only the node's CPU.`,
      ],
    },
  ];
}

if (process.argv[2] === '--verify-load' && process.send) verifyLoadChild();
