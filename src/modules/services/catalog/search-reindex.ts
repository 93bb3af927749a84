// Rebuilds the stored search vectors of every item version (all statuses) from its `elements`,
// with the current tokenizer and dictionaries. Run by the migration that switched the catalog
// from bigrams to jieba; run it again (a new migration calling it) whenever the tokenizer or
// packs/search/gov-terms.txt changes. A database without items never loads jieba here.
import { sql } from 'kysely';
import type { Executor } from '../../../core/db/types.js';
import { searchDocument, searchVector } from './search.js';
import { KEYWORDS_OF } from './repo.js';

const BATCH = 200;

/** Re-indexes every version; returns how many rows it rewrote. Idempotent. */
export async function reindexCatalogSearch(ex: Executor): Promise<number> {
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await sql<{ id: string; elements: Parameters<typeof searchDocument>[0] }>`
      SELECT id, elements FROM svc_item_version WHERE id > ${after}::uuid ORDER BY id LIMIT ${BATCH}`.execute(ex)).rows;
    if (!rows.length) return done;
    for (const r of rows) {
      await sql`UPDATE svc_item_version SET search = ${searchVector(searchDocument(r.elements))}, search_keywords = ${KEYWORDS_OF(JSON.stringify(r.elements))} WHERE id = ${r.id}`.execute(ex);
    }
    done += rows.length;
    after = rows.at(-1)!.id;
  }
}
