// 一件事一次办 through the API: the real bundle files, a merged form with shared fields once, one
// material list, one submission → parallel sub-cases, one overall status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishForm } from '../../../platform/forms/index.js';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { loadBundles } from './bundles.js';
import { applicantForm, CITIZEN, material, servicesWorld, type ServicesWorld } from './test-items.js';

let w: ServicesWorld;
const ID = demoResidentId('530102', '19900101', '101');
const MEMBERS = ['birth-certificate', 'household-birth-registration', 'resident-medical-insurance-enrolment', 'social-security-card', 'vaccination-certificate'];
const childName = { type: 'string', title: '新生儿姓名', minLength: 1, 'x-field': 'child.name' };

beforeAll(async () => {
  w = await servicesWorld();
  await publishForm(w.core, w.admin, applicantForm('svc-birth-a', { childName }, ['childName']) as never);
  await publishForm(w.core, w.admin, applicantForm('svc-birth-b', { childName, hukouAddress: { type: 'string', title: '落户地址', minLength: 4 } }, ['childName', 'hukouAddress']) as never);
  const idCard = material('id-card', '父母居民身份证', { accept: ['application/pdf', 'image/*'] });
  const medical = material('birth-medical', '出生医学证明', { maxBytes: 2 * 1024 * 1024 });
  for (const [i, key] of MEMBERS.entries()) {
    await w.publish(key, {
      formKey: i === 1 ? 'svc-birth-b' : 'svc-birth-a', department: { code: `D-${i}`, name: `部门${i}` }, lifeEvents: ['birth'],
      materials: i === 1 ? [idCard, medical, material('hukou', '户口簿')] : i === 2 ? [idCard, { ...medical, maxBytes: 1024 * 1024 }] : [idCard],
    });
  }
});
afterAll(async () => w?.close());

