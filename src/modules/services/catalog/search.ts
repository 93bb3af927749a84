// Catalog search: the tokenizer and the query builder are the shared ones (src/platform/search,
// moved there unchanged from this file); what stays here is what the catalog indexes of an item
// and how it weighs it. Recall and precision over the demo pack: search-recall.test.ts.
import { sql, type RawBuilder } from 'kysely';
import { searchTokens } from '../../../platform/search/index.js';

export { bigrams, searchTokens, searchQuery, queryWords, searchText } from '../../../platform/search/index.js';

/** The texts of an item that are searched: its name (weight A), keywords (B), and the rest (C). */
export interface SearchDocument { name: string; keywords: string[]; body: string[] }

/** The searched texts of a normalised item (the `elements` of a version). */
export function searchDocument(item: {
  name: string; keywords?: string[]; itemType: string; department: { name: string }; conditions?: string | null;
  legalBasis?: string[]; materials?: Array<{ name: string }>; basicCode: string; code: string; key: string;
}): SearchDocument {
  return {
    name: item.name,
    keywords: item.keywords ?? [],
    body: [item.itemType, item.department.name, item.conditions ?? '', ...(item.legalBasis ?? []), ...(item.materials ?? []).map((m) => m.name), item.basicCode, item.code, item.key],
  };
}

/**
 * The stored vector: the name weighs most (A), then keywords (B), then the rest (C). The body
 * (conditions, legal basis, materials, codes) gets jieba words only, no bigrams: it is most of the
 * text, bigrams doubled its vector, and every search hit pays for reading the vector (≈ 2,000 hits
 * for 营业执照 among 10,000 items — bench/services.mjs). Out-of-vocabulary names live in the name and
 * keywords, which keep their bigrams.
 */
export function searchVector(doc: SearchDocument): RawBuilder<string> {
  const v = (parts: string[], grams = true) => searchTokens(parts.join(' '), { grams }).join(' ');
  return sql<string>`setweight(to_tsvector('simple', ${v([doc.name])}), 'A') || setweight(to_tsvector('simple', ${v(doc.keywords)}), 'B') || setweight(to_tsvector('simple', ${v(doc.body, false)}), 'C')`;
}
