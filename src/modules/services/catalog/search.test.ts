import { describe, expect, it } from 'vitest';
import { searchQuery, searchTokens } from './search.js';

describe('searchTokens (the one place a segmenter such as jieba would plug in)', () => {
  it('splits Chinese into overlapping bigrams and keeps ASCII words, lower-cased and NFKC-normalised', () => {
    expect(searchTokens('营业执照')).toEqual(['营业', '业执', '执照']);
    expect(searchTokens('ＩＣ卡 申领, 第2次')).toEqual(['ic', '卡', '申领', '第', '2', '次']);
    expect(searchTokens('税')).toEqual(['税']);
    expect(searchTokens('——，。')).toEqual([]);
  });

  it('builds a tsquery whose grams must be adjacent, a lone character or ASCII word matching as a prefix', () => {
    expect(searchQuery('营业执照')).toBe('(营业 <-> 业执 <-> 执照)');
    expect(searchQuery('退休 养老金')).toBe('(退休) & (养老 <-> 老金)');
    expect(searchQuery('税')).toBe('税:*');
    expect(searchQuery('000127')).toBe('000127:*');
    expect(searchQuery("'); DROP TABLE --")).toBe('drop:* & table:*');
    expect(searchQuery('，。')).toBeNull();
  });
});
