// Environment → typed configuration, parsed and validated once at boot.
// A bad value stops the start with ONE line naming the variable and what is allowed.
import path from 'node:path';

export type CryptoProfile = 'sm' | 'intl';

export interface Config {
  port: number;
  host: string;
  baseUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databaseOwnerUrl: string | undefined;
  databasePoolSize: number;
  cryptoProfile: CryptoProfile;
  masterKey: string | undefined;
  auditKeyFile: string;
  auditCheckpointEvery: number;
  auditCheckpointSeconds: number;
  natsUrl: string | undefined;
  natsStream: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  rateLimitMax: number;
  rateLimitWindowMs: number;
  bodyLimit: number;
  trustProxy: boolean;
  seedDemo: boolean;
  workers: boolean;
  jobsConcurrency: number;
  pollMs: number;
  nodeEnv: string;
  /** Where file contents live: local disk under $DATA_DIR/files, or an S3-compatible bucket. */
  fileStore: 'local' | 's3';
  s3: S3Config | undefined;
  fileMaxBytes: number;
  /** argv of the virus scanner (file on stdin; exit 0 clean, 1 infected), or undefined for none. */
  virusScanCommand: string[] | undefined;
}

export interface S3Config {
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region: string;
  pathStyle: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

interface VarSpec {
  name: string;
  default: string | undefined;
  meaning: string;
}

/** Every variable Yunling reads; the README's config table is generated from the same list. */
export const CONFIG_VARS: VarSpec[] = [
  { name: 'PORT', default: '3000', meaning: 'HTTP port' },
  { name: 'HOST', default: 'localhost', meaning: 'interface to listen on (0.0.0.0 for all)' },
  { name: 'BASE_URL', default: 'http://localhost:$PORT', meaning: 'public URL of this deployment (links, OIDC issuer)' },
  { name: 'DATA_DIR', default: './data', meaning: 'embedded database, keys and local files' },
  { name: 'DATABASE_URL', default: '(unset: embedded PGlite in $DATA_DIR/pgdata)', meaning: 'postgres://user:pass@host:5432/db to use PostgreSQL' },
  { name: 'DATABASE_OWNER_URL', default: '(unset: DATABASE_URL)', meaning: 'role that owns the schema and runs migrations; the app role then gets no UPDATE/DELETE on audit tables' },
  { name: 'DATABASE_POOL_SIZE', default: '10', meaning: 'PostgreSQL connections per node (PGlite always 1)' },
  { name: 'CRYPTO_PROFILE', default: 'sm', meaning: 'sm = SM2/SM3/SM4 (国密); intl = Ed25519/SHA-256/AES-256-GCM' },
  { name: 'MASTER_KEY', default: '(unset: generated in $DATA_DIR/keys/master.key)', meaning: '64 hex chars; root of field-encryption and blind-index keys' },
  { name: 'AUDIT_KEY_FILE', default: '$DATA_DIR/keys/audit-<profile>.json', meaning: 'audit checkpoint signing key (generated when missing)' },
  { name: 'AUDIT_CHECKPOINT_EVERY', default: '1000', meaning: 'sign a checkpoint after this many sealed audit entries' },
  { name: 'AUDIT_CHECKPOINT_SECONDS', default: '300', meaning: '…or after this many seconds with new entries' },
  { name: 'NATS_URL', default: '(unset: in-process events only)', meaning: 'nats://host:4222 to publish events to JetStream and receive other nodes\' events' },
  { name: 'NATS_STREAM', default: 'YUNLING', meaning: 'JetStream stream holding subjects yunling.>' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal|error|warn|info|debug|trace|silent' },
  { name: 'RATE_LIMIT_MAX', default: '600', meaning: 'requests per client per window' },
  { name: 'RATE_LIMIT_WINDOW_MS', default: '60000', meaning: 'rate-limit window in milliseconds' },
  { name: 'BODY_LIMIT', default: '1048576', meaning: 'largest accepted request body in bytes' },
  { name: 'TRUST_PROXY', default: 'false', meaning: 'true behind nginx: client IP from X-Forwarded-For' },
  { name: 'SEED_DEMO', default: 'true', meaning: 'seed demo data on first start' },
  { name: 'WORKERS', default: 'true', meaning: 'run background workers (jobs, outbox dispatcher, audit sealer) on this node' },
  { name: 'JOBS_CONCURRENCY', default: '4', meaning: 'jobs run at once per node' },
  { name: 'POLL_MS', default: '500', meaning: 'how often workers poll the database when idle' },
  { name: 'FILE_STORE', default: 'local', meaning: 'local = content-addressed files under $DATA_DIR/files; s3 = an S3-compatible bucket (S3_* below)' },
  { name: 'S3_ENDPOINT', default: '(unset)', meaning: 'http(s)://host:port of the S3-compatible service (required with FILE_STORE=s3)' },
  { name: 'S3_BUCKET', default: '(unset)', meaning: 'bucket for file contents (required with FILE_STORE=s3; created when missing)' },
  { name: 'S3_ACCESS_KEY', default: '(unset)', meaning: 'access key (required with FILE_STORE=s3)' },
  { name: 'S3_SECRET_KEY', default: '(unset)', meaning: 'secret key (required with FILE_STORE=s3)' },
  { name: 'S3_REGION', default: 'us-east-1', meaning: 'region sent in signatures' },
  { name: 'S3_PATH_STYLE', default: 'true', meaning: 'true = http://host/bucket/key (MinIO, Ceph); false = http://bucket.host/key (e.g. Aliyun OSS)' },
  { name: 'FILE_MAX_BYTES', default: '20971520', meaning: 'largest accepted upload in bytes (20 MiB); a request may ask for less, never more' },
  { name: 'VIRUS_SCAN_COMMAND', default: '(unset: no scanning)', meaning: 'command that gets each upload on stdin, e.g. clamdscan --no-summary -; exit 0 clean, 1 infected, else error' },
];

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** A value quoted for an error message: always one line, whatever it holds. */
const show = (raw: string) => JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `${name}=${show(raw)} — must be an integer between ${min} and ${max}`);
  }
  return Number(raw);
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `${name}=${show(raw)} — must be true or false`);
}

