import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { testCore, onPostgres, type TestCore } from '../../../test/db.js';
import { recordChange } from './record.js';
import { sealAll, maybeCheckpoint } from './sealer.js';
import { verifyAudit } from './verify.js';
import { grantApplicationRole } from '../db/roles.js';

let t: TestCore;

async function write(n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    await t.core.db.transaction().execute((tx) =>
      recordChange(tx, { id: `user:${i % 7}`, requestId: `r${i}` }, { action: 'test.thing.create', object: { type: 'thing', id: String(i) }, division: '530102', detail: { i, name: '测试' } },
        { type: 'test.thing.created', payload: { i } }),
    );
  }
}

const verify = () => verifyAudit(t.core.db, t.core.audit.hasher, t.core.audit.trusted);
/**
 * Seals until `n` entries are in the chain. The sealer only seals below the snapshot horizon, which
 * on PostgreSQL is cluster-wide: a transaction of another database (another test file running at
 * the same time) can hold it back for a moment, and then a pass rightly seals nothing yet.
 */
async function seal(n?: number): Promise<number> {
  let total = await sealAll(t.core.db, t.core.audit.hasher);
  for (let tries = 0; n !== undefined && total < n && tries < 400; tries++) {
    await new Promise((r) => setTimeout(r, 25));
    total += await sealAll(t.core.db, t.core.audit.hasher);
  }
  return total;
}
const checkpoint = () => maybeCheckpoint(t.core.db, t.core.audit.signer, { every: 1, seconds: 0, now: t.clock.now(), force: true });

/** Tampering as someone with owner rights on the database would do it: triggers off, then SQL. */
async function tamper(table: string, statement: string): Promise<void> {
  await sql.raw(`ALTER TABLE ${table} DISABLE TRIGGER USER`).execute(t.core.db);
  await sql.raw(statement).execute(t.core.db);
  await sql.raw(`ALTER TABLE ${table} ENABLE TRIGGER USER`).execute(t.core.db);
}

beforeEach(async () => {
  t = await testCore();
  await write(30);
  expect(await seal(30)).toBe(30);
  await checkpoint();
});
afterEach(() => t.close());

