// The pack's generic workflows run on the real engine with real accounts and roles (the workflow
// engine's test world in 五华区): every item of the pack refers to one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../../../platform/workflow/fixtures/world.js';
import { getItemVersion, loadServicesPack } from './index.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
  await loadServicesPack(w.core);
});
afterAll(() => w.close());

const start = async (itemKey: string) => {
  const item = (await getItemVersion(w.core.db, { key: itemKey, division: '530102' }))!;
  return w.ok('clerk1', 'POST', '/api/workflow/instances', { key: item.workflowKey, division: '530102', data: { applicant: { name: '张三' } }, applicant: w.ids.citizen }, 201);
};
const act = async (who: Parameters<World['call']>[0], id: string, action: string, body: Record<string, unknown> = {}, status = 200) => {
  const r = await w.call(who, 'POST', `/api/workflow/instances/${id}/actions/${action}`, body);
  expect(r.statusCode, `${action} as ${who}: ${r.body}`).toBe(status);
  return r.json();
};

describe('the pack workflows', () => {
  it('svc.instant: the window clerk completes a 即办件 on the spot', async () => {
    const c = await start('marriage-registration');
    expect(c.state).toBe('submitted');
    expect((await act('clerk1', c.id, 'complete')).state).toBe('completed');
  });

  it('svc.promised-1: 补正 (listed, clock paused) → resubmit → 受理 → 审批 → 办结; 不予受理 needs a reason', async () => {
    const c = await start('company-establishment');
    await act('clerk1', c.id, 'request_correction', { comment: '请补充公司章程' }, 400);
    const paused = await act('clerk1', c.id, 'request_correction', { comment: '一次性告知', data: { corrections: [{ material: 'articles', reason: '缺少全体股东签字' }] } });
    expect(paused.state).toBe('correction');
    expect((await act('citizen', c.id, 'resubmit')).state).toBe('submitted');
    expect((await act('clerk1', c.id, 'accept')).state).toBe('review');
    expect((await act('approverA', c.id, 'approve')).state).toBe('approved');
    const other = await start('company-establishment');
    await act('clerk1', other.id, 'reject', {}, 400);
    expect((await act('clerk1', other.id, 'reject', { comment: '不属于本机关职权范围' })).state).toBe('rejected');
  });

  it('svc.promised-2: two approval levels, and the applicant may withdraw before the decision', async () => {
    const c = await start('retirement-application');
    await act('clerk1', c.id, 'accept');
    expect((await act('approverA', c.id, 'pass_review', { comment: '材料齐全，符合条件' })).state).toBe('decision');
    expect((await act('citizen', c.id, 'withdraw')).state).toBe('withdrawn');
  });

  it('svc.countersign: every countersigner must agree; one disagreement refuses', async () => {
    // 商品房预售许可 is not implemented in 五华区, so it resolves through 昆明市 only.
    expect(await getItemVersion(w.core.db, { key: 'commodity-housing-presale-permit', division: '530102' })).toBeNull();
    const { workflowKey } = (await getItemVersion(w.core.db, { key: 'commodity-housing-presale-permit', division: '530100' }))!;
    const open = async () => {
      const c = await w.ok('clerk1', 'POST', '/api/workflow/instances', { key: workflowKey, division: '530102', data: {}, applicant: w.ids.citizen }, 201);
      await act('clerk1', c.id, 'accept');
      expect((await act('approverA', c.id, 'to_countersign')).state).toBe('countersign');
      return c.id as string;
    };
    const agreed = await open();
    expect((await act('approverB', agreed, 'cs_approve')).state).toBe('countersign');
    expect((await act('km_admin', agreed, 'cs_approve')).state).toBe('approved');
    const refused = await open();
    expect((await act('approverB', refused, 'cs_approve')).state).toBe('countersign');
    expect((await act('km_admin', refused, 'cs_reject', { comment: '预售资金监管方案不符合要求' })).state).toBe('refused');
  });
});
