// 重复工单: open orders from the last 30 days by the same caller, or at the same place under the
// same category, whose text is alike (character-bigram Jaccard). Shown at intake; the dispatcher
// decides whether to merge.
import type { Executor } from '../../core/db/types.js';
import { similarity } from './text.js';

export interface Duplicate {
  id: string;
  number: string;
  similarity: number;
  sameCaller: boolean;
}

export const DUPLICATE_THRESHOLD = 0.3;
const WINDOW_MS = 30 * 86_400_000;
const OPEN = ['accepted', 'dispatched', 'returned', 'handling', 'extension', 'review', 'callback'];

export async function findDuplicates(ex: Executor, o: { id: string; division: string; category: string; phoneBidx: string | null; text: string; at: string }): Promise<Duplicate[]> {
  const since = new Date(new Date(o.at).getTime() - WINDOW_MS);
  const rows = await ex.selectFrom('hotline_order').select(['id', 'number', 'title', 'content', 'caller_phone_bidx'])
    .where('id', '!=', o.id).where('status', 'in', OPEN).where('created_at', '>=', since)
    .where((eb) => eb.or([
      ...(o.phoneBidx ? [eb('caller_phone_bidx', '=', o.phoneBidx)] : []),
      eb.and([eb('division', '=', o.division), eb('category_code', '=', o.category)]),
    ]))
    .orderBy('created_at', 'desc').limit(200).execute();
  return rows
    .map((r) => ({ id: r.id, number: r.number, similarity: Math.round(similarity(o.text, `${r.title} ${r.content}`) * 100) / 100, sameCaller: !!o.phoneBidx && r.caller_phone_bidx === o.phoneBidx }))
    .filter((d) => d.similarity >= DUPLICATE_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, 10);
}
