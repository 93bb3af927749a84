// The stored search vector of a knowledge entry, with the shared Chinese tokenizer
// (src/platform/search: jieba words + bigrams, government terms): the title weighs most (A), then
// the keywords (B), then the content (D, jieba words only — it is most of the text, and bigrams
// would double every vector that a search reads). reindexKb() rewrites every entry's vector; the
// migration that switched from bigrams runs it, and a new migration should call it again whenever
// the tokenizer or packs/search/gov-terms.txt changes.
import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../core/db/types.js';
import { searchTokens } from '../../platform/search/index.js';

export interface KbText { title: string; keywords?: string[]; content: string }

const words = (text: string, grams = true) => searchTokens(text, { grams }).join(' ');

export function kbVector(e: KbText): RawBuilder<string> {
  return sql<string>`setweight(to_tsvector('simple', ${words(e.title)}), 'A') || setweight(to_tsvector('simple', ${words((e.keywords ?? []).join(' '))}), 'B') || to_tsvector('simple', ${words(e.content, false)})`;
}

const BATCH = 200;

/** Re-indexes every entry (all statuses); returns how many rows it rewrote. Idempotent. */
export async function reindexKb(ex: Executor): Promise<number> {
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await ex.selectFrom('hotline_kb_entry').select(['id', 'title', 'keywords', 'content']).where('id', '>', after).orderBy('id').limit(BATCH).execute();
    if (!rows.length) return done;
    for (const r of rows) await ex.updateTable('hotline_kb_entry').set({ search: kbVector(r) }).where('id', '=', r.id).execute();
    done += rows.length;
    after = rows.at(-1)!.id;
  }
}
