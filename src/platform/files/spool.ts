// Streaming an upload to a temporary file: hashed, counted and checked as it arrives, never held
// in memory whole. Whatever goes wrong (too large, client gone), the temporary file is removed.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../core/http/errors.js';
import { HEAD_BYTES } from './types.js';

export type DigestAlgorithm = 'sm3' | 'sha256';

export interface Spooled {
  /** Temporary file holding the complete content (fsynced). */
  path: string;
  /** `<algorithm>:<hex>`. */
  digest: string;
  size: number;
  /** The first HEAD_BYTES bytes, for sniffing. */
  head: Buffer;
  /** Valid UTF-8 throughout and no NUL byte: could be plain text. */
  text: boolean;
}

export const DIGEST = /^(sm3|sha256):([0-9a-f]{64})$/;

export function tooLarge(limit: number): AppError {
  const mib = limit >= 1024 * 1024 ? `${+(limit / 1024 / 1024).toFixed(1)} MiB` : null;
  return new AppError('FILE_TOO_LARGE', {
    'zh-CN': mib ? `文件不能超过 ${mib}（${limit} 字节）` : `文件不能超过 ${limit} 字节`,
    en: mib ? `The file must not exceed ${mib} (${limit} bytes)` : `The file must not exceed ${limit} bytes`,
  }, undefined, { limit });
}

/** Removes temporary files older than a day: left behind only when a process died mid-upload. */
export async function sweepTemp(dir: string, olderThanMs = 86_400_000): Promise<void> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - olderThanMs;
  for (const n of names) {
    const p = path.join(dir, n);
    const st = await fs.promises.stat(p).catch(() => null);
    if (st && st.mtimeMs < cutoff) await fs.promises.rm(p, { force: true });
  }
}

export async function spool(source: AsyncIterable<Uint8Array>, opts: { dir: string; algorithm: DigestAlgorithm; maxBytes: number }): Promise<Spooled> {
  await fs.promises.mkdir(opts.dir, { recursive: true });
  const tmp = path.join(opts.dir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
  const fh = await fs.promises.open(tmp, 'wx', 0o600);
  const hash = createHash(opts.algorithm);
  const heads: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  let text = true;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let closed = false;
  // Iterated by hand: leaving a for-await early would destroy a request stream, and with it the
  // connection the 413 answer must still go out on. The HTTP layer closes it after answering.
  const chunks = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      const piece = next.value;
      const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
      size += chunk.length;
      // Refuse at the first byte beyond the limit: a client cannot make us write more.
      if (size > opts.maxBytes) throw tooLarge(opts.maxBytes);
      hash.update(chunk);
      if (headLength < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - headLength);
        heads.push(Buffer.from(part));
        headLength += part.length;
      }
      if (text) {
        if (chunk.includes(0)) text = false;
        else {
          try {
            utf8.decode(chunk, { stream: true });
          } catch {
            text = false;
          }
        }
      }
      let off = 0;
      while (off < chunk.length) off += (await fh.write(chunk, off)).bytesWritten;
    }
    if (text) {
      try {
        utf8.decode();
      } catch {
        text = false; // ends inside a multi-byte sequence
      }
    }
    await fh.sync();
    await fh.close();
    closed = true;
    return { path: tmp, digest: `${opts.algorithm}:${hash.digest('hex')}`, size, head: Buffer.concat(heads), text };
  } catch (err) {
    if (!closed) await fh.close().catch(() => {});
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

/** Removes a spooled file that will not be stored. */
export async function discard(s: Pick<Spooled, 'path'>): Promise<void> {
  await fs.promises.rm(s.path, { force: true });
}
