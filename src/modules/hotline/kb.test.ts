// Knowledge base: validation of the city schema (unique title ≤ 128, keywords ≤ 20 and not the
// title), review on the workflow engine, Chinese search with highlights, suggestions, validity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';
import { highlight, searchQuery } from '../../platform/search/index.js';
import { tokens } from './text.js';

let w: World;
beforeAll(async () => { w = await makeWorld(); });
afterAll(async () => { await w?.close(); });

const entry = (over: Record<string, unknown> = {}) => ({
  division: '530102', categoryPath: '住房保障/住房公积金/公积金提取', title: '住房公积金提取办事指南', kind: '办事指南', issuingUnit: '云南省住房公积金管理中心',
  content: '职工购买自住住房、离休退休、完全丧失劳动能力的，可以提取住房公积金。办理时携带身份证和相关证明材料到公积金中心窗口或通过一部手机办事通在线办理。',
  keywords: ['公积金', '提取'], validFrom: '2026-01-01', ...over,
});

describe('text helpers', () => {
  it('keeps bigrams for similarity, searches with jieba words and highlights what matched', () => {
    expect(tokens('公积金，提取')).toEqual(['公积', '积金', '金提', '提取']);
    expect(searchQuery('怎么提取公积金')).toBe('(提取) & (公积金)');
    // The fallback when no entry has every word: any word, a longer one also by its grams.
    expect(searchQuery('怎么提取公积金', { any: true })).toBe('(提取) | (公积金 | 公积 | 积金)');
    expect(searchQuery('税')).toBe('(税:*)');
    expect(searchQuery(' ，。 ')).toBeNull();
    expect(highlight('住房公积金提取<指南>', '公积金')).toBe('住房<em>公积金</em>提取&lt;指南&gt;');
    expect(highlight('身份证遗失后补领', '身份证丢了')).toBe('<em>身份证</em><em>遗失</em>后<em>补领</em>'.replace('</em><em>', ''));
  });
});

describe('knowledge base', () => {
  it('names every bad field: title length and uniqueness, kind, keywords, dates', async () => {
    const r = await w.call('admin', 'POST', '/api/hotline/kb', entry({ title: '长'.repeat(129), kind: '闲聊', keywords: ['长'.repeat(21), ''], content: '', validFrom: '2026-13-01', validTo: '2020-01-01' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/content', '/body/keywords/0', '/body/keywords/1', '/body/kind', '/body/title', '/body/validFrom'].sort());
    const same = await w.call('admin', 'POST', '/api/hotline/kb', entry({ title: '公积金', keywords: ['公积金'] }));
    expect(same.json().errors).toEqual([expect.objectContaining({ pointer: '/body/keywords/0', code: 'same-as-title' })]);
    expect((await w.call('op', 'POST', '/api/hotline/kb', entry())).statusCode).toBe(403);
  });

  it('is searchable only once the hotline has reviewed and published it', async () => {
    const e = await w.ok('admin', 'POST', '/api/hotline/kb', entry(), 201);
    expect(e.status).toBe('review');
    const dup = await w.call('admin', 'POST', '/api/hotline/kb', entry());
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors).toEqual([expect.objectContaining({ pointer: '/body/title', code: 'unique' })]);
    expect((await w.ok('op', 'GET', `/api/hotline/kb/search?q=${encodeURIComponent('公积金提取')}`)).total).toBe(0);
    expect((await w.call('op', 'POST', `/api/hotline/kb/${e.id}/review`, { approve: true })).statusCode).toBe(403);
    const pub = await w.ok('disp', 'POST', `/api/hotline/kb/${e.id}/review`, { approve: true });
    expect(pub.status).toBe('published');
    // Asked in the caller's own words: not every bigram is in the entry, it is still found.
    const hit = await w.ok('op', 'GET', `/api/hotline/kb/search?q=${encodeURIComponent('怎么提取公积金')}`);
    expect(hit.items[0]).toMatchObject({ id: e.id, titleHighlight: '住房<em>公积金提取</em>办事指南' });
    expect(hit.items[0].snippet).toContain('<em>提取</em>住房<em>公积金</em>');
    expect((await w.ok('op', 'GET', `/api/hotline/kb/search?q=${encodeURIComponent('护照签注')}`)).total).toBe(0);
  });

  it('ranks title matches first, suggests while typing and respects validity dates', async () => {
    for (const [title, content, over] of [
      ['新生儿落户办理指南', '新生儿出生后一个月内凭出生医学证明、父母户口簿到派出所办理落户。', {}],
      ['医保异地就医备案', '参保人员异地就医前应办理备案，可通过国家医保服务平台办理，落户地变更不影响。', {}],
      ['2025年落户旧政策', '已废止的旧政策：落户须提交纸质材料。', { validFrom: '2025-01-01', validTo: '2025-12-31' }],
    ] as const) {
      const e = await w.ok('admin', 'POST', '/api/hotline/kb', entry({ title, content, keywords: [], kind: '热点问答', ...over }), 201);
      await w.ok('disp', 'POST', `/api/hotline/kb/${e.id}/review`, { approve: true });
    }
    const s = await w.ok('op', 'GET', `/api/hotline/kb/search?q=${encodeURIComponent('落户')}`);
    expect(s.items.map((i: { title: string }) => i.title)).toEqual(['新生儿落户办理指南', '医保异地就医备案']);
    const sug = await w.ok('op', 'GET', `/api/hotline/kb/suggest?q=${encodeURIComponent('新生')}`);
    expect(sug.items).toEqual([expect.objectContaining({ title: '新生儿落户办理指南', titleHighlight: '<em>新生</em>儿落户办理指南' })]);
    expect((await w.ok('op', 'GET', '/api/hotline/kb/suggest?q=')).items).toEqual([]);
    expect((await w.call('citizen', 'GET', '/api/hotline/kb/suggest?q=%E6%96%B0%E7%94%9F')).statusCode).toBe(403);
  });

  it('sends an entry back for changes and re-reviews a revision', async () => {
    const e = await w.ok('admin', 'POST', '/api/hotline/kb', entry({ title: '占道经营投诉处理', content: '占道经营由城管部门处理。', kind: '常见问题', keywords: ['城管'] }), 201);
    const noComment = await w.call('disp', 'POST', `/api/hotline/kb/${e.id}/review`, { approve: false });
    expect(noComment.statusCode).toBe(400);
    expect((await w.ok('disp', 'POST', `/api/hotline/kb/${e.id}/review`, { approve: false, comment: '请补充法律依据' })).status).toBe('rejected');
    const rev = await w.ok('admin', 'PUT', `/api/hotline/kb/${e.id}`, entry({ title: '占道经营投诉处理', content: '依据《城市市容和环境卫生管理条例》，占道经营由城管部门处理。', kind: '常见问题', keywords: ['城管'] }));
    expect(rev.status).toBe('review');
    expect((await w.ok('disp', 'POST', `/api/hotline/kb/${e.id}/review`, { approve: true })).status).toBe('published');
    const hit = await w.ok('op', 'GET', `/api/hotline/kb/search?q=${encodeURIComponent('市容环境')}`);
    expect(hit.items.map((i: { id: string }) => i.id)).toEqual([e.id]);
  });
});
