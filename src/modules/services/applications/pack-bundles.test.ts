// The three shipped bundles over the real services demo pack (items, forms, workflows): each one
// resolves in 五华区 with one merged form and one deduplicated material list, and 新生儿出生一件事
// goes through end to end: one submission, five sub-cases in five departments, one status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from '../../../platform/workflow/fixtures/world.js';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { pdf, png } from '../../../platform/files/test-fixtures.js';
import { loadServicesPack } from '../catalog/index.js';
import { CITIZEN } from './test-items.js';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
  await loadServicesPack(w.core);
});
afterAll(() => w?.close());

describe('shipped bundles on the demo pack', () => {
  it.each([['newborn', 5], ['company-opening', 5], ['retirement', 4]])('%s merges its %i items in 530102', async (key, count) => {
    const r = await w.app.inject({ method: 'GET', url: `/api/services/bundles/${key}?division=530102` });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.items).toHaveLength(count);
    expect(new Set(b.items.map((i: { department: { code: string } }) => i.department.code)).size).toBeGreaterThan(1);
    expect(b.form.schema.type).toBe('object');
    const ids = b.materials.map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('新生儿出生一件事: one submission over the real forms and workflows opens five parallel sub-cases across the departments', async () => {
    const b = (await w.app.inject({ method: 'GET', url: '/api/services/bundles/newborn?division=530102' })).json();
    const up = await w.app.inject({ method: 'POST', url: '/api/files', headers: { authorization: 'Bearer wf:citizen', 'content-type': 'application/octet-stream', 'x-file-name': 'm.pdf' }, payload: pdf('材料') });
    const file = up.json().id as string;
    const photo = (await w.app.inject({ method: 'POST', url: '/api/files', headers: { authorization: 'Bearer wf:citizen', 'content-type': 'application/octet-stream', 'x-file-name': 'p.png' }, payload: png() })).json().id as string;
    const materials = (b.materials as Array<{ id: string; required: boolean; accept: string[] }>).filter((m) => m.required)
      .map((m) => ({ materialId: m.id, fileIds: [m.accept.includes('application/pdf') ? file : photo] }));
    const data = {
      applicant: { name: CITIZEN.name, idNumber: demoResidentId('530102', '19900101', '101'), mobile: CITIZEN.mobile },
      newborn: { name: '张小宝', sex: '男', birthDate: '2026-11-20', birthPlace: '530102' },
    };
    const r = await w.call('citizen', 'POST', '/api/services/bundles/newborn/applications', { division: '530102', idempotencyKey: 'real-newborn-1', data, materials });
    expect(r.statusCode, r.body).toBe(201);
    const view = await w.ok('citizen', 'GET', `/api/services/applications/${r.json().id}`);
    expect(view.children).toHaveLength(5);
    expect(new Set(view.children.map((c: { departmentCode: string }) => c.departmentCode)).size).toBeGreaterThanOrEqual(4); // 卫健 issues two of them
    const cases = await w.core.db.selectFrom('wf_instance').select(['key', 'state', 'status']).where('id', 'in', view.children.map((c: { instanceId: string }) => c.instanceId)).execute();
    expect(cases.every((c) => c.status === 'active')).toBe(true);
    const first = view.children[0];
    await w.ok('clerk1', 'POST', `/api/services/applications/${first.id}/actions/accept`, {});
    expect((await w.ok('citizen', 'GET', `/api/services/applications/${view.id}`)).status).toBe('processing');
  });

  it.each(['newborn', 'company-opening', 'retirement'])('%s: the merged form is prefilled with every member\'s prefilled fields', async (key) => {
    const who = 'citizen';
    const b = (await w.app.inject({ method: 'GET', url: `/api/services/bundles/${key}?division=530102` })).json();
    const leaves = (o: unknown, at = ''): string[] => (o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => leaves(v, `${at}/${k}`)) : [`${at}=${String(o)}`]);
    const merged = await w.call(who, 'GET', `/api/services/bundles/${key}/prefill?division=530102`);
    expect(merged.statusCode, merged.body).toBe(200);
    const got = new Set(leaves(merged.json().data).map((l) => l.split('=').slice(1).join('=')));
    // Each member's own prefill: every value it fills is filled in the merged form too.
    const wanted = new Set<string>();
    for (const item of b.items as Array<{ key: string }>) {
      const own = await w.call(who, 'GET', `/api/services/applications/prefill?itemKey=${item.key}&division=530102`);
      expect(own.statusCode, own.body).toBe(200);
      for (const l of leaves(own.json().data)) wanted.add(l.split('=').slice(1).join('='));
    }
    expect(wanted.size).toBeGreaterThan(0);
    expect([...wanted].filter((v) => !got.has(v))).toEqual([]);
    // Signed out: no profile to read.
    expect((await w.app.inject({ method: 'GET', url: `/api/services/bundles/${key}/prefill?division=530102` })).statusCode).toBe(401);
  });
});
