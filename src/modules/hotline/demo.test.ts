// The demo 12345 centre after `seedDemo`: a unit account signs for its department's order, the
// knowledge base answers, the supervisor's figures are there, the dispatch model has history to
// learn from, the 督办 ladder fires for the overdue orders, and a second seed adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testApp } from '../../../test/db.js';
import { seedDemo, settleDemo } from '../../seed.js';
import { loadPrincipal } from '../../platform/identity/principal.js';
import { DEMO_ORDERS } from './demo-orders.js';
import { DEMO_UNITS } from './demo-units.js';
import { dispatchAccuracy } from './dispatch-suggest.js';

type T = Awaited<ReturnType<typeof testApp>>;
let t: T;
let accounts: Awaited<ReturnType<typeof seedDemo>>;
// testApp's clock: 2026-11-26 09:00 Beijing.
const TODAY = '2026-11-26';

const orderOf = (key: string) => t.core.db.selectFrom('hotline_order').selectAll().where('idempotency_key', '=', `demo:${key}`).executeTakeFirstOrThrow();
const as = async (username: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer demo:${username}` }, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  t = await testApp();
  t.app.authenticators.push(async (r) => {
    const m = /^Bearer demo:(\w+)$/.exec(r.headers.authorization ?? '');
    if (!m) return null;
    const a = await t.core.db.selectFrom('account').select('id').where('username', '=', m[1]!).executeTakeFirst();
    return a ? loadPrincipal(t.core, a.id, { mfa: true }) : null;
  });
  accounts = await seedDemo(t.core);
}, 600_000);
afterAll(async () => { await t?.close(); });

describe('the hotline demo', () => {
  it('creates the units with their liaisons and lists the unit accounts in the banner', async () => {
    const depts = await t.core.db.selectFrom('department').select(['code', 'name', 'division']).where('code', 'in', DEMO_UNITS.map((u) => u.code)).execute();
    expect(depts).toHaveLength(DEMO_UNITS.length);
    expect(depts.find((d) => d.code === 'WH-SWJ')).toEqual({ code: 'WH-SWJ', name: '五华区水务局', division: '530102' });
    const liaisons = await sql<{ n: number }>`SELECT count(*)::int AS n FROM account a JOIN department d ON d.id = a.department_id
      WHERE d.code IN (${sql.join(DEMO_UNITS.map((u) => u.code))}) AND a.post = '联络员'`.execute(t.core.db);
    expect(liaisons.rows[0]!.n).toBe(DEMO_UNITS.length);
    expect(accounts.filter((a) => a.role === 'hotline_unit').map((a) => a.username).sort()).toEqual(['km_hotline_unit', 'wh_hotline_unit', 'wh_hotline_unit_cg']);
  });

  it('spreads the orders over the last 14 Beijing days with every state a supervisor looks for', async () => {
    const rows = await t.core.db.selectFrom('hotline_order').select(['status', 'created_at', 'satisfaction', 'due_at', 'replied_at']).where('idempotency_key', 'like', 'demo:%').execute();
    expect(rows).toHaveLength(DEMO_ORDERS.length);
    const days = new Set(rows.map((r) => new Date(new Date(r.created_at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(10);
    expect([...days].every((d) => d >= '2026-11-13' && d <= TODAY)).toBe(true);
    const statuses = new Set(rows.map((r) => r.status));
    for (const s of ['accepted', 'answered', 'dispatched', 'handling', 'returned', 'extension', 'review', 'callback', 'closed', 'refused']) expect(statuses, s).toContain(s);
    expect(rows.filter((r) => r.status === 'closed' && r.satisfaction === 'dissatisfied').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.status === 'closed' && r.satisfaction === 'satisfied').length).toBeGreaterThan(0);
    const now = t.clock.now();
    expect(rows.filter((r) => ['dispatched', 'handling'].includes(r.status) && r.due_at && new Date(r.due_at) < now).length).toBeGreaterThanOrEqual(3);
    // The steps happened at their own times: intake before reply, all in the past.
    const closed = await orderOf('water-out');
    expect(new Date(closed.created_at).getTime()).toBeLessThan(new Date(closed.replied_at!).getTime());
    expect(new Date(closed.closed_at!).getTime()).toBeLessThan(now.getTime());
    const history = await sql<{ n: number }>`SELECT count(*)::int AS n FROM wf_history WHERE instance_id = ${closed.instance_id}`.execute(t.core.db);
    expect(history.rows[0]!.n).toBeGreaterThanOrEqual(5);
  });

  it('the demo unit account signs for an order dispatched to its department', async () => {
    const o = await orderOf('water-meter');
    const unit = await t.core.db.selectFrom('department').select('id').where('code', '=', 'WH-SWJ').executeTakeFirstOrThrow();
    expect(o).toMatchObject({ status: 'dispatched', unit_department_id: unit.id });
    const inbox = (await as('wh_hotline_unit', 'GET', '/api/hotline/orders?view=unit')).json();
    expect(inbox.items.map((i: { id: string }) => i.id)).toContain(o.id);
    const r = await as('wh_hotline_unit', 'POST', `/api/hotline/orders/${o.id}/sign`, {});
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().status).toBe('handling');
    // Another unit's staff may not.
    const other = await orderOf('dibao');
    expect((await as('wh_hotline_unit', 'POST', `/api/hotline/orders/${other.id}/sign`, {})).statusCode).toBe(404);
  });

  it('the knowledge base answers a caller\'s words and suggests while typing', async () => {
    const s = (await as('wh_hotline_operator', 'GET', `/api/hotline/kb/search?q=${encodeURIComponent('公积金怎么取出来')}`)).json();
    expect(s.items[0].title).toBe('住房公积金提取办事指南');
    const g = (await as('wh_hotline_operator', 'GET', `/api/hotline/kb/suggest?q=${encodeURIComponent('家里停电了')}`)).json();
    expect(g.items.map((i: { title: string }) => i.title)).toContain('停电报修与停电信息查询');
  });

  it('gives the supervisor figures for 五华区 and 昆明市', async () => {
    for (const division of ['530102', '530100']) {
      const r = await as('km_hotline_dispatcher', 'GET', `/api/hotline/stats?division=${division}&from=2026-11-13&to=${TODAY}`);
      expect(r.statusCode, r.body).toBe(200);
      const s = r.json();
      for (const k of ['orders', 'refused', 'replied', 'signed', 'callbacks', 'overdueOpen']) expect(s[k], `${division} ${k}`).toBeGreaterThan(0);
      expect(s.onTimeRate).toBeGreaterThan(0);
      expect(s.onTimeRate).toBeLessThan(1);
      expect(s.satisfactionRate).toBeGreaterThan(0);
      expect(s.satisfactionRate).toBeLessThan(1);
      expect(s.responseHours).toBeGreaterThan(0);
    }
  });

  it('suggests units by rule, and gives the dispatch model answered orders to learn from', async () => {
    const o = await orderOf('expired-food');
    const s = (await as('wh_hotline_dispatcher', 'GET', `/api/hotline/orders/${o.id}/dispatch-suggestions`)).json();
    expect(s.items[0]).toMatchObject({ name: '五华区市场监督管理局', source: 'rule' });
    expect(s.trainedOn).toBeGreaterThanOrEqual(15);
    const acc = await dispatchAccuracy(t.core, '530100');
    expect(acc.trained + acc.tested).toBeGreaterThanOrEqual(15);
  });

  it('fires 督办 for the overdue orders once the seed settles, and tells the unit\'s liaison', async () => {
    await settleDemo(t.core);
    const o = await orderOf('transfer-school');
    const rungs = await t.core.db.selectFrom('hotline_supervision').select('kind').where('order_id', '=', o.id).execute();
    expect(rungs.map((r) => r.kind)).toContain('urge');
    const liaison = await t.core.db.selectFrom('account').select('id').where('username', '=', 'wh_jtj_liaison').executeTakeFirstOrThrow();
    const sent = await t.core.db.selectFrom('notification').select(['channel', 'body']).where('account_id', '=', liaison.id).where('template_key', '=', 'hotline.order-urged').execute();
    expect(sent.map((n) => n.channel).sort()).toEqual(['inbox', 'sms']);
    expect(sent.every((n) => n.body.includes(o.number) && !n.body.includes('叶青'))).toBe(true);
    const closed = await orderOf('water-out');
    expect(await t.core.db.selectFrom('hotline_supervision').select('kind').where('order_id', '=', closed.id).execute()).toEqual([]);
  });

  it('a second seed adds nothing', async () => {
    const count = async () => {
      const n: Record<string, number> = {};
      for (const table of ['department', 'org_post', 'account', 'role_assignment', 'hotline_dispatch_rule', 'hotline_kb_entry', 'hotline_order', 'hotline_return', 'hotline_extension', 'wf_instance']) {
        n[table] = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(t.core.db)).rows[0]!.n;
      }
      n.hotlineAudit = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE request_id = 'seed:hotline-demo' OR action LIKE 'hotline.%' OR action LIKE 'org.%'`.execute(t.core.db)).rows[0]!.n;
      return n;
    };
    const before = await count();
    expect(before.hotline_order).toBe(DEMO_ORDERS.length);
    const again = await seedDemo(t.core);
    expect(again.map((a) => a.username).sort()).toEqual(accounts.map((a) => a.username).sort());
    expect(await count()).toEqual(before);
  }, 300_000);
});
