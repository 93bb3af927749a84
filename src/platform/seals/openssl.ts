// The OpenSSL CLI as the certificate and CMS engine. Node has no X.509 issuing API, and the
// pure-JS CMS signer available (@signpdf/signer-p12, node-forge) mangles Chinese DNs; OpenSSL
// writes UTF8String names (-utf8) and CMS that poppler verifies. Keys touch disk only inside a
// private (0700) temporary directory that is removed when the call ends.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface Workdir {
  dir: string;
  write(name: string, content: string | Uint8Array): Promise<string>;
  read(name: string): Promise<Buffer>;
  openssl(...args: string[]): Promise<string>;
}

export async function withWorkdir<T>(fn: (w: Workdir) => Promise<T>): Promise<T> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'yunling-seal-'));
  await fs.chmod(dir, 0o700);
  try {
    return await fn({
      dir,
      write: async (name, content) => {
        const p = path.join(dir, name);
        await fs.writeFile(p, content, { mode: 0o600 });
        return p;
      },
      read: (name) => fs.readFile(path.join(dir, name)),
      openssl: (...args) =>
        new Promise((resolve, reject) => {
          execFile('openssl', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
            if (err) reject(new Error(`openssl ${args[0]} failed: ${stderr || err.message}`));
            else resolve(stdout);
          });
        }),
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** `/C=CN/O=…/CN=…` with OpenSSL's escaping of `/` and `\` inside values. */
export function subjectArg(parts: Array<[string, string]>): string {
  return parts.map(([k, v]) => `/${k}=${v.replace(/[\\/]/g, (c) => `\\${c}`)}`).join('');
}
