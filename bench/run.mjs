#!/usr/bin/env node
// `npm run bench [-- <name> ...]`: runs the benchmarks (all, or those named) and prints one
// Markdown table per bench, each with its baseline measured in the same run. Never part of
// `npm test`. Exits 0 when every bench ran (a missed target is reported in the table, not as a
// failure); exits 1 when a bench could not run, 2 on an unknown name.
import os from 'node:os';
import * as writePath from './write-path.mjs';
import * as auditVerify from './audit-verify.mjs';
import * as idleMemory from './idle-memory.mjs';
import * as identity from './identity.mjs';
import * as workflow from './workflow.mjs';
import * as services from './services.mjs';
import * as licenses from './licenses.mjs';
import * as hotlineIntake from './hotline-intake.mjs';
import * as hotlineKb from './hotline-kb.mjs';
import { formatTable } from './lib/table.mjs';
import { serverVersion } from './lib/pg.mjs';

const benches = [writePath, auditVerify, idleMemory, identity, workflow, services, licenses, hotlineIntake, hotlineKb];

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(`usage: npm run bench [-- <name> ...]\n\n${benches.map((b) => `  ${b.name.padEnd(14)} ${b.summary}`).join('\n')}\n`);
  process.exit(0);
}
const unknown = args.filter((a) => !benches.some((b) => b.name === a));
if (unknown.length) {
  process.stderr.write(`bench: unknown benchmark ${unknown.join(', ')} — choose from ${benches.map((b) => b.name).join(', ')}\n`);
  process.exit(2);
}
const selected = args.length ? benches.filter((b) => args.includes(b.name)) : benches;

const cpus = os.cpus();
const pgVersion = await serverVersion().catch((err) => `unreachable (${err.message})`);
// The figures only mean something on an otherwise idle machine: say how busy it was.
const load = () => os.loadavg()[0].toFixed(2);
const busyAtStart = os.loadavg()[0] > cpus.length / 2;
process.stdout.write(
  `# Yunling benchmarks — ${new Date().toISOString()}\n\n` +
    `node ${process.versions.node}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, PostgreSQL ${pgVersion}; ` +
    `load average at start ${load()}${busyAtStart ? ' — WARNING: the machine is busy, absolute figures will be low and noisy' : ''}\n\n`,
);

let failed = 0;
const t0 = performance.now();
for (const bench of selected) {
  const started = performance.now();
  process.stderr.write(`bench: ${bench.name} …\n`);
  try {
    const tables = await bench.run();
    for (const t of tables) process.stdout.write(formatTable(t) + '\n');
    process.stderr.write(`bench: ${bench.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (err) {
    failed++;
    process.stdout.write(`### ${bench.name}\n\nFAILED TO RUN: ${err.stack ?? err}\n\n`);
  }
}
process.stdout.write(`load average at end ${load()}\n`);
process.stderr.write(`bench: total ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
process.exit(failed ? 1 : 0);
