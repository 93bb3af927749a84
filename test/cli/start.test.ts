// `yunling start` as an operator runs it: a real process on a real port and a real data directory.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, counts, ensureBuilt, freePort, ownStderr, pgliteTarget, stackLines, startServer, type Target } from './helpers.js';

beforeAll(() => ensureBuilt(), 180_000);

const drops: Target[] = [];
afterAll(async () => {
  for (const t of drops) await t.drop();
});

async function target(migrated = true): Promise<Target> {
  const t = await pgliteTarget({ migrated });
  drops.push(t);
  return t;
}

/** Polls /metrics until the audit backlog is empty (the workers sealed everything). */
async function waitSealed(url: string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const m = await (await fetch(`${url}/metrics`)).text();
    if (/^yunling_audit_unsealed 0$/m.test(m)) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`audit entries still unsealed:\n${m.split('\n').filter((l) => l.startsWith('yunling_audit')).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('yunling start', () => {
  it('sets up a fresh DATA_DIR, restarts on the same data quickly and keeps every row, stops cleanly on SIGTERM', { timeout: 300_000 }, async () => {
    const t = await target(false);
    const env = { ...t.env, POLL_MS: '50' };

    // First start: migrations, demo data (seeded and settled in a child), banner. Slow on a busy
    // machine (~50 s at load 6), so it gets a longer readiness wait than a plain start.
    const first = await startServer(env, [], 180_000);
    expect(first.health).toEqual({ status: 'ok', db: 'pglite', version: expect.stringMatching(/^\d+\.\d+\.\d+/), migrations: { applied: expect.any(Number), pending: 0, latest: expect.any(String) } });
    expect(first.health.migrations.applied).toBeGreaterThanOrEqual(5);
    expect(first.stdout()).toContain(`http://localhost:${first.port}`);
    expect(first.stdout()).toContain('Demo data seeded.');
    expect(first.stdout()).toMatch(/Demo accounts \(演示账号\)/);
    expect(first.stdout()).toContain('pglite in ');
    expect(fs.existsSync(path.join(t.dataDir, 'pgdata.lock'))).toBe(true);
    await waitSealed(first.url); // the workers seal the seeded entries while it runs
    const firstExit = await first.stop('SIGTERM');
    expect(firstExit).toEqual({ code: 0, signal: null });
    expect(ownStderr(first.stderr())).toBe('');
    // A clean PGlite close removes its postmaster.pid; our lock goes too.
    expect(fs.existsSync(path.join(t.dataDir, 'pgdata', 'postmaster.pid'))).toBe(false);
    expect(fs.existsSync(path.join(t.dataDir, 'pgdata.lock'))).toBe(false);

    const tables = ['audit_log', 'audit_seal', 'division', 'calendar_day', 'outbox', 'yunling_meta'];
    const before = await counts(t, tables);
    expect(before.audit_log).toBeGreaterThan(0);
    expect(before.audit_seal).toBe(before.audit_log);
    expect(before.division).toBeGreaterThan(1000);
    expect(before.calendar_day).toBeGreaterThanOrEqual(3);

    // Second start on the same data: no re-seeding, every row kept, ready quickly.
    const second = await startServer({ ...env, BASE_URL: 'https://zwfw.example.gov.cn' });
    console.log(`[measure] second start on existing PGlite data: ${second.ready} ms from spawn to the first 200 of /healthz (first start: ${first.ready} ms)`);
    expect(second.health.status).toBe('ok');
    expect(second.stdout()).toContain('https://zwfw.example.gov.cn');
    expect(second.stdout()).not.toContain('Demo data seeded.');
    expect(await second.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(await counts(t, tables)).toEqual(before);

    const v = await cli(['audit', 'verify'], t.env);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(new RegExp(`audit log intact: ${before.audit_log} entries verified \\(SM3\\), [1-9]\\d* signed checkpoints, 0 pending`));
  });

  it('refuses a port in use in one line, exits 1 and leaves the data unlocked', async () => {
    const t = await target();
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, 'localhost', r));
    try {
      const r = await cli(['start'], { ...t.env, PORT: String(port) });
      expect(r.code).toBe(1);
      expect(ownStderr(r.stderr).split('\n')).toEqual([`yunling: port ${port} is already in use on localhost — stop the other process or set PORT to a free port`]);
      expect(fs.existsSync(path.join(t.dataDir, 'pgdata.lock'))).toBe(false);
      expect(fs.existsSync(path.join(t.dataDir, 'pgdata', 'postmaster.pid'))).toBe(false);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('keeps a second process off the embedded database while it runs, and takes over a dead process\'s lock', async () => {
    const t = await target();
    const s = await startServer({ ...t.env, WORKERS: 'false' });
    try {
      const r = await cli(['audit', 'verify'], t.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^yunling: the embedded database in .* is in use by another yunling process \(pid \d+, start\)/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      expect((await s.stop()).code).toBe(0);
    }
    // A lock left by a process that no longer exists (kill -9) does not block.
    fs.writeFileSync(path.join(t.dataDir, 'pgdata.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, command: 'start' }));
    const r = await cli(['audit', 'verify'], t.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it.each([
    ['PORT', 'abc', /^yunling: invalid configuration: PORT="abc" — must be an integer between 1 and 65535$/],
    ['CRYPTO_PROFILE', 'rsa', /^yunling: invalid configuration: CRYPTO_PROFILE="rsa" — must be one of sm, intl$/],
    ['DATABASE_URL', 'mysql://x', /^yunling: invalid configuration: DATABASE_URL has protocol "mysql:" — must be postgres: or postgresql:$/],
    ['MASTER_KEY', 'short', /^yunling: invalid configuration: MASTER_KEY — must be exactly 64 hexadecimal characters \(32 bytes\)$/],
  ])('stops on a bad %s=%s with one line naming it and what is allowed', async (name, value, line) => {
    const t = await target(false);
    const r = await cli(['start'], { ...t.env, [name]: value });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(fs.existsSync(path.join(t.dataDir, 'pgdata'))).toBe(false); // nothing was opened
  });

  it('says in one line that an unreachable PostgreSQL cannot be reached, without a stack trace', async () => {
    const t = await target(false);
    const r = await cli(['start'], { ...t.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expect(r.code).not.toBe(0);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^yunling: cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/x: .*ECONNREFUSED/);
    expect(stackLines(r.stderr)).toEqual([]);
    // A password in the URL is not printed.
    const p = await cli(['start'], { ...t.env, DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/x' });
    expect(p.code).toBe(1);
    expect(p.stderr).not.toContain('s3cret');
  });

  it('explains a missing schema under --no-migrate', async () => {
    const t = await target(false);
    const r = await cli(['start', '--no-migrate'], { ...t.env, PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(ownStderr(r.stderr)).toBe('yunling: the database schema is missing or out of date — run `yunling migrate`, or start without --no-migrate');
  });
});
