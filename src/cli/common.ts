// Shared pieces of the `yunling` command: usage errors, argument parsing, the CLI actor, the
// embedded-database lock, and opening the database or a Core for one command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import { sql } from 'kysely';
import { type Config } from '../core/config.js';
import { createCore, type Core, type CoreOptions } from '../core/index.js';
import { createDatabase, type Database } from '../core/db/index.js';
import { grantApplicationRole, roleOf } from '../core/db/roles.js';
import type { VerifyResult } from '../core/audit/verify.js';

/** Bad command line: usage on stderr, exit 2. */
export class UsageError extends Error {}
/** An expected failure, reported in one line: exit 1. */
export class CliError extends Error {}

export function cliActor(): { id: string } {
  let name: string;
  try {
    name = os.userInfo().username;
  } catch {
    // A container user without a passwd entry.
    name = process.env.USER ?? `uid-${process.getuid?.() ?? 'unknown'}`;
  }
  return { id: `cli:${name}` };
}

export type Options = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export function parse<O extends Options>(args: string[], options: O, positionals: number, what: string) {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (r.positionals.length !== positionals) {
      throw new Error(positionals === 0 ? `${what} takes no arguments (got ${r.positionals.join(' ')})` : `${what} needs ${positionals} argument(s), got ${r.positionals.length}`);
    }
    return r;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * Commands other than `start` log to stderr (stdout carries their result, e.g. `--json`), at
 * `warn` unless LOG_LEVEL is set explicitly.
 */
export function cliLogger(config: Config): Logger {
  const explicit = process.env.LOG_LEVEL?.trim();
  return pino({ level: explicit ? config.logLevel : 'warn', base: { pid: process.pid } }, pino.destination(2));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is a database engine inside this process: two processes opening the same data directory
 * would each write it as if alone and corrupt it. A lock file beside pgdata keeps out a second
 * `yunling` process; a lock left by a dead process (kill -9, power loss) is taken over.
 */
export function lockEmbedded(config: Config, command: string): () => void {
  if (config.databaseUrl) return () => {};
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, 'pgdata.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() }) + '\n', { flag: 'wx' });
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        process.removeListener('exit', release);
        try {
          if ((JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }).pid === process.pid) fs.rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.on('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: { pid?: number; command?: string } = {};
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        /* unreadable: treat as stale */
      }
      if (typeof holder.pid === 'number' && holder.pid !== process.pid && alive(holder.pid)) {
        throw new CliError(`the embedded database in ${config.dataDir} is in use by another yunling process (pid ${holder.pid}, ${holder.command ?? '?'}); PGlite serves one process at a time — stop that process first, or use PostgreSQL (DATABASE_URL)`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new CliError(`could not lock the embedded database in ${config.dataDir} (${file})`);
}

/**
 * Opens the database. For PGlite, close() first lets the node-postgres adapter finish the
 * messages of a query that failed (pg settles the query on the error, before the adapter has
 * run the rest of its Parse/Bind/Execute/Sync queue); closing PGlite under them crashes the
 * process with an unhandled 'error' event. One more query is only sent once they are done.
 */
export async function openDatabase(config: Config): Promise<Database> {
  const d = await createDatabase(config);
  if (d.kind !== 'pglite') return d;
  return {
    ...d,
    close: async () => {
      await sql`SELECT 1`.execute(d.db).catch(() => {});
      await d.close();
    },
  };
}

/** The database as its owner (DATABASE_OWNER_URL when set): migrations and restore create tables. */
export async function ownerDatabase(config: Config): Promise<{ database: Database; grant: () => Promise<void> }> {
  if (!config.databaseUrl || !config.databaseOwnerUrl) {
    const database = await openDatabase(config);
    return { database, grant: async () => {} };
  }
  const database = await openDatabase({ ...config, databaseUrl: config.databaseOwnerUrl, databasePoolSize: 1 });
  return {
    database,
    grant: async () => {
      if (roleOf(config.databaseUrl!) !== roleOf(config.databaseOwnerUrl!)) await grantApplicationRole(database.db, roleOf(config.databaseUrl!));
    },
  };
}

/** createCore on a database opened here, so that a failed start-up closes it safely too. */
export async function openCore(config: Config, opts: Omit<CoreOptions, 'database'>): Promise<Core> {
  const database = await openDatabase(config);
  try {
    return await createCore(config, { ...opts, database });
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}

export async function withCore<T>(config: Config, command: string, fn: (core: Core) => Promise<T>): Promise<T> {
  const unlock = lockEmbedded(config, command);
  try {
    const core = await openCore(config, { startWorkers: false, logger: cliLogger(config) });
    try {
      return await fn(core);
    } finally {
      await core.close();
    }
  } finally {
    unlock();
  }
}

export async function withDatabase<T>(config: Config, command: string, asOwner: boolean, fn: (database: Database, grant: () => Promise<void>) => Promise<T>): Promise<T> {
  const unlock = lockEmbedded(config, command);
  try {
    const { database, grant } = asOwner ? await ownerDatabase(config) : { database: await openDatabase(config), grant: async () => {} };
    try {
      return await fn(database, grant);
    } finally {
      await database.close();
    }
  } finally {
    unlock();
  }
}

/** Listening errors an operator can fix, in one line. */
export function listenError(err: NodeJS.ErrnoException, config: Config): Error {
  if (err.code === 'EADDRINUSE') return new CliError(`port ${config.port} is already in use on ${config.host} — stop the other process or set PORT to a free port`);
  if (err.code === 'EACCES') return new CliError(`not allowed to listen on port ${config.port} (ports below 1024 need privileges) — set PORT`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return new CliError(`cannot listen on HOST=${config.host}: not an address of this machine (${err.code})`);
  return err;
}

export function printVerify(r: VerifyResult, hash: string): void {
  if (r.ok) process.stdout.write(`audit log intact: ${r.entries} entries verified (${hash}), ${r.checkpoints} signed checkpoints, ${r.pending} pending, ${r.ms} ms\n`);
  else process.stdout.write(`AUDIT LOG TAMPERED: ${r.problem!.message} [${r.problem!.reason}]\n`);
}
