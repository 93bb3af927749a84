// The `yunling` command: start | migrate | seed | audit verify | audit seal | audit rotate-key |
// backup <file> | restore <file> | webhook add|list|disable. Exit codes: 0 ok, 1 failure, 2 usage.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './core/config.js';
import { createCore, VERSION, type Core } from './core/index.js';
import { createDatabase, DatabaseUnavailableError } from './core/db/index.js';
import { migrateToLatest } from './core/db/migrate.js';
import { allMigrations } from './migrations.js';
import { buildApp } from './app.js';
import { demoAccounts, isSeeded, seedDemo } from './seed.js';
import { verifyAudit } from './core/audit/verify.js';
import { sealAll, maybeCheckpoint } from './core/audit/sealer.js';
import { rotateAuditKey } from './core/audit/keys.js';
import { backup, restore, RestoreError } from './core/backup/index.js';
import { createWebhook, listWebhooks, setWebhookActive } from './core/events/webhooks.js';

export const USAGE = `用法 Usage: yunling <command> [options]

Commands:
  start [--no-migrate] [--no-workers]   serve Yunling (migrates and seeds demo data on first start)
  migrate                               apply pending database migrations
  seed                                  (re)seed the demo data
  audit verify [--json]                 check the audit hash chain and checkpoint signatures
  audit seal                            seal pending audit entries and sign a checkpoint now
  audit rotate-key                      new checkpoint signing key (the old one stays trusted)
  backup <file>                         write a logical backup (gzip NDJSON), PGlite or PostgreSQL
  restore <file>                        restore a backup into an EMPTY database
  webhook add --name N --url U --events "a.*,b.c" [--division CODE] [--json]
  webhook list [--json]
  webhook disable <id> | webhook enable <id>
  help                                  this text

Configuration comes from environment variables (see README): PORT, HOST, DATA_DIR, DATABASE_URL, …
`;

class UsageError extends Error {}

const cliActor = () => ({ id: `cli:${os.userInfo().username}` });

function parse(args: string[], options: Record<string, { type: 'string' | 'boolean' }>, positionals: number) {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (r.positionals.length !== positionals) throw new UsageError(`expected ${positionals} argument(s), got ${r.positionals.length}`);
    return r;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function withCore<T>(config: Config, fn: (core: Core) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const core = await createCore({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, { startWorkers: false, migrate: opts.migrate });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

async function start(config: Config, args: string[]): Promise<number> {
  const { values } = parse(args, { 'no-migrate': { type: 'boolean' }, 'no-workers': { type: 'boolean' } }, 0);
  const t0 = performance.now();
  const core = await createCore(config, { migrate: !values['no-migrate'], startWorkers: values['no-workers'] ? false : config.workers });
  let seededNow = false;
  if (config.seedDemo && !(await isSeeded(core))) {
    await seedDemo(core);
    seededNow = true;
  }
  const app = await buildApp(core);
  await app.listen({ port: config.port, host: config.host });
  const accounts = await demoAccounts(core);
  const lines = [
    '',
    `  云岭 Yunling ${VERSION} — ${config.baseUrl}  (${core.database.kind}${core.database.dataDir ? ` in ${core.database.dataDir}` : ''}, ready in ${Math.round(performance.now() - t0)} ms)`,
    `  API docs: ${config.baseUrl}/docs   health: ${config.baseUrl}/healthz`,
    seededNow ? '  Demo data seeded.' : '',
    accounts.length ? '  Demo accounts (演示账号):' : '  Demo accounts (演示账号): none yet — sign-in arrives with the identity module.',
    ...accounts.map((a) => `    ${a.role.padEnd(22)} ${a.username.padEnd(20)} ${a.password.padEnd(16)} ${a.division}`),
    '',
  ].filter((l) => l !== '');
  process.stdout.write(lines.join('\n') + '\n');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    core.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await app.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return new Promise<number>(() => {});
}

async function auditCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0);
    return withCore(config, async (core) => {
      const r = await verifyAudit(core.db, core.audit.hasher, core.audit.trusted);
      if (values.json) process.stdout.write(JSON.stringify(r) + '\n');
      else if (r.ok) process.stdout.write(`audit log intact: ${r.entries} entries verified (${core.crypto.hashAlgorithm}), ${r.checkpoints} signed checkpoints, ${r.pending} pending, ${r.ms} ms\n`);
      else process.stdout.write(`AUDIT LOG TAMPERED: ${r.problem!.message} [${r.problem!.reason}]\n`);
      return r.ok ? 0 : 1;
    });
  }
  if (sub === 'seal') {
    parse(rest, {}, 0);
    return withCore(config, async (core) => {
      const n = await sealAll(core.db, core.audit.hasher);
      await maybeCheckpoint(core.db, core.audit.signer, { every: 1, seconds: 0, now: core.clock.now(), force: true });
      process.stdout.write(`sealed ${n} entries\n`);
      return 0;
    });
  }
  if (sub === 'rotate-key') {
    parse(rest, {}, 0);
    const id = rotateAuditKey(config.auditKeyFile, config.cryptoProfile);
    process.stdout.write(`new audit signing key ${id}\n`);
    return 0;
  }
  throw new UsageError(`unknown audit command: ${sub ?? '(none)'}`);
}

