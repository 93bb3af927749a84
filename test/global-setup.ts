// Prepared once per `vitest run`: a migrated template database that each test file copies, so a
// test gets a fresh database in milliseconds instead of the ~5 s a new PGlite data dir costs.
//  - PGlite (default): a template data directory, copied with fs.cpSync.
//  - PostgreSQL (YUNLING_TEST_PG=postgres://…/postgres): a template database, cloned with
//    CREATE DATABASE … TEMPLATE, dropped at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { openPglite } from '../src/core/db/index.js';
import { migrateToLatest } from '../src/core/db/migrate.js';
import { allMigrations } from '../src/migrations.js';
import { ensureDivisions } from '../src/core/divisions/service.js';
import '../src/core/db/core-tables.js';

export default async function setup(): Promise<() => Promise<void>> {
  const run = `${Date.now().toString(36)}${process.pid}`;
  const adminUrl = process.env.YUNLING_TEST_PG;
  if (adminUrl) {
    const tpl = `yunling_tpl_${run}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${tpl}`);
    const url = new URL(adminUrl);
    url.pathname = `/${tpl}`;
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 1 }) }) });
    await migrateToLatest(db, allMigrations);
    await ensureDivisions(db);
    await db.destroy();
    process.env.YUNLING_TEST_PG_TEMPLATE = tpl;
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${tpl}`).catch(() => {});
      const left = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE 'yunling_t_${run}%'`);
      for (const r of left.rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => {});
      await admin.end();
    };
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-test-'));
  const dir = path.join(root, 'template');
  const handle = await openPglite(dir);
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: handle.pool }) });
  await migrateToLatest(db, allMigrations);
  await ensureDivisions(db);
  await db.destroy();
  await handle.closeEngine();
  process.env.YUNLING_TEST_PGLITE_TEMPLATE = dir;
  process.env.YUNLING_TEST_RUN = run;
  return async () => {
    fs.rmSync(root, { recursive: true, force: true });
  };
}
