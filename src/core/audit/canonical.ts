// The canonical text of an audit entry, produced by SQL so that the sealer and the verifier read
// byte-identical input on PGlite and PostgreSQL alike (json_build_array and jsonb output are
// stable; the time is rendered in UTC with microseconds).
import * as nodeCrypto from 'node:crypto';

export const CANONICAL_ENTRY_SQL = `json_build_array(a.seq, a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  a.actor, a.on_behalf_of, a.action, a.object_type, a.object_id, a.division, a.purpose, a.request_id, a.detail, a.xid::text)::text`;

export type ChainHash = (prev: Buffer, canonical: string) => Buffer;

/** hash_n = H(hash_{n-1} ‖ canonical_n); the chain starts from 32 zero bytes. */
export function chainHasher(profile: 'sm' | 'intl'): ChainHash {
  const algo = profile === 'sm' ? 'sm3' : 'sha256';
  // crypto.hash (Node ≥ 20.12) is a one-shot digest without a Hash object: ~20% faster per entry.
  const oneShot = (nodeCrypto as unknown as { hash?: (a: string, d: Buffer, o: 'buffer') => Buffer }).hash;
  if (oneShot) {
    return (prev, canonical) => {
      const input = Buffer.allocUnsafe(prev.length + Buffer.byteLength(canonical, 'utf8'));
      prev.copy(input, 0);
      input.write(canonical, prev.length, 'utf8');
      return oneShot(algo, input, 'buffer');
    };
  }
  return (prev, canonical) => nodeCrypto.createHash(algo).update(prev).update(canonical, 'utf8').digest();
}

export const GENESIS = Buffer.alloc(32);

export function checkpointMessage(pos: number, hash: Buffer, signedAt: Date): string {
  return `yunling-audit-checkpoint/v1|${pos}|${hash.toString('hex')}|${signedAt.toISOString()}`;
}
