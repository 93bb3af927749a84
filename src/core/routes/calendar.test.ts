import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../test/db.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
beforeAll(async () => {
  t = await testApp();
  t.app.authenticators.push(async (req) =>
    req.headers.authorization === 'Bearer cx' ? { id: 'user:cx-admin', name: '楚雄州管理员', kind: 'staff', permissions: new Set(['core:calendar.write']), scopes: ['532300'] } : null);
});
afterAll(() => t.close());

describe('calendar over HTTP', () => {
  it('lists each day of a range with its kind and source', async () => {
    const r = await t.app.inject({ url: '/api/calendar/days?from=2025-09-27&to=2025-10-02' });
    expect(r.statusCode).toBe(200);
    const items = r.json().items;
    expect(items.map((d: any) => `${d.date}:${d.kind}`)).toEqual([
      '2025-09-27:weekend', '2025-09-28:makeup-workday', '2025-09-29:workday', '2025-09-30:workday', '2025-10-01:holiday', '2025-10-02:holiday',
    ]);
    expect(items[4]).toMatchObject({ working: false, source: 'national' });
    expect(r.json().years).toEqual(expect.arrayContaining([2025, 2026]));
  });

  it('says when a year has no official data and Mon–Fri was assumed', async () => {
    const r = (await t.app.inject({ url: '/api/calendar/deadline?start=2027-12-30T10:00:00%2B08:00&days=2' })).json();
    expect(r.fallbackYears).toEqual([2027, 2028]);
    const d = (await t.app.inject({ url: '/api/calendar/days?from=2027-01-01&to=2027-01-01' })).json().items[0];
    expect(d).toMatchObject({ date: '2027-01-01', working: true, source: 'fallback' });
  });

  it('computes working-hour deadlines for urgent matters', async () => {
    // Friday 16:30 + 2 working hours: 1 h on Friday (to 17:30), 1 h on Monday from 09:00.
    const r = (await t.app.inject({ url: '/api/calendar/deadline?start=2026-11-27T16:30:00%2B08:00&hours=2' })).json();
    expect(r.due).toBe('2026-11-30T02:00:00.000Z');
  });

  it('a prefecture sets a local holiday that its counties inherit, and removes it', async () => {
    // 楚雄彝族自治州 火把节: make 2026-08-07 (a Friday) a local holiday.
    const put = await t.app.inject({ method: 'PUT', url: '/api/calendar/divisions/532300/days/2026-08-07', headers: { authorization: 'Bearer cx' }, payload: { kind: 'holiday', name: '火把节' } });
    expect(put.statusCode).toBe(200);
    const county = (await t.app.inject({ url: '/api/calendar/days?from=2026-08-07&to=2026-08-07&division=532301' })).json().items[0];
    expect(county).toMatchObject({ working: false, kind: 'holiday', name: '火把节', source: 'division:532300' });
    const kunming = (await t.app.inject({ url: '/api/calendar/days?from=2026-08-07&to=2026-08-07&division=530102' })).json().items[0];
    expect(kunming).toMatchObject({ working: true, source: 'national' });
    const del = await t.app.inject({ method: 'DELETE', url: '/api/calendar/divisions/532300/days/2026-08-07', headers: { authorization: 'Bearer cx' } });
    expect(del.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'DELETE', url: '/api/calendar/divisions/532300/days/2026-08-07', headers: { authorization: 'Bearer cx' } });
    expect(again.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/calendar/days?from=2026-08-07&to=2026-08-07&division=532301' })).json().items[0].working).toBe(true);
  });

  it('a prefecture administrator cannot change another prefecture\'s calendar', async () => {
    const r = await t.app.inject({ method: 'PUT', url: '/api/calendar/divisions/530100/days/2026-08-07', headers: { authorization: 'Bearer cx' }, payload: { kind: 'holiday', name: '越权' } });
    expect(r.statusCode).toBe(403);
    expect(r.json().detail).toBe('您无权操作行政区划 530100 的数据');
    expect((await t.app.inject({ method: 'DELETE', url: '/api/calendar/divisions/530000/days/2026-08-07', headers: { authorization: 'Bearer cx' } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/calendar/days?from=2026-08-07&to=2026-08-07&division=530102' })).json().items[0].working).toBe(true);
  });

  it('refuses reversed or too long ranges, both or neither of days/hours, and unknown divisions', async () => {
    const rev = await t.app.inject({ url: '/api/calendar/days?from=2026-02-01&to=2026-01-01' });
    expect(rev.statusCode).toBe(400);
    expect(rev.json().code).toBe('CALENDAR_RANGE');
    expect((await t.app.inject({ url: '/api/calendar/days?from=2026-01-01&to=2027-06-01' })).json().code).toBe('CALENDAR_RANGE');
    const both = await t.app.inject({ url: '/api/calendar/deadline?start=2026-01-05T09:00:00Z&days=1&hours=2' });
    expect(both.json().errors[0]).toMatchObject({ pointer: '/query/days', message: '请填写工作日数或工作小时数（二选一）' });
    expect((await t.app.inject({ url: '/api/calendar/deadline?start=2026-01-05T09:00:00Z' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/calendar/deadline?start=2026-01-05T09:00:00Z&days=1&division=539999' })).json().code).toBe('DIVISION_NOT_FOUND');
  });
});
