// The `yunling` command: start | migrate | seed | audit verify | audit seal | audit rotate-key |
// backup <file> | restore <file> | webhook … | user … | oidc-client … | oidc-key … | license …  (helpers in src/cli/). Exit codes: 0 ok, 1 failure, 2 usage.
// Arguments are checked before the configuration and the database are touched; expected failures
// (bad configuration, unreachable database, port in use, unusable backup) print ONE line.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './core/config.js';
import { VERSION, type Core } from './core/index.js';
import { DatabaseUnavailableError } from './core/db/index.js';
import { migrateToLatest } from './core/db/migrate.js';
import { allMigrations } from './migrations.js';
import type { App } from './app.js';
import { demoAccounts, isSeeded, seedDemo, settleDemo } from './seed.js';
import { verifyAudit } from './core/audit/verify.js';
import { loadAuditKeys } from './core/audit/keys.js';
import { chainHasher } from './core/audit/canonical.js';
import { createCrypto } from './core/crypto/index.js';
import { backup, BackupError, readBackupHeader, restore, RestoreError, type BackupHeader } from './core/backup/index.js';
import { CliUsageError, userCommand } from './platform/identity/cli.js';
import { OIDC_CLI_USAGE, oidcClientCommand, oidcClientUsageProblem, oidcKeyCommand, oidcKeyUsageProblem } from './platform/identity/oidc/cli.js';
import { printVerify, UsageError, CliError, cliActor, parse, lockEmbedded, openCore, withCore, withDatabase, listenError } from './cli/common.js';
import { type Command, auditCommand, webhookCommand } from './cli/audit-webhook.js';
import { LicenseUsageError, runLicenseCommand } from './platform/licenses/cli.js';
import { dispatchAccuracy } from './modules/hotline/index.js';

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
  license issue --type CODE --issuer USCC --issuer-name N --division D --holder-name N --holder-type 111|001
       --holder-code C --face JSON|@file [--number] [--issued-on] [--valid-from] [--valid-until] [--json]
  license pdf <identifier> --out FILE [--json]      the signed PDF of a license
  license revoke <identifier> --reason R [--json]
  license verify <identifier> [--json]
  hotline dispatch-accuracy --division CODE [--json]   how often the dispatch suggestion names the unit that handled held-out orders
  help                                  this text

Configuration comes from environment variables (see README): PORT, HOST, DATA_DIR, DATABASE_URL, …
The embedded database (no DATABASE_URL) serves one process at a time: stop \`start\` before other commands.
`;

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
        await settleDemo(core);
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
  license: (args) => {
    if (!['issue', 'pdf', 'revoke', 'verify'].includes(args[0] ?? '')) throw new UsageError('license issue|pdf|revoke|verify … (see `yunling help`)');
    return (config) =>
      withCore(config, `license ${args[0]}`, async (core) => {
        try {
          return await runLicenseCommand(core, args, cliActor());
        } catch (e) {
          if (e instanceof LicenseUsageError) throw new UsageError(e.message);
          throw e;
        }
      });
  },
  hotline: (args) => {
    const { values, positionals } = parse(args, { division: { type: 'string' }, json: { type: 'boolean' } }, 1, 'hotline');
    if (positionals[0] !== 'dispatch-accuracy' || !/^\d{6}$/.test(String(values.division ?? ''))) throw new UsageError('hotline dispatch-accuracy --division CODE [--json]');
    return (config) =>
      withCore(config, 'hotline', async (core) => {
        const r = await dispatchAccuracy(core, values.division as string);
        const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
        process.stdout.write(values.json ? `${JSON.stringify(r)}\n` : `dispatch suggestions in ${r.division}: trained on ${r.trained} orders, tested on ${r.tested} held-out orders — top-1 ${pct(r.top1)}, top-3 ${pct(r.top3)}\n`);
        return 0;
      });
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
