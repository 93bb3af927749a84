// Chinese text without a segmenter: character bigrams. Every tokenizing use (duplicate detection,
// and later knowledge search) goes through `tokens()`, so jieba can replace it in one place.

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

/** The text as stored for full-text search: its bigrams separated by spaces (fed to `to_tsvector('simple', …)`). */
export function searchText(text: string): string {
  return tokens(text).join(' ');
}

/**
 * A tsquery for `q`: any bigram matches (`|`), and ranking puts entries with more (and title)
 * matches first — operators type questions in their own words ("怎么提取公积金"), so requiring every
 * bigram would miss the entry. A one-character query matches as a prefix.
 * Tokens are letters and digits only, so nothing in them can break the tsquery syntax.
 */
export function searchQuery(q: string): string | null {
  const t = [...new Set(tokens(q))];
  if (!t.length) return null;
  return t.length === 1 && Array.from(t[0]!).length === 1 ? `${t[0]}:*` : t.join(' | ');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Marks with <em>…</em> every run of characters covered by a bigram of the query (HTML-escaped
 * otherwise); with `window`, cuts a snippet of about that many characters around the first hit.
 */
export function highlight(text: string, q: string, window?: number): string {
  const chars = Array.from(text);
  const lower = Array.from(text.normalize('NFKC').toLowerCase());
  const want = new Set(tokens(q));
  const single = want.size === 1 && Array.from([...want][0]!).length === 1 ? [...want][0]! : null;
  const mark = new Array<boolean>(chars.length).fill(false);
  for (let i = 0; i < lower.length; i++) {
    if (single && lower[i] === single) mark[i] = true;
    if (i + 1 < lower.length && want.has(lower[i]! + lower[i + 1]!)) mark[i] = mark[i + 1] = true;
  }
  let from = 0;
  let to = chars.length;
  if (window && chars.length > window) {
    const first = Math.max(0, mark.indexOf(true));
    from = Math.max(0, Math.min(first - Math.floor(window / 4), chars.length - window));
    to = from + window;
  }
  let out = from > 0 ? '…' : '';
  for (let i = from; i < to; i++) {
    if (mark[i] && (i === from || !mark[i - 1])) out += '<em>';
    out += escapeHtml(chars[i]!);
    if (mark[i] && (i === to - 1 || !mark[i + 1])) out += '</em>';
  }
  return out + (to < chars.length ? '…' : '');
}
