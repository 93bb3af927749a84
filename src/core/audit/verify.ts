// Re-walks the whole chain: every sealed position in order, every entry's hash, every checkpoint's
// signature, and looks for entries slipped in behind the sealer. Reports the FIRST bad entry.
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { CANONICAL_ENTRY_SQL, GENESIS, checkpointMessage, type ChainHash } from './canonical.js';
import type { TrustedKey } from './keys.js';

export interface VerifyProblem {
  pos?: number;
  seq?: number;
  reason: 'missing-position' | 'prev-hash-mismatch' | 'entry-missing' | 'entry-edited' | 'order-violated' | 'entry-inserted' | 'checkpoint-signature' | 'checkpoint-mismatch' | 'checkpoint-beyond-chain' | 'checkpoint-unknown-key';
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  pending: number;
  checkpoints: number;
  lastCheckpointPos: number | null;
  problem?: VerifyProblem;
  ms: number;
}

type SealRow = { pos: number; seq: number; xid: string; prev_hash: Buffer; hash: Buffer; c: string | null; axid: string | null };

function xidLess(a: string, b: string): boolean {
  return a.length !== b.length ? a.length < b.length : a < b;
}

export async function verifyAudit(db: Db, hasher: ChainHash, trusted: TrustedKey[], batch = 20_000): Promise<VerifyResult> {
  const t0 = performance.now();
  const done = (r: Omit<VerifyResult, 'ms'>): VerifyResult => ({ ...r, ms: Math.round(performance.now() - t0) });
  const checkpoints = (await sql<{ pos: number; hash: Buffer; signed_at: Date; algorithm: string; key_id: string; signature: Buffer }>`
    SELECT pos, hash, signed_at, algorithm, key_id, signature FROM audit_checkpoint ORDER BY pos`.execute(db)).rows;
  const cpByPos = new Map(checkpoints.map((c) => [c.pos, c]));
  const base = { entries: 0, pending: 0, checkpoints: checkpoints.length, lastCheckpointPos: checkpoints.at(-1)?.pos ?? null };

  for (const cp of checkpoints) {
    const key = trusted.find((k) => k.keyId === cp.key_id);
    if (!key) {
      return done({ ...base, ok: false, problem: { pos: cp.pos, reason: 'checkpoint-unknown-key', message: `checkpoint at position ${cp.pos} is signed by key ${cp.key_id}, which is not a trusted audit key` } });
    }
    if (!key.verify(Buffer.from(checkpointMessage(cp.pos, cp.hash, new Date(cp.signed_at)), 'utf8'), cp.signature)) {
      return done({ ...base, ok: false, problem: { pos: cp.pos, reason: 'checkpoint-signature', message: `checkpoint at position ${cp.pos}: signature is not valid` } });
    }
  }

  let prev: Buffer = GENESIS;
  let expected = 1;
  let lastXid = '0';
  let lastSeq = 0;
  // The next batch is fetched while this one is hashed: the database and the CPU work in parallel.
  const fetch = (from: number) => sql<SealRow>`
      SELECT s.pos, s.seq, s.xid::text AS xid, s.prev_hash, s.hash, ${sql.raw(CANONICAL_ENTRY_SQL)} AS c, a.xid::text AS axid
      FROM audit_seal s LEFT JOIN audit_log a ON a.seq = s.seq
      WHERE s.pos >= ${from} ORDER BY s.pos LIMIT ${batch}`.execute(db).then((r) => r.rows);
  let next: Promise<SealRow[]> | null = fetch(expected);
  while (next) {
    const rows: SealRow[] = await next;
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!.pos;
    next = rows.length === batch ? fetch(last + 1) : null;
    for (const r of rows) {
      const at = { pos: r.pos, seq: r.seq };
      const stop = (problem: VerifyProblem) => {
        void next?.catch(() => {});
        return done({ ...base, entries: expected - 1, ok: false, problem });
      };
      if (r.pos !== expected) {
        return stop({ ...at, pos: expected, reason: 'missing-position', message: `chain position ${expected} is missing (next present: ${r.pos})` });
      }
      if (!r.prev_hash.equals(prev)) {
        return stop({ ...at, reason: 'prev-hash-mismatch', message: `position ${r.pos} (entry ${r.seq}) does not link to the previous position` });
      }
      if (r.axid === null || r.c === null) {
        return stop({ ...at, reason: 'entry-missing', message: `entry ${r.seq} sealed at position ${r.pos} has been deleted` });
      }
      if (r.axid !== r.xid || !(xidLess(lastXid, r.xid) || (lastXid === r.xid && r.seq > lastSeq))) {
        return stop({ ...at, reason: 'order-violated', message: `entry ${r.seq} at position ${r.pos} is out of order` });
      }
      const h = hasher(prev, r.c);
      if (!h.equals(r.hash)) {
        return stop({ ...at, reason: 'entry-edited', message: `entry ${r.seq} at position ${r.pos} has been altered (hash mismatch)` });
      }
      const cp = cpByPos.get(r.pos);
      if (cp && !cp.hash.equals(h)) {
        return stop({ ...at, reason: 'checkpoint-mismatch', message: `signed checkpoint at position ${r.pos} does not match the chain` });
      }
      prev = h;
      lastXid = r.xid;
      lastSeq = r.seq;
      expected++;
    }
  }
  const entries = expected - 1;
  const lastCp = base.lastCheckpointPos;
  if (lastCp !== null && lastCp > entries) {
    return done({ ...base, entries, ok: false, problem: { pos: entries + 1, reason: 'checkpoint-beyond-chain', message: `a signed checkpoint covers position ${lastCp} but the chain ends at ${entries}: sealed entries were removed` } });
  }
  // An unsealed entry that sorts before the chain's end cannot come from a real transaction.
  const inserted = (await sql<{ seq: number }>`
    SELECT a.seq FROM audit_log a
    WHERE (a.xid, a.seq) < (${lastXid}::xid8, ${lastSeq}::bigint)
      AND NOT EXISTS (SELECT 1 FROM audit_seal s WHERE s.seq = a.seq)
    ORDER BY a.xid, a.seq LIMIT 1`.execute(db)).rows[0];
  if (inserted) {
    return done({ ...base, entries, ok: false, problem: { seq: inserted.seq, reason: 'entry-inserted', message: `entry ${inserted.seq} was inserted into the sealed part of the log` } });
  }
  const pending = (await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM audit_log a WHERE (a.xid, a.seq) > (${lastXid}::xid8, ${lastSeq}::bigint)`.execute(db)).rows[0]!.n;
  return done({ ...base, entries, pending, ok: true });
}
