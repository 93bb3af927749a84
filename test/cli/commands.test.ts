// The `yunling` command line: usage errors, migrate, and the audit chain check on a real database
// that someone with owner rights has tampered with.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl, cli, ensureBuilt, pgliteTarget, pgTarget, query, type Target } from './helpers.js';

beforeAll(() => ensureBuilt(), 180_000);

const drops: Target[] = [];
afterAll(async () => {
  for (const t of drops) await t.drop();
});
async function keep(t: Promise<Target>): Promise<Target> {
  drops.push(await t);
  return drops.at(-1)!;
}

describe('usage errors', () => {
  it.each([
    [['frobnicate'], /^yunling: unknown command: frobnicate\n/],
    [['start', '--bogus'], /^yunling: Unknown option '--bogus'/],
    [['backup'], /^yunling: backup <file> needs 1 argument\(s\), got 0\n/],
    [['restore', 'a', 'b'], /^yunling: restore <file> needs 1 argument\(s\), got 2\n/],
    [['audit'], /^yunling: audit needs a command: verify, seal or rotate-key\n/],
    [['audit', 'frob'], /^yunling: unknown audit command: frob\n/],
    [['audit', 'verify', '--jsn'], /^yunling: Unknown option '--jsn'/],
    [['migrate', 'now'], /^yunling: migrate takes no arguments \(got now\)\n/],
    [['webhook'], /^yunling: webhook needs a command/],
    [['webhook', 'add', '--name', 'x'], /^yunling: webhook add needs --name, --url and --events\n/],
    [['license', 'frob'], /^yunling: license issue\|pdf\|revoke\|verify/],
    [['hotline', 'dispatch-accuracy'], /^yunling: hotline dispatch-accuracy --division CODE/],
    [[], /^yunling: no command given\n/],
  ])('yunling %j → usage on stderr, exit 2, nothing touched', async (args, message) => {
    const t = await keep(pgliteTarget());
    // A bad configuration too: the command line is checked first.
    const r = await cli(args, { ...t.env, PORT: 'not-a-port' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('用法 Usage: yunling <command> [options]');
    expect(fs.readdirSync(t.dataDir)).toEqual([]);
  });

  it('prints help on stdout and exits 0', async () => {
    const r = await cli(['help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('restore <file>');
    const v = await cli(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('yunling migrate', () => {
  it('migrates a fresh DATA_DIR, then reports it up to date', async () => {
    const t = await keep(pgliteTarget());
    const r = await cli(['migrate'], t.env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^applied \d+ migration\(s\):\n {2}20261126_0001_core_meta\n/);
    const applied = await query<{ name: string }>(t, 'SELECT name FROM kysely_migration ORDER BY name');
    expect(r.stdout.trim().split('\n').slice(1).map((l) => l.trim())).toEqual(applied.map((a) => a.name));
    const again = await cli(['migrate'], t.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('database schema is up to date\n');
    expect(fs.existsSync(path.join(t.dataDir, 'pgdata.lock'))).toBe(false);
  }, 180_000); // three CLI processes, one of them creating a PGlite data directory from scratch

  if (adminUrl) {
    it('migrates a fresh PostgreSQL database', async () => {
      const t = await keep(pgTarget());
      const r = await cli(['migrate'], t.env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^applied \d+ migration\(s\)/);
      expect((await cli(['migrate'], t.env)).stdout).toBe('database schema is up to date\n');
    });
  }
});

/** Seeds, seals what the seeders wrote, seeds again (left pending); returns the counts. */
async function sealedLog(t: Target): Promise<{ sealed: number; pending: number }> {
  expect((await cli(['seed'], t.env)).code).toBe(0);
  const s = await cli(['audit', 'seal'], t.env);
  expect(s.stdout).toMatch(/^sealed [1-9]\d* entries\n$/);
  const sealed = Number(/sealed (\d+)/.exec(s.stdout)![1]);
  expect((await cli(['seed'], t.env)).code).toBe(0);
  const [{ n }] = await query<{ n: number }>(t, 'SELECT count(*)::int AS n FROM audit_log');
  expect(n).toBeGreaterThan(sealed);
  return { sealed, pending: n - sealed };
}

function auditTampering(engine: 'pglite' | 'postgresql') {
  it(`audit verify counts an intact log, then names the entry someone edited (${engine})`, async () => {
    const t = await keep(engine === 'pglite' ? pgliteTarget({ migrated: true }) : pgTarget());
    const { sealed, pending } = await sealedLog(t);
    const ok = await cli(['audit', 'verify'], t.env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^audit log intact: ${sealed} entries verified \\(SM3\\), 1 signed checkpoints, ${pending} pending, \\d+ ms\\n$`));
    const json = await cli(['audit', 'verify', '--json'], t.env);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, entries: sealed, pending, checkpoints: 1 });

    // An owner with SQL access edits a sealed entry, with the append-only triggers switched off.
    const [{ pos }] = await query<{ pos: number }>(t, 'SELECT pos::int AS pos FROM audit_seal WHERE seq = 2');
    await query(t, 'ALTER TABLE audit_log DISABLE TRIGGER USER', `UPDATE audit_log SET actor = 'x' WHERE seq = 2`, 'ALTER TABLE audit_log ENABLE TRIGGER USER');
    const bad = await cli(['audit', 'verify'], t.env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe(`AUDIT LOG TAMPERED: entry 2 at position ${pos} has been altered (hash mismatch) [entry-edited]\n`);
    const badJson = await cli(['audit', 'verify', '--json'], t.env);
    expect(badJson.code).toBe(1);
    expect(JSON.parse(badJson.stdout)).toMatchObject({ ok: false, problem: { seq: 2, pos, reason: 'entry-edited' } });
  }, 600_000);
}
auditTampering('pglite');
if (adminUrl) auditTampering('postgresql');
