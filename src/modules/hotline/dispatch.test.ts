// 派单建议: a naive-Bayes model trained on answered orders, configured rules first, suggestions
// limited to units the dispatcher may use, and held-out accuracy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';
import { rank, train } from './bayes.js';

let w: World;
beforeAll(async () => { w = await makeWorld(); });
afterAll(async () => { await w?.close(); });

const WATER = ['小区停水两天了', '自来水水压太低', '水管爆裂漫到路上', '水费收费不合理', '停水没有提前通知', '水质发黄有异味', '供水管道漏水', '楼上没有水'];
const ROAD = ['路灯不亮很危险', '道路坑洼积水', '井盖缺失', '人行道砖松动', '路面开裂', '路灯白天也亮着', '道路施工没有围挡', '桥面破损'];

/** Past answered orders, written as the lifecycle leaves them (a factory for training data). */
async function history(n: number) {
  const now = w.clock.now();
  for (let i = 0; i < n; i++) {
    const water = i % 2 === 0;
    const text = (water ? WATER : ROAD)[Math.floor(i / 2) % 8]!;
    await w.core.db.insertInto('hotline_order').values({
      number: `RXT-${i}`, division: '530102', channel: 'phone', demand_type: '投诉', category_code: water ? '120101' : '010201', category_path: water ? '水电气讯/供水/停水' : '城乡建设/市政设施/道路破损',
      title: text, content: `${text}，请尽快处理（第${i}件）`, urgency: 'normal', caller_name_enc: null, caller_name_masked: null, caller_phone_enc: null, caller_phone_bidx: null, caller_phone_masked: null,
      anonymous: false, address: null, lat: null, lng: null, status: 'closed', refusal_code: null, refusal_note: null, instance_id: null, unit_department_id: w.units[water ? 'HL-WATER' : 'HL-ROAD'],
      signed_at: now, replied_at: now, reply: '已处理', closed_at: now, satisfaction: 'satisfied', merged_into: null, due_at: now, time_limit: '{}', transfer_type: null, police_case_no: null,
      applicant: null, created_by: 'test:factory', idempotency_key: null, request_hash: null, created_at: now, updated_at: now,
    }).execute();
  }
}

describe('naive Bayes', () => {
  it('ranks the label whose words the document shares', () => {
    const m = train([{ features: ['停水', '水管'], label: 'water' }, { features: ['路灯', '道路'], label: 'road' }]);
    const r = rank(m, ['水管', '未知']);
    expect(r[0]!.label).toBe('water');
    expect(r.reduce((s, x) => s + x.probability, 0)).toBeCloseTo(1);
  });
});

describe('dispatch suggestions', () => {
  it('suggests the unit that answered similar orders, puts a rule first, and reports held-out accuracy', async () => {
    await history(80);
    const { order } = await w.intake({ content: '我们楼停水了，水管好像爆了', categoryCode: '120101' });
    const s = await w.ok('disp', 'GET', `/api/hotline/orders/${order.id}/dispatch-suggestions`);
    expect(s.trainedOn).toBe(80);
    expect(s.items[0]).toMatchObject({ departmentId: w.units['HL-WATER'], source: 'model' });
    expect(s.items[0].probability).toBeGreaterThan(0.9);
    expect(s.items.map((i: { departmentId: string }) => i.departmentId)).not.toContain(w.units['HL-QJ']);

    const bad = await w.call('admin', 'PUT', '/api/hotline/dispatch-rules', { division: '530102', categoryPrefix: '99', departmentId: 'x' });
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/categoryPrefix', '/body/departmentId']);
    await w.ok('admin', 'PUT', '/api/hotline/dispatch-rules', { division: '530102', categoryPrefix: '1201', departmentId: w.units['HL-ROAD'] });
    const ruled = await w.ok('disp', 'GET', `/api/hotline/orders/${order.id}/dispatch-suggestions`);
    expect(ruled.items.slice(0, 2)).toEqual([
      expect.objectContaining({ departmentId: w.units['HL-ROAD'], source: 'rule', probability: null }),
      expect.objectContaining({ departmentId: w.units['HL-WATER'], source: 'model' }),
    ]);
    expect((await w.call('op', 'GET', `/api/hotline/orders/${order.id}/dispatch-suggestions`)).statusCode).toBe(403);
    expect((await w.call('disp_qj', 'GET', `/api/hotline/orders/${order.id}/dispatch-suggestions`)).statusCode).toBe(404);

    const acc = await w.ok('disp', 'GET', '/api/hotline/dispatch-model/accuracy?division=530102');
    expect(acc.tested).toBeGreaterThan(5);
    expect(acc.trained + acc.tested).toBe(80);
    expect(acc.top1).toBeGreaterThanOrEqual(0.9);
    expect((await w.call('disp', 'GET', '/api/hotline/dispatch-model/accuracy?division=530302')).statusCode).toBe(403);
  });
});