describe('一件事一次办', () => {
  it('ships the three real bundles', async () => {
    const all = await loadBundles();
    expect(all.map((b) => b.key).sort()).toEqual(['company-opening', 'newborn', 'retirement']);
    expect(all.find((b) => b.key === 'newborn')!.items).toEqual(MEMBERS);
    const list = await w.app.inject({ method: 'GET', url: '/api/services/bundles' });
    expect(list.json().items.map((b: { title: { 'zh-CN': string } }) => b.title['zh-CN']).sort()).toEqual(['企业开办一件事', '新生儿出生一件事', '退休一件事']);
    // A bundle whose items are not in force here says which ones.
    const missing = await w.app.inject({ method: 'GET', url: '/api/services/bundles/retirement?division=530102' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors).toHaveLength(4);
  });

  it('merges the forms and the materials, validates once, and opens one sub-case per item in one transaction', async () => {
    const view = (await w.app.inject({ method: 'GET', url: '/api/services/bundles/newborn?division=530102' })).json();
    expect(view.items.map((i: { key: string }) => i.key)).toEqual(MEMBERS);
    expect(Object.keys(view.form.schema.properties)).toEqual(expect.arrayContaining(['applicant', 'child']));
    expect(view.form.schema.properties.applicant.required).toEqual(['name', 'idNumber', 'mobile']);
    // One material list: the shared ID card once, the birth certificate once with the stricter size limit.
    expect(view.materials.map((m: { id: string }) => m.id)).toEqual(['id-card', 'birth-medical', 'hukou']);
    expect(view.materials.find((m: { id: string }) => m.id === 'birth-medical').maxBytes).toBe(1024 * 1024);

    const before = Number((await w.core.db.selectFrom('wf_instance').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const bad = await w.call('citizen', 'POST', '/api/services/bundles/newborn/applications', { division: '530102', idempotencyKey: 'bundle-bad-1', data: { applicant: { name: '张三', idNumber: ID, mobile: CITIZEN.mobile } }, materials: [] });
    expect(bad.statusCode).toBe(400);
    const pointers = bad.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers.filter((p: string) => p === '/body/data/child/name')).toHaveLength(1); // a shared field is reported once
    expect(pointers).toEqual(expect.arrayContaining(['/body/data/child/name', '/body/data/svc-birth-b/hukouAddress', '/body/materials']));
    expect(Number((await w.core.db.selectFrom('wf_instance').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);

    const [idf, medf, hukouf] = [await w.upload('citizen'), await w.upload('citizen'), await w.upload('citizen')];
    const body = { division: '530102', idempotencyKey: 'bundle-ok-1', data: { applicant: { name: '张三', idNumber: ID, mobile: CITIZEN.mobile }, child: { name: '张小宝' }, 'svc-birth-b': { hukouAddress: '五华区示例路 1 号' } },
      materials: [{ materialId: 'id-card', fileIds: [idf] }, { materialId: 'birth-medical', fileIds: [medf] }, { materialId: 'hukou', fileIds: [hukouf] }] };
    const parent = await w.ok('citizen', 'POST', '/api/services/bundles/newborn/applications', body, 201);
    expect(parent).toMatchObject({ bundleKey: 'newborn', itemName: '新生儿出生一件事', status: 'submitted', instanceId: null });
    expect((await w.ok('citizen', 'POST', '/api/services/bundles/newborn/applications', body, 200)).id).toBe(parent.id);

    let view2 = await w.ok('citizen', 'GET', `/api/services/applications/${parent.id}`);
    expect(view2.children.map((c: { itemKey: string }) => c.itemKey).sort()).toEqual([...MEMBERS].sort());
    expect(new Set(view2.children.map((c: { departmentCode: string }) => c.departmentCode)).size).toBe(5);
    const children = view2.children as Array<{ id: string; itemKey: string; instanceId: string }>;
    const hukou = children.find((c) => c.itemKey === 'household-birth-registration')!;
    const inst = await w.core.db.selectFrom('wf_instance').select(['data', 'division', 'status']).where('id', '=', hukou.instanceId).executeTakeFirstOrThrow();
    expect(inst).toMatchObject({ division: '530102', status: 'active' });
    expect((inst.data as Record<string, unknown>).hukouAddress).toBe('五华区示例路 1 号');
    expect(((inst.data as { materials: Array<{ materialId: string }> }).materials).map((m) => m.materialId)).toEqual(['id-card', 'birth-medical', 'hukou']);
    // A clerk handling a sub-case can read the shared files.
    expect((await w.call('clerk1', 'GET', `/api/files/${idf}`)).statusCode).toBe(200);
    expect((await w.call('qj_clerk', 'GET', `/api/files/${idf}`)).statusCode).toBe(404);

    // The sub-cases run in parallel; the overall status follows them.
    const act = (who: Parameters<ServicesWorld['call']>[0], id: string, action: string, b: Record<string, unknown> = {}) => w.ok(who, 'POST', `/api/services/applications/${id}/actions/${action}`, b);
    await act('clerk1', children[0]!.id, 'accept');
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${parent.id}`)).status).toBe('processing');
    await act('clerk1', children[1]!.id, 'request_correction', { comment: '请补正', corrections: [{ materialId: 'hukou', note: '户口簿首页不清晰' }] });
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${parent.id}`)).status).toBe('correction');
    await act('citizen', children[1]!.id, 'resubmit', {});
    await act('approverA', children[0]!.id, 'pass');
    await act('approverD2', children[0]!.id, 'approve', { result: { text: '出生医学证明已签发' } });
    for (const c of children.slice(1)) {
      const cur = await w.ok('citizen', 'GET', `/api/services/applications/${c.id}`);
      if (cur.state === 'submitted') await act('clerk1', c.id, 'accept');
      await act('approverA', c.id, 'pass');
      await act('approverD2', c.id, 'approve', { result: { text: `${c.itemKey} 已办结` } });
    }
    view2 = await w.ok('citizen', 'GET', `/api/services/applications/${parent.id}`);
    expect(view2).toMatchObject({ status: 'completed', outcome: 'approved' });
    expect(view2.result.partial).toBe(false);
    const done = await w.core.db.selectFrom('outbox').select('payload').where('type', '=', 'services.application.completed').execute();
    expect(done.filter((e) => children.some((c) => c.id === (e.payload as { id: string }).id))).toHaveLength(5);
  });

  it('is withdrawn as a whole, or not at all once a sub-case is past withdrawal', async () => {
    const body = (key: string, f: string) => ({ division: '530102', idempotencyKey: key, data: { applicant: { name: '张三', idNumber: ID, mobile: CITIZEN.mobile }, child: { name: '张小二' }, 'svc-birth-b': { hukouAddress: '五华区示例路 2 号' } },
      materials: [{ materialId: 'id-card', fileIds: [f] }, { materialId: 'birth-medical', fileIds: [f] }, { materialId: 'hukou', fileIds: [f] }] });
    const a = await w.ok('citizen', 'POST', '/api/services/bundles/newborn/applications', body('bundle-wd-1', await w.upload('citizen')), 201);
    const kids = (await w.ok('citizen', 'GET', `/api/services/applications/${a.id}`)).children as Array<{ id: string }>;
    await w.ok('clerk1', 'POST', `/api/services/applications/${kids[0]!.id}/actions/accept`, {});
    await w.ok('approverA', 'POST', `/api/services/applications/${kids[0]!.id}/actions/pass`, {});
    expect((await w.call('clerk1', 'POST', `/api/services/applications/${a.id}/actions/withdraw`, {})).statusCode).toBe(403);
    const stuck = await w.call('citizen', 'POST', `/api/services/applications/${a.id}/actions/withdraw`, { comment: '不办了' });
    expect(stuck.statusCode).toBe(409);
    expect(stuck.json().detail).toContain('审批');
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${a.id}`)).children.filter((c: { status: string }) => c.status === 'completed')).toHaveLength(0);

    const b = await w.ok('citizen', 'POST', '/api/services/bundles/newborn/applications', body('bundle-wd-2', await w.upload('citizen')), 201);
    await w.ok('clerk1', 'POST', `/api/services/applications/${(await w.ok('citizen', 'GET', `/api/services/applications/${b.id}`)).children[0].id}/actions/accept`, {});
    const done = await w.ok('citizen', 'POST', `/api/services/applications/${b.id}/actions/withdraw`, { comment: '不办了' });
    expect(done).toMatchObject({ status: 'completed', outcome: 'withdrawn' });
    const view = await w.ok('citizen', 'GET', `/api/services/applications/${b.id}`);
    expect(view.children.map((c: { outcome: string }) => c.outcome)).toEqual(Array(5).fill('withdrawn'));
  });
});
