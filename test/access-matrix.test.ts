// The cross-division matrix (issue 3): a Kunming window clerk cannot read, list, count or modify
// a Qujing case by ANY route of the platform, including by guessing its ids. The routes are not
// listed by hand: every path of the live OpenAPI document is called with every id of the Qujing
// case (application, workflow case, tasks, files, number), so a route added later is covered too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoResidentId } from '../src/platform/identity/seed.js';
import { CITIZEN, servicesWorld, type ServicesWorld } from '../src/modules/services/applications/test-items.js';

let w: ServicesWorld;
const MARKER = '曲靖保密事由QJ-7781';
let app: { id: string; number: string; instanceId: string };
let secrets: string[];
let ids: string[];

const snapshot = async () => ({
  application: await w.core.db.selectFrom('svc_application').selectAll().where('id', '=', app.id).executeTakeFirstOrThrow(),
  instance: await w.core.db.selectFrom('wf_instance').selectAll().where('id', '=', app.instanceId).executeTakeFirstOrThrow(),
  tasks: await w.core.db.selectFrom('wf_task').selectAll().where('instance_id', '=', app.instanceId).orderBy('id').execute(),
  history: await w.core.db.selectFrom('wf_history').select('id').where('instance_id', '=', app.instanceId).execute(),
  files: await w.core.db.selectFrom('file').selectAll().where('owner_id', '=', app.instanceId).orderBy('id').execute(),
});

beforeAll(async () => {
  w = await servicesWorld();
  await w.publish('svc-permit');
  // A Qujing case: received and handled in 麒麟区 (530302) by a Qujing clerk.
  const file = await w.upload('qj_clerk');
  const data = { applicant: { name: CITIZEN.name, idNumber: demoResidentId('530102', '19900101', '101'), mobile: CITIZEN.mobile }, purpose: MARKER };
  app = await w.ok('qj_clerk', 'POST', '/api/services/applications/counter', {
    itemKey: 'svc-permit', division: '530302', data, idempotencyKey: 'matrix-qj-1', applicantIdNumber: data.applicant.idNumber,
    materials: [{ materialId: 'id-card', fileIds: [file] }, { materialId: 'application', fileIds: [file] }],
  }, 201);
  const s = await snapshot();
  ids = [app.id, app.instanceId, ...s.tasks.map((t) => t.id), ...s.files.map((f) => f.id)];
  secrets = [MARKER, app.number, ...ids];
}, 180_000);
afterAll(async () => w?.close());

type Route = { method: string; path: string };
async function routes(): Promise<Route[]> {
  const doc = (await w.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => ({ method: m.toUpperCase(), path })));
}
const fill = (path: string, value: string) => path.replace(/\{[^}]+\}/g, encodeURIComponent(value));
// What the caller sent may be echoed back ("no versions of <id>"); anything else of the case is a leak.
const leaks = (body: string, sent = '') => secrets.filter((s) => s !== sent && body.includes(s));

describe('a Kunming clerk and a Qujing case', () => {
  it('no route with an id reveals or changes the case, whatever id is guessed', async () => {
    const before = await snapshot();
    const all = await routes();
    const withParams = all.filter((r) => r.path.includes('{'));
    expect(withParams.length).toBeGreaterThan(40);
    const allowed: string[] = [];
    let calls = 0;
    for (const r of withParams) {
      for (const id of [...ids, app.number]) {
        const url = fill(r.path, id);
        const res = await w.call('clerk1', r.method as 'GET', url, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
        calls++;
        if (res.statusCode < 300) {
          // A success is only acceptable when it carries nothing of the case (e.g. a public page about something else).
          expect(leaks(res.body, id), `${r.method} ${url} answered ${res.statusCode} with the case's data`).toEqual([]);
          allowed.push(`${r.method} ${r.path}`);
        } else {
          expect(res.statusCode, `${r.method} ${url}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, `${r.method} ${url} failed inside: ${res.body}`).toBeLessThan(500);
        }
      }
    }
    expect(calls).toBe(withParams.length * (ids.length + 1));
    // Nothing about the case changed: same state, version, tasks, history and files.
    expect(await snapshot()).toEqual(before);
    // The only successes are public pages or the clerk's own, unrelated data.
    for (const a of allowed) expect(a).not.toMatch(/applications\/\{|instances\/\{|tasks\/\{|files\/\{/);
  }, 600_000);

  it('no list, search or count shows the case, even when asked for Qujing', async () => {
    const lists = (await routes()).filter((r) => r.method === 'GET' && !r.path.includes('{'));
    expect(lists.length).toBeGreaterThan(20);
    for (const r of lists) {
      for (const query of ['', '?division=530302', '?view=department', `?q=${encodeURIComponent(MARKER)}`, `?number=${app.number}&mobile=13800000000`]) {
        const res = await w.call('clerk1', 'GET', `${r.path}${query}`);
        if (res.statusCode < 300) expect(leaks(res.body), `GET ${r.path}${query}`).toEqual([]);
        else expect(res.statusCode, `GET ${r.path}${query}: ${res.body}`).toBeLessThan(500);
      }
    }
    // Counting in Qujing is refused outright rather than answered with numbers.
    expect((await w.call('clerk1', 'GET', '/api/workflow/counts?division=530302')).statusCode).toBe(403);
    // And the Qujing clerk does see it — the case exists, it is just not Kunming's.
    expect((await w.call('qj_clerk', 'GET', `/api/services/applications/${app.id}`)).statusCode).toBe(200);
  }, 600_000);
});
