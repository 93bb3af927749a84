// vitest global setup: the browser journeys need web/dist. Builds it when web/ changed (a no-op otherwise).
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const r = spawnSync(process.execPath, [path.resolve('scripts', 'ensure-built.mjs'), '--web'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building the web app (web/) failed');
}
