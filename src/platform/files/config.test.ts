// The files engine's configuration variables (src/core/config.ts): defaults, parsing, and the
// combinations refused at boot.
import { describe, expect, it } from 'vitest';
import { CONFIG_VARS, ConfigError, loadConfig, splitCommandLine } from '../../core/config.js';

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const S3 = { FILE_STORE: 's3', S3_ENDPOINT: 'https://oss.example.gov.cn', S3_BUCKET: 'yunling-files', S3_ACCESS_KEY: 'AK', S3_SECRET_KEY: 'top-secret-key' };

describe('file settings', () => {
  it('defaults to local files, 20 MiB, no scanner', () => {
    expect(loadConfig({})).toMatchObject({ fileStore: 'local', s3: undefined, fileMaxBytes: 20 * 1024 * 1024, virusScanCommand: undefined });
  });

  it('reads the S3 settings and the scanner command', () => {
    const c = loadConfig({ ...S3, S3_REGION: 'cn-north-1', S3_PATH_STYLE: 'false', FILE_MAX_BYTES: '1048576', VIRUS_SCAN_COMMAND: `clamdscan --no-summary --config-file="/etc/clam av.conf" -` });
    expect(c).toMatchObject({
      fileStore: 's3', fileMaxBytes: 1_048_576, virusScanCommand: ['clamdscan', '--no-summary', '--config-file=/etc/clam av.conf', '-'],
      s3: { endpoint: 'https://oss.example.gov.cn', bucket: 'yunling-files', accessKey: 'AK', secretKey: 'top-secret-key', region: 'cn-north-1', pathStyle: false },
    });
    expect(loadConfig({ ...S3, S3_ENDPOINT: 'http://127.0.0.1:9000/' }).s3).toMatchObject({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', pathStyle: true });
  });

  it.each([
    [{ FILE_STORE: 'ftp' }, 'FILE_STORE', /^FILE_STORE="ftp" — must be one of local, s3$/],
    [{ FILE_STORE: 's3', S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b' }, 'S3_BUCKET', /^S3_BUCKET is required with FILE_STORE=s3$/],
    [{ ...S3, S3_ENDPOINT: '' }, 'S3_ENDPOINT', /required with FILE_STORE=s3/],
    [{ ...S3, S3_ENDPOINT: 'ftp://x' }, 'S3_ENDPOINT', /must be http: or https:/],
    [{ ...S3, S3_ENDPOINT: 'http://x:9000/bucket' }, 'S3_ENDPOINT', /no path/],
    [{ ...S3, S3_BUCKET: 'Has_Upper' }, 'S3_BUCKET', /3–63 lower-case/],
    [{ ...S3, S3_ACCESS_KEY: '' }, 'S3_ACCESS_KEY', /required/],
    [{ ...S3, S3_SECRET_KEY: '' }, 'S3_SECRET_KEY', /required/],
    [{ ...S3, S3_REGION: 'CN North' }, 'S3_REGION', /lower-case/],
    [{ ...S3, S3_PATH_STYLE: 'sometimes' }, 'S3_PATH_STYLE', /true or false/],
    [{ S3_BUCKET: 'files' }, 'S3_BUCKET', /^S3_BUCKET is set but FILE_STORE is local/],
    [{ FILE_MAX_BYTES: '0' }, 'FILE_MAX_BYTES', /between 1 and 5368709120/],
    [{ FILE_MAX_BYTES: '20MB' }, 'FILE_MAX_BYTES', /integer/],
    [{ VIRUS_SCAN_COMMAND: `clamdscan "-` }, 'VIRUS_SCAN_COMMAND', /balanced quotes/],
  ])('refuses %j, naming %s', (env, variable, message) => {
    const err = failure(env as Record<string, string>);
    expect(err.variable).toBe(variable);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });

  it('never echoes the secret key', () => {
    expect(failure({ ...S3, S3_BUCKET: 'x' }).message).not.toContain('top-secret-key');
    expect(failure({ S3_SECRET_KEY: 'top-secret-key' }).message).not.toContain('top-secret-key');
  });

  it('lists the new variables for the README table', () => {
    const names = CONFIG_VARS.map((v) => v.name);
    for (const n of ['FILE_STORE', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_REGION', 'S3_PATH_STYLE', 'FILE_MAX_BYTES', 'VIRUS_SCAN_COMMAND']) expect(names).toContain(n);
  });
});

describe('splitCommandLine', () => {
  it('splits like a shell for words, quotes and escapes — and runs nothing', () => {
    expect(splitCommandLine(`a  'b c' "d \\"e\\"" f\\ g $(rm) ''`)).toEqual(['a', 'b c', 'd "e"', 'f g', '$(rm)', '']);
    expect(splitCommandLine(`'open`)).toBeNull();
  });
});
