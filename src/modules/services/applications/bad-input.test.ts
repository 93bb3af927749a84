// Bad input: every bad field listed, wrong material type or size, a license the material does not
// take, a withdrawn item version — and nothing half-written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { CITIZEN, material, servicesWorld, type ServicesWorld } from './test-items.js';

let w: ServicesWorld;
const ID = demoResidentId('530102', '19900101', '101');
const data = { applicant: { name: CITIZEN.name, idNumber: ID, mobile: CITIZEN.mobile }, purpose: '申请测试许可' };

beforeAll(async () => {
  w = await servicesWorld();
  await w.publish('svc-permit');
});
afterAll(async () => w?.close());

const count = async () => Number((await w.core.db.selectFrom('svc_application').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
const cases = async () => Number((await w.core.db.selectFrom('wf_instance').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('bad input', () => {
  it('lists every bad form field and every bad material at once, and writes nothing', async () => {
    const pdf = await w.upload('citizen');
    const image = await w.upload('citizen', 'png');
    const before = [await count(), await cases()];
    const r = await w.call('citizen', 'POST', '/api/services/applications', {
      itemKey: 'svc-permit', division: '530102', idempotencyKey: 'bad-form-1',
      data: { applicant: { name: '', idNumber: '530102199001011234', mobile: '12345' }, color: 'red' },
      materials: [
        { materialId: 'id-card', license: { type: '91530000MA0000000X001', id: 'x' } },
        { materialId: 'application', fileIds: [image] },
        { materialId: 'photo', fileIds: [pdf] },
        { materialId: 'nonsense', fileIds: [pdf] },
      ],
    });
    expect(r.statusCode).toBe(400);
    const errs = r.json().errors as Array<{ pointer: string; code: string; message: string }>;
    expect(errs.map((e) => e.pointer)).toEqual(expect.arrayContaining([
      '/body/data/applicant/name', '/body/data/applicant/idNumber', '/body/data/applicant/mobile', '/body/data/purpose', '/body/data/color',
      '/body/materials/0/license/type', '/body/materials/0/license/id', '/body/materials/1/fileIds/0', '/body/materials/2/fileIds/0', '/body/materials/3/materialId',
    ]));
    expect(errs.find((e) => e.pointer === '/body/materials/1/fileIds/0')).toMatchObject({ code: 'file-type' });
    expect(errs.find((e) => e.pointer === '/body/materials/1/fileIds/0')!.message).toContain('申请书');
    expect([await count(), await cases()]).toEqual(before);
    // English on request.
    const en = await w.app.inject({ method: 'POST', url: '/api/services/applications', headers: { authorization: 'Bearer wf:citizen', 'accept-language': 'en' }, payload: { itemKey: 'svc-permit', division: '530102', idempotencyKey: 'bad-form-2', data, materials: [] } });
    expect(en.json().errors.map((e: { message: string }) => e.message)).toEqual(['Required material 居民身份证 is missing', 'Required material 申请书 is missing']);
  });

  it('refuses a file larger than the material allows', async () => {
    await w.publish('svc-tiny', { formKey: null, materials: [material('scan', '扫描件', { maxBytes: 1024 })] });
    const { pdf } = await import('../../../platform/files/test-fixtures.js');
    const big = await w.app.inject({ method: 'POST', url: '/api/files', headers: { authorization: 'Bearer wf:citizen', 'content-type': 'application/octet-stream', 'x-file-name': 'big.pdf' }, payload: Buffer.concat([pdf('x'.repeat(3000))]) });
    expect(big.statusCode).toBe(201);
    const r = await w.call('citizen', 'POST', '/api/services/applications', { itemKey: 'svc-tiny', division: '530102', idempotencyKey: 'bad-size-1', data: {}, materials: [{ materialId: 'scan', fileIds: [big.json().id] }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([expect.objectContaining({ pointer: '/body/materials/0/fileIds/0', code: 'file-size' })]);
  });

  it('refuses an application to a withdrawn item version (409 VERSION_WITHDRAWN), and another person\'s files', async () => {
    const v1 = await w.publish('svc-old');
    await w.publish('svc-old', { name: '测试事项 svc-old（新版）' });
    await w.withdraw('svc-old', '530000', v1.version);
    const file = await w.upload('citizen');
    const body = { itemKey: 'svc-old', itemVersion: v1.version, division: '530102', idempotencyKey: 'withdrawn-1', data, materials: [{ materialId: 'id-card', fileIds: [file] }, { materialId: 'application', fileIds: [file] }] };
    const r = await w.call('citizen', 'POST', '/api/services/applications', body);
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('VERSION_WITHDRAWN');
    const before = await count();
    const other = await w.upload('stranger');
    const theirs = await w.call('citizen', 'POST', '/api/services/applications', { ...body, itemVersion: undefined, idempotencyKey: 'theirs-1', materials: [{ materialId: 'id-card', fileIds: [file] }, { materialId: 'application', fileIds: [other] }] });
    expect(theirs.statusCode).toBe(400);
    expect(theirs.json().errors).toEqual([expect.objectContaining({ pointer: '/body/materials/1/fileIds/0', code: 'not-found' })]);
    // Rolled back whole: no application, no case, no number used, the citizen's own file still unattached.
    expect(await count()).toBe(before);
    const f = await w.core.db.selectFrom('file').select('owner_id').where('id', '=', file).executeTakeFirstOrThrow();
    expect(f.owner_id).toBeNull();
  });

  it('refuses an action the role does not allow, and an unknown action', async () => {
    const file = await w.upload('citizen');
    const app = await w.ok('citizen', 'POST', '/api/services/applications', { itemKey: 'svc-permit', division: '530102', idempotencyKey: 'role-key-1', data, materials: [{ materialId: 'id-card', fileIds: [file] }, { materialId: 'application', fileIds: [file] }] }, 201);
    expect((await w.call('approverA', 'POST', `/api/services/applications/${app.id}/actions/accept`, {})).statusCode).toBe(403);
    expect((await w.call('citizen', 'POST', `/api/services/applications/${app.id}/actions/accept`, {})).statusCode).toBe(403);
    expect((await w.call('clerk1', 'POST', `/api/services/applications/${app.id}/actions/fly`, {})).statusCode).toBe(404);
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${app.id}`)).state).toBe('submitted');
  });
});
