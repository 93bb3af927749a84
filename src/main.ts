// The `yunling` command: start | migrate | seed | audit verify | audit seal | audit rotate-key |
// backup <file> | restore <file> | webhook add|list|disable. Exit codes: 0 ok, 1 failure, 2 usage.
// Arguments are checked before the configuration and the database are touched; expected failures
// (bad configuration, unreachable database, port in use, unusable backup) print ONE line.
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import { sql } from 'kysely';
import { ConfigError, loadConfig, type Config } from './core/config.js';
import { createCore, VERSION, type Core, type CoreOptions } from './core/index.js';
import { createDatabase, DatabaseUnavailableError, type Database } from './core/db/index.js';
import { migrateToLatest } from './core/db/migrate.js';
import { grantApplicationRole, roleOf } from './core/db/roles.js';
import { allMigrations } from './migrations.js';
import type { App } from './app.js';
import { demoAccounts, isSeeded, seedDemo } from './seed.js';
import { verifyAudit, type VerifyResult } from './core/audit/verify.js';
import { sealAll, maybeCheckpoint } from './core/audit/sealer.js';
import { loadAuditKeys, rotateAuditKey } from './core/audit/keys.js';
import { chainHasher } from './core/audit/canonical.js';
import { createCrypto } from './core/crypto/index.js';
import { backup, BackupError, readBackupHeader, restore, RestoreError, type BackupHeader } from './core/backup/index.js';
import { createWebhook, listWebhooks, setWebhookActive } from './core/events/webhooks.js';
import { CliUsageError, userCommand } from './platform/identity/cli.js';
import { OIDC_CLI_USAGE, oidcClientCommand, oidcClientUsageProblem, oidcKeyCommand, oidcKeyUsageProblem } from './platform/identity/oidc/cli.js';

export const USAGE = `用法 Usage: yunling <command> [options]

Commands:
  start [--no-migrate] [--no-workers]   serve Yunling (migrates and seeds demo data on first start)
  migrate                               apply pending database migrations
  seed                                  (re)seed the demo data
  audit verify [--json]                 check the audit hash chain and checkpoint signatures
  audit seal                            seal pending audit entries and sign a checkpoint now
  audit rotate-key                      new checkpoint signing key (the old one stays trusted)
  backup <file>                         write a logical backup (gzip NDJSON), PGlite or PostgreSQL
  restore <file>                        restore a backup into an EMPTY database (PGlite ⇄ PostgreSQL)
  webhook add --name N --url U --events "a.*,b.c" [--division CODE] [--json]
  webhook list [--json]
  webhook disable <id> | webhook enable <id>
  user create --type citizen|enterprise|staff --username U --password P --name N
       [--id-number …] [--uscc …] [--legal-rep …] [--mobile …] [--division CODE] [--roles a,b] [--json]
  user revoke-sessions --username U      sign an account out everywhere
${OIDC_CLI_USAGE}
  help                                  this text

Configuration comes from environment variables (see README): PORT, HOST, DATA_DIR, DATABASE_URL, …
The embedded database (no DATABASE_URL) serves one process at a time: stop \`start\` before other commands.
`;

/** Bad command line: usage on stderr, exit 2. */
class UsageError extends Error {}
/** An expected failure, reported in one line: exit 1. */
class CliError extends Error {}

function cliActor(): { id: string } {
  let name: string;
  try {
    name = os.userInfo().username;
  } catch {
    // A container user without a passwd entry.
    name = process.env.USER ?? `uid-${process.getuid?.() ?? 'unknown'}`;
  }
  return { id: `cli:${name}` };
}

type Options = Record<string, { type: 'string' | 'boolean' }>;

