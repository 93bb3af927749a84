// The sealer appends unsealed audit entries to the hash chain. Writers never wait for it: each
// writer only INSERTs its entry. The sealer runs on one node at a time (leader lease + an advisory
// lock) and seals entries in (xid, seq) order, but only those whose transaction id is below the
// snapshot's xmin: every such transaction has finished, so no entry can later appear before the
// chain's end. Hence an unsealed entry that sorts before the last sealed one was inserted behind
// the sealer's back, and `verify` says so.
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { CANONICAL_ENTRY_SQL, GENESIS, checkpointMessage, type ChainHash } from './canonical.js';
import type { AuditSigner } from './keys.js';

const SEALER_LOCK = 0x59_4c_41_55; // 'YLAU'

export interface ChainHead {
  pos: number;
  seq: number;
  xid: string;
  hash: Buffer;
}

export async function chainHead(db: Db): Promise<ChainHead | null> {
  const r = await sql<{ pos: number; seq: number; xid: string; hash: Buffer }>`
    SELECT pos, seq, xid::text AS xid, hash FROM audit_seal ORDER BY pos DESC LIMIT 1`.execute(db);
  return r.rows[0] ?? null;
}

/** Seals one batch; returns how many entries it sealed (0 when nothing was sealable). */
export async function sealBatch(db: Db, hasher: ChainHash, batchSize = 5000): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const locked = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SEALER_LOCK}) AS ok`.execute(tx);
    if (!locked.rows[0]?.ok) return 0;
    const horizon = (await sql<{ x: string }>`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS x`.execute(tx)).rows[0]!.x;
    const head = await chainHead(tx as unknown as Db);
    const rows = await sql<{ seq: number; xid: string; c: string }>`
      SELECT a.seq, a.xid::text AS xid, ${sql.raw(CANONICAL_ENTRY_SQL)} AS c
      FROM audit_log a
      WHERE (a.xid, a.seq) > (${head?.xid ?? '0'}::xid8, ${head?.seq ?? 0}::bigint) AND a.xid < ${horizon}::xid8
      ORDER BY a.xid, a.seq LIMIT ${batchSize}`.execute(tx);
    if (rows.rows.length === 0) return 0;
    let prev: Buffer = head?.hash ?? GENESIS;
    let pos = head?.pos ?? 0;
    const positions: number[] = [];
    const seqs: number[] = [];
    const xids: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (const r of rows.rows) {
      const hash = hasher(prev, r.c);
      positions.push(++pos);
      seqs.push(r.seq);
      xids.push(r.xid);
      prevs.push('\\x' + prev.toString('hex'));
      hashes.push('\\x' + hash.toString('hex'));
      prev = hash;
    }
    await sql`INSERT INTO audit_seal (pos, seq, xid, prev_hash, hash)
      SELECT * FROM unnest(${positions}::bigint[], ${seqs}::bigint[], ${xids}::xid8[], ${prevs}::bytea[], ${hashes}::bytea[])`.execute(tx);
    return rows.rows.length;
  });
}

/** Seals everything sealable now. */
export async function sealAll(db: Db, hasher: ChainHash): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await sealBatch(db, hasher);
    total += n;
    if (n === 0) return total;
  }
}

/** Signs the chain head when enough entries or enough time have passed since the last checkpoint. */
export async function maybeCheckpoint(
  db: Db,
  signer: AuditSigner,
  opts: { every: number; seconds: number; now: Date; force?: boolean },
): Promise<boolean> {
  const head = await chainHead(db);
  if (!head) return false;
  const last = (await sql<{ pos: number; signed_at: Date }>`SELECT pos, signed_at FROM audit_checkpoint ORDER BY pos DESC LIMIT 1`.execute(db)).rows[0];
  if (last && last.pos >= head.pos) return false;
  const due =
    opts.force ||
    !last ||
    head.pos - last.pos >= opts.every ||
    opts.now.getTime() - new Date(last.signed_at).getTime() >= opts.seconds * 1000;
  if (!due) return false;
  const signedAt = new Date(Math.floor(opts.now.getTime()));
  const signature = signer.sign(Buffer.from(checkpointMessage(head.pos, head.hash, signedAt), 'utf8'));
  await sql`INSERT INTO audit_checkpoint (pos, hash, signed_at, algorithm, key_id, signature)
    VALUES (${head.pos}, ${head.hash}, ${signedAt}, ${signer.algorithm}, ${signer.keyId}, ${signature})
    ON CONFLICT (pos) DO NOTHING`.execute(db);
  return true;
}
