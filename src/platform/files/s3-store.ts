// Blobs in an S3-compatible bucket (MinIO, Ceph, Aliyun OSS, Huawei OBS, AWS) through the minio
// client. An upload is spooled to local disk first: the object key is the digest, which is only
// known once the last byte has arrived, and the content must be checked before it is kept.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Client } from 'minio';
import type { S3Config } from '../../core/config.js';
import { discard, spool, sweepTemp, type DigestAlgorithm, type Spooled } from './spool.js';
import { blobKey, type BlobStore, type StoredBlob } from './store.js';

const isMissing = (err: unknown) => ['NotFound', 'NoSuchKey'].includes((err as { code?: string })?.code ?? '');

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private client: Promise<Client> | null = null;
  private swept = false;

  constructor(
    private readonly s3: S3Config,
    private readonly tmpDir: string,
    readonly algorithm: DigestAlgorithm,
  ) {}

  /** The client, with the bucket created on first use if it does not exist yet. */
  private connect(): Promise<Client> {
    this.client ??= (async () => {
      const { Client } = await import('minio');
      const url = new URL(this.s3.endpoint);
      const useSSL = url.protocol === 'https:';
      const client = new Client({
        endPoint: url.hostname,
        port: url.port ? Number(url.port) : useSSL ? 443 : 80,
        useSSL,
        accessKey: this.s3.accessKey,
        secretKey: this.s3.secretKey,
        region: this.s3.region,
        pathStyle: this.s3.pathStyle,
      });
      if (!(await client.bucketExists(this.s3.bucket))) await client.makeBucket(this.s3.bucket, this.s3.region);
      return client;
    })().catch((err) => {
      this.client = null; // try again on the next call (the service may come back)
      throw err;
    });
    return this.client;
  }

  async spool(source: AsyncIterable<Uint8Array>, opts: { maxBytes: number }): Promise<Spooled> {
    if (!this.swept) {
      this.swept = true;
      await sweepTemp(this.tmpDir);
    }
    return spool(source, { dir: this.tmpDir, algorithm: this.algorithm, maxBytes: opts.maxBytes });
  }

  async adopt(s: Spooled): Promise<StoredBlob> {
    try {
      const client = await this.connect();
      const key = blobKey(s.digest);
      const existing = await client.statObject(this.s3.bucket, key).catch((err) => (isMissing(err) ? null : Promise.reject(err)));
      if (existing?.size !== s.size) {
        await client.putObject(this.s3.bucket, key, fs.createReadStream(s.path), s.size, { 'Content-Type': 'application/octet-stream' });
      }
      return { digest: s.digest, size: s.size };
    } finally {
      await discard(s);
    }
  }

  async put(source: AsyncIterable<Uint8Array>, opts: { maxBytes?: number } = {}): Promise<StoredBlob> {
    return this.adopt(await this.spool(source, { maxBytes: opts.maxBytes ?? Number.MAX_SAFE_INTEGER }));
  }

  async get(digest: string): Promise<Readable> {
    const client = await this.connect();
    return client.getObject(this.s3.bucket, blobKey(digest));
  }

  async has(digest: string): Promise<boolean> {
    const client = await this.connect();
    return client.statObject(this.s3.bucket, blobKey(digest)).then(() => true, (err) => (isMissing(err) ? false : Promise.reject(err)));
  }

  async delete(digest: string): Promise<void> {
    const client = await this.connect();
    await client.removeObject(this.s3.bucket, blobKey(digest));
  }
}