async function webhookCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values: v } = parse(rest, { name: { type: 'string' }, url: { type: 'string' }, events: { type: 'string' }, division: { type: 'string' }, json: { type: 'boolean' } }, 0);
    const values = v as { name?: string; url?: string; events?: string; division?: string; json?: boolean };
    if (!values.name || !values.url || !values.events) throw new UsageError('webhook add needs --name, --url and --events');
    return withCore(config, async (core) => {
      const r = await createWebhook(core, cliActor(), { name: values.name!, url: values.url!, eventTypes: values.events!.split(',').map((s) => s.trim()).filter(Boolean), division: values.division ?? null });
      process.stdout.write(values.json ? JSON.stringify(r) + '\n' : `webhook ${r.id}\nsecret (shown once): ${r.secret}\n`);
      return 0;
    });
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } }, 0);
    return withCore(config, async (core) => {
      const list = await listWebhooks(core);
      process.stdout.write(values.json ? JSON.stringify(list) + '\n' : list.map((w) => `${w.id}  ${w.active ? 'active  ' : 'disabled'}  ${w.name}  ${w.url}  ${w.event_types.join(',')}`).join('\n') + '\n');
      return 0;
    });
  }
  if (sub === 'disable' || sub === 'enable') {
    const { positionals } = parse(rest, {}, 1);
    return withCore(config, async (core) => {
      const ok = await setWebhookActive(core, cliActor(), positionals[0]!, sub === 'enable');
      process.stdout.write(ok ? `webhook ${positionals[0]} ${sub}d\n` : `no webhook ${positionals[0]}\n`);
      return ok ? 0 : 1;
    });
  }
  throw new UsageError(`unknown webhook command: ${sub ?? '(none)'}`);
}

export async function run(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const known = ['start', 'migrate', 'seed', 'audit', 'backup', 'restore', 'webhook'];
    if (!known.includes(command)) throw new UsageError(`unknown command: ${command}`);
    const config = loadConfig();
    switch (command) {
      case 'start':
        return await start(config, args);
      case 'migrate': {
        parse(args, {}, 0);
        const database = await createDatabase(config);
        try {
          const applied = await migrateToLatest(database.db, allMigrations);
          process.stdout.write(applied.length ? `applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}\n` : 'database schema is up to date\n');
        } finally {
          await database.close();
        }
        return 0;
      }
      case 'seed':
        parse(args, {}, 0);
        return await withCore(config, async (core) => {
          const accounts = await seedDemo(core);
          process.stdout.write(`demo data seeded (${accounts.length} demo accounts)\n`);
          return 0;
        });
      case 'audit':
        return await auditCommand(config, args);
      case 'webhook':
        return await webhookCommand(config, args);
      case 'backup': {
        const { positionals } = parse(args, {}, 1);
        const database = await createDatabase(config);
        try {
          const r = await backup(database.db, positionals[0]!, { version: VERSION, engine: database.kind, migrations: allMigrations });
          process.stdout.write(`backup written to ${positionals[0]}: ${r.tables} tables, ${r.rows} rows, ${r.bytes} bytes\n`);
        } finally {
          await database.close();
        }
        return 0;
      }
      case 'restore': {
        const { positionals } = parse(args, {}, 1);
        const database = await createDatabase(config);
        try {
          const r = await restore(database.db, positionals[0]!, allMigrations);
          process.stdout.write(`restored ${r.rows} rows into ${r.tables} tables from ${positionals[0]}\n`);
        } finally {
          await database.close();
        }
        return 0;
      }
    }
    return 2;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`yunling: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`yunling: invalid configuration: ${err.message}\n`);
      return 1;
    }
    if (err instanceof DatabaseUnavailableError || err instanceof RestoreError) {
      process.stderr.write(`yunling: ${err.message}\n`);
      return 1;
    }
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`yunling: ${(err as Error).message}\n`);
      return 1;
    }
    process.stderr.write(`yunling: ${(err as Error).stack ?? err}\n`);
    return 1;
  }
}
