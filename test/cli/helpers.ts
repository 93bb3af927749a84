// Helpers for the CLI tests: they run the REAL compiled `yunling` (bin/yunling.mjs → dist/) as a
// child process against real databases — a PGlite data directory, or a PostgreSQL database of its
// own created through the admin URL in YUNLING_TEST_PG.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openPglite } from '../../src/core/db/index.js';
import { CONFIG_VARS } from '../../src/core/config.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'yunling.mjs');
export const adminUrl = process.env.YUNLING_TEST_PG;

/** Compiles src/ to dist/ (incremental). Test files run in parallel, so builds take turns. */
export function ensureBuilt(): void {
  const lock = path.join(os.tmpdir(), `yunling-cli-build-${Buffer.from(ROOT).toString('hex').slice(-16)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited too long for ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'pipe' });
  } catch (err) {
    // tsc emits JavaScript despite type errors (noEmitOnError is off). Type errors elsewhere in a
    // tree that others are editing must not hide what these tests check; `tsc --noEmit` is the
    // type check. A build that emitted nothing usable fails the tests that spawn it anyway.
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    console.warn(`tsc reported errors (JavaScript was emitted anyway):\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
    if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error('build failed: no dist/main.js');
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The environment of a child: this process's, minus every Yunling variable, plus `env`. */
export function childEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const v of CONFIG_VARS) delete out[v.name];
  delete out.AUDIT_KEY_FILE;
  delete out.NODE_ENV;
  Object.assign(out, { LOG_LEVEL: 'silent' }, env);
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `yunling <args>` to completion. */
export function cli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 120_000): Promise<CliResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`yunling ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - t0) });
    });
  });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export interface Server {
  child: ChildProcess;
  port: number;
  url: string;
  /** Milliseconds from spawn to the first 200 of /healthz. */
  ready: number;
  health: any;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `yunling start` and waits until /healthz answers 200. */
export async function startServer(env: Record<string, string | undefined>, args: string[] = [], timeoutMs = 60_000): Promise<Server> {
  const port = Number(env.PORT ?? (await freePort()));
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'start', ...args], { cwd: ROOT, env: childEnv({ ...env, PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  const url = `http://localhost:${port}`;
  let health: any;
  for (;;) {
    if (done) throw new Error(`yunling start exited before it was ready\nstdout: ${out}\nstderr: ${err}`);
    if (performance.now() - t0 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`yunling start not ready in ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`);
    }
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.status === 200) {
        health = await r.json();
        break;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const ready = Math.round(performance.now() - t0);
  // The banner follows the first answers by a moment (it lists the demo accounts from the database).
  while (!out.includes('Demo accounts') && !done && performance.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 20));
  return {
    child, port, url, ready, health,
    stdout: () => out,
    stderr: () => err,
    stop: async (signal = 'SIGTERM') => {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}

const made: string[] = [];
process.on('exit', () => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** A new temporary directory, removed when the test process exits. */
export function tmpDir(prefix = 'yunling-cli-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

let ownTemplate: string | undefined;

/**
 * A DATA_DIR whose embedded database is already migrated (a copy of a template), because a new
 * PGlite data directory costs seconds. The test/global-setup.ts template when there is one.
 */
export async function migratedDataDir(): Promise<string> {
  let template = process.env.YUNLING_TEST_PGLITE_TEMPLATE;
  if (!template) {
    if (!ownTemplate) {
      const dir = tmpDir('yunling-cli-tpl-');
      const r = await cli(['migrate'], { DATA_DIR: dir });
      if (r.code !== 0) throw new Error(`migrate failed: ${r.stderr}`);
      ownTemplate = path.join(dir, 'pgdata');
    }
    template = ownTemplate;
  }
  const dir = tmpDir();
  fs.cpSync(template, path.join(dir, 'pgdata'), { recursive: true });
  return dir;
}

/** Where a test's data lives: a DATA_DIR (keys, and the embedded database unless `url` is set). */
export interface Target {
  dataDir: string;
  /** PostgreSQL database URL; absent for the embedded database. */
  url?: string;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function pgliteTarget(opts: { migrated?: boolean } = {}): Promise<Target> {
  const dataDir = opts.migrated ? await migratedDataDir() : tmpDir();
  return { dataDir, env: { DATA_DIR: dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** A new, empty PostgreSQL database (YUNLING_TEST_PG must be set). */
export async function pgTarget(): Promise<Target> {
  if (!adminUrl) throw new Error('YUNLING_TEST_PG is not set');
  const name = `yunling_cli_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const dataDir = tmpDir();
  return {
    dataDir, url, env: { DATA_DIR: dataDir, DATABASE_URL: url },
    drop: async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await a.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs SQL directly on a target's database (no Yunling code in between); returns the last result's rows. */
export async function query<T = any>(target: Target, ...statements: string[]): Promise<T[]> {
  let rows: T[] = [];
  if (target.url) {
    const c = new pg.Client({ connectionString: target.url });
    await c.connect();
    try {
      for (const s of statements) rows = (await c.query(s)).rows;
    } finally {
      await c.end();
    }
    return rows;
  }
  const h = await openPglite(path.join(target.dataDir, 'pgdata'));
  try {
    for (const s of statements) rows = (await h.pool.query(s)).rows;
  } finally {
    await h.pool.end();
    await h.closeEngine();
  }
  return rows;
}

/** Row counts of some tables. */
export async function counts(target: Target, tables: string[]): Promise<Record<string, number>> {
  const r = await query<Record<string, number>>(target, `SELECT ${tables.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`);
  return r[0]!;
}

/** Lines of a result's stderr that look like a stack trace. */
export const stackLines = (s: string) => s.split('\n').filter((l) => /^\s+at\s/.test(l));

/**
 * stderr minus known third-party notices that are not Yunling's output (oidc-provider warns that
 * it prefers Node 22 whenever it is loaded, i.e. by `start`).
 */
export const ownStderr = (s: string) =>
  s.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('oidc-provider WARNING:')).join('\n');
