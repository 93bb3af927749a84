import { describe, expect, it } from 'vitest';
import { searchQuery, searchTokens } from './search.js';
import { segmenterLoaded } from './search-jieba.js';

describe('searchTokens: jieba search-mode words plus bigrams per CJK run, ASCII words', () => {
  it('does not load jieba before the first search or index (idle memory)', () => {
    expect(segmenterLoaded()).toBe(false);
    searchTokens('营业执照');
    expect(segmenterLoaded()).toBe(true);
  });

  it('indexes the jieba words of a run, then its overlapping bigrams; ASCII lower-cased and NFKC-normalised', () => {
    expect(searchTokens('营业执照')).toEqual(['营业执照', '营业', '业执', '执照']);
    expect(searchTokens('ＩＣ卡 申领, 第2次')).toEqual(['ic', '卡', '申领', '第', '2', '次']);
    expect(searchTokens('税')).toEqual(['税']);
    expect(searchTokens('——，。')).toEqual([]);
  });

  it('keeps government terms whole thanks to the user dictionary (一网通办, not 一网通 + 办)', () => {
    expect(searchTokens('一网通办')).toContain('一网通办');
    expect(searchTokens('统一社会信用代码')).toContain('统一社会信用代码');
    expect(searchTokens('残疾人两项补贴')).toEqual(expect.arrayContaining(['残疾人两项补贴', '残疾人', '补贴']));
  });
});

describe('searchQuery: every meaningful word must match, as a word, its bigrams in a row, its parts or a synonym', () => {
  it('matches a dictionary word as itself, an out-of-vocabulary one also as its bigrams in a row', () => {
    expect(searchQuery('营业执照')).toBe('(营业执照)');
    // Out of vocabulary (jieba's HMM joined the characters, e.g. a person's name): its bigrams in a row match too.
    expect(searchQuery('张晓燕')).toBe('(张晓燕 | 张晓 <-> 晓燕)');
    expect(searchQuery('退休 养老金')).toBe('(退休) & (养老金 | 养老保险)');
    expect(searchQuery('婚结')).toBe('(婚结)');
  });

  it('drops the words that only say "I want to do" (办, 怎么, 手续…), unless nothing else is left', () => {
    expect(searchQuery('办营业执照')).toBe(searchQuery('营业执照'));
    expect(searchQuery('退休手续')).toBe('(退休手续 | 退休)');
    expect(searchQuery('办理')).toBe('(办理)');
  });

  it('lets a long compound match its parts apart (公积金提取 ↔ 提取住房公积金)', () => {
    expect(searchQuery('公积金提取')).toBe('(公积金提取 | ((公积金) & (提取)))');
  });

  it('expands spoken words to official ones (生孩子 → 出生 | 新生儿 | 生育, 丢了 → 补领 | 补办…)', () => {
    expect(searchQuery('生孩子要办什么')).toBe('(生孩子 | 出生 | 新生儿 | 生育)');
    expect(searchQuery('身份证丢了')).toBe('(身份证) & (丢:* | 补领 | 补办 | 遗失 | 挂失 | 补换 | 丢失)');
  });

  it('matches a lone character or an ASCII word as a prefix, and is injection-safe', () => {
    expect(searchQuery('税')).toBe('(税:*)');
    expect(searchQuery('000127')).toBe('000127:*');
    expect(searchQuery("'); DROP TABLE --")).toBe('drop:* & table:*');
    expect(searchQuery('，。')).toBeNull();
  });
});
