// Every other path through the API: 补正 pausing the clock across 国庆 2026, 不予受理, 不予许可
// (reasons + legal basis), withdraw, counter applications, 收受分离, and division isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { CITIZEN, servicesWorld, type ServicesWorld } from './test-items.js';

let w: ServicesWorld;
const ID = demoResidentId('530102', '19900101', '101');
const data = { applicant: { name: CITIZEN.name, idNumber: ID, mobile: CITIZEN.mobile }, purpose: '申请测试许可' };
let n = 0;

beforeAll(async () => {
  // Wed 30 Sep 2026, just before the National Day holiday (1–7 Oct off, Sat 10 Oct a make-up working day).
  w = await servicesWorld({ clock: '2026-09-30T09:00:00+08:00' });
  await w.publish('svc-permit');
});
afterAll(async () => w?.close());

const clock = () => w.core.clock as ManualClock;
async function apply(o: Record<string, unknown> = {}, who: 'citizen' | 'clerk1' | 'qj_clerk' = 'citizen', url = '/api/services/applications') {
  const file = await w.upload(who);
  return w.ok(who, 'POST', url, { itemKey: 'svc-permit', division: '530102', data, idempotencyKey: `paths-${++n}-key`, materials: [{ materialId: 'id-card', fileIds: [file] }, { materialId: 'application', fileIds: [file] }], ...o }, 201);
}
const act = (who: Parameters<ServicesWorld['call']>[0], id: string, action: string, body: Record<string, unknown> = {}) => w.call(who, 'POST', `/api/services/applications/${id}/actions/${action}`, body);
const types = async (id: string) => (await w.core.db.selectFrom('outbox').select('type').where('aggregate_id', '=', id).where('type', 'like', 'services.application.%').orderBy('seq').execute()).map((e) => e.type);

describe('补正', () => {
  it('lists every item, pauses the clock across the holiday, and resumes on resubmission', async () => {
    const app = await apply();
    expect((await act('clerk1', app.id, 'accept')).statusCode).toBe(200);
    let view = await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`);
    // Ten working days from Wed 30 Sep: 8, 9, 10 (make-up Saturday), 12–16, 19, 20 Oct.
    expect(view.case.dueAt).toBe('2026-10-20T15:59:59.999Z');

    const none = await act('approverA', app.id, 'request_correction', { comment: '材料不全' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/corrections']);
    const corr = await act('approverA', app.id, 'request_correction', { comment: '请补正以下材料', corrections: [{ materialId: 'application', note: '申请书未签字' }, { field: '/purpose', note: '申请事由不具体' }] });
    expect(corr.json()).toMatchObject({ status: 'correction', state: 'correction' });
    view = await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`);
    expect(view.case.paused).toBe(true);
    expect(view.case.corrections).toHaveLength(2);
    const msg = (await w.ok('citizen', 'GET', '/api/notify/inbox?limit=50')).items.find((m: { body: string }) => m.body.includes(app.number) && m.body.includes('申请书未签字'));
    expect(msg).toBeTruthy();

    // Paused from Wed 30 Sep to Fri 9 Oct: every date from the notice to the resubmission is left
    // out (自发出补正通知之日起至收到补正材料之日止), so the working days 8 and 9 Oct are given back and
    // the holiday itself was never counted: 10 (make-up), 12–16, 19–22 Oct.
    clock().set('2026-10-09T10:00:00+08:00');
    const file = await w.upload('citizen');
    const back = await act('citizen', app.id, 'resubmit', { comment: '已补正', attachments: [file] });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ status: 'processing', state: 'review' });
    view = await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`);
    expect(view.case.paused).toBe(false);
    expect(view.case.dueAt).toBe('2026-10-22T15:59:59.999Z');
    expect(await types(app.id)).toEqual(['services.application.submitted', 'services.application.accepted', 'services.application.correction-requested', 'services.application.resubmitted']);
    clock().set('2026-09-30T09:00:00+08:00');
  });
});

describe('decisions', () => {
  it('不予受理 needs a reason, then ends the application as rejected', async () => {
    const app = await apply();
    const bare = await act('clerk1', app.id, 'reject', {});
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors[0]).toMatchObject({ pointer: '/body/comment', code: 'required' });
    const r = await act('clerk1', app.id, 'reject', { comment: '不属于本部门职权范围' });
    expect(r.json()).toMatchObject({ status: 'completed', outcome: 'rejected' });
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`)).result).toEqual({ reasons: '不属于本部门职权范围' });
    expect(await types(app.id)).toEqual(['services.application.submitted', 'services.application.rejected', 'services.application.completed']);
  });

  it('不予许可 needs the reasons and the legal basis (both listed at once), and stores them', async () => {
    const app = await apply();
    await act('clerk1', app.id, 'accept');
    const bare = await w.call('approverA', 'POST', `/api/services/applications/${app.id}/actions/refuse`, {}, );
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/comment', '/body/legalBasis']);
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`)).state).toBe('review');
    const r = await act('approverA', app.id, 'refuse', { comment: '申请人不符合许可条件', legalBasis: '《测试条例》第十条' });
    expect(r.json()).toMatchObject({ status: 'completed', outcome: 'refused' });
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`)).result).toEqual({ reasons: '申请人不符合许可条件', legalBasis: '《测试条例》第十条' });
  });

  it('the applicant withdraws; nobody else can', async () => {
    const app = await apply();
    expect((await act('stranger', app.id, 'withdraw')).statusCode).toBe(404);
    expect((await act('clerk1', app.id, 'withdraw')).statusCode).toBe(403);
    const r = await act('citizen', app.id, 'withdraw', { comment: '不再需要' });
    expect(r.json()).toMatchObject({ status: 'completed', outcome: 'withdrawn' });
    expect((await act('clerk1', app.id, 'accept')).statusCode).toBe(409);
    expect(await types(app.id)).toEqual(['services.application.submitted', 'services.application.withdrawn', 'services.application.completed']);
  });
});

