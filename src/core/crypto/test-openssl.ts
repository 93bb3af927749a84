// Test helper (excluded from the build): run the real OpenSSL CLI in a throwaway directory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface OpenSslDir {
  dir: string;
  write(name: string, content: string | Uint8Array): string;
  read(name: string): Buffer;
  /** Runs `openssl …args` in the directory; returns stdout+stderr, throws with output on failure. */
  run(...args: string[]): string;
  cleanup(): void;
}

export function openSslDir(): OpenSslDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-openssl-'));
  return {
    dir,
    write(name, content) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return p;
    },
    read: (name) => fs.readFileSync(path.join(dir, name)),
    run(...args) {
      try {
        return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string; message: string };
        throw new Error(`openssl ${args.join(' ')} failed: ${err.stdout ?? ''}${err.stderr ?? ''}${err.message}`);
      }
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