function oneOf<T extends string>(env: Env, name: string, def: T, allowed: readonly T[]): T {
  const raw = read(env, name);
  if (raw === undefined) return def;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `${name}=${show(raw)} — must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

/**
 * Splits a command line into argv the way a POSIX shell would for plain words, '…' and "…"
 * quoting and backslash escapes — without running a shell, so nothing else is interpreted.
 * Returns null when a quote is left open.
 */
export function splitCommandLine(line: string): string[] | null {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) out.push(word);
  return out;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `${name} is not a valid URL — expected ${protocols.map((p) => `${p}//…`).join(' or ')}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `${name} has protocol "${parsed.protocol}" — must be ${protocols.join(' or ')}`);
  }
  return raw;
}

const S3_VARS = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_REGION', 'S3_PATH_STYLE'] as const;

function fileSettings(env: Env): Pick<Config, 'fileStore' | 's3' | 'fileMaxBytes' | 'virusScanCommand'> {
  const fileStore = oneOf(env, 'FILE_STORE', 'local', ['local', 's3'] as const);
  const fileMaxBytes = int(env, 'FILE_MAX_BYTES', 20 * 1024 * 1024, 1, 5 * 1024 * 1024 * 1024);
  const rawScan = read(env, 'VIRUS_SCAN_COMMAND');
  let virusScanCommand: string[] | undefined;
  if (rawScan !== undefined) {
    const argv = splitCommandLine(rawScan);
    if (!argv || argv.length === 0) throw new ConfigError('VIRUS_SCAN_COMMAND', `VIRUS_SCAN_COMMAND=${show(rawScan)} — must be a command line with balanced quotes, e.g. clamdscan --no-summary -`);
    virusScanCommand = argv;
  }
  if (fileStore === 'local') {
    // S3 settings without FILE_STORE=s3 would silently keep files on local disk: say so at boot.
    const stray = S3_VARS.find((n) => read(env, n) !== undefined);
    if (stray) throw new ConfigError(stray, `${stray} is set but FILE_STORE is local — set FILE_STORE=s3 to keep files in S3, or unset the S3_* variables`);
    return { fileStore, s3: undefined, fileMaxBytes, virusScanCommand };
  }
  const endpoint = url(env, 'S3_ENDPOINT', ['http:', 'https:']);
  if (!endpoint) throw new ConfigError('S3_ENDPOINT', 'S3_ENDPOINT is required with FILE_STORE=s3 — e.g. http://minio:9000');
  const parsed = new URL(endpoint);
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.username) {
    throw new ConfigError('S3_ENDPOINT', 'S3_ENDPOINT must be scheme://host[:port] only — no path, query or credentials (use S3_ACCESS_KEY / S3_SECRET_KEY)');
  }
  const bucket = read(env, 'S3_BUCKET');
  if (!bucket) throw new ConfigError('S3_BUCKET', 'S3_BUCKET is required with FILE_STORE=s3');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new ConfigError('S3_BUCKET', `S3_BUCKET=${show(bucket)} — must be 3–63 lower-case letters, digits, . or - (starting and ending with a letter or digit)`);
  }
  const accessKey = read(env, 'S3_ACCESS_KEY');
  const secretKey = read(env, 'S3_SECRET_KEY');
  if (!accessKey) throw new ConfigError('S3_ACCESS_KEY', 'S3_ACCESS_KEY is required with FILE_STORE=s3');
  if (!secretKey) throw new ConfigError('S3_SECRET_KEY', 'S3_SECRET_KEY is required with FILE_STORE=s3');
  const region = read(env, 'S3_REGION') ?? 'us-east-1';
  if (!/^[a-z0-9-]{1,64}$/.test(region)) throw new ConfigError('S3_REGION', `S3_REGION=${show(region)} — must be lower-case letters, digits and -, e.g. us-east-1 or cn-north-1`);
  return {
    fileStore,
    s3: { endpoint: `${parsed.protocol}//${parsed.host}`, bucket, accessKey, secretKey, region, pathStyle: bool(env, 'S3_PATH_STYLE', true) },
    fileMaxBytes,
    virusScanCommand,
  };
}

