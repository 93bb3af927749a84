// Highlights for search results: every place where a text holds a word of the query (as the
// query was cut: its meaningful jieba words, their synonyms and sub-words; see tokens.ts), marked
// `<em>…</em>` in an HTML-escaped text, optionally cut to a snippet around the first hit.
import { queryTerms } from './tokens.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Which characters of `text` a term of the query covers (NFKC, case-insensitive, per character). */
export function matchMask(text: string, q: string): boolean[] {
  const chars = Array.from(text);
  const lower = chars.map((c) => c.normalize('NFKC').toLowerCase());
  const mark = new Array<boolean>(chars.length).fill(false);
  for (const term of queryTerms(q)) {
    const t = Array.from(term);
    for (let i = 0; i + t.length <= lower.length; i++) {
      let k = 0;
      while (k < t.length && lower[i + k] === t[k]) k++;
      if (k === t.length) mark.fill(true, i, i + t.length);
    }
  }
  return mark;
}

/**
 * `text` HTML-escaped, with every run of characters matching the query in <em>…</em>; with
 * `window`, a snippet of about that many characters starting a little before the first hit.
 */
export function highlight(text: string, q: string, window?: number): string {
  const chars = Array.from(text);
  const mark = matchMask(text, q);
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
