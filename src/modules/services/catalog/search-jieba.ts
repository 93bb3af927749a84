// The catalog's segmenter is the shared one (src/platform/search/jieba.ts, moved there unchanged):
// loaded on the first search or index, with packs/search/gov-terms.txt and synonyms.txt.
export { segmenter, segmenterLoaded, synonymsOf, STOP_WORDS, SEARCH_PACK_DIR } from '../../../platform/search/index.js';
