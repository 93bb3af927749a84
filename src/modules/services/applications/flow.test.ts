// Journeys through the API: online submit → 受理 → 审查 → 审批 → 办结 (approved, with a result),
// notifications and events at every step, the applicant's list, the detail, public tracking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { CITIZEN, servicesWorld, type ServicesWorld } from './test-items.js';

let w: ServicesWorld;
const ID = demoResidentId('530102', '19900101', '101');
const data = { applicant: { name: CITIZEN.name, idNumber: ID, mobile: CITIZEN.mobile }, purpose: '申请测试许可' };

beforeAll(async () => {
  w = await servicesWorld();
  await w.publish('svc-permit');
});
afterAll(async () => w?.close());

const events = async (id: string) => (await w.core.db.selectFrom('outbox').select(['type', 'payload']).where('aggregate_id', '=', id).where('type', 'like', 'services.application.%').orderBy('seq').execute());
const inbox = async () => (await w.ok('citizen', 'GET', '/api/notify/inbox?limit=50')).items as Array<{ subject: string; body: string }>;

describe('online application, approved', () => {
  it('prefills, submits with uploaded and e-license materials, and goes 受理 → 审查 → 审批 → 办结 with a result', async () => {
    const pre = await w.ok('citizen', 'GET', '/api/services/applications/prefill?itemKey=svc-permit&division=530102');
    expect(pre.data.applicant).toMatchObject({ name: '张三', idNumber: ID, mobile: CITIZEN.mobile });
    expect(pre.item.materials.map((m: { id: string }) => m.id)).toEqual(['id-card', 'application', 'photo']);

    const file = await w.upload('citizen');
    const body = { itemKey: 'svc-permit', division: '530102', data: { ...pre.data, purpose: '申请测试许可' }, idempotencyKey: 'apply-0001', materials: [
      { materialId: 'id-card', license: { type: '11100000000013127D002', id: '1.2.156.3005.2.11100000000013127D002.11530102MB0000000X.530102199001011012.001.X' } },
      { materialId: 'application', fileIds: [file] },
    ] };
    const app = await w.ok('citizen', 'POST', '/api/services/applications', body, 201);
    expect(app).toMatchObject({ itemKey: 'svc-permit', division: '530102', handlingDivision: '530102', channel: 'online', status: 'submitted', state: 'submitted', outcome: null });
    expect(app.number).toMatch(/^YN530102-\d{8}-000001$/);
    // The uploaded file now belongs to the case: the clerk who handles it may read it.
    const f = await w.call('clerk1', 'GET', `/api/files/${file}`);
    expect(f.statusCode).toBe(200);

    await w.ok('clerk1', 'POST', `/api/services/applications/${app.id}/actions/accept`, { comment: '材料齐全，予以受理' });
    const passed = await w.ok('approverA', 'POST', `/api/services/applications/${app.id}/actions/pass`, { comment: '审查通过' });
    expect(passed).toMatchObject({ status: 'processing', state: 'leader_review' });
    // 准予 needs a result: refused without one, nothing moves.
    const bare = await w.call('approverD2', 'POST', `/api/services/applications/${app.id}/actions/approve`, {});
    expect(bare.statusCode).toBe(400);
    expect(bare.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/result']);
    const resultFile = await w.upload('approverD2', 'pdf', '许可决定书.pdf');
    const done = await w.ok('approverD2', 'POST', `/api/services/applications/${app.id}/actions/approve`, { comment: '准予许可', result: { fileId: resultFile, text: '准予测试许可，有效期三年' } });
    expect(done).toMatchObject({ status: 'completed', outcome: 'approved', state: 'approved' });

    const view = await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`);
    expect(view.result).toEqual({ fileId: resultFile, text: '准予测试许可，有效期三年' });
    expect(view.case.history.map((h: { action: string | null }) => h.action)).toEqual([null, 'accept', 'pass', 'approve']);
    // The applicant can download the result document (it is attached to their case).
    expect((await w.call('citizen', 'GET', `/api/files/${resultFile}`)).statusCode).toBe(200);

    const ev = await events(app.id);
    expect(ev.map((e) => e.type)).toEqual(['services.application.submitted', 'services.application.accepted', 'services.application.transitioned', 'services.application.approved', 'services.application.completed']);
    expect(ev.at(-1)!.payload).toEqual({
      id: app.id, number: app.number, itemKey: 'svc-permit', itemName: '测试事项 svc-permit', division: '530102', handlingDivision: '530102', departmentCode: 'WF-D1',
      applicant: `user:${w.ids.citizen}`, channel: 'online', outcome: 'approved', completedAt: expect.any(String),
    });
    const msgs = (await inbox()).filter((m) => m.body.includes(app.number));
    expect(msgs.length).toBe(4); // submitted, accepted, review passed, approved: one per step
    expect(msgs.some((m) => m.body.includes('已办结（准予）'))).toBe(true);

    // Contract for the other parts.
    const { getApplication } = await import('./index.js');
    expect(await getApplication(w.core.db, app.id)).toMatchObject({ id: app.id, status: 'completed', outcome: 'approved', channel: 'online', instanceId: app.instanceId });

    const mine = await w.ok('citizen', 'GET', '/api/services/applications/mine');
    expect(mine.items.map((a: { id: string }) => a.id)).toContain(app.id);
    expect((await w.ok('stranger', 'GET', '/api/services/applications/mine')).items).toEqual([]);

    // Public tracking: number + the applicant's mobile → status only; any wrong pair is the same 404.
    const t = await w.app.inject({ method: 'GET', url: `/api/services/track?number=${app.number}&mobile=${CITIZEN.mobile}` });
    expect(t.statusCode).toBe(200);
    expect(t.json()).toMatchObject({ number: app.number, status: 'completed', outcome: 'approved', statusText: '已办结（准予）' });
    expect(t.body).not.toContain('张三');
    expect(t.body).not.toContain(CITIZEN.mobile);
    const wrong = await w.app.inject({ method: 'GET', url: `/api/services/track?number=${app.number}&mobile=13900000000` });
    const unknown = await w.app.inject({ method: 'GET', url: `/api/services/track?number=YN530102-20200101-000001&mobile=${CITIZEN.mobile}` });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('answers a double submit with the same application, and a reused key with a different body with 409', async () => {
    const file = await w.upload('citizen');
    const body = { itemKey: 'svc-permit', division: '530102', data, idempotencyKey: 'apply-dup-1', materials: [{ materialId: 'id-card', fileIds: [file] }, { materialId: 'application', fileIds: [file] }] };
    const ok = body;
    const a = await w.ok('citizen', 'POST', '/api/services/applications', ok, 201);
    const again = await w.ok('citizen', 'POST', '/api/services/applications', ok, 200);
    expect(again.id).toBe(a.id);
    const conflict = await w.call('citizen', 'POST', '/api/services/applications', { ...ok, data: { ...data, purpose: '另一个事由' } });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await w.core.db.selectFrom('svc_application').select('id').where('idempotency_key', '=', 'apply-dup-1').execute()).toHaveLength(1);
  });
});
