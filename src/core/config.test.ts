import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARS, ConfigError, loadConfig } from './config.js';

/** The ConfigError loadConfig throws for `env`, or a failure when it does not throw one. */
function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has a default for everything', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: 'localhost',
      baseUrl: 'http://localhost:3000',
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      databaseOwnerUrl: undefined,
      databasePoolSize: 10,
      cryptoProfile: 'sm',
      masterKey: undefined,
      auditCheckpointEvery: 1000,
      auditCheckpointSeconds: 300,
      natsStream: 'YUNLING',
      logLevel: 'info',
      trustProxy: false,
      seedDemo: true,
      workers: true,
      jobsConcurrency: 4,
      pollMs: 500,
      nodeEnv: 'development',
    });
    expect(c.auditKeyFile).toBe(path.resolve('./data/keys/audit-sm.json'));
  });

  it('reads every variable', () => {
    const key = 'ab'.repeat(32);
    const c = loadConfig({
      PORT: '8080', HOST: '0.0.0.0', BASE_URL: 'https://zwfw.example.gov.cn/', DATA_DIR: '/var/lib/yunling',
      DATABASE_URL: 'postgres://app:pw@db:5432/yunling', DATABASE_OWNER_URL: 'postgresql://owner:pw@db/yunling', DATABASE_POOL_SIZE: '20',
      CRYPTO_PROFILE: 'intl', MASTER_KEY: key, AUDIT_CHECKPOINT_EVERY: '10', AUDIT_CHECKPOINT_SECONDS: '60',
      NATS_URL: 'nats://nats:4222', NATS_STREAM: 'YL_TEST', LOG_LEVEL: 'debug', RATE_LIMIT_MAX: '100', RATE_LIMIT_WINDOW_MS: '1000',
      BODY_LIMIT: '2048', TRUST_PROXY: 'yes', SEED_DEMO: 'off', WORKERS: '0', JOBS_CONCURRENCY: '8', POLL_MS: '100', NODE_ENV: 'production',
    });
    expect(c).toMatchObject({
      port: 8080, host: '0.0.0.0', baseUrl: 'https://zwfw.example.gov.cn', dataDir: '/var/lib/yunling',
      databaseUrl: 'postgres://app:pw@db:5432/yunling', databaseOwnerUrl: 'postgresql://owner:pw@db/yunling', databasePoolSize: 20,
      cryptoProfile: 'intl', masterKey: key, auditKeyFile: '/var/lib/yunling/keys/audit-intl.json', auditCheckpointEvery: 10, auditCheckpointSeconds: 60,
      natsUrl: 'nats://nats:4222', natsStream: 'YL_TEST', logLevel: 'debug', rateLimitMax: 100, rateLimitWindowMs: 1000,
      bodyLimit: 2048, trustProxy: true, seedDemo: false, workers: false, jobsConcurrency: 8, pollMs: 100, nodeEnv: 'production',
    });
  });

  it('treats empty and blank values as unset, and trims', () => {
    expect(loadConfig({ PORT: '', CRYPTO_PROFILE: '   ', DATABASE_URL: '' })).toMatchObject({ port: 3000, cryptoProfile: 'sm', databaseUrl: undefined });
    expect(loadConfig({ PORT: ' 4000 ' }).port).toBe(4000);
  });

  it('derives BASE_URL from PORT and the audit key file from DATA_DIR and the profile', () => {
    expect(loadConfig({ PORT: '4321' }).baseUrl).toBe('http://localhost:4321');
    expect(loadConfig({ DATA_DIR: '/d', CRYPTO_PROFILE: 'intl' }).auditKeyFile).toBe('/d/keys/audit-intl.json');
    expect(loadConfig({ DATA_DIR: '/d', AUDIT_KEY_FILE: '/k/a.json' }).auditKeyFile).toBe('/k/a.json');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /^PORT="abc" — must be an integer between 1 and 65535$/],
    [{ PORT: '0' }, 'PORT', /between 1 and 65535/],
    [{ PORT: '65536' }, 'PORT', /between 1 and 65535/],
    [{ PORT: '-1' }, 'PORT', /between 1 and 65535/],
    [{ PORT: '80.5' }, 'PORT', /integer/],
    [{ CRYPTO_PROFILE: 'rsa' }, 'CRYPTO_PROFILE', /^CRYPTO_PROFILE="rsa" — must be one of sm, intl$/],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /^DATABASE_URL has protocol "mysql:" — must be postgres: or postgresql:$/],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /^DATABASE_URL is not a valid URL/],
    [{ MASTER_KEY: 'short' }, 'MASTER_KEY', /^MASTER_KEY — must be exactly 64 hexadecimal characters/],
    [{ MASTER_KEY: 'g'.repeat(64) }, 'MASTER_KEY', /64 hexadecimal/],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', /must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', /^TRUST_PROXY="maybe" — must be true or false$/],
    [{ BASE_URL: 'ftp://x' }, 'BASE_URL', /must be http: or https:/],
    [{ NATS_URL: 'http://x' }, 'NATS_URL', /must be nats:/],
    [{ NATS_STREAM: 'a.b' }, 'NATS_STREAM', /letters, digits/],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE', /between 1 and 500/],
    [{ POLL_MS: '5' }, 'POLL_MS', /between 10 and 60000/],
    [{ DATABASE_OWNER_URL: 'postgres://owner@db/x' }, 'DATABASE_OWNER_URL', /DATABASE_URL is not/],
  ])('refuses %j, naming %s and what is allowed', (env, variable, message) => {
    const err = failure(env as Record<string, string>);
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(message);
    expect(err.message).toContain(variable);
    expect(err.message).not.toContain('\n');
  });

  it('keeps an error message on one line whatever the value holds, and never echoes secrets', () => {
    expect(failure({ PORT: '30\n00' }).message).toBe('PORT="30\\n00" — must be an integer between 1 and 65535');
    expect(failure({ MASTER_KEY: 'secret-but-wrong' }).message).not.toContain('secret-but-wrong');
    expect(failure({ DATABASE_URL: 'mysql://root:hunter2@db/x' }).message).not.toContain('hunter2');
    expect(failure({ CRYPTO_PROFILE: 'x'.repeat(500) }).message.length).toBeLessThan(200);
  });

  it('lists every variable it reads in CONFIG_VARS', () => {
    const names = CONFIG_VARS.map((v) => v.name);
    for (const n of ['PORT', 'HOST', 'BASE_URL', 'DATA_DIR', 'DATABASE_URL', 'DATABASE_OWNER_URL', 'CRYPTO_PROFILE', 'MASTER_KEY', 'AUDIT_KEY_FILE', 'LOG_LEVEL', 'WORKERS', 'POLL_MS']) {
      expect(names).toContain(n);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});
