// The canonical text of an audit entry, produced by SQL so that the sealer and the verifier read
// byte-identical input on PGlite and PostgreSQL alike (json_build_array and jsonb output are
// stable; the time is rendered in UTC with microseconds).
import { createHash } from 'node:crypto';

export const CANONICAL_ENTRY_SQL = `json_build_array(a.seq, a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  a.actor, a.on_behalf_of, a.action, a.object_type, a.object_id, a.division, a.purpose, a.request_id, a.detail, a.xid::text)::text`;

export type ChainHash = (prev: Buffer, canonical: string) => Buffer;

/** hash_n = H(hash_{n-1} ‖ canonical_n); the chain starts from 32 zero bytes. */
export function chainHasher(profile: 'sm' | 'intl'): ChainHash {
  const algo = profile === 'sm' ? 'sm3' : 'sha256';
  return (prev, canonical) => createHash(algo).update(prev).update(canonical, 'utf8').digest();
}

export const GENESIS = Buffer.alloc(32);

export function checkpointMessage(pos: number, hash: Buffer, signedAt: Date): string {
  return `yunling-audit-checkpoint/v1|${pos}|${hash.toString('hex')}|${signedAt.toISOString()}`;
}