function parse(args: string[], options: Options, positionals: number, what: string) {
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
function cliLogger(config: Config): Logger {
  const explicit = process.env.LOG_LEVEL?.trim();
  return pino({ level: explicit ? config.logLevel : 'warn', base: { pid: process.pid } }, pino.destination(2));
}

function alive(pid: number): boolean {
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
function lockEmbedded(config: Config, command: string): () => void {
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
async function openDatabase(config: Config): Promise<Database> {
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
async function ownerDatabase(config: Config): Promise<{ database: Database; grant: () => Promise<void> }> {
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
async function openCore(config: Config, opts: Omit<CoreOptions, 'database'>): Promise<Core> {
  const database = await openDatabase(config);
  try {
    return await createCore(config, { ...opts, database });
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}

async function withCore<T>(config: Config, command: string, fn: (core: Core) => Promise<T>): Promise<T> {
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

async function withDatabase<T>(config: Config, command: string, asOwner: boolean, fn: (database: Database, grant: () => Promise<void>) => Promise<T>): Promise<T> {
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
function listenError(err: NodeJS.ErrnoException, config: Config): Error {
  if (err.code === 'EADDRINUSE') return new CliError(`port ${config.port} is already in use on ${config.host} — stop the other process or set PORT to a free port`);
  if (err.code === 'EACCES') return new CliError(`not allowed to listen on port ${config.port} (ports below 1024 need privileges) — set PORT`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return new CliError(`cannot listen on HOST=${config.host}: not an address of this machine (${err.code})`);
  return err;
}

function seedInChild(): Promise<void> {
  const bin = fileURLToPath(new URL('../bin/yunling.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, bin, 'seed'], { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new CliError(err.trim().split('\n').filter((l) => l.startsWith('yunling:')).join(' ') || `first-start seeding failed (exit ${code})`))));
  });
}

async function start(config: Config, values: { 'no-migrate'?: boolean; 'no-workers'?: boolean }): Promise<number> {
  const t0 = performance.now();
  let core: Core | undefined;
  let app: App | undefined;
  let unlock: (() => void) | undefined;
  // A signal during start-up is remembered and honoured once the step in progress is done, so
  // that the embedded database is never abandoned half-open.
  let signalled: string | null = null;
  let onStop: ((signal: string) => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (onStop) onStop(signal);
    else signalled ??= signal;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // The HTTP stack loads only for `start`, while the database opens.
  const appModule = import('./app.js');
  appModule.catch(() => {}); // a failure is reported where it is awaited
  const shutdown = async () => {
    try {
      await app?.close();
    } finally {
      try {
        await core?.close();
      } finally {
        unlock?.();
        process.removeListener('SIGTERM', onSignal);
        process.removeListener('SIGINT', onSignal);
      }
    }
  };
  let seededNow = false;
  try {
    // A first start on the embedded database migrates and seeds in a short-lived child process:
    // initdb, migrations and the demo seed (argon2 hashes, the division dataset) peak high, and
    // Node keeps that memory; the server itself then starts like any later start.
    if (!config.databaseUrl && !values['no-migrate'] && config.seedDemo && !fs.existsSync(path.join(config.dataDir, 'pgdata', 'PG_VERSION'))) {
      await seedInChild();
      seededNow = true;
    }
    unlock = lockEmbedded(config, 'start');
    try {
      core = await openCore(config, { migrate: !values['no-migrate'], startWorkers: values['no-workers'] ? false : config.workers });
    } catch (err) {
      if (values['no-migrate'] && (err as { code?: string }).code === '42P01') {
        throw new CliError('the database schema is missing or out of date — run `yunling migrate`, or start without --no-migrate');
      }
      throw err;
    }
    if (!signalled && config.seedDemo && !(await isSeeded(core))) {
      await seedDemo(core);
      seededNow = true;
    }
    if (!signalled) {
      const { buildApp } = await appModule;
      app = await buildApp(core);
      try {
        await app.listen({ port: config.port, host: config.host });
      } catch (err) {
        throw listenError(err as NodeJS.ErrnoException, config);
      }
    }
    if (signalled) {
      core.log.info({ signal: signalled }, 'stopped during start-up');
      await shutdown();
      return 0;
    }
    const accounts = await demoAccounts(core);
    const lines = [
      '',
      `  云岭 Yunling ${VERSION} — ${config.baseUrl}  (${core.database.kind}${core.database.dataDir ? ` in ${core.database.dataDir}` : ''}, ready in ${Math.round(performance.now() - t0)} ms)`,
      `  API docs: ${config.baseUrl}/docs   health: ${config.baseUrl}/healthz`,
      seededNow ? '  Demo data seeded.' : '',
      accounts.length ? '  Demo accounts (演示账号):' : '  Demo accounts (演示账号): none (SEED_DEMO=false)',
      ...accounts.map((a) => `    ${a.role.padEnd(22)} ${a.username.padEnd(20)} ${a.password.padEnd(16)} ${a.division}`),
      '',
    ].filter((l) => l !== '');
    process.stdout.write(lines.join('\n') + '\n');
  } catch (err) {
    await shutdown().catch(() => {});
    throw err;
  }
  return new Promise<number>((resolve) => {
    let stopping = false;
    onStop = (signal) => {
      if (stopping) return;
      stopping = true;
      core!.log.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        process.stderr.write('yunling: shutdown took longer than 15 s; exiting\n');
        process.exit(1);
      }, 15_000);
      force.unref();
      shutdown().then(
        () => resolve(0),
        (err) => {
          process.stderr.write(`yunling: shutdown failed: ${(err as Error).message}\n`);
          resolve(1);
        },
      );
    };
  });
}

function printVerify(r: VerifyResult, hash: string): void {
  if (r.ok) process.stdout.write(`audit log intact: ${r.entries} entries verified (${hash}), ${r.checkpoints} signed checkpoints, ${r.pending} pending, ${r.ms} ms\n`);
  else process.stdout.write(`AUDIT LOG TAMPERED: ${r.problem!.message} [${r.problem!.reason}]\n`);
}

type Command = (args: string[]) => (config: Config) => Promise<number>;

const auditCommand: Command = (args) => {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0, 'audit verify');
    return (config) =>
      withCore(config, 'audit verify', async (core) => {
        const r = await verifyAudit(core.db, core.audit.hasher, core.audit.trusted);
        if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
        else printVerify(r, core.crypto.hashAlgorithm);
        return r.ok ? 0 : 1;
      });
  }
  if (sub === 'seal') {
    parse(rest, {}, 0, 'audit seal');
    return (config) =>
      withCore(config, 'audit seal', async (core) => {
        const n = await sealAll(core.db, core.audit.hasher);
        await maybeCheckpoint(core.db, core.audit.signer, { every: 1, seconds: 0, now: core.clock.now(), force: true });
        process.stdout.write(`sealed ${n} entries\n`);
        return 0;
      });
  }
  if (sub === 'rotate-key') {
    parse(rest, {}, 0, 'audit rotate-key');
    return async (config) => {
      if (!fs.existsSync(config.auditKeyFile)) throw new CliError(`no audit key file at ${config.auditKeyFile} — it is created on the first start`);
      const id = rotateAuditKey(config.auditKeyFile, config.cryptoProfile);
      process.stdout.write(`new audit signing key ${id}\n`);
      return 0;
    };
  }
  throw new UsageError(sub ? `unknown audit command: ${sub}` : 'audit needs a command: verify, seal or rotate-key');
};

const webhookCommand: Command = (args) => {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values: v } = parse(rest, { name: { type: 'string' }, url: { type: 'string' }, events: { type: 'string' }, division: { type: 'string' }, json: { type: 'boolean' } }, 0, 'webhook add');
    const values = v as { name?: string; url?: string; events?: string; division?: string; json?: boolean };
    if (!values.name || !values.url || !values.events) throw new UsageError('webhook add needs --name, --url and --events');
    return (config) =>
      withCore(config, 'webhook add', async (core) => {
        const r = await createWebhook(core, cliActor(), { name: values.name!, url: values.url!, eventTypes: values.events!.split(',').map((s) => s.trim()).filter(Boolean), division: values.division ?? null });
        process.stdout.write(values.json ? JSON.stringify(r) + '\n' : `webhook ${r.id}\nsecret (shown once): ${r.secret}\n`);
        return 0;
      });
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0, 'webhook list');
    return (config) =>
      withCore(config, 'webhook list', async (core) => {
        const list = await listWebhooks(core);
        process.stdout.write(values.json ? JSON.stringify(list) + '\n' : list.map((w) => `${w.id}  ${w.active ? 'active  ' : 'disabled'}  ${w.name}  ${w.url}  ${w.event_types.join(',')}`).join('\n') + '\n');
        return 0;
      });
  }
  if (sub === 'disable' || sub === 'enable') {
    const { positionals } = parse(rest, {}, 1, `webhook ${sub}`);
    return (config) =>
      withCore(config, `webhook ${sub}`, async (core) => {
        const ok = await setWebhookActive(core, cliActor(), positionals[0]!, sub === 'enable');
        process.stdout.write(ok ? `webhook ${positionals[0]} ${sub}d\n` : `no webhook ${positionals[0]}\n`);
        return ok ? 0 : 1;
      });
  }
  throw new UsageError(sub ? `unknown webhook command: ${sub}` : 'webhook needs a command: add, list, disable or enable');
};

const commands: Record<string, Command> = {
  start: (args) => {
    const { values } = parse(args, { 'no-migrate': { type: 'boolean' }, 'no-workers': { type: 'boolean' } }, 0, 'start');
    return (config) => start(config, values);
  },
  migrate: (args) => {
    parse(args, {}, 0, 'migrate');
    return (config) =>
      withDatabase(config, 'migrate', true, async (database, grant) => {
        const applied = await migrateToLatest(database.db, allMigrations);
        await grant();
        process.stdout.write(applied.length ? `applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}\n` : 'database schema is up to date\n');
        return 0;
      });
  },
  seed: (args) => {
    parse(args, {}, 0, 'seed');
    return (config) =>
      withCore(config, 'seed', async (core) => {
        const accounts = await seedDemo(core);
        process.stdout.write(`demo data seeded (${accounts.length} demo accounts)\n`);
        return 0;
      });
  },
  audit: auditCommand,
  webhook: webhookCommand,
  'oidc-client': (args) => {
    const problem = oidcClientUsageProblem(args);
    if (problem) throw new UsageError(problem);
    return (config) => withCore(config, 'oidc-client', (core) => oidcClientCommand(core, args, cliActor()));
  },
  'oidc-key': (args) => {
    const problem = oidcKeyUsageProblem(args);
    if (problem) throw new UsageError(problem);
    return (config) => withCore(config, 'oidc-key', (core) => oidcKeyCommand(core, args, cliActor()));
  },
  user: (args) => {
    if (args[0] !== 'create' && args[0] !== 'revoke-sessions') throw new UsageError(args[0] ? `unknown user command: ${args[0]}` : 'user needs a command: create or revoke-sessions');
    return (config) =>
      withCore(config, `user ${args[0]}`, async (core) => {
        try {
          return await userCommand(core, args, cliActor());
        } catch (err) {
          if (err instanceof CliUsageError) throw new UsageError(err.message);
          throw err;
        }
      });
  },
  backup: (args) => {
    const { positionals } = parse(args, {}, 1, 'backup <file>');
    const file = positionals[0]!;
    return (config) =>
      withDatabase(config, 'backup', false, async (database) => {
        const r = await backup(database.db, file, { version: VERSION, engine: database.kind, cryptoProfile: config.cryptoProfile });
        process.stdout.write(`backup written to ${file}: ${r.tables} tables, ${r.rows} rows, ${r.bytes} bytes\n`);
        return 0;
      });
  },
  restore: (args) => {
    const { positionals } = parse(args, {}, 1, 'restore <file>');
    const file = positionals[0]!;
    return async (config) => {
      const check = (header: BackupHeader) => {
        if (header.cryptoProfile && header.cryptoProfile !== config.cryptoProfile) {
          throw new RestoreError(`the backup was made with CRYPTO_PROFILE=${header.cryptoProfile} but this deployment has CRYPTO_PROFILE=${config.cryptoProfile}; set CRYPTO_PROFILE=${header.cryptoProfile}`);
        }
      };
      // A file that is no backup is refused before any database is opened (or created).
      check(await readBackupHeader(file));
      return withDatabase(config, 'restore', true, async (database, grant) => {
        const r = await restore(database.db, file, allMigrations, { onProgress: (m) => process.stderr.write(`yunling: ${m}\n`), check });
        await grant();
        process.stdout.write(`restored ${r.rows} rows into ${r.tables} tables from ${file} (${r.header.engine} backup of ${r.header.createdAt}, Yunling ${r.header.yunling})\n`);
        if (r.migrated.length) process.stdout.write(`then applied ${r.migrated.length} migration(s) of this version\n`);
        // The signing keys live outside the database (DATA_DIR/keys): they are not in the backup.
        const missing: string[] = [];
        if (!fs.existsSync(config.auditKeyFile)) missing.push(`audit key ${config.auditKeyFile}`);
        if (!config.masterKey && !fs.existsSync(path.join(config.dataDir, 'keys', 'master.key'))) missing.push(`master key ${path.join(config.dataDir, 'keys', 'master.key')} (or MASTER_KEY)`);
        if (missing.length) {
          process.stderr.write(`yunling: note: no ${missing.join(' and no ')} here — copy DATA_DIR/keys from the source deployment before \`yunling start\`, or its audit checkpoints cannot be verified and its encrypted fields cannot be read\n`);
          return 0;
        }
        const { trusted } = loadAuditKeys(config.auditKeyFile, config.cryptoProfile);
        const v = await verifyAudit(database.db, chainHasher(config.cryptoProfile), trusted);
        printVerify(v, createCrypto(config.cryptoProfile).hashAlgorithm);
        return v.ok ? 0 : 1;
      });
    };
  },
};

export async function run(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (!command) throw new UsageError('no command given');
    if (command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (command === '--version' || command === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const make = Object.hasOwn(commands, command) ? commands[command] : undefined;
    if (!make) throw new UsageError(`unknown command: ${command}`);
    const exec = make(args); // the command line first: a usage error never touches the database
    return await exec(loadConfig());
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`yunling: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`yunling: invalid configuration: ${err.message}\n`);
      return 1;
    }
    if (err instanceof CliError || err instanceof DatabaseUnavailableError || err instanceof RestoreError || err instanceof BackupError) {
      process.stderr.write(`yunling: ${err.message}\n`);
      return 1;
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ENOSPC' || code === 'EROFS') {
      process.stderr.write(`yunling: ${(err as Error).message}\n`);
      return 1;
    }
    // Unexpected: a bug or an unusual failure — the stack helps whoever fixes it.
    process.stderr.write(`yunling: ${(err as Error).stack ?? err}\n`);
    return 1;
  }
}
