// The Chinese segmenter shared by every search (catalog, hotline knowledge), loaded on first use. `@node-rs/jieba` with its
// dictionary costs ≈ 0.45 s and ≈ 50 MB of RSS to load, so it is required synchronously the
// first time a search or an index needs it — never at process start (idle RSS target 250 MiB):
// a server that nobody searches never pays for it. The government-terms user dictionary
// (packs/search/gov-terms.txt) keeps terms such as 一网通办, 统一社会信用代码 or 残疾人两项补贴 whole;
// packs/search/synonyms.txt maps spoken words to official ones for queries (生孩子 → 出生, 新生儿…).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const SEARCH_PACK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../packs/search');

interface Segmenter {
  cut(text: string, hmm?: boolean): string[];
  cutForSearch(text: string, hmm?: boolean): string[];
}

let jieba: Segmenter | null = null;
let synonyms: Map<string, string[]> | null = null;

const lines = (file: string) => fs.readFileSync(path.join(SEARCH_PACK_DIR, file), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** The segmenter with the default and the government-terms dictionaries (loaded on the first call). */
export function segmenter(): Segmenter {
  if (jieba) return jieba;
  const require = createRequire(import.meta.url);
  const { Jieba } = require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): Segmenter & { loadDict(d: Uint8Array): void } } };
  const { dict } = require('@node-rs/jieba/dict.js') as { dict: Uint8Array };
  const j = Jieba.withDict(dict);
  j.loadDict(Buffer.from(lines('gov-terms.txt').join('\n') + '\n'));
  jieba = j;
  return j;
}

/** Spoken term → official words that may stand for it (query side only). */
export function synonymsOf(word: string): string[] {
  synonyms ??= new Map(lines('synonyms.txt').map((l) => {
    const [term, ...alts] = l.split(/\s+/);
    return [term!, alts.filter((a) => a !== term)] as const;
  }));
  return synonyms.get(word) ?? [];
}

/** Whether the segmenter has been loaded in this process (for the idle-memory test). */
export const segmenterLoaded = () => jieba !== null;

// Words that say what the citizen wants to do, not what: 「办营业执照」「生孩子要办什么」「退休手续」.
// Dropped from a query unless nothing else is left (a search for 「办理」 alone still searches).
export const STOP_WORDS = new Set([
  '办', '办理', '去', '要', '想', '需要', '我', '我们', '他', '她', '你', '的', '了', '吗', '呢', '啊', '吧', '和', '与', '及', '或', '在', '哪', '哪里', '哪儿',
  '什么', '怎么', '怎么办', '怎样', '如何', '哪些', '多少', '几天', '多久', '手续', '流程', '材料', '需', '带', '可以', '能', '能否', '是否',
  '申请', '领', '要求', '条件', '所需', '一下', '咨询', '问', '请问', '给', '把', '让', '该', '有', '没有', '没', '时候', '时间', '一个',
]);