describe('audit chain', () => {
  it('verifies an intact log and counts its entries', async () => {
    const r = await verify();
    expect(r).toMatchObject({ ok: true, entries: 30, pending: 0, checkpoints: 1 });
    await write(5, 30);
    expect(await verify()).toMatchObject({ ok: true, entries: 30, pending: 5 });
    expect(await seal(5)).toBe(5);
    expect(await verify()).toMatchObject({ ok: true, entries: 35, pending: 0 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE from the application connection', async () => {
    await expect(sql`UPDATE audit_log SET actor = 'x' WHERE seq = 1`.execute(t.core.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(t.core.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_seal`.execute(t.core.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit_checkpoint SET pos = 99`.execute(t.core.db)).rejects.toThrow(/append-only/);
    expect((await verify()).ok).toBe(true);
  });

  it('detects an edited entry and names it', async () => {
    await tamper('audit_log', `UPDATE audit_log SET actor = 'user:intruder' WHERE seq = 12`);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ reason: 'entry-edited', seq: 12 });
  });

  it('detects an edited detail (jsonb) field', async () => {
    await tamper('audit_log', `UPDATE audit_log SET detail = jsonb_set(detail, '{name}', '"改过"') WHERE seq = 3`);
    expect((await verify()).problem).toMatchObject({ reason: 'entry-edited', seq: 3 });
  });

  it('detects a deleted entry', async () => {
    await tamper('audit_log', `DELETE FROM audit_log WHERE seq = 7`);
    expect((await verify()).problem).toMatchObject({ reason: 'entry-missing', seq: 7 });
  });

  it('detects a deleted chain position', async () => {
    await tamper('audit_seal', `DELETE FROM audit_seal WHERE pos = 9`);
    expect((await verify()).problem).toMatchObject({ reason: 'missing-position', pos: 9 });
  });

  it('detects reordered entries', async () => {
    // Swap the contents of two entries: each position now holds the other's entry.
    await tamper('audit_log', `UPDATE audit_log a SET actor = b.actor, object_id = b.object_id, detail = b.detail, request_id = b.request_id
      FROM audit_log b WHERE (a.seq, b.seq) IN ((5, 6), (6, 5))`);
    expect((await verify()).problem).toMatchObject({ reason: 'entry-edited', seq: 5 });
  });

  it('detects reordered chain positions', async () => {
    await tamper('audit_seal', `UPDATE audit_seal SET pos = -4 WHERE pos = 4; UPDATE audit_seal SET pos = 4 WHERE pos = 5; UPDATE audit_seal SET pos = 5 WHERE pos = -4`);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problem?.pos).toBe(4);
  });

  it('detects an entry inserted into the sealed part of the log', async () => {
    const row = (await sql<{ xid: string }>`SELECT xid::text AS xid FROM audit_log WHERE seq = 10`.execute(t.core.db)).rows[0]!;
    await sql`INSERT INTO audit_log (seq, actor, action, xid) OVERRIDING SYSTEM VALUE VALUES (100000, 'user:ghost', 'test.thing.delete', ${row.xid}::xid8)`.execute(t.core.db);
    const r = await verify();
    expect(r.problem).toMatchObject({ reason: 'entry-inserted', seq: 100000 });
  });

  it('detects a forged chain position spliced in', async () => {
    await tamper('audit_seal', `UPDATE audit_seal SET hash = sha256(hash) WHERE pos = 15`);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problem?.pos).toBe(15);
  });

  it('detects a bad checkpoint signature', async () => {
    await tamper('audit_checkpoint', `UPDATE audit_checkpoint SET signature = sha256(signature)`);
    expect((await verify()).problem).toMatchObject({ reason: 'checkpoint-signature', pos: 30 });
  });

  it('detects a rewritten chain whose checkpoint no longer matches', async () => {
    // An attacker who rewrites entry 30 and recomputes its seal still cannot match the signed checkpoint.
    await tamper('audit_log', `UPDATE audit_log SET actor = 'user:intruder' WHERE seq = 30`);
    const row = (await sql<{ c: string; prev: Buffer }>`SELECT ${sql.raw((await import('./canonical.js')).CANONICAL_ENTRY_SQL)} AS c, s.prev_hash AS prev
      FROM audit_log a JOIN audit_seal s ON s.seq = a.seq WHERE a.seq = 30`.execute(t.core.db)).rows[0]!;
    const forged = t.core.audit.hasher(row.prev, row.c).toString('hex');
    await tamper('audit_seal', `UPDATE audit_seal SET hash = '\\x${forged}' WHERE seq = 30`);
    expect((await verify()).problem).toMatchObject({ reason: 'checkpoint-mismatch', pos: 30 });
  });

  it('detects a truncated chain below a signed checkpoint', async () => {
    await tamper('audit_seal', `DELETE FROM audit_seal WHERE pos > 25`);
    await tamper('audit_log', `DELETE FROM audit_log WHERE seq > 25`);
    expect((await verify()).problem).toMatchObject({ reason: 'checkpoint-beyond-chain' });
  });

  it('seals concurrent writers without a shared row lock, in a verifiable order', async () => {
    const writers = Array.from({ length: 8 }, (_, w) => write(10, 1000 + w * 10));
    await Promise.all(writers);
    expect(await seal(80)).toBe(80);
    expect(await verify()).toMatchObject({ ok: true, entries: 110 });
  });
});

// PostgreSQL roles do not exist in the embedded engine; this runs in the PostgreSQL pass of CI.
if (onPostgres) describe('audit privileges on PostgreSQL', () => {
  it('the application role granted by grantApplicationRole cannot UPDATE, DELETE or TRUNCATE audit rows nor disable the triggers', async () => {
    const role = `yunling_app_${Math.random().toString(36).slice(2, 8)}`;
    await sql.raw(`CREATE ROLE ${role} LOGIN`).execute(t.core.db);
    try {
      await grantApplicationRole(t.core.db, role);
      const url = new URL((t.core.database as { url?: string }).url!);
      url.username = role;
      const c = new pg.Client({ connectionString: url.toString() });
      await c.connect();
      try {
        await expect(c.query(`UPDATE audit_log SET actor = 'x' WHERE seq = 1`)).rejects.toThrow(/permission denied/);
        await expect(c.query(`DELETE FROM audit_seal WHERE pos = 1`)).rejects.toThrow(/permission denied/);
        await expect(c.query(`ALTER TABLE audit_log DISABLE TRIGGER USER`)).rejects.toThrow(/must be owner/);
        await expect(c.query(`TRUNCATE audit_checkpoint`)).rejects.toThrow(/permission denied/);
        // …while ordinary writes, including new audit entries, work.
        await c.query(`INSERT INTO audit_log (actor, action) VALUES ('user:app', 'test.write')`);
        await c.query(`INSERT INTO outbox (type, aggregate_type, aggregate_id) VALUES ('test.x', 'x', '1')`);
        await c.query(`UPDATE outbox SET attempts = 1 WHERE aggregate_id = '1'`);
      } finally {
        await c.end();
      }
    } finally {
      await sql.raw(`DROP OWNED BY ${role}; DROP ROLE ${role}`).execute(t.core.db);
    }
    expect((await verify()).ok).toBe(true);
  });
});
