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
const code = (await run(process.argv.slice(2))) ?? 0;
process.exitCode = code;
// Every command closes what it opened, so the process normally ends here by itself; should a
// library leave a handle open, end anyway rather than hang a script or a systemd unit.
setTimeout(() => process.exit(code), 2000).unref();
