// Drafts of the apply wizard through HTTP: saved per account and item (another device reads the
// same one), versioned, private to the account, bounded in size, audited with their event, deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servicesWorld, type ServicesWorld } from './test-items.js';
import { MAX_DRAFT_CHARS } from './drafts.js';

let w: ServicesWorld;
const URL = '/api/services/drafts/item/svc-permit';
type Method = 'GET' | 'PUT' | 'DELETE';
/** The world's bearer tokens (`wf:<who>`), with the PUT and DELETE its helpers do not offer. */
const call = (who: 'citizen' | 'clerk1', method: Method, url: string, payload?: unknown) =>
  w.app.inject({ method, url, headers: { authorization: `Bearer wf:${who}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
const ok = async (who: 'citizen' | 'clerk1', method: Method, url: string, payload?: unknown) => {
  const r = await call(who, method, url, payload);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

beforeAll(async () => {
  w = await servicesWorld();
});
afterAll(async () => w?.close());

describe('application drafts', () => {
  it('saves, resumes (same account, any device), versions, lists and deletes a draft', async () => {
    expect((await call('citizen', 'GET', URL)).statusCode).toBe(404);
    const first = await ok('citizen', 'PUT', URL, { division: '530102', title: '测试事项', step: 0, data: { applicant: { name: '张三' } }, materials: {} });
    expect(first).toMatchObject({ kind: 'item', key: 'svc-permit', division: '530102', step: 0, version: 1, data: { applicant: { name: '张三' } } });
    const second = await ok('citizen', 'PUT', URL, { division: '530102', title: '测试事项', step: 1, data: { applicant: { name: '张三' }, remark: '请尽快' }, materials: { choices: { photo: { fileIds: [] } } } });
    expect(second).toMatchObject({ version: 2, step: 1 });
    // "Another device" is just another request with the same account: it reads the newest version.
    expect(await ok('citizen', 'GET', URL)).toMatchObject({ version: 2, step: 1, data: { remark: '请尽快' }, materials: { choices: { photo: { fileIds: [] } } } });
    const list = await ok('citizen', 'GET', '/api/services/drafts');
    expect(list.items).toEqual([{ kind: 'item', key: 'svc-permit', division: '530102', title: '测试事项', step: 1, version: 2, updatedAt: expect.any(String) }]);

    const audit = await w.core.db.selectFrom('audit_log').select(['action', 'detail']).where('action', 'like', 'services.application.draft-%').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['services.application.draft-save', 'services.application.draft-save']);
    // The audit names what was saved, never the typed values.
    expect(JSON.stringify(audit)).not.toContain('张三');
    const events = await w.core.db.selectFrom('outbox').select('type').where('type', 'like', 'services.application.draft-%').execute();
    expect(events.map((e) => e.type)).toEqual(['services.application.draft-saved', 'services.application.draft-saved']);

    expect((await call('citizen', 'DELETE', URL)).statusCode).toBe(204);
    expect((await call('citizen', 'GET', URL)).statusCode).toBe(404);
    expect((await call('citizen', 'DELETE', URL)).statusCode).toBe(404);
  });

  it('keeps each account\'s drafts private', async () => {
    await ok('citizen', 'PUT', URL, { division: '530102', step: 0, data: { remark: '私有' }, materials: {} });
    expect((await call('clerk1', 'GET', URL)).statusCode).toBe(404);
    expect((await ok('clerk1', 'GET', '/api/services/drafts')).items).toEqual([]);
    const anon = await w.app.inject({ method: 'GET', url: URL });
    expect(anon.statusCode).toBe(401);
  });

  it('refuses bad input with every problem named', async () => {
    const bad = await call('citizen', 'PUT', '/api/services/drafts/case/Bad_Key', { division: 'x', step: 12, data: {}, materials: {} });
    expect(bad.statusCode).toBe(400);
    const pointers = bad.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/params/kind']));
    const body = await call('citizen', 'PUT', URL, { division: '530102', step: 12, data: {}, materials: {}, extra: 1 });
    expect(body.statusCode).toBe(400);
    expect(body.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(expect.arrayContaining(['/body/step']));
    const huge = await call('citizen', 'PUT', URL, { division: '530102', step: 0, data: { remark: 'x'.repeat(MAX_DRAFT_CHARS) }, materials: {} });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().errors).toEqual([expect.objectContaining({ pointer: '/body/data', code: 'too-large' })]);
    // Nothing was written by the refused requests.
    expect(await ok('citizen', 'GET', URL)).toMatchObject({ data: { remark: '私有' } });
  });
});
