// 一网统管 figures for 政务服务 (GET /api/services/applications/stats): numbers computed in SQL from
// applications this test submits in two counties (五华区 530102 in 昆明市, 麒麟区 530302 in 曲靖市);
// a county clerk sees only their county; outside the scope → 403; bad dates → 400 naming each field.
// Also the workflow counts' display names (GET /api/workflow/counts), which the screen shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../../platform/identity/accounts.js';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { CITIZEN, servicesWorld, type ServicesWorld } from './test-items.js';

let w: ServicesWorld;
let qjApp: { id: string };
const ID = demoResidentId('530102', '19900101', '101');
type Who = Parameters<ServicesWorld['call']>[0];
const AUDITOR = 'auditor' as Who; // province-wide reader (every `.read` permission), added below

async function submit(itemKey: string, division: string, key: string) {
  const file = await w.upload('citizen');
  return w.ok('citizen', 'POST', '/api/services/applications', {
    itemKey, division, idempotencyKey: key, data: { applicant: { name: CITIZEN.name, idNumber: ID, mobile: CITIZEN.mobile }, purpose: '申请测试许可' },
    materials: [{ materialId: 'id-card', fileIds: [file] }, { materialId: 'application', fileIds: [await w.upload('citizen')] }],
  }, 201);
}
const stats = (who: Who, query = '') => w.ok(who, 'GET', `/api/services/applications/stats${query}`);

beforeAll(async () => {
  w = await servicesWorld();
  await w.publish('svc-permit');
  await w.publish('svc-other');
  const a = await createAccount(w.core, { id: 'system:test' }, { type: 'staff', username: 'wf_auditor', name: '省级观察员', division: '530000', roles: ['auditor'], mobile: '13800879999' });
  w.ids.auditor = a.id;
  // Thursday 26 Nov (Beijing): three applications in 五华区, one in 麒麟区.
  const [p1, , o1] = [await submit('svc-permit', '530102', 'stats-0001'), await submit('svc-permit', '530102', 'stats-0002'), await submit('svc-other', '530102', 'stats-0003')];
  qjApp = await submit('svc-permit', '530302', 'stats-0004');
  await w.ok('clerk1', 'POST', `/api/services/applications/${p1.id}/actions/accept`, { comment: '予以受理' });
  // Friday 27 Nov: 不予受理 for the other item — completed that day.
  w.clock.set('2026-11-27T10:00:00+08:00');
  await w.ok('clerk1', 'POST', `/api/services/applications/${o1.id}/actions/reject`, { comment: '不属于本机关职权范围' });
}, 120_000);
afterAll(async () => w?.close());

