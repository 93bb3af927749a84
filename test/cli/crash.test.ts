// kill -9 in the middle of a stream of writes, with the audit sealer sealing concurrently: no
// acknowledged write may be lost, and the audit chain must verify (and keep sealing) afterwards.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl, childEnv, cli, ensureBuilt, pgliteTarget, pgTarget, query, ROOT, type Target } from './helpers.js';

beforeAll(() => ensureBuilt(), 180_000);

const drops: Target[] = [];
afterAll(async () => {
  for (const t of drops) await t.drop();
});

const WRITER = path.join(ROOT, 'test', 'cli', 'writer.mjs');

interface Round {
  acks: string[];
  sealed: number[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the writer until it has acknowledged `minAcks` writes (and, with `needSealing`, the sealer
 * has grown the chain while it writes), then SIGKILLs it at a random moment.
 */
function writeAndKill(env: Record<string, string>, division: string, minAcks: number, needSealing: boolean): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER], { cwd: ROOT, env: childEnv({ ...env, WRITER_DIVISION: division }), stdio: ['ignore', 'pipe', 'pipe'] });
    const round: Round = { acks: [], sealed: [], signal: null, stderr: '' };
    let buf = '';
    let killing = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer did not reach ${minAcks} acks with sealing in time: ${round.acks.length} acks, sealed ${round.sealed.join(',')}\n${round.stderr}`));
    }, 240_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l.startsWith('ack ')) round.acks.push(`${division}:${l.slice(4)}`);
        else if (l.startsWith('sealed ')) round.sealed.push(Number(l.slice(7)));
      }
      const sealing = round.sealed.length >= 2 && round.sealed.at(-1)! > round.sealed[0]!;
      if (!killing && round.acks.length >= minAcks && (!needSealing || sealing)) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 40));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (round.stderr += d));
    // 'close': the process is gone (reaped) AND its stdout is drained — every ack it wrote is read.
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      round.signal = signal;
      resolve(round);
    });
    child.on('error', reject);
  });
}

function crashTest(engine: 'pglite' | 'postgresql') {
  it(`SIGKILL during a stream of writes loses no acknowledged write and leaves the audit chain verifiable (${engine})`, async () => {
    const t = engine === 'pglite' ? await pgliteTarget({ migrated: true }) : await pgTarget();
    drops.push(t);
    const env = { ...t.env, WORKERS: 'true', POLL_MS: '10', AUDIT_CHECKPOINT_EVERY: '20', AUDIT_CHECKPOINT_SECONDS: '1' };
    const acked: string[] = [];
    // Round 1 and 2 wait until the sealer has sealed while writing (in round 2, after the killed
    // node's sealer lease has expired); round 3 is killed as soon as it has written a little.
    // Each round writes its own division (昆明 五华区, 盘龙区, 官渡区), so every ack is distinct.
    const plan = [
      { division: '530102', minAcks: 60, needSealing: true },
      { division: '530103', minAcks: 60, needSealing: true },
      { division: '530111', minAcks: 20, needSealing: false },
    ];
    for (const [i, p] of plan.entries()) {
      const r = await writeAndKill(env, p.division, p.minAcks, p.needSealing);
      expect(r.signal, r.stderr).toBe('SIGKILL');
      expect(r.acks.length).toBeGreaterThanOrEqual(p.minAcks);
      acked.push(...r.acks);
      console.log(`[crash ${engine}] round ${i + 1}: ${r.acks.length} acknowledged writes, chain length seen while writing ${r.sealed[0]} → ${r.sealed.at(-1)}, killed by ${r.signal}`);
    }
    expect(new Set(acked).size).toBe(acked.length);

    // Every acknowledged write is there, with its audit entry.
    const days = new Set((await query<{ d: string }>(t, `SELECT division || ':' || date::text AS d FROM calendar_day WHERE name LIKE 'crash-test %'`)).map((r) => r.d));
    const missing = acked.filter((d) => !days.has(d));
    expect(missing).toEqual([]);
    const audited = new Set((await query<{ o: string }>(t, `SELECT object_id AS o FROM audit_log WHERE actor = 'system:crash-test'`)).map((r) => r.o));
    expect(acked.filter((d) => !audited.has(d))).toEqual([]);

    // The chain verifies after the crash, and sealing picks up where it stopped.
    const v = await cli(['audit', 'verify'], t.env);
    expect(v.stderr).toBe('');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^audit log intact: [1-9]\d* entries verified/);
    expect((await cli(['audit', 'seal'], t.env)).code).toBe(0);
    const after = await cli(['audit', 'verify', '--json'], t.env);
    expect(after.code).toBe(0);
    const r = JSON.parse(after.stdout);
    expect(r).toMatchObject({ ok: true, pending: 0 });
    const [{ n }] = await query<{ n: number }>(t, 'SELECT count(*)::int AS n FROM audit_log');
    expect(r.entries).toBe(n);
  }, 900_000);
}

describe('crash safety', () => {
  crashTest('pglite');
  if (adminUrl) crashTest('postgresql');
});
