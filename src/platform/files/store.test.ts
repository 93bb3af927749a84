import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import { loadConfig } from '../../core/config.js';
import { AppError } from '../../core/http/errors.js';
import { createBlobStore, LocalBlobStore, type BlobStore } from './store.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-store-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const bytes = (s: string | Buffer) => Readable.from([Buffer.from(s)]);
const read = async (r: Readable) => {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
};
const filesUnder = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : []);
/** A source that yields some chunks and then fails, like a client that disconnects mid-upload. */
async function* brokenUpload() {
  yield Buffer.alloc(10_000, 1);
  yield Buffer.alloc(10_000, 2);
  throw new Error('client went away');
}

/** The behaviour every store must have, local or S3. */
function storeContract(make: () => BlobStore, tmpDir: () => string) {
  it('names content by its digest and stores identical content once', async () => {
    const store = make();
    const content = `营业执照 ${Date.now()} `.repeat(1000);
    const a = await store.put(bytes(content));
    const b = await store.put(Readable.from([Buffer.from(content.slice(0, 7)), Buffer.from(content.slice(7))]));
    expect(a).toEqual(b);
    const expected = store.algorithm === 'sm3' ? createHash('sm3').update(content).digest('hex') : createHash('sha256').update(content).digest('hex');
    expect(a).toEqual({ digest: `${store.algorithm}:${expected}`, size: Buffer.byteLength(content) });
    expect(await store.has(a.digest)).toBe(true);
    expect((await read(await store.get(a.digest))).toString()).toBe(content);
    expect(filesUnder(tmpDir())).toEqual([]);
    await store.delete(a.digest);
    expect(await store.has(a.digest)).toBe(false);
    await expect(store.get(a.digest)).rejects.toThrow();
  });

  it('keeps nothing of an upload that fails or runs over its limit', async () => {
    const store = make();
    await expect(store.put(brokenUpload())).rejects.toThrow('client went away');
    const err = await store.put(bytes(Buffer.alloc(1001)), { maxBytes: 1000 }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(filesUnder(tmpDir())).toEqual([]);
    expect(await store.put(bytes(Buffer.alloc(1000, 7)), { maxBytes: 1000 })).toMatchObject({ size: 1000 });
  });

  it('refuses digests that are not digests (no path tricks)', async () => {
    const store = make();
    await expect(store.get('sm3:../../etc/passwd')).rejects.toThrow(/not a blob digest/);
    await expect(store.has('md5:abc')).rejects.toThrow(/not a blob digest/);
  });
}

describe('local blob store', () => {
  const dataDir = path.join(root, 'local');
  const config = loadConfig({ DATA_DIR: dataDir });
  storeContract(() => createBlobStore(config), () => path.join(dataDir, 'files', 'tmp'));

  it('lays blobs out as files/<aa>/<bb>/<alg>-<hex>, read-only, and follows the crypto profile', async () => {
    const sm = createBlobStore(config) as LocalBlobStore;
    const intl = createBlobStore(loadConfig({ DATA_DIR: dataDir, CRYPTO_PROFILE: 'intl' })) as LocalBlobStore;
    const a = await sm.put(bytes('同一内容'));
    const b = await intl.put(bytes('同一内容'));
    expect(a.digest).toMatch(/^sm3:[0-9a-f]{64}$/);
    expect(b.digest).toBe(`sha256:${createHash('sha256').update('同一内容').digest('hex')}`);
    const hex = a.digest.slice(4);
    const file = path.join(dataDir, 'files', hex.slice(0, 2), hex.slice(2, 4), `sm3-${hex}`);
    expect(sm.pathOf(a.digest)).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o440);
    // Blobs of the other profile stay readable after a profile switch.
    expect((await read(await sm.get(b.digest))).toString()).toBe('同一内容');
  });

  it('writes atomically: the blob appears only complete, and a second copy does not touch the first', async () => {
    const store = createBlobStore(config) as LocalBlobStore;
    const content = Buffer.alloc(200_000, 9);
    const spooled = await store.spool(Readable.from([content.subarray(0, 100_000), content.subarray(100_000)]), { maxBytes: 1e6 });
    // Spooled and synced, but not yet in the store: nobody can read a partial blob.
    expect(fs.statSync(spooled.path).size).toBe(200_000);
    expect(await store.has(spooled.digest)).toBe(false);
    await store.adopt(spooled);
    expect(fs.existsSync(spooled.path)).toBe(false);
    const stat = fs.statSync(store.pathOf(spooled.digest));
    expect(stat.size).toBe(200_000);
    await store.put(bytes(content));
    const again = fs.statSync(store.pathOf(spooled.digest));
    expect([again.ino, again.mtimeMs]).toEqual([stat.ino, stat.mtimeMs]);
  });

  it('replaces a damaged copy (wrong size) instead of trusting it', async () => {
    const store = createBlobStore(config) as LocalBlobStore;
    const { digest } = await store.put(bytes('完整内容 complete content'));
    const p = store.pathOf(digest);
    fs.chmodSync(p, 0o640);
    fs.writeFileSync(p, 'trunc');
    await store.put(bytes('完整内容 complete content'));
    expect(fs.readFileSync(p, 'utf8')).toBe('完整内容 complete content');
  });

  it('sweeps temporary files a crashed process left behind (older than a day)', async () => {
    const dir = path.join(root, 'sweep');
    const tmp = path.join(dir, 'files', 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const old = path.join(tmp, 'old.part');
    const fresh = path.join(tmp, 'fresh.part');
    fs.writeFileSync(old, 'x');
    fs.writeFileSync(fresh, 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    fs.utimesSync(old, twoDaysAgo, twoDaysAgo);
    await createBlobStore(loadConfig({ DATA_DIR: dir })).put(bytes('x'));
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
  });
});

describe('S3 blob store (against s3rver, a real S3-compatible server)', () => {
  const s3dir = path.join(root, 's3rver');
  const dataDir = path.join(root, 's3-node');
  let server: S3rver;
  let endpoint = '';

  beforeAll(async () => {
    fs.mkdirSync(s3dir, { recursive: true });
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(() => server.close());

  const s3config = (extra: Record<string, string> = {}) =>
    loadConfig({ DATA_DIR: dataDir, FILE_STORE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: 'yunling-files', S3_ACCESS_KEY: 'S3RVER', S3_SECRET_KEY: 'S3RVER', ...extra });

  storeContract(() => createBlobStore(s3config()), () => path.join(dataDir, 'files', 'tmp'));

  it('creates the bucket, keeps objects under <aa>/<bb>/<alg>-<hex>, and nothing on local disk', async () => {
    const store = createBlobStore(s3config({ S3_BUCKET: 'fresh-bucket' }));
    expect(store.kind).toBe('s3');
    const { digest } = await store.put(bytes('放在对象存储里'));
    const hex = digest.slice(4);
    const object = filesUnder(path.join(s3dir, 'fresh-bucket')).filter((f) => !f.endsWith('._S3rver_metadata.json') && !f.endsWith('._S3rver_object.md5'));
    expect(object.map((f) => path.relative(path.join(s3dir, 'fresh-bucket'), f).replace(/\._S3rver_object$/, ''))).toEqual([`${hex.slice(0, 2)}/${hex.slice(2, 4)}/sm3-${hex}`]);
    expect(filesUnder(path.join(dataDir, 'files')).filter((f) => !f.includes(`${path.sep}tmp${path.sep}`))).toEqual([]);
  });

  it('fails (keeping nothing) when the service refuses the credentials', async () => {
    // s3rver checks the access key id (it does not verify V4 signatures).
    const store = createBlobStore(s3config({ S3_ACCESS_KEY: 'nobody' }));
    await expect(store.put(bytes('x'))).rejects.toThrow(/credentials/);
    expect(filesUnder(path.join(dataDir, 'files', 'tmp'))).toEqual([]);
  });
});
