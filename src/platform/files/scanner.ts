// The virus-scanner hook. The built-in scanner runs VIRUS_SCAN_COMMAND (no shell) with the file
// on stdin: exit 0 clean, 1 infected, anything else — or no answer in time — an error. That
// convention is ClamAV's (`clamdscan --no-summary -`) and easy to meet with any other engine.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export type ScanVerdict = 'clean' | 'infected' | 'error';

export interface ScanResult {
  verdict: ScanVerdict;
  /** What the scanner said (first 500 characters), e.g. `stdin: Eicar-Signature FOUND`. */
  detail: string;
}

export interface VirusScanner {
  readonly name: string;
  scan(input: { path: string } | Readable): Promise<ScanResult>;
}

const OUTPUT_MAX = 500;

export function commandScanner(argv: string[], opts: { timeoutMs?: number } = {}): VirusScanner {
  if (argv.length === 0) throw new Error('commandScanner needs a command');
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return {
    name: `command:${argv[0]}`,
    scan: (input) =>
      new Promise<ScanResult>((resolve) => {
        const source: Readable = 'path' in input && typeof input.path === 'string' && !('pipe' in input) ? fs.createReadStream(input.path) : (input as Readable);
        let output = '';
        let settled = false;
        let inputBroken = false;
        const done = (r: ScanResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          source.destroy();
          resolve({ verdict: r.verdict, detail: r.detail.trim().slice(0, OUTPUT_MAX) });
        };
        const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          done({ verdict: 'error', detail: `no answer within ${timeoutMs} ms` });
        }, timeoutMs);
        const collect = (b: Buffer) => {
          if (output.length < OUTPUT_MAX) output += b.toString('utf8');
        };
        child.stdout.on('data', collect);
        child.stderr.on('data', collect);
        child.on('error', (err) => done({ verdict: 'error', detail: err.message }));
        // A scanner that stops reading (it found something, or it died) breaks the pipe; the
        // exit code decides.
        child.stdin.on('error', () => {
          inputBroken = true;
        });
        source.on('error', (err) => {
          child.kill('SIGKILL');
          done({ verdict: 'error', detail: `reading the file: ${err.message}` });
        });
        source.pipe(child.stdin);
        child.on('close', (code, signal) => {
          if (code === 1) return done({ verdict: 'infected', detail: output });
          // "Clean" without having read the whole file is not an answer we can trust.
          if (code === 0 && !inputBroken && source.readableEnded) return done({ verdict: 'clean', detail: output });
          done({ verdict: 'error', detail: `${output.trim()} (exit ${code ?? signal}${code === 0 ? ', input not read to the end' : ''})` });
        });
      }),
  };
}
