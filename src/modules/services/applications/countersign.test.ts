// The real services countersign workflow (packs/services/workflows/svc.countersign.yaml): only the
// deciding vote must carry the result; and applying for someone else (代办) makes them the applicant.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitionFile } from '../../../platform/workflow/index.js';
import { loadPrincipal } from '../../../platform/identity/principal.js';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { CITIZEN, servicesWorld, type ServicesWorld } from './test-items.js';

let w: ServicesWorld;
const ID = demoResidentId('530102', '19900101', '101');
const data = { applicant: { name: CITIZEN.name, idNumber: ID, mobile: CITIZEN.mobile }, purpose: '申请并联审批' };
const packs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../packs/services/workflows');

beforeAll(async () => {
  w = await servicesWorld();
  await w.ok('admin', 'POST', '/api/workflow/definitions', { division: '530000', definition: await loadDefinitionFile(path.join(packs, 'svc.countersign.yaml')) }, 201);
  await w.publish('svc-parallel', { workflowKey: 'svc.countersign' });
  // 代办: the stranger's session acting for the citizen (as identity's act-as would load it).
  w.app.authenticators.unshift(async (r) => (r.headers.authorization === 'Bearer agent' ? loadPrincipal(w.core, w.ids.stranger!, { actingFor: w.ids.citizen }) : null));
});
afterAll(async () => w?.close());

describe('countersign and 代办', () => {
  it('an agent applies for the citizen; only the deciding countersign vote needs the result', async () => {
    const up = await w.app.inject({ method: 'POST', url: '/api/files', headers: { authorization: 'Bearer agent', 'content-type': 'application/octet-stream', 'x-file-name': 'a.pdf' }, payload: (await import('../../../platform/files/test-fixtures.js')).pdf('agent') });
    expect(up.statusCode).toBe(201);
    const file = up.json().id;
    const r = await w.app.inject({ method: 'POST', url: '/api/services/applications', headers: { authorization: 'Bearer agent' }, payload: { itemKey: 'svc-parallel', division: '530102', data, idempotencyKey: 'agent-apply-1', materials: [{ materialId: 'id-card', fileIds: [file] }, { materialId: 'application', fileIds: [file] }] } });
    expect(r.statusCode, r.body).toBe(201);
    const app = r.json();
    // The represented person is the applicant: it is in their list, and they follow it themselves.
    expect((await w.ok('citizen', 'GET', '/api/services/applications/mine')).items.map((a: { id: string }) => a.id)).toContain(app.id);
    const audit = await w.core.db.selectFrom('audit_log').select(['actor', 'on_behalf_of']).where('action', '=', 'services.application.submit').where('object_id', '=', app.id).executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor: `user:${w.ids.stranger}`, on_behalf_of: `user:${w.ids.citizen}` });

    const act = (who: Parameters<ServicesWorld['call']>[0], action: string, body: Record<string, unknown> = {}) => w.call(who, 'POST', `/api/services/applications/${app.id}/actions/${action}`, body);
    expect((await act('clerk1', 'accept')).statusCode).toBe(200);
    expect((await act('approverA', 'to_countersign')).statusCode).toBe(200);
    const first = await act('approverB', 'cs_approve', { comment: '同意' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().state).toBe('countersign');
    const deciding = await act('km_admin', 'cs_approve', { comment: '同意' });
    expect(deciding.statusCode).toBe(400);
    expect(deciding.json().errors[0].pointer).toBe('/body/result');
    const done = await act('km_admin', 'cs_approve', { comment: '同意', result: { text: '准予，证照已签发' } });
    expect(done.json()).toMatchObject({ status: 'completed', outcome: 'approved' });
  });
});
