// Chinese full-text search without a segmenter: CJK text becomes overlapping two-character grams
// (营业执照 → 营业 业执 执照), ASCII text becomes lower-case words, and both go into a `simple`
// tsvector. A query is tokenised the same way and its grams must appear adjacent (tsquery `<->`),
// so 「营业执照」 does not match a text that merely has 营业 and 执照 apart. Everything goes through
// searchTokens(), so jieba (`@node-rs/jieba`, with a government-terms dictionary) can replace the
// bigrams later without touching the tables or queries (re-index by republishing).
import { sql, type RawBuilder } from 'kysely';

const RUN = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

interface Run { kind: 'han' | 'word'; text: string }

function runs(text: string): Run[] {
  const out: Run[] = [];
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    if (m[1]) out.push({ kind: 'han', text: m[1] });
    else if (m[2]) out.push({ kind: 'word', text: m[2].replace(/[^a-z0-9]/g, '') || m[2] });
  }
  return out.filter((r) => r.text.length > 0);
}

function grams(han: string): string[] {
  const chars = [...han];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** The tokens of `text`, in order: CJK bigrams (a lone character as itself) and ASCII words. */
export function searchTokens(text: string): string[] {
  return runs(text).flatMap((r) => (r.kind === 'han' ? grams(r.text) : [r.text]));
}

// Tokens are Han characters, letters and digits only, so they are safe inside a tsquery string.
const safe = (t: string) => t.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * The tsquery text for a search box entry, or null when nothing searchable is left. Every part
 * must match; the grams of one CJK run must be adjacent; a lone character or an ASCII word
 * matches as a prefix (税 → 税务, 000127 → 000127002000).
 */
export function searchQuery(q: string): string | null {
  const parts = runs(q).map((r) => {
    if (r.kind === 'word') return `${safe(r.text)}:*`;
    const g = grams(r.text).map(safe);
    return g.length === 1 && [...r.text].length === 1 ? `${g[0]}:*` : `(${g.join(' <-> ')})`;
  }).filter((p) => p !== ':*' && p !== '()');
  return parts.length ? parts.slice(0, 16).join(' & ') : null;
}

/** The stored vector: the name weighs most (A), then keywords and codes (B), then the rest (C). */
export function searchVector(doc: { name: string; keywords: string[]; body: string[] }): RawBuilder<string> {
  const v = (parts: string[]) => searchTokens(parts.join(' ')).join(' ');
  return sql<string>`setweight(to_tsvector('simple', ${v([doc.name])}), 'A') || setweight(to_tsvector('simple', ${v(doc.keywords)}), 'B') || setweight(to_tsvector('simple', ${v(doc.body)}), 'C')`;
}
