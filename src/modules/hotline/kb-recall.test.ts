// Knowledge search over the demo knowledge base (kb-demo.ts) for what citizens actually say on the
// phone: every relevant entry is found and one of them comes first. Printed beside the old way
// (character bigrams, any of them) on the same rows, which finds as much but buries it in noise.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigrams } from '../../platform/search/index.js';
import { makeWorld, type World } from './test-world.js';
import { DEMO_KB, loadDemoKb } from './kb-demo.js';

let w: World;
beforeAll(async () => { w = await makeWorld(); await loadDemoKb(w.core); });
afterAll(async () => { await w?.close(); });

// Query → the demo entries (keys) an operator would want to read out.
const RELEVANT: Record<string, string[]> = {
  '公积金怎么取出来': ['hpf-withdraw'],
  '怎么提取公积金': ['hpf-withdraw'],
  '用公积金贷款买房': ['hpf-loan'],
  '小孩出生了怎么上户口': ['newborn-hukou'],
  '身份证丢了怎么办': ['id-card-lost'],
  '办护照要多久': ['passport'],
  '在外地看病报销': ['medical-remote'],
  '退休金要每年认证吗': ['pension-cert'],
  '失业金怎么领': ['unemployment'],
  '老板拖欠工资不给': ['wage-arrears'],
  '家里停水了': ['water-outage'],
  '家里停电了': ['power-outage'],
  '闻到煤气味怎么办': ['gas-leak'],
  '晚上施工太吵睡不着': ['night-noise'],
  '门口有人摆摊占道': ['street-vendor'],
  '物业乱收费': ['property-fee'],
  '在饭店吃坏肚子': ['food-safety'],
  '网购退货商家不给退款': ['consumer'],
  '开个体户要办营业执照': ['business-license'],
  '结婚登记要带什么': ['marriage'],
  '低保怎么申请': ['dibao'],
  '老人高龄补贴': ['elderly-allowance'],
  '残疾人补贴': ['disability'],
  '孩子上小学报名': ['school-enrol'],
  '出租车拒载': ['taxi'],
  '公交站点太远': ['bus'],
  '马路坑洼井盖没了': ['pothole'],
  '垃圾好几天没人收': ['garbage'],
  '社保卡丢了': ['ss-card'],
  '带孩子打疫苗': ['vaccine'],
};

const keyOf = new Map(DEMO_KB.map((d) => [d.title, d.key]));

async function search(q: string): Promise<string[]> {
  const r = await w.ok('op', 'GET', `/api/hotline/kb/search?q=${encodeURIComponent(q)}&limit=50`);
  return r.items.map((i: { title: string }) => keyOf.get(i.title)!);
}

/** The old way, on the same rows: character bigrams of title, keywords and content, any one of the query's. */
async function oldWay(q: string): Promise<string[]> {
  const grams = (s: string) => s.split(/[^\p{Script=Han}\p{L}\p{N}]+/u).flatMap((r) => (r ? bigrams(r) : [])).join(' ');
  const query = [...new Set(grams(q).split(' '))].join(' | ');
  const docs = await sql<{ title: string; keywords: string[]; content: string }>`SELECT title, keywords, content FROM hotline_kb_entry`.execute(w.core.db);
  const hits: Array<{ title: string; rank: number }> = [];
  for (const d of docs.rows) {
    const r = await sql<{ rank: number | null }>`SELECT CASE WHEN v @@ to_tsquery('simple', ${query}) THEN ts_rank(v, to_tsquery('simple', ${query})) END AS rank
      FROM (SELECT setweight(to_tsvector('simple', ${grams(d.title)}), 'A') || setweight(to_tsvector('simple', ${grams(d.keywords.join(' '))}), 'B') || to_tsvector('simple', ${grams(d.content)}) AS v) x`.execute(w.core.db);
    if (r.rows[0]!.rank !== null) hits.push({ title: d.title, rank: Number(r.rows[0]!.rank) });
  }
  return hits.sort((a, b) => b.rank - a.rank).map((h) => keyOf.get(h.title)!);
}

function score(results: Record<string, string[]>) {
  let relevant = 0; let relevantFound = 0; let found = 0; let first = 0;
  for (const [q, keys] of Object.entries(results)) {
    relevant += RELEVANT[q]!.length;
    relevantFound += RELEVANT[q]!.filter((k) => keys.includes(k)).length;
    found += keys.length;
    if (RELEVANT[q]!.includes(keys[0]!)) first++;
  }
  return { recall: relevantFound / relevant, precision: found ? relevantFound / found : 0, first: first / Object.keys(results).length };
}

describe('knowledge search over the demo knowledge base, for what callers say', () => {
  it('finds the entry for every question and ranks it first, with far less noise than bigrams', async () => {
    const results: Record<string, string[]> = {};
    for (const q of Object.keys(RELEVANT)) results[q] = await search(q);
    const misses = Object.entries(results).flatMap(([q, keys]) => [
      ...RELEVANT[q]!.filter((k) => !keys.includes(k)).map((k) => `${q}: missing ${k}`),
      ...(keys.length && RELEVANT[q]!.includes(keys[0]!) ? [] : [`${q}: first is ${keys[0]}`]),
    ]);
    const before: Record<string, string[]> = {};
    for (const q of Object.keys(RELEVANT)) before[q] = await oldWay(q);
    const now = score(results);
    const old = score(before);
    console.log(`knowledge search, ${DEMO_KB.length} entries, ${Object.keys(RELEVANT).length} questions: jieba recall ${now.recall.toFixed(2)} precision ${now.precision.toFixed(2)} first-hit ${now.first.toFixed(2)}; bigrams (any) recall ${old.recall.toFixed(2)} precision ${old.precision.toFixed(2)} first-hit ${old.first.toFixed(2)}`);
    for (const [q, keys] of Object.entries(results)) console.log(q, '→', keys.join(' '));
    expect(misses).toEqual([]);
    expect(now.recall).toBe(1);
    expect(now.first).toBe(1);
    expect(now.precision).toBeGreaterThan(old.precision);
  });

  it('keeps highlights on the words that matched, synonyms included', async () => {
    const r = await w.ok('op', 'GET', `/api/hotline/kb/search?q=${encodeURIComponent('身份证丢了怎么办')}`);
    // 补领 is one of the official words for 丢了 (packs/search/synonyms.txt).
    expect(r.items[0].titleHighlight).toBe('居民<em>身份证丢失补领</em>');
    const s = await w.ok('op', 'GET', `/api/hotline/kb/suggest?q=${encodeURIComponent('公积金')}`);
    expect(s.items.map((i: { title: string }) => i.title)).toEqual(expect.arrayContaining(['住房公积金提取办事指南', '住房公积金个人住房贷款申请条件']));
    expect(s.items[0].titleHighlight).toContain('<em>公积金</em>');
  });
});
