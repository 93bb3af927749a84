// Chinese full-text search with jieba (search-jieba.ts, loaded on first use) and a bigram
// fallback, in a `simple` tsvector computed here (PostgreSQL and PGlite have no Chinese parser).
//
// Index: each CJK run contributes its jieba search-mode words (营业执照 → 营业 执照 营业执照) AND its
// overlapping two-character grams (营业 业执 执照); ASCII text contributes lower-case words. The
// grams keep names jieba cuts oddly (out-of-vocabulary place or body names) findable as substrings.
//
// Query: each CJK run is cut into words (precise mode), words that only say "I want to do"
// (办, 怎么, 手续… STOP_WORDS) are dropped, and every remaining word must match — as a jieba word,
// or as its grams in a row (`<->`), or as one of its official synonyms (生孩子 → 出生 | 新生儿 | 生育).
// A lone character or an ASCII word matches as a prefix (税 → 税务, 000127 → 000127002000).
// Recall and precision of this choice: the catalog's search-recall.test.ts, the hotline's
// kb-recall.test.ts. Moved here from the catalog unchanged, so that every module searches alike.
import { segmenter, synonymsOf, STOP_WORDS } from './jieba.js';

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

/** Overlapping two-character grams (a lone character as itself). */
export function bigrams(han: string): string[] {
  const chars = [...han];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

// jieba returns Han words here (its input is one Han run); anything else is dropped defensively.
const han = (w: string) => /^\p{Script=Han}+$/u.test(w);

/**
 * The tokens of a text to index, in order: per CJK run its jieba search-mode words then its grams
 * (so that a run's grams stay adjacent for phrase queries), and ASCII words.
 */
export function searchTokens(text: string, opts: { grams?: boolean } = {}): string[] {
  const withGrams = opts.grams ?? true;
  const rs = runs(text);
  const cut = rs.some((r) => r.kind === 'han' && [...r.text].length > 1) ? segmenter() : null;
  return rs.flatMap((r) => {
    if (r.kind === 'word') return [r.text];
    const g = bigrams(r.text);
    if (!cut || g.length === 1) return g;
    const words = cut.cutForSearch(r.text, true).filter(han);
    // A two-character word is already one of the grams.
    return withGrams ? [...words.filter((w) => !(w.length === 2 && g.includes(w))), ...g] : words;
  });
}

// Tokens are Han characters, letters and digits only, so they are safe inside a tsquery string.
const safe = (t: string) => t.replace(/[^\p{L}\p{N}]/gu, '');

/**
 * One word of a query: a prefix for a lone character; a dictionary word as itself (indexed texts
 * hold it whenever they contain it as a word); an out-of-vocabulary word (jieba made it up by
 * HMM, e.g. a place or body name) as itself or its grams in a row. Plain words keep the GIN index
 * exact (a phrase makes PostgreSQL re-read every candidate's vector) and avoid matching across
 * word boundaries (婚登 in 结婚登记).
 */
function wordQuery(w: string): string {
  const chars = [...w];
  if (chars.length === 1) return `${w}:*`;
  if (chars.length === 2 || segmenter().cut(w, false).length === 1) return w;
  return `${w} | ${bigrams(w).join(' <-> ')}`;
}

/**
 * A compound dictionary word as its longest sub-words, left to right (公积金提取 → 公积金 提取,
 * 退休手续 → 退休 手续): the user dictionary keeps such terms whole, but a text may say them apart
 * (提取住房公积金). Sub-words that carry no subject are dropped (手续). [] when it has no parts.
 */
function parts(w: string): string[] {
  const chars = [...w];
  if (chars.length < 3) return [];
  const sub = new Set(segmenter().cutForSearch(w, false).filter((x) => x !== w && han(x)));
  const out: string[] = [];
  for (let i = 0; i < chars.length;) {
    let len = Math.min(chars.length - i, chars.length - 1);
    while (len > 1 && !sub.has(chars.slice(i, i + len).join(''))) len--;
    out.push(chars.slice(i, i + len).join(''));
    i += len;
  }
  const kept = out.filter((x) => !STOP_WORDS.has(x));
  // Short compounds are nouns whose parts apart mean something else (营业执照 ≠ 营业 … 执照), unless
  // a part is a filler (退休手续 → 退休); long ones are phrases (公积金提取, 残疾人两项补贴). Lone
  // characters would match almost anything, so they never make a cover.
  if (out.length < 2 || kept.some((x) => [...x].length < 2)) return [];
  return chars.length >= 5 || kept.length < out.length ? kept : [];
}

/** The query of one word: itself, its grams in a row, its sub-words together, or a synonym. */
function termQuery(w: string, loose = false): string {
  const alts = [...new Set([w, ...synonymsOf(w).map(safe).filter((a) => a && han(a))])].map(wordQuery);
  // Loose (the `any` fallback): a longer word may also match by any of its grams (公交站 → 公交).
  if (loose && [...w].length > 2) alts.push(...bigrams(w));
  const p = parts(w);
  if (p.length === 1) alts.push(wordQuery(p[0]!));
  else if (p.length > 1) alts.push(`(${p.map((x) => `(${wordQuery(x)})`).join(' & ')})`);
  return `(${alts.join(' | ')})`;
}

/** The Han words of a query, without the words that carry no subject (unless nothing else is left). */
export function queryWords(hanRun: string): string[] {
  const words = segmenter().cut(hanRun, true).map(safe).filter((w) => w && han(w));
  const meaningful = words.filter((w) => !STOP_WORDS.has(w));
  return meaningful.length ? meaningful : words;
}

/**
 * The tsquery text for a search box entry, or null when nothing searchable is left. Every word
 * must match (jieba word, grams in a row, or an official synonym); ASCII words match as a prefix.
 */
export function searchQuery(q: string, opts: { any?: boolean } = {}): string | null {
  const rs = runs(q);
  let hanWords = rs.filter((r) => r.kind === 'han').flatMap((r) => queryWords(r.text));
  // Any word will do: a lone character (来, 好, 不) would then match nearly everything.
  if (opts.any && hanWords.some((w) => [...w].length > 1)) hanWords = hanWords.filter((w) => [...w].length > 1);
  const terms = [
    ...hanWords.map((w) => termQuery(w, opts.any)),
    ...rs.filter((r) => r.kind === 'word').map((r) => safe(r.text)).filter(Boolean).map((w) => `${w}:*`),
  ];
  // `any`: a second try for a question in the caller's own words, when no text has every word.
  return terms.length ? [...new Set(terms)].slice(0, 16).join(opts.any ? ' | ' : ' & ') : null;
}

/**
 * What a match of `q` looks like in a text, for highlighting: each meaningful word, its official
 * synonyms and its sub-words (公积金提取 → 公积金, 提取), and ASCII words (matched as prefixes).
 */
export function queryTerms(q: string): string[] {
  const out: string[] = [];
  for (const r of runs(q)) {
    if (r.kind === 'word') { const w = safe(r.text); if (w) out.push(w); continue; }
    for (const w of queryWords(r.text)) out.push(w, ...synonymsOf(w).map(safe).filter((a) => a && han(a)), ...parts(w));
  }
  return [...new Set(out)];
}

/**
 * The words of a query that the rank compares with names and keywords (办营业执照 → 营业执照): the
 * meaningful Han words run together, or the trimmed entry when it has other text.
 */
export function searchText(q: string): string {
  const rs = runs(q);
  if (!rs.length || rs.some((r) => r.kind === 'word')) return q.trim();
  return rs.flatMap((r) => queryWords(r.text)).join('');
}