describe('GET /api/services/applications/stats', () => {
  it('counts per status, day, child division and item over the whole period, for a province-wide reader', async () => {
    const s = await stats(AUDITOR);
    // Defaults: the caller's scope (one top division: 云南省) and the last 30 Beijing days.
    expect(s).toMatchObject({ division: '530000', from: '2026-10-29', to: '2026-11-27', total: 4, open: 3, overdue: 0 });
    expect(s.byStatus).toEqual({ submitted: 2, processing: 1, correction: 0, completed: 1 });
    expect(s.perDay).toHaveLength(30);
    expect(s.perDay.slice(-2)).toEqual([{ day: '2026-11-26', submitted: 4, completed: 0 }, { day: '2026-11-27', submitted: 0, completed: 1 }]);
    expect(s.perDay.slice(0, -2).every((d: { submitted: number; completed: number }) => d.submitted === 0 && d.completed === 0)).toBe(true);
    expect(s.topItems).toEqual([{ itemKey: 'svc-permit', name: '测试事项 svc-permit', count: 3 }, { itemKey: 'svc-other', name: '测试事项 svc-other', count: 1 }]);
    // Drill-down bars: every prefecture of the province, with its own figures.
    const byCode = Object.fromEntries(s.byDivision.map((d: { division: string }) => [d.division, d]));
    expect(s.byDivision.length).toBeGreaterThanOrEqual(16);
    expect(byCode['530100']).toEqual({ division: '530100', name: '昆明市', level: 'prefecture', total: 3, open: 2, completed: 1, overdue: 0 });
    expect(byCode['530300']).toMatchObject({ name: '曲靖市', total: 1, open: 1, completed: 0 });
    expect(s.byDivision.filter((d: { total: number }) => d.total > 0)).toHaveLength(2);

    // 昆明市 → its counties; a county has no further level.
    const km = await stats(AUDITOR, '?division=530100');
    expect(km).toMatchObject({ division: '530100', total: 3, byStatus: { submitted: 1, processing: 1, correction: 0, completed: 1 } });
    expect(km.byDivision.find((d: { division: string }) => d.division === '530102')).toMatchObject({ name: '五华区', level: 'county', total: 3, open: 2 });
    expect(km.byDivision.every((d: { level: string }) => d.level === 'county')).toBe(true);
    const wh = await stats(AUDITOR, '?division=530102&from=2026-11-26&to=2026-11-26');
    expect(wh).toMatchObject({ division: '530102', total: 3, byDivision: [], perDay: [{ day: '2026-11-26', submitted: 3, completed: 0 }] });
    // Completions count on the day they happen: the 27th had no submission but one completion.
    expect(await stats(AUDITOR, '?division=530102&from=2026-11-27&to=2026-11-27')).toMatchObject({ total: 0, topItems: [], perDay: [{ day: '2026-11-27', submitted: 0, completed: 1 }] });
  });

  it('limits a county clerk to their own county and refuses a division outside it with 403', async () => {
    const qj = await stats('qj_clerk');
    expect(qj).toMatchObject({ division: '530302', total: 1, open: 1, byStatus: { submitted: 1, processing: 0, correction: 0, completed: 0 }, byDivision: [] });
    expect(qj.topItems).toEqual([{ itemKey: 'svc-permit', name: '测试事项 svc-permit', count: 1 }]);
    expect(await stats('clerk1')).toMatchObject({ division: '530102', total: 3 });
    for (const division of ['530302', '530100', '530000']) {
      const r = await w.call('clerk1', 'GET', `/api/services/applications/stats?division=${division}`);
      expect(r.statusCode).toBe(403);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    }
    // A resident may not read figures at all.
    expect((await w.call('citizen', 'GET', '/api/services/applications/stats')).statusCode).toBe(403);
  });

  it('answers 400 naming each bad field, in Chinese: not a date, from after to, over 366 days, unknown division', async () => {
    const bad = async (query: string) => {
      const r = await w.call(AUDITOR, 'GET', `/api/services/applications/stats${query}`);
      expect(r.statusCode, r.body).toBe(400);
      return (r.json().errors as Array<{ pointer: string; message: string }>);
    };
    const both = await bad('?from=2026-02-30&to=2026-13-01');
    expect(both.map((e) => e.pointer)).toEqual(['/query/from', '/query/to']);
    expect(both[0]!.message).toBe('开始日期须为有效日期（YYYY-MM-DD）');
    expect(both[1]!.message).toBe('结束日期须为有效日期（YYYY-MM-DD）');
    expect(await bad('?from=2026-11-27&to=2026-11-01')).toEqual([expect.objectContaining({ pointer: '/query/to', code: 'range', message: '结束日期不能早于开始日期' })]);
    expect(await bad('?from=2025-11-26&to=2026-11-27')).toEqual([expect.objectContaining({ pointer: '/query/to', code: 'range', message: '统计期间最长 366 天' })]);
    expect((await stats(AUDITOR, '?from=2025-11-27&to=2026-11-27')).perDay).toHaveLength(366);
    expect((await bad('?division=539999&from=x')).map((e) => e.pointer)).toEqual(['/query/division', '/query/from']);
  });

  it('counts open applications past their overall deadline as overdue (not those in 补正)', async () => {
    // 麒麟区's application goes to 补正: its clock stands still, so it is open but never overdue.
    await w.ok('qj_clerk', 'POST', `/api/services/applications/${qjApp.id}/actions/request_correction`, { comment: '请补充材料', corrections: [{ materialId: 'application', note: '申请书未签名' }] });
    w.clock.set('2026-12-20T10:00:00+08:00'); // the 10-working-day limit of the 26 Nov applications has passed
    try {
      const s = await stats(AUDITOR);
      expect(s).toMatchObject({ total: 4, open: 3, overdue: 2, byStatus: { submitted: 1, processing: 1, correction: 1, completed: 1 } });
      expect(s.byDivision.find((d: { division: string }) => d.division === '530100')).toMatchObject({ open: 2, overdue: 2 });
      expect(s.byDivision.find((d: { division: string }) => d.division === '530300')).toMatchObject({ open: 1, overdue: 0 });
    } finally {
      w.clock.set('2026-11-27T10:00:00+08:00');
    }
  });
});

describe('GET /api/workflow/counts', () => {
  it('names the workflow and each state from the published definition, in zh-CN and en', async () => {
    const { items } = await w.ok('clerk1', 'GET', '/api/workflow/counts?division=530102&key=svc.test-approval');
    expect(items).toEqual([
      { key: 'svc.test-approval', state: 'review', open: 1, overdue: 0, workflowName: { 'zh-CN': '测试审批流程', en: 'Test approval' }, stateName: { 'zh-CN': '审查', en: 'Review' } },
      { key: 'svc.test-approval', state: 'submitted', open: 1, overdue: 0, workflowName: { 'zh-CN': '测试审批流程', en: 'Test approval' }, stateName: { 'zh-CN': '待受理', en: 'Awaiting acceptance' } },
    ]);
  });
});
