// vitest global setup: the browser journeys need web/dist. Builds it when web/ changed (a no-op otherwise).
// Skipped when the run names only files outside test/ (e.g. `npx vitest run src/modules/x.test.ts`):
// those never open a browser, and a half-edited page elsewhere must not stop a unit test.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** The file filters on vitest's command line (`vitest run a.test.ts b/`), without flags and their values. */
function filters(argv: string[]): string[] {
  const i = argv.findIndex((a) => a === 'run' || a === 'related');
  const rest = i >= 0 ? argv.slice(i + 1) : [];
  return rest.filter((a, k) => !a.startsWith('-') && !(k > 0 && /^--?[a-zA-Z-]+$/.test(rest[k - 1]!) && !rest[k - 1]!.includes('=') && VALUED.has(rest[k - 1]!)));
}
const VALUED = new Set(['--project', '--reporter', '--config', '-c', '--root', '-r', '--dir', '--maxWorkers', '--testTimeout', '-t', '--testNamePattern', '--pool', '--shard']);

export default function setup(): void {
  const f = filters(process.argv);
  if (f.length > 0 && f.every((x) => /^(\.\/)?(src|web\/src)\//.test(x))) return;
  const r = spawnSync(process.execPath, [path.resolve('scripts', 'ensure-built.mjs'), '--web'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the web app (web/) failed');
}
