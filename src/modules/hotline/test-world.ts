// Test world for the hotline: a real app on a real database, real accounts with real roles
// (operator, dispatchers in two prefectures, staff of three handling units), and a Bearer
// authenticator that loads each person's real Principal. Used only by *.test.ts.
import { expect } from 'vitest';
import { testApp } from '../../../test/db.js';
import { createAccount } from '../../platform/identity/accounts.js';
import { loadPrincipal } from '../../platform/identity/principal.js';
import { demoResidentId } from '../../platform/identity/seed.js';

const UNITS = { 'HL-WATER': '530102', 'HL-ROAD': '530102', 'HL-QJ': '530302' } as const;
const PEOPLE = {
  op: { division: '530102', roles: ['hotline_operator'] },
  disp: { division: '530102', roles: ['hotline_dispatcher'] },
  disp_qj: { division: '530302', roles: ['hotline_dispatcher'] },
  admin: { division: '530000', roles: ['department_admin'] },
  sysadmin: { division: '530000', roles: ['system_admin'] },
  water: { division: '530102', roles: ['hotline_unit'], unit: 'HL-WATER' },
  water2: { division: '530102', roles: ['hotline_unit'], unit: 'HL-WATER' },
  road: { division: '530102', roles: ['hotline_unit'], unit: 'HL-ROAD' },
  qj: { division: '530302', roles: ['hotline_unit'], unit: 'HL-QJ' },
} as const;
export type Who = keyof typeof PEOPLE | 'citizen' | 'stranger';

export async function makeWorld(opts: { clock?: string } = {}) {
  const { ManualClock } = await import('../../core/clock.js');
  const clock = new ManualClock(opts.clock ?? '2026-11-24T02:00:00Z');
  const t = await testApp({ clock });
  const actor = { id: 'system:test' };
  const units: Record<string, string> = {};
  for (const [code, division] of Object.entries(UNITS)) {
    const row = await t.core.db.insertInto('department').values({ division, code, name: `${code} 承办单位` }).returning('id').executeTakeFirstOrThrow();
    units[code] = row.id;
  }
  const ids: Record<string, string> = {};
  let n = 0;
  for (const [username, p] of Object.entries(PEOPLE)) {
    const dept = 'unit' in p ? units[p.unit] : undefined;
    const a = await createAccount(t.core, actor, { type: 'staff', username: `hl_${username}`, name: username, division: p.division, roles: [...p.roles], departmentId: dept, mobile: `1380088${String(3000 + n++).padStart(4, '0')}` });
    ids[username] = a.id;
  }
  for (const [who, seq] of [['citizen', '201'], ['stranger', '202']] as const) {
    const a = await createAccount(t.core, actor, { type: 'citizen', username: `hl_${who}`, name: who === 'citizen' ? '王五' : '赵六', division: '530102', idNumber: demoResidentId('530102', '19900101', seq), mobile: `1390088${seq}1` });
    ids[who] = a.id;
  }
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer hl:(\w+)$/.exec(r.headers.authorization ?? '');
    return m && ids[m[1]!] ? loadPrincipal(t.core, ids[m[1]!]!, { mfa: true }) : null;
  });
  const call = async (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer hl:${who}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (who: Who, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, status = 200) => {
    const r = await call(who, method, url, payload);
    expect(r.statusCode, `${method} ${url} as ${who}: ${r.body}`).toBe(status);
    return r.json();
  };
  /** Runs every job that is due now (supervision rungs, workflow timers, notifications). */
  const runJobs = async () => {
    let total = 0;
    for (let k = 0; k < 50; k++) {
      const done = await t.core.jobs.runDue(20);
      total += done;
      if (!done) break;
    }
    return total;
  };
  const order = (over: Record<string, unknown> = {}) => ({
    channel: 'phone', demandType: '投诉', categoryCode: '120101', content: '盘龙区某小区连续三天停水，物业和自来水公司都不给说法，请尽快恢复供水。',
    caller: { name: '王小明', phone: '13812345678' }, location: { division: '530102', address: '五华区青年路100号', lat: 25.04, lng: 102.71 }, ...over,
  });
  const intake = async (over: Record<string, unknown> = {}, who: Who = 'op') => ok(who, 'POST', '/api/hotline/orders', order(over), 201);
  return { ...t, clock, ids, units, call, ok, runJobs, order, intake };
}
export type World = Awaited<ReturnType<typeof makeWorld>>;
