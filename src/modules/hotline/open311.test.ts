// Open311 GeoReport v2, exercised the way a spec-following client does: JSON resources with the
// format suffix, a form-encoded POST with api_key, standard filters, errors as [{code, description}].
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './test-world.js';

let w: World;
let apiKey: string;
beforeAll(async () => {
  w = await makeWorld();
  apiKey = (await w.ok('sysadmin', 'POST', '/api/hotline/clients', { name: '掌上昆明 App', kind: 'open311', division: '530102' }, 201)).apiKey;
});
afterAll(async () => { await w?.close(); });

/** A minimal GeoReport v2 client: no auth header, form-encoded POST, JSON format suffix. */
const client = {
  get: (path: string) => w.app.inject({ method: 'GET', url: `/open311/v2/${path}` }),
  post: (path: string, form: Record<string, string>) => w.app.inject({ method: 'POST', url: `/open311/v2/${path}`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: new URLSearchParams(form).toString() }),
};

describe('Open311 GeoReport v2', () => {
  it('lists services (leaf categories) and gives a definition with its attributes', async () => {
    const s = await client.get('services.json');
    expect(s.statusCode).toBe(200);
    const water = s.json().find((x: { service_code: string }) => x.service_code === '120101');
    expect(water).toEqual({ service_code: '120101', service_name: '停水', description: '水电气讯/供水/停水', metadata: true, type: 'batch', keywords: '水电气讯,供水,停水', group: '水电气讯' });
    const d = await client.get('services/120101.json');
    expect(d.json()).toMatchObject({ service_code: '120101', attributes: [expect.objectContaining({ code: 'demand_type', datatype: 'singlevaluelist', required: false })] });
    expect((await client.get('services/1201.json')).statusCode).toBe(404);
    expect((await client.get('services.xml')).statusCode).toBe(404);
  });

  it('accepts a form-encoded POST with a registered api_key and tracks it to closure', async () => {
    const refused = await client.post('requests.json', { service_code: '120101', description: '停水' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    const badForm = await client.post('requests.json', { api_key: apiKey, service_code: '999', description: '', phone: '12' });
    expect(badForm.statusCode).toBe(400);
    expect(badForm.json()[0].description).toMatch(/categoryCode.*content.*phone|content.*categoryCode/s);
    const r = await client.post('requests.json', { api_key: apiKey, service_code: '120101', lat: '25.0406', long: '102.7122', address_string: '五华区青年路100号', description: '青年路小区停水两天了', first_name: '小明', last_name: '王', phone: '13812345678', 'attribute[demand_type]': '投诉' });
    expect(r.statusCode).toBe(201);
    const [created] = r.json();
    expect(created.service_request_id).toMatch(/^RX530102-/);
    const one = await client.get(`requests/${created.service_request_id}.json`);
    expect(one.json()).toEqual([expect.objectContaining({ service_request_id: created.service_request_id, status: 'open', status_notes: null, service_code: '120101', service_name: '停水', lat: 25.0406, long: 102.7122, address: '五华区青年路100号', expected_datetime: '2026-12-15T15:59:59.999Z' })]);
    expect(JSON.stringify(one.json())).not.toContain('13812345678');
    // The hotline works the order to closure; the client sees closed with the reply as status_notes.
    const order = await w.core.db.selectFrom('hotline_order').select('id').where('number', '=', created.service_request_id).executeTakeFirstOrThrow();
    for (const [who, step, body] of [['disp', 'dispatch', { departmentId: w.units['HL-WATER'] }], ['water', 'sign', {}], ['water', 'reply', { reply: '管网已修复，恢复供水' }], ['disp', 'review', { approve: true }], ['op', 'callback', { satisfaction: 'satisfied' }]] as const) {
      await w.ok(who, 'POST', `/api/hotline/orders/${order.id}/${step}`, body);
    }
    const done = (await client.get(`requests/${created.service_request_id}.json`)).json()[0];
    expect(done).toMatchObject({ status: 'closed', status_notes: '管网已修复，恢复供水', agency_responsible: 'HL-WATER 承办单位' });
    expect((await client.get('requests/RX530102-20260101-999999.json')).statusCode).toBe(404);
  });

  it('filters requests by id, service, status and dates; lists only requests filed through Open311', async () => {
    await w.intake(); // a phone order: never public
    await client.post('requests.json', { api_key: apiKey, service_code: '010203', description: '路灯不亮' });
    const all = (await client.get('requests.json')).json();
    expect(all.every((r: { service_request_id: string }) => r.service_request_id.startsWith('RX'))).toBe(true);
    expect(all.length).toBe(2);
    expect((await client.get('requests.json?service_code=010203')).json().map((r: { service_code: string }) => r.service_code)).toEqual(['010203']);
    expect((await client.get('requests.json?status=closed')).json().length).toBe(1);
    expect((await client.get('requests.json?status=open')).json().length).toBe(1);
    expect((await client.get('requests.json?start_date=2026-12-01T00:00:00%2B08:00')).json()).toEqual([]);
    expect((await client.get(`requests.json?service_request_id=${all[0].service_request_id}`)).json().length).toBe(1);
    expect((await client.get('requests.json?page_size=1&page=2')).json().length).toBe(1);
    const bad = await client.get('requests.json?status=pending');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual([{ code: 400, description: expect.stringContaining('status') }]);
  });
});
