// Character bigrams for text SIMILARITY (duplicate detection, the chat's coverage, the dispatch
// classifier's features): their thresholds were tuned on bigrams. SEARCH (knowledge base) uses the
// shared jieba tokenizer in src/platform/search instead.

/** Letters and digits only, lower-cased: punctuation and spaces never make two texts alike. */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Overlapping character bigrams (a single character is its own token). */
export function tokens(text: string): string[] {
  const s = Array.from(normalise(text));
  if (s.length < 2) return s;
  const out: string[] = [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s[i]! + s[i + 1]!);
  return out;
}

/** Jaccard similarity of the two texts' bigram sets, 0..1. */
export function similarity(a: string, b: string): number {
  const A = new Set(tokens(a));
  const B = new Set(tokens(b));
  if (!A.size || !B.size) return 0;
  let both = 0;
  for (const t of A) if (B.has(t)) both++;
  return both / (A.size + B.size - both);
}
