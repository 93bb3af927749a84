#!/usr/bin/env node
// Builds what is out of date, so `npm start` on an unchanged checkout starts at once and a changed
// one is rebuilt first:
//   - the server (dist/) when a file under src/ or the TypeScript config is newer than the last build;
//   - the web app (web/dist/) when a file under web/ (outside web/dist) is newer than its last build.
// `--server` or `--web` limits it to one of the two.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.includes('--server') ? 'server' : process.argv.includes('--web') ? 'web' : null;

function newest(p, skip = new Set()) {
  if (!fs.existsSync(p) || skip.has(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newest(path.join(p, e), skip));
  return m;
}

const stampTime = (stamp) => (fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0);

function run(label, args, env = process.env) {
  process.stderr.write(`yunling: building ${label}…\n`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root, env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (only !== 'web') {
  const stamp = path.join(root, 'dist', '.build-stamp');
  const sources = Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'tsconfig.json')), newest(path.join(root, 'tsconfig.build.json')), newest(path.join(root, 'package.json')));
  if (stampTime(stamp) < sources) {
    run('the server', [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(root, 'tsconfig.build.json')]);
    fs.writeFileSync(stamp, new Date().toISOString() + '\n');
  }
}

if (only !== 'server') {
  const web = path.join(root, 'web');
  const stamp = path.join(web, 'dist', '.build-stamp');
  // Everything under web/ except its output and its README counts; so do the installed packages' versions.
  const sources = Math.max(newest(web, new Set([path.join(web, 'dist'), path.join(web, 'README.md')])), newest(path.join(root, 'package-lock.json')));
  if (stampTime(stamp) < sources) {
    // Built beside web/dist and swapped in, so a server (or a test run) serving web/dist never sees
    // a half-written build, and two builds at once do not write into each other.
    const dist = path.join(web, 'dist');
    const next = path.join(web, `dist.next-${process.pid}`);
    run('the web app', [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn', '--outDir', next, '--emptyOutDir'],
      // A production build even when called from a test runner (NODE_ENV=test would bundle React's development build).
      { ...process.env, NODE_ENV: 'production' });
    fs.writeFileSync(path.join(next, '.build-stamp'), new Date().toISOString() + '\n');
    const old = path.join(web, `dist.old-${process.pid}`);
    if (fs.existsSync(dist)) fs.renameSync(dist, old);
    fs.renameSync(next, dist);
    fs.rmSync(old, { recursive: true, force: true });
  }
}
