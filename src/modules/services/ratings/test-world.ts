// Test world for 好差评: a real app on a real database, real accounts with real roles in 五华区
// (530102, 昆明市 530100) and 麒麟区 (530302, 曲靖市 530300), real departments, and the
// applications contract's event emitted exactly as applications will emit it.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { testApp } from '../../../../test/db.js';
import { createAccount } from '../../../platform/identity/accounts.js';
import { loadPrincipal } from '../../../platform/identity/principal.js';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { emit } from '../../../core/audit/record.js';
import type { ApplicationCompleted } from './invitations.js';

const PEOPLE = {
  km_clerk: { division: '530102', roles: ['window_clerk'] },
  km_approver: { division: '530102', roles: ['approver'], department: 'WH-SCJG' },
  // Same division, another department: must never get 市场监管's rectification items (nor they its).
  km_approver_mz: { division: '530102', roles: ['approver'], department: 'WH-MZ' },
  km_admin: { division: '530102', roles: ['department_admin'] },
  city_admin: { division: '530100', roles: ['department_admin'] },
  km_hotline: { division: '530100', roles: ['hotline_operator'] },
  qj_clerk: { division: '530302', roles: ['window_clerk'] },
  qj_approver: { division: '530302', roles: ['approver'], department: 'QL-SCJG' },
  qj_admin: { division: '530300', roles: ['department_admin'] },
} as const;
export type Who = keyof typeof PEOPLE | 'citizen' | 'stranger' | 'anon';

const DEPARTMENTS = [
  { division: '530102', code: 'WH-SCJG', name: '五华区市场监督管理局' },
  { division: '530102', code: 'WH-MZ', name: '五华区民政局' },
  { division: '530302', code: 'QL-SCJG', name: '麒麟区市场监督管理局' },
];

export async function makeRatingsWorld(opts: { env?: Record<string, string> } = {}) {
  const t = await testApp(opts.env ? { env: opts.env } : {});
  const system = { id: 'system:test' };
  const departments: Record<string, string> = {};
  for (const d of DEPARTMENTS) {
    departments[d.code] = (await t.core.db.insertInto('department').values(d).returning('id').executeTakeFirstOrThrow()).id;
  }
  const ids: Record<string, string> = {};
  let n = 0;
  for (const [username, p] of Object.entries(PEOPLE)) {
    const dept = 'department' in p ? departments[p.department] : undefined;
    ids[username] = (await createAccount(t.core, system, { type: 'staff', username: `rt_${username}`, name: username, division: p.division, roles: [...p.roles], departmentId: dept, mobile: `1380087${String(3000 + n++).padStart(4, '0')}` })).id;
  }
  for (const [who, seq] of [['citizen', '201'], ['stranger', '202']] as const) {
    ids[who] = (await createAccount(t.core, system, { type: 'citizen', username: `rt_${who}`, name: who === 'citizen' ? '张三' : '李四', division: '530102', idNumber: demoResidentId('530102', '19900101', seq), mobile: `1390087${seq}1` })).id;
  }
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer rt:(\w+)$/.exec(r.headers.authorization ?? '');
    return m && ids[m[1]!] ? loadPrincipal(t.core, ids[m[1]!]!, { mfa: true }) : null;
  });
  const call = (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: who === 'anon' ? {} : { authorization: `Bearer rt:${who}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (who: Who, method: 'GET' | 'POST', url: string, payload?: unknown, status = 200) => {
    const r = await call(who, method, url, payload);
    expect(r.statusCode, `${method} ${url} as ${who}: ${r.body}`).toBe(status);
    return r.json();
  };
  /** Every pending event to its durable subscribers, as the workers would. */
  const dispatch = async () => {
    for (let k = 0; k < 50 && (await t.core.events.dispatchBatch(500)) > 0; k++);
  };
  let seq = 0;
  /** Emits `services.application.completed` exactly as the contract in services/README.md says, in a transaction. */
  const completeApplication = async (over: Partial<ApplicationCompleted> = {}) => {
    const id = randomUUID();
    seq += 1;
    const payload: ApplicationCompleted = {
      id, number: `YN530102-20261126-${String(seq).padStart(6, '0')}`, itemKey: 'company-establishment', itemName: '企业设立登记', division: '530102', handlingDivision: '530102',
      departmentCode: 'WH-SCJG', applicant: `user:${ids.citizen}`, channel: 'online', outcome: 'approved', completedAt: t.core.clock.now().toISOString(), ...over,
    };
    await t.core.db.transaction().execute((tx) => emit(tx, { id: 'system:applications' }, { type: 'services.application.completed', aggregate: { type: 'services.application', id }, division: payload.division, payload: payload as unknown as Record<string, unknown> }));
    await dispatch();
    return payload;
  };
  /** The SMS the applicant received for one case, and the token in its link. */
  const smsLink = async (caseNumber: string) => {
    const rows = await t.core.db.selectFrom('notification').select(['body', 'channel', 'account_id']).where('template_key', '=', 'services.rating-invitation').where('channel', '=', 'sms').execute();
    const sms = rows.find((r) => r.body.includes(caseNumber));
    expect(sms, `an SMS for ${caseNumber}`).toBeTruthy();
    const token = /\/portal\/rate\?t=([A-Za-z0-9_.-]+)/.exec(sms!.body)?.[1];
    expect(token).toBeTruthy();
    return { sms: sms!, token: token! };
  };
  const invitationOf = async (applicationId: string) => t.core.db.selectFrom('svc_rating_invitation').selectAll().where('application_id', '=', applicationId).executeTakeFirst();
  return { ...t, ids, departments, call, ok, dispatch, completeApplication, smsLink, invitationOf };
}
export type RatingsWorld = Awaited<ReturnType<typeof makeRatingsWorld>>;