export function loadConfig(env: Env = process.env): Config {
  const port = int(env, 'PORT', 3000, 1, 65535);
  const host = read(env, 'HOST') ?? 'localhost';
  const baseUrl = (url(env, 'BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const dataDir = path.resolve(read(env, 'DATA_DIR') ?? './data');
  const cryptoProfile = oneOf(env, 'CRYPTO_PROFILE', 'sm', ['sm', 'intl'] as const);
  const masterKey = read(env, 'MASTER_KEY');
  if (masterKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(masterKey)) {
    throw new ConfigError('MASTER_KEY', 'MASTER_KEY — must be exactly 64 hexadecimal characters (32 bytes)');
  }
  const natsStream = read(env, 'NATS_STREAM') ?? 'YUNLING';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(natsStream)) {
    throw new ConfigError('NATS_STREAM', `NATS_STREAM=${show(natsStream)} — must be 1–64 letters, digits, _ or -`);
  }
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const databaseOwnerUrl = url(env, 'DATABASE_OWNER_URL', ['postgres:', 'postgresql:']);
  if (databaseOwnerUrl && !databaseUrl) {
    throw new ConfigError('DATABASE_OWNER_URL', 'DATABASE_OWNER_URL is set but DATABASE_URL is not — set both (owner and application role) or neither (embedded database)');
  }
  return {
    port,
    host,
    baseUrl,
    dataDir,
    databaseUrl,
    databaseOwnerUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    cryptoProfile,
    masterKey,
    auditKeyFile: path.resolve(read(env, 'AUDIT_KEY_FILE') ?? path.join(dataDir, 'keys', `audit-${cryptoProfile}.json`)),
    auditCheckpointEvery: int(env, 'AUDIT_CHECKPOINT_EVERY', 1000, 1, 10_000_000),
    auditCheckpointSeconds: int(env, 'AUDIT_CHECKPOINT_SECONDS', 300, 1, 86_400),
    natsUrl: url(env, 'NATS_URL', ['nats:', 'tls:', 'ws:', 'wss:']),
    natsStream,
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    rateLimitMax: int(env, 'RATE_LIMIT_MAX', 600, 1, 1_000_000),
    rateLimitWindowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000, 86_400_000),
    bodyLimit: int(env, 'BODY_LIMIT', 1_048_576, 1024, 1_073_741_824),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    seedDemo: bool(env, 'SEED_DEMO', true),
    workers: bool(env, 'WORKERS', true),
    jobsConcurrency: int(env, 'JOBS_CONCURRENCY', 4, 1, 256),
    pollMs: int(env, 'POLL_MS', 500, 10, 60_000),
    nodeEnv: read(env, 'NODE_ENV') ?? 'development',
    ...fileSettings(env),
  };
}
