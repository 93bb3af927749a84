// A private PostgreSQL database per bench: created here, dropped when the bench ends (even on error).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Admin connection: a role that may CREATE DATABASE. Loopback only. */
export const ADMIN_URL = process.env.YUNLING_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(fn) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const uniqueName = (bench) => `yunling_bench_${bench.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;

/** CREATE DATABASE (optionally as a copy of `template`, which must have no open connections). */
export async function createDatabase(name, template) {
  await admin((c) => c.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return databaseUrl(name);
}

export async function dropDatabase(name) {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Runs fn(url, name) on a fresh database, then drops it. */
export async function withDatabase(bench, fn) {
  const name = uniqueName(bench);
  const url = await createDatabase(name);
  try {
    return await fn(url, name);
  } finally {
    await dropDatabase(name).catch((err) => process.stderr.write(`bench: could not drop ${name}: ${err.message}\n`));
  }
}

export async function serverVersion() {
  return admin(async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
}
