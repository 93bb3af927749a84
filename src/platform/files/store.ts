// Content-addressed blob stores. A blob's name is its digest (`sm3:<hex>` or `sha256:<hex>`, the
// crypto profile's hash), so identical content is stored once and a blob never changes.
// Local disk by default; an S3-compatible bucket when FILE_STORE=s3 (s3-store.ts, loaded lazily).
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Config } from '../../core/config.js';
import { createCrypto } from '../../core/crypto/index.js';
import { DIGEST, discard, spool, sweepTemp, type DigestAlgorithm, type Spooled } from './spool.js';

export interface StoredBlob {
  digest: string;
  size: number;
}

export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Hash algorithm of new blobs (existing blobs of the other algorithm stay readable). */
  readonly algorithm: DigestAlgorithm;
  /** Streams `source` in; at most `maxBytes` (FILE_TOO_LARGE beyond, nothing kept). */
  put(source: AsyncIterable<Uint8Array>, opts?: { maxBytes?: number }): Promise<StoredBlob>;
  /** Streams `source` to a temporary file (hashing it) so that it can be checked before `adopt`. */
  spool(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<Spooled>;
  /** Moves a spooled file into the store under its digest (the temporary file is consumed). */
  adopt(spooled: Spooled): Promise<StoredBlob>;
  /** The content; rejects when the blob is missing. */
  get(digest: string): Promise<Readable>;
  has(digest: string): Promise<boolean>;
  delete(digest: string): Promise<void>;
}

/** `sm3:abcd…` → `ab/cd/sm3-abcd…` (no colon: the layout must be valid on every file system). */
export function blobKey(digest: string): string {
  const m = DIGEST.exec(digest);
  if (!m) throw new RangeError(`not a blob digest: ${digest}`);
  const hex = m[2]!;
  return `${hex.slice(0, 2)}/${hex.slice(2, 4)}/${m[1]}-${hex}`;
}

export function digestAlgorithm(config: Pick<Config, 'cryptoProfile'>): DigestAlgorithm {
  return createCrypto(config.cryptoProfile).hashAlgorithm === 'SM3' ? 'sm3' : 'sha256';
}

const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** Files under `root/<aa>/<bb>/<alg>-<hex>`, written to `root/tmp` first, fsynced, then renamed. */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  readonly tmpDir: string;
  private swept = false;

  constructor(
    readonly root: string,
    readonly algorithm: DigestAlgorithm,
  ) {
    // Same file system as the blobs, so the final rename is atomic.
    this.tmpDir = path.join(root, 'tmp');
  }

  pathOf(digest: string): string {
    return path.join(this.root, ...blobKey(digest).split('/'));
  }

  async spool(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<Spooled> {
    if (!this.swept) {
      this.swept = true;
      await sweepTemp(this.tmpDir);
    }
    return spool(source, { dir: this.tmpDir, algorithm: this.algorithm, maxBytes: opts.maxBytes });
  }

  async adopt(s: Spooled): Promise<StoredBlob> {
    const target = this.pathOf(s.digest);
    const existing = await fs.promises.stat(target).catch(() => null);
    // Same digest and size: the content is already here (a damaged copy would differ in size
    // and is replaced).
    if (existing?.size === s.size) {
      await discard(s);
      return { digest: s.digest, size: s.size };
    }
    const dir = path.dirname(target);
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.chmod(s.path, 0o440);
    await fs.promises.rename(s.path, target);
    // The rename is durable only once the directory entry is on disk.
    const d = await fs.promises.open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
    return { digest: s.digest, size: s.size };
  }

  async put(source: AsyncIterable<Uint8Array>, opts: { maxBytes?: number } = {}): Promise<StoredBlob> {
    return this.adopt(await this.spool(source, { maxBytes: opts.maxBytes ?? UNLIMITED }));
  }

  async get(digest: string): Promise<Readable> {
    const fh = await fs.promises.open(this.pathOf(digest), 'r');
    return fh.createReadStream();
  }

  async has(digest: string): Promise<boolean> {
    return fs.promises.access(this.pathOf(digest)).then(() => true, () => false);
  }

  async delete(digest: string): Promise<void> {
    await fs.promises.rm(this.pathOf(digest), { force: true });
  }
}

/** The store the configuration asks for. The S3 client is only loaded on first use. */
export function createBlobStore(config: Config): BlobStore {
  const algorithm = digestAlgorithm(config);
  const root = path.join(config.dataDir, 'files');
  if (config.fileStore === 's3') {
    if (!config.s3) throw new Error('FILE_STORE=s3 without S3 settings');
    return new LazyS3BlobStore(config.s3, path.join(root, 'tmp'), algorithm);
  }
  return new LocalBlobStore(root, algorithm);
}

type S3Impl = import('./s3-store.js').S3BlobStore;

/** Defers importing s3-store.ts (and with it the minio client) until a blob is touched. */
class LazyS3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private impl: Promise<S3Impl> | null = null;

  constructor(
    private readonly s3: NonNullable<Config['s3']>,
    private readonly tmpDir: string,
    readonly algorithm: DigestAlgorithm,
  ) {}

  private load(): Promise<S3Impl> {
    this.impl ??= import('./s3-store.js').then((m) => new m.S3BlobStore(this.s3, this.tmpDir, this.algorithm));
    return this.impl;
  }

  async put(source: AsyncIterable<Uint8Array>, opts?: { maxBytes?: number }) { return (await this.load()).put(source, opts); }
  async spool(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }) { return (await this.load()).spool(source, opts); }
  async adopt(s: Spooled) { return (await this.load()).adopt(s); }
  async get(digest: string) { return (await this.load()).get(digest); }
  async has(digest: string) { return (await this.load()).has(digest); }
  async delete(digest: string) { return (await this.load()).delete(digest); }
}
