// `yunling backup` / `yunling restore` on real databases: PGlite → PGlite always; with
// YUNLING_TEST_PG also PostgreSQL → PostgreSQL and both cross-engine moves (the way to production).
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl, cli, ensureBuilt, pgliteTarget, pgTarget, query, tmpDir, type Target } from './helpers.js';

type Engine = 'pglite' | 'postgresql';

beforeAll(() => ensureBuilt(), 180_000);

const drops: Target[] = [];
afterAll(async () => {
  for (const t of drops) await t.drop();
});
async function target(engine: Engine, migrated = false): Promise<Target> {
  const t = engine === 'pglite' ? await pgliteTarget({ migrated }) : await pgTarget();
  drops.push(t);
  return t;
}

async function ok(args: string[], t: Target): Promise<string> {
  const r = await cli(args, t.env);
  if (r.code !== 0) throw new Error(`yunling ${args.join(' ')} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

const TRICKY = `it's "quoted" \\ back\\slash {a,b} NULL\nsecond line\t云岭 😀`;

/**
 * Data of every kind the schema has: identity columns (audit_log.seq, outbox.seq,
 * webhook_delivery.id), xid8, bytea (hashes, signatures, the encrypted webhook secret), jsonb,
 * text[], uuid, boolean, timestamptz with microseconds, date, NULLs, the self-referencing
 * division table; sealed entries with a signed checkpoint AND pending (unsealed) entries.
 */
async function populate(t: Target): Promise<void> {
  await ok(['seed'], t);
  await ok(['webhook', 'add', '--name', TRICKY, '--url', 'https://example.gov.cn/hook?a=1&b=2', '--events', 'core.calendar.*,core.x.y', '--division', '530102'], t);
  await ok(['audit', 'seal'], t);
  await query(t,
    `INSERT INTO yunling_meta (key, value, updated_at) VALUES ('test.tricky', jsonb_build_object('s', ${sqlText(TRICKY)}, 'n', 1.5e300, 'f', 0.1, 'arr', jsonb_build_array(1, null, 'x', true)), '1999-12-31 23:59:59.123456+08')`,
    `INSERT INTO calendar_day (division, date, kind, name, updated_at) VALUES ('530102', '2028-02-29', 'workday', ${sqlText(TRICKY)}, '2028-02-29 00:00:00.000001+00')`,
    `INSERT INTO webhook_delivery (webhook_id, event_id, attempt, status, error, duration_ms) SELECT id, gen_random_uuid(), 1, NULL, ${sqlText(TRICKY)}, 12 FROM webhook`,
    `INSERT INTO job (name, payload, key, run_at, status) VALUES ('test.job', '{"nested": {"a": [1, 2.5, "三"]}}', NULL, '2030-01-01T08:00:00+08:00', 'pending')`,
  );
  await ok(['seed'], t); // three more audit entries, left unsealed: the backup carries pending entries
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

function records(file: string): { header: Record<string, unknown>; body: string[] } {
  const lines = gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
  expect(lines.pop()).toBe('');
  const header = JSON.parse(lines[0]!);
  return { header, body: lines.slice(1) };
}

/** Two backups hold the same data: same records; headers equal but for createdAt and engine. */
function expectSameBackup(a: string, b: string): void {
  const x = records(a);
  const y = records(b);
  const strip = (h: Record<string, unknown>) => {
    const { createdAt, engine, ...rest } = h;
    expect(typeof createdAt).toBe('string');
    expect(['pglite', 'postgresql']).toContain(engine);
    return rest;
  };
  expect(strip(y.header)).toEqual(strip(x.header));
  expect(y.body.length).toBe(x.body.length);
  expect(y.body).toEqual(x.body);
}

const sources = new Map<Engine, Promise<{ t: Target; file: string; backupOut: string }>>();
/** One populated source database per engine, backed up once, shared by the tests below. */
function source(engine: Engine) {
  if (!sources.has(engine)) {
    sources.set(engine, (async () => {
      const t = await target(engine, true);
      await populate(t);
      const file = path.join(tmpDir('yunling-bak-'), `${engine}.ndjson.gz`);
      const backupOut = await ok(['backup', file], t);
      return { t, file, backupOut };
    })());
  }
  return sources.get(engine)!;
}

interface AuditState {
  entries: number;
  sealed: number;
  checkpoints: number;
  maxSeq: number;
  maxOutbox: number;
}
async function auditState(t: Target): Promise<AuditState> {
  return (await query<AuditState>(t, `SELECT (SELECT count(*) FROM audit_log)::int AS entries, (SELECT count(*) FROM audit_seal)::int AS sealed,
    (SELECT count(*) FROM audit_checkpoint)::int AS checkpoints, (SELECT max(seq) FROM audit_log)::int AS "maxSeq", (SELECT max(seq) FROM outbox)::int AS "maxOutbox"`))[0]!;
}
const intact = (a: { sealed: number; checkpoints: number; pending: number }) =>
  new RegExp(`audit log intact: ${a.sealed} entries verified \\(SM3\\), ${a.checkpoints} signed checkpoints, ${a.pending} pending`);

function roundTrip(from: Engine, to: Engine) {
  it(`${from} → ${to}: identical data, a verifiable audit chain, and new writes that continue it`, async () => {
    const src = await source(from);
    expect(src.backupOut).toMatch(new RegExp(`^backup written to .*: \\d+ tables, \\d+ rows, \\d+ bytes\\n$`));
    const { header } = records(src.file);
    expect(header).toMatchObject({ format: 'yunling-backup', formatVersion: 1, engine: from, cryptoProfile: 'sm' });
    const before = await auditState(src.t);
    expect(before.sealed).toBeGreaterThan(0);
    expect(before.entries).toBeGreaterThan(before.sealed); // pending entries travel too

    const dst = await target(to);
    // The keys are not in the backup (by design): they move with DATA_DIR/keys.
    fs.cpSync(path.join(src.t.dataDir, 'keys'), path.join(dst.dataDir, 'keys'), { recursive: true });
    const restored = await cli(['restore', src.file], dst.env);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(new RegExp(`^restored \\d+ rows into \\d+ tables from .* \\(${from} backup of `));
    const expected = { sealed: before.sealed, checkpoints: before.checkpoints, pending: before.entries - before.sealed };
    expect(restored.stdout).toMatch(intact(expected));
    const verified = await cli(['audit', 'verify'], dst.env);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(intact(expected));

    // A backup of the restored database is the original backup.
    const again = path.join(tmpDir('yunling-bak-'), 'again.ndjson.gz');
    await ok(['backup', again], dst);
    expectSameBackup(src.file, again);
    expect(records(again).header.engine).toBe(to);

    // Values went through exactly (spot checks on the trickiest ones).
    const meta = await query(dst, `SELECT value->>'s' AS s, (value->>'n')::float8 AS n, updated_at = '1999-12-31 23:59:59.123456+08' AS t FROM yunling_meta WHERE key = 'test.tricky'`);
    expect(meta).toEqual([{ s: TRICKY, n: 1.5e300, t: true }]);
    const hook = await query(dst, `SELECT name, event_types, octet_length(secret_enc) > 16 AS secret, active FROM webhook`);
    expect(hook).toEqual([{ name: TRICKY, event_types: ['core.calendar.*', 'core.x.y'], secret: true, active: true }]);

    // Life goes on: sequences continue, new audit entries get higher transaction ids and seal.
    await ok(['seed'], dst);
    const mid = await auditState(dst);
    expect(mid.entries).toBeGreaterThan(before.entries);
    expect(mid.maxSeq).toBeGreaterThan(before.maxSeq);
    expect(mid.maxOutbox).toBeGreaterThan(before.maxOutbox);
    expect(await ok(['audit', 'seal'], dst)).toBe(`sealed ${mid.entries - before.sealed} entries\n`);
    expect(await ok(['audit', 'verify'], dst)).toMatch(intact({ sealed: mid.entries, checkpoints: before.checkpoints + 1, pending: 0 }));
    const deliveries = await query(dst,
      `INSERT INTO webhook_delivery (webhook_id, event_id, attempt) SELECT id, gen_random_uuid(), 2 FROM webhook`,
      `SELECT array_agg(id ORDER BY id)::int[] AS ids FROM webhook_delivery`);
    expect(deliveries).toEqual([{ ids: [1, 2] }]);
    const xids = await query(dst, `SELECT count(*)::int AS n FROM audit_log WHERE seq > ${before.maxSeq} AND xid <= (SELECT max(xid) FROM audit_log WHERE seq <= ${before.maxSeq})`);
    expect(xids).toEqual([{ n: 0 }]);
  }, 600_000);
}

describe('backup and restore', () => {
  roundTrip('pglite', 'pglite');
  if (adminUrl) {
    roundTrip('postgresql', 'postgresql');
    roundTrip('pglite', 'postgresql');
    roundTrip('postgresql', 'pglite');
  }

  it('refuses to restore into a database that holds data, and changes nothing', async () => {
    const src = await source('pglite');
    const before = await query(src.t, 'SELECT count(*)::int AS n FROM audit_log');
    const r = await cli(['restore', src.file], src.t.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(/^yunling: the target database is not empty \(table \w+ has rows\); restore needs an empty database — a new PostgreSQL database, or a new DATA_DIR for the embedded one$/);
    expect(await query(src.t, 'SELECT count(*)::int AS n FROM audit_log')).toEqual(before);
  }, 300_000);

  if (adminUrl) {
    it('refuses a PostgreSQL database that holds data', async () => {
      const src = await source('pglite');
      const dst = await target('postgresql');
      await ok(['seed'], dst);
      const r = await cli(['restore', src.file], dst.env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^yunling: the target database is not empty \(table \w+ has rows\)/);
    }, 300_000);
  }

  if (adminUrl) {
    it('with DATABASE_OWNER_URL, migrate and restore run as the owner and grant the application role its rights', async () => {
      const src = await source('pglite');
      const role = `yunling_app_${Math.random().toString(36).slice(2, 10)}`;
      await query({ url: adminUrl } as Target, `CREATE ROLE ${role} LOGIN`);
      try {
        for (const command of ['migrate', 'restore'] as const) {
          const dst = await target('postgresql');
          const app = new URL(dst.url!);
          app.username = role;
          const env = { DATA_DIR: dst.dataDir, DATABASE_URL: app.toString(), DATABASE_OWNER_URL: dst.url! };
          fs.cpSync(path.join(src.t.dataDir, 'keys'), path.join(dst.dataDir, 'keys'), { recursive: true });
          const r = await cli(command === 'migrate' ? ['migrate'] : ['restore', src.file], env);
          expect(r.stderr).toBe('');
          expect(r.code).toBe(0);
          const owner = new URL(adminUrl!).username || 'postgres';
          expect(await query(dst, `SELECT tableowner::text AS o FROM pg_tables WHERE tablename = 'audit_log'`)).toEqual([{ o: owner }]);
          // The application role reads and appends, but cannot rewrite the audit log.
          const asApp: Target = { ...dst, url: app.toString() };
          expect(await query(asApp, 'SELECT count(*)::int >= 0 AS ok FROM audit_log')).toEqual([{ ok: true }]);
          await expect(query(asApp, `UPDATE audit_log SET actor = 'x'`)).rejects.toThrow(/permission denied/);
          const v = await cli(['audit', 'verify'], env);
          expect(v.code).toBe(0);
          await dst.drop();
        }
      } finally {
        // (On failure its database still holds grants to it; afterAll drops that and the role stays.)
        await query({ url: adminUrl } as Target, `DROP ROLE IF EXISTS ${role}`).catch(() => {});
      }
    }, 600_000);
  }

  it('refuses a truncated backup without restoring anything, so a good one can follow', async () => {
    const src = await source('pglite');
    const whole = fs.readFileSync(src.file);
    const cut = path.join(tmpDir('yunling-bak-'), 'cut.gz');
    fs.writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const dst = await target('pglite');
    fs.cpSync(path.join(src.t.dataDir, 'keys'), path.join(dst.dataDir, 'keys'), { recursive: true });
    const r = await cli(['restore', cut], dst.env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`yunling: ${cut} is truncated (the gzip stream ends early); nothing was restored`]);
    expect(await query(dst, 'SELECT (SELECT count(*) FROM audit_log)::int AS a, (SELECT count(*) FROM division)::int AS d')).toEqual([{ a: 0, d: 0 }]);
    const good = await cli(['restore', src.file], dst.env);
    expect(good.code).toBe(0);
  }, 300_000);

  it('refuses a backup whose records were tampered with (a row removed), restoring nothing', async () => {
    const src = await source('pglite');
    const lines = gunzipSync(fs.readFileSync(src.file)).toString('utf8').split('\n');
    const i = lines.findIndex((l) => l.startsWith('{"table":"audit_log"'));
    lines.splice(i + 2, 1); // drop the second audit entry
    const edited = path.join(tmpDir('yunling-bak-'), 'edited.gz');
    fs.writeFileSync(edited, gzipSync(lines.join('\n')));
    const dst = await target('pglite');
    const r = await cli(['restore', edited], dst.env);
    expect(r.code).toBe(1);
    const n = (await auditState(src.t)).entries;
    expect(r.stderr.trim()).toMatch(new RegExp(`^yunling: .*edited\\.gz is corrupt: table audit_log declares ${n} rows but holds ${n - 1}$`));
    expect(await query(dst, 'SELECT count(*)::int AS n FROM audit_log')).toEqual([{ n: 0 }]);
  }, 300_000);

  it.each([
    ['random bytes', () => Buffer.from('PK\x03\x04 this is a zip, not a backup'), /is not a Yunling backup$/],
    ['gzip of other JSON', () => gzipSync('{"hello":"world"}\n'), /is not a Yunling backup$/],
    ['an empty file', () => Buffer.alloc(0), /is empty, not a Yunling backup$/],
  ])('refuses %s before opening any database', async (_name, content, message) => {
    const file = path.join(tmpDir('yunling-bak-'), 'x.gz');
    fs.writeFileSync(file, content());
    const dst = await target('pglite');
    const r = await cli(['restore', file], dst.env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(fs.existsSync(path.join(dst.dataDir, 'pgdata'))).toBe(false);
  });

  it('refuses a missing file and a backup of another crypto profile, in one line', async () => {
    const dst = await target('pglite');
    const missing = await cli(['restore', '/nonexistent/backup.gz'], dst.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^yunling: cannot read \/nonexistent\/backup\.gz: ENOENT/);
    const src = await source('pglite');
    const intl = await cli(['restore', src.file], { ...dst.env, CRYPTO_PROFILE: 'intl' });
    expect(intl.code).toBe(1);
    expect(intl.stderr.trim()).toBe('yunling: the backup was made with CRYPTO_PROFILE=sm but this deployment has CRYPTO_PROFILE=intl; set CRYPTO_PROFILE=sm');
    expect(fs.existsSync(path.join(dst.dataDir, 'pgdata'))).toBe(false);
  }, 300_000);

  it('reports an unwritable backup path in one line and leaves no partial file', async () => {
    const src = await source('pglite');
    const dir = path.join(tmpDir('yunling-bak-'), 'missing-dir');
    const r = await cli(['backup', path.join(dir, 'b.gz')], src.t.env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^yunling: cannot write the backup to .*b\.gz: ENOENT/);
    expect(fs.existsSync(dir)).toBe(false);
  }, 300_000);
});
