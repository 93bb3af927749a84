// Shared Chinese search: jieba (loaded on first use) with the government-terms dictionary and
// synonyms, a bigram fallback, tsquery building and highlights. See README.md.
export { segmenter, segmenterLoaded, synonymsOf, STOP_WORDS, SEARCH_PACK_DIR } from './jieba.js';
export { bigrams, searchTokens, searchQuery, queryWords, queryTerms, searchText } from './tokens.js';
export { highlight, matchMask } from './highlight.js';
