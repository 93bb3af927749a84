// The floor, assembled: configuration → database (migrated) → keys → audit, events, jobs,
// calendar, divisions → background workers. buildApp() in src/app.ts puts HTTP on top.
import os from 'node:os';
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/index.js';
import { migrateToLatest } from './db/migrate.js';
import { grantApplicationRole, roleOf } from './db/roles.js';
import type { Db } from './db/types.js';
import { allMigrations } from '../migrations.js';
import { systemClock, type Clock } from './clock.js';
import { createCrypto } from './crypto/index.js';
import { deriveDataKeys, loadMasterKey, type DataKeys } from './keys.js';
import { chainHasher, type ChainHash } from './audit/canonical.js';
import { loadAuditKeys, publishAuditKeys, type AuditSigner, type TrustedKey } from './audit/keys.js';
import { EventBus } from './events/bus.js';
import { registerWebhooks } from './events/webhooks.js';
import { Jobs } from './jobs/index.js';
import { CalendarStore } from './calendar/store.js';
import { ensureDivisions } from './divisions/service.js';
import { Workers } from './workers.js';
import './db/core-tables.js';

const require = createRequire(import.meta.url);
export const VERSION: string = (require('../../package.json') as { version: string }).version;

export interface Core {
  config: Config;
  version: string;
  nodeId: string;
  database: Database;
  db: Db;
  log: Logger;
  clock: Clock;
  crypto: ReturnType<typeof createCrypto>;
  keys: DataKeys;
  audit: { signer: AuditSigner; trusted: TrustedKey[]; hasher: ChainHash };
  events: EventBus;
  jobs: Jobs;
  calendar: CalendarStore;
  workers: Workers;
  migrations: string[];
  close(): Promise<void>;
}

export interface CoreOptions {
  clock?: Clock;
  logger?: Logger;
  migrate?: boolean;
  startWorkers?: boolean;
  database?: Database;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { pid: process.pid }, redact: ['req.headers.authorization', 'req.headers.cookie'] });
}

export async function createCore(config: Config, opts: CoreOptions = {}): Promise<Core> {
  const log = opts.logger ?? createLogger(config);
  const clock = opts.clock ?? systemClock;
  const database = opts.database ?? (await createDatabase(config));
  try {
    const db = database.db;
    let migrations: string[] = [];
    if (opts.migrate !== false) {
      const ownerDb = config.databaseOwnerUrl && database.kind === 'postgresql' ? await createDatabase({ ...config, databaseUrl: config.databaseOwnerUrl, databasePoolSize: 1 }) : null;
      try {
        migrations = await migrateToLatest((ownerDb ?? database).db, allMigrations);
        if (ownerDb && roleOf(config.databaseUrl!) !== roleOf(config.databaseOwnerUrl!)) await grantApplicationRole(ownerDb.db, roleOf(config.databaseUrl!));
      } finally {
        await ownerDb?.close();
      }
    }
    const crypto = createCrypto(config.cryptoProfile);
    const keys = deriveDataKeys(loadMasterKey(config), config.cryptoProfile);
    const { signer, trusted } = loadAuditKeys(config.auditKeyFile, config.cryptoProfile);
    await publishAuditKeys(db, trusted);
    await ensureDivisions(db);
    const calendar = await CalendarStore.load(db);
    const events = new EventBus(db, clock, log.child({ component: 'events' }));
    const jobs = new Jobs(db, clock, log.child({ component: 'jobs' }), calendar);
    const nodeId = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    const core: Core = {
      config, version: VERSION, nodeId, database, db, log, clock, crypto, keys,
      audit: { signer, trusted, hasher: chainHasher(config.cryptoProfile) },
      events, jobs, calendar, workers: null as unknown as Workers, migrations,
      close: async () => {
        await core.workers.stop();
        await events.nats?.close();
        await database.close();
      },
    };
    core.workers = new Workers(core);
    registerWebhooks(core);
    // Other nodes' calendar changes arrive as events and are applied without a database read.
    events.broadcast('core.calendar.>', (e) => calendar.apply(e.payload as { division: string; date: string; kind?: 'holiday' | 'workday'; name?: string }));
    if (config.natsUrl) {
      // nats (and its ~60 modules) loads only when NATS_URL is set.
      const { NatsBridge } = await import('./events/nats.js');
      events.nats = await NatsBridge.connect(config.natsUrl, config.natsStream, log.child({ component: 'nats' }));
      await events.nats.listen((e) => events.deliverBroadcast(e));
    }
    if (opts.startWorkers ?? config.workers) core.workers.start();
    return core;
  } catch (err) {
    if (!opts.database) await database.close().catch(() => {});
    throw err;
  }
}
