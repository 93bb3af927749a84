// A fresh, migrated database per test (no mocks: the real engine), plus a Core and an app on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { openPglite, type Database } from '../src/core/db/index.js';
import { loadConfig, type Config } from '../src/core/config.js';
import { createCore, type Core } from '../src/core/index.js';
import { ManualClock, type Clock } from '../src/core/clock.js';
import { buildApp, type App } from '../src/app.js';
import type { DB } from '../src/core/db/types.js';
import pino from 'pino';

export const onPostgres = !!process.env.YUNLING_TEST_PG;

export interface TestDatabase extends Database {
  /** postgres:// URL of this database (PostgreSQL only). */
  url?: string;
}

/** A new database, migrated and with the divisions loaded, private to the caller. */
export async function freshDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.YUNLING_TEST_PG;
  if (adminUrl) {
    const name = `yunling_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.YUNLING_TEST_PG_TEMPLATE}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 8 });
    // Dropping the database at the end terminates idle connections; that is expected.
    pool.on('error', () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: 'postgresql', db, pool, url: url.toString(),
      close: async () => {
        await db.destroy();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
        await admin.end();
      },
    };
  }
  const template = process.env.YUNLING_TEST_PGLITE_TEMPLATE;
  if (!template) throw new Error('test/global-setup.ts did not run');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-t-'));
  const dataDir = path.join(dir, 'pgdata');
  fs.cpSync(template, dataDir, { recursive: true });
  const handle = await openPglite(dataDir);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: handle.pool }) });
  return {
    kind: 'pglite', db, pool: handle.pool, dataDir,
    close: async () => {
      await db.destroy();
      await handle.closeEngine();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-cfg-'));
  return loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', WORKERS: 'false', ...overrides });
}

export interface TestCore {
  core: Core;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function testCore(opts: { env?: Record<string, string>; clock?: Clock; database?: TestDatabase } = {}): Promise<TestCore> {
  const database = opts.database ?? (await freshDatabase());
  const config = testConfig(opts.env);
  const clock = (opts.clock as ManualClock) ?? new ManualClock('2026-11-26T09:00:00+08:00');
  const core = await createCore(config, { database, clock, startWorkers: false, logger: pino({ level: 'silent' }) });
  return {
    core,
    clock,
    close: async () => {
      await core.close();
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

export async function testApp(opts: Parameters<typeof testCore>[0] = {}): Promise<TestCore & { app: App }> {
  const t = await testCore(opts);
  const app = await buildApp(t.core);
  return {
    ...t,
    app,
    close: async () => {
      await app.close();
      await t.close();
    },
  };
}
