#!/usr/bin/env node
// The `yunling` command. Runs the compiled code in dist/ (npm start and npm run yunling build it first).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('yunling: not built yet — run `npm run build` (npm start does it for you)\n');
  process.exit(1);
}
const { run } = await import(main);
const code = await run(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
