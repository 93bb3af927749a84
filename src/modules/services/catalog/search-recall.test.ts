// Recall and precision of the catalog search over the demo pack, for what citizens actually type.
// Relevance is judged by hand (RELEVANT); the same queries are also run the old way (bigrams in a
// row only, over the same vectors, which still hold every bigram) to show what jieba changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../../test/db.js';
import { loadServicesPack, reindexCatalogSearch } from './index.js';
import { bigrams } from './search.js';

const RELEVANT: Record<string, string[]> = {
  办营业执照: ['company-establishment', 'individual-business-registration'],
  生孩子要办什么: ['birth-certificate', 'household-birth-registration', 'resident-medical-insurance-enrolment', 'vaccination-certificate'],
  退休手续: ['retirement-application', 'pension-calculation', 'retiree-medical-insurance', 'housing-fund-retirement-withdrawal'],
  公积金提取: ['housing-fund-retirement-withdrawal', 'housing-fund-rent-withdrawal'],
  身份证丢了: ['resident-id-card'],
  低保怎么申请: ['minimum-living-allowance'],
  结婚登记要带什么: ['marriage-registration'],
  开公司: ['company-establishment'],
  注销公司: ['company-deregistration', 'tax-deregistration'],
  异地就医备案: ['out-of-province-medical-filing'],
  社保卡丢了: ['social-security-card'],
  上户口: ['household-birth-registration'],
  打疫苗: ['vaccination-certificate'],
  领发票: ['invoice-application'],
  个税退税: ['individual-income-tax-settlement'],
  失业金怎么领: ['unemployment-insurance-benefit'],
  办护照: ['ordinary-passport'],
  公积金贷款: ['housing-fund-loan'],
  开饭店: ['food-business-license'],
  医保转移: ['medical-insurance-transfer'],
};

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
  await loadServicesPack(t.core);
});
afterAll(() => t.close());

const search = async (q: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/services/items?division=530102&pageSize=100&q=${encodeURIComponent(q)}` })).json().items.map((i: { key: string }) => i.key) as string[];

// The tokenizer before jieba: each CJK run's bigrams in a row, over the same items in force.
const oldWay = async (q: string) => {
  const runs = q.normalize('NFKC').match(/\p{Script=Han}+/gu) ?? [];
  const tsq = runs.map((r) => ([...r].length === 1 ? `${r}:*` : `(${bigrams(r).join(' <-> ')})`)).join(' & ');
  const r = await sql<{ key: string }>`SELECT i.key FROM svc_item_version v JOIN svc_item i ON i.id = v.item_id
    WHERE v.status = 'published' AND v.division IN ('530102', '530100', '530000') AND v.search @@ to_tsquery('simple', ${tsq})`.execute(t.core.db);
  return [...new Set(r.rows.map((x) => x.key))];
};

function score(results: Record<string, string[]>) {
  let relevantFound = 0, relevant = 0, found = 0;
  for (const [q, keys] of Object.entries(results)) {
    relevant += RELEVANT[q]!.length;
    found += keys.length;
    relevantFound += keys.filter((k) => RELEVANT[q]!.includes(k)).length;
  }
  // What a phone shows first: of the top 3 results (or fewer when fewer are relevant), how many are relevant.
  const top = Object.entries(results).map(([q, keys]) => {
    const n = Math.min(3, RELEVANT[q]!.length, keys.length);
    return n ? keys.slice(0, n).filter((k) => RELEVANT[q]!.includes(k)).length / n : 0;
  });
  return { recall: relevantFound / relevant, precision: found ? relevantFound / found : 0, top3: top.reduce((a, b) => a + b, 0) / top.length };
}

describe('catalog search over the pack, for what citizens type', () => {
  it('finds every relevant item of each query and ranks a relevant one first', async () => {
    const results: Record<string, string[]> = {};
    for (const q of Object.keys(RELEVANT)) results[q] = await search(q);
    const misses = Object.entries(results).flatMap(([q, keys]) => [
      ...RELEVANT[q]!.filter((k) => !keys.includes(k)).map((k) => `${q}: missing ${k}`),
      ...(RELEVANT[q]!.includes(keys[0]!) ? [] : [`${q}: first is ${keys[0]}`]),
    ]);
    expect(misses).toEqual([]);
    const now = score(results);
    const before: Record<string, string[]> = {};
    for (const q of Object.keys(RELEVANT)) before[q] = await oldWay(q);
    const old = score(before);
    console.log(`search over the pack, ${Object.keys(RELEVANT).length} queries: jieba recall ${now.recall.toFixed(2)} precision ${now.precision.toFixed(2)} top-3 precision ${now.top3.toFixed(2)}; bigrams only recall ${old.recall.toFixed(2)} precision ${old.precision.toFixed(2)}`);
    for (const [q, keys] of Object.entries(results)) console.log(q, keys.filter((k) => !RELEVANT[q]!.includes(k)).join(' '));
    expect(now.recall).toBe(1);
    expect(now.recall).toBeGreaterThan(old.recall);
    expect(now.top3).toBe(1);
  });

  it('re-indexes rows stored with the old bigram vectors (what the jieba migration runs), and the trigger still refuses real changes', async () => {
    const ids = (await sql<{ id: string }>`SELECT v.id FROM svc_item_version v JOIN svc_item i ON i.id = v.item_id WHERE i.key = 'company-establishment'`.execute(t.core.db)).rows.map((r) => r.id);
    const id = ids[0]!;
    // As the rows were before the switch: bigrams only (here of the name alone), no keyword copy.
    await sql`UPDATE svc_item_version SET search = to_tsvector('simple', '企业 业设 设立 立登 登记'), search_keywords = '{}' WHERE id = ANY(${ids}::uuid[])`.execute(t.core.db);
    expect(await search('办营业执照')).not.toContain('company-establishment');
    const rows = await reindexCatalogSearch(t.core.db);
    expect(rows).toBeGreaterThanOrEqual(35);
    expect((await search('办营业执照')).slice(0, 2)).toContain('company-establishment');
    await expect(sql`UPDATE svc_item_version SET name = '改名' WHERE id = ${id}`.execute(t.core.db)).rejects.toThrow(/only withdrawing/);
  });
});
