// Database factory: one dialect (Kysely PostgresDialect over pg.Pool) for both the embedded
// PGlite and a real PostgreSQL server. SQL stays within the PostgreSQL 15 subset.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from './types.js';

export type DbKind = 'pglite' | 'postgresql';

export interface Database {
  kind: DbKind;
  db: Kysely<DB>;
  pool: pg.Pool;
  /** Where the embedded database lives (PGlite only). */
  dataDir?: string;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

// int8 and numeric come back as strings by default; counts and sequences fit in a JS number.
pg.types.setTypeParser(20, (v) => (v === null ? null : Number(v)));
// A civil date stays a 'YYYY-MM-DD' string: no time zone may shift it.
pg.types.setTypeParser(1082, (v) => v);

export async function openPglite(dataDir: string | undefined): Promise<{ pool: pg.Pool; closeEngine: () => Promise<void> }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { pgcrypto } = await import('@electric-sql/pglite/contrib/pgcrypto');
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  // Creating a data directory (initdb) peaks near 800 MB, which Node keeps afterwards; do it in a
  // short-lived child so that a first start settles like every later one.
  if (dataDir && !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initPgliteInChild(dataDir);
  // shared_buffers 8 MB keeps an idle node under 250 MB RSS (the default 128 MB costs ~130 MB more);
  // a pilot county's working set fits, and the OS page cache holds the rest.
  const pglite = new PGlite(dataDir, {
    extensions: { pg_trgm, pgcrypto },
    postgresqlconf: ['shared_buffers=8MB', 'wal_buffers=256kB'],
  });
  await pglite.waitReady;
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  return {
    pool,
    closeEngine: () => pglite.close(),
  };
}

async function initPgliteInChild(dataDir: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const script = `import('@electric-sql/pglite').then(async ({ PGlite }) => { const db = new PGlite(process.argv[1]); await db.waitReady; await db.close(); })
    .catch((e) => { console.error(e?.message ?? e); process.exit(1); });`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dataDir], { stdio: ['ignore', 'ignore', 'pipe'], cwd: path.dirname(new URL(import.meta.url).pathname) });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`creating the embedded database failed: ${err.trim() || `exit ${code}`}`))));
  });
}

export async function openPostgres(url: string, max: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000, application_name: 'yunling' });
  pool.on('error', () => {
    /* idle client errors are reported by the next query */
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end().catch(() => {});
    const safe = url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1@');
    throw new DatabaseUnavailableError(`cannot connect to PostgreSQL at ${safe}: ${(err as Error).message}`, { cause: err });
  }
  return pool;
}

export async function createDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'databasePoolSize'>): Promise<Database> {
  if (config.databaseUrl) {
    const pool = await openPostgres(config.databaseUrl, config.databasePoolSize);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgresql', db, pool, close: () => db.destroy() };
  }
  const dataDir = path.join(config.dataDir, 'pgdata');
  let handle: Awaited<ReturnType<typeof openPglite>>;
  try {
    handle = await openPglite(dataDir);
  } catch (err) {
    throw new DatabaseUnavailableError(`cannot open the embedded database in ${dataDir}: ${(err as Error).message}`, { cause: err });
  }
  // Kysely's destroy() ends the pool; PGlite must then be closed so that it checkpoints cleanly.
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: handle.pool }) });
  return {
    kind: 'pglite',
    db,
    pool: handle.pool,
    dataDir,
    close: async () => {
      await db.destroy();
      await handle.closeEngine();
    },
  };
}

export { sql };
