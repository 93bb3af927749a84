#!/usr/bin/env node
// Builds dist/ only when a source file (or the build config) is newer than the last build, so
// `npm start` on an unchanged checkout starts at once and a changed one is rebuilt first.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');

function newest(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const sources = Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'tsconfig.json')), newest(path.join(root, 'tsconfig.build.json')), newest(path.join(root, 'package.json')));
const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
if (built >= sources) process.exit(0);
process.stderr.write('yunling: building…\n');
const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
fs.writeFileSync(stamp, new Date().toISOString() + '\n');