describe('counter and 收受分离', () => {
  it('a window clerk enters a counter application for a person by resident ID; it runs in the same flow', async () => {
    const bad = await w.call('clerk1', 'POST', '/api/services/applications/counter', { itemKey: 'svc-permit', division: '530102', data, idempotencyKey: 'counter-bad-1', materials: [], applicantIdNumber: '530102199001011234' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].pointer).toBe('/body/applicantIdNumber');
    const app = await apply({ applicantIdNumber: ID }, 'clerk1', '/api/services/applications/counter');
    expect(app).toMatchObject({ channel: 'counter', status: 'submitted' });
    // The person it is for sees it in their own list and may follow it; the citizen cannot use the counter route.
    expect((await w.ok('citizen', 'GET', '/api/services/applications/mine')).items.map((a: { id: string }) => a.id)).toContain(app.id);
    expect((await w.call('citizen', 'POST', '/api/services/applications/counter', { itemKey: 'svc-permit', division: '530102', data, idempotencyKey: 'counter-by-citizen', materials: [], applicantIdNumber: ID })).statusCode).toBe(403);
    expect((await act('clerk2', app.id, 'accept')).json()).toMatchObject({ status: 'processing' });
  });

  it('accepted in 麒麟区 (曲靖), handled in 五华区 (昆明): both see it, only the handling division acts', async () => {
    const app = await apply({ applicantIdNumber: ID, division: '530302', handlingDivision: '530102' }, 'qj_clerk', '/api/services/applications/counter');
    expect(app).toMatchObject({ division: '530302', handlingDivision: '530102' });
    const inst = await w.core.db.selectFrom('wf_instance').select('division').where('id', '=', app.instanceId).executeTakeFirstOrThrow();
    expect(inst.division).toBe('530102');
    expect((await w.call('qj_clerk', 'GET', `/api/services/applications/${app.id}`)).statusCode).toBe(200);
    expect((await w.call('clerk1', 'GET', `/api/services/applications/${app.id}`)).statusCode).toBe(200);
    expect((await act('qj_clerk', app.id, 'accept')).statusCode).toBe(403);
    expect((await act('clerk1', app.id, 'accept')).statusCode).toBe(200);
    // Both offices list it; the Qujing list holds nothing else of Kunming's.
    const qjList = (await w.ok('qj_clerk', 'GET', '/api/services/applications?limit=100')).items as Array<{ id: string; division: string }>;
    expect(qjList.map((a) => a.id)).toContain(app.id);
    expect(qjList.every((a) => a.division === '530302')).toBe(true);
    expect((await w.ok('clerk1', 'GET', '/api/services/applications?channel=counter&limit=100')).items.map((a: { id: string }) => a.id)).toContain(app.id);
    // A Kunming clerk cannot receive counter applications in Qujing.
    const foreign = await w.call('clerk1', 'POST', '/api/services/applications/counter', { itemKey: 'svc-permit', division: '530302', data, idempotencyKey: 'counter-foreign', materials: [], applicantIdNumber: ID });
    expect(foreign.statusCode).toBe(403);
  });

  it('a Qujing clerk cannot see or act on a Kunming application by any route', async () => {
    const app = await apply();
    const routes = [
      await w.call('qj_clerk', 'GET', `/api/services/applications/${app.id}`),
      await act('qj_clerk', app.id, 'accept'),
      await act('qj_approver', app.id, 'accept'),
      await w.call('qj_clerk', 'GET', `/api/workflow/instances/${app.instanceId}`),
      await w.call('qj_clerk', 'POST', `/api/workflow/instances/${app.instanceId}/actions/accept`, {}),
    ];
    expect(routes.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404]);
    expect((await w.ok('qj_clerk', 'GET', '/api/services/applications?limit=100')).items.map((a: { id: string }) => a.id)).not.toContain(app.id);
    expect((await w.ok('clerk1', 'GET', '/api/services/applications?limit=100')).items.map((a: { id: string }) => a.id)).toContain(app.id);
    expect((await w.call('citizen', 'GET', '/api/services/applications')).statusCode).toBe(403);
    const files = (await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`)).materials[0].fileIds;
    expect((await w.call('qj_clerk', 'GET', `/api/files/${files[0]}`)).statusCode).toBe(404);
    expect((await w.ok('qj_clerk', 'GET', '/api/workflow/tasks?view=department')).items.map((t: { instanceId: string }) => t.instanceId)).not.toContain(app.instanceId);
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`)).state).toBe('submitted');
  });
});
