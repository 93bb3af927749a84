// A test-only writer for crash.test.ts: a Core on the configured database (env), its background
// workers running (WORKERS=true: the audit sealer seals while we write), and an endless stream
// of audited writes — one local holiday per day from 2031-01-01 on, in WRITER_DIVISION. Each date is printed as
// `ack <date>` only AFTER its transaction has committed: a printed ack is a promise that the
// write is durable. Every 25 writes it prints `sealed <n>` (entries in the hash chain so far).
import { loadConfig } from '../../dist/core/config.js';
import { createCore } from '../../dist/core/index.js';
import { setDivisionDay } from '../../dist/core/calendar/store.js';
import { sql } from 'kysely';

const core = await createCore(loadConfig());
const actor = { id: 'system:crash-test' };
const division = process.env.WRITER_DIVISION ?? '530102';
const start = Date.UTC(2031, 0, 1);
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const date = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
  await setDivisionDay(core, actor, { division, date, kind: 'holiday', name: `crash-test ${i}` });
  process.stdout.write(`ack ${date}\n`);
  // Writes arrive over I/O in real life; yield to the event loop like a request would, or the
  // workers' timers never run (PGlite answers without ever returning to the event loop).
  await new Promise((r) => setImmediate(r));
  if (i % 25 === 0) {
    const r = await sql`SELECT count(*)::int AS n FROM audit_seal`.execute(core.db);
    process.stdout.write(`sealed ${r.rows[0].n}\n`);
  }
}
