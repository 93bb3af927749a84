// The demo 12345 centre (the `hotline` seeder): handling units of 五华区 and 昆明市 with their
// liaisons and unit accounts, dispatch rules, the demo knowledge base published for 昆明市, and
// ~45 work orders over the last 14 Beijing days. Everything goes through the service functions
// (org, identity, intake, lifecycle), so audit entries, events, workflow cases and 督办 jobs are
// the real ones. Idempotent: what exists is left alone, so a second run writes nothing.
//
// Time: each order step runs at its own moment in the past. For the seed only, `core.clock` is
// replaced by one that answers a demo time inside this async call chain (AsyncLocalStorage) and
// the real time everywhere else — the job workers of a server seeding its first start keep the
// real clock, and so do the job queue and the outbox, which hold the clock they were built with
// (a 督办 rung whose time has passed is due at once, as it would be after a real outage).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '../../core/index.js';
import { ManualClock, type Clock } from '../../core/clock.js';
import type { DemoAccount } from '../../seed.js';
import { createAccount } from '../../platform/identity/accounts.js';
import { loadPrincipal } from '../../platform/identity/principal.js';
import { DEMO_PASSWORD } from '../../platform/identity/seed.js';
import { createDepartment, createPost, LIAISON_POST } from '../../platform/org/index.js';
import { ensureBuiltinTemplates } from '../../platform/notify/index.js';
import type { Caller } from './access.js';
import { DEMO_ORDERS, type DemoOrder, type DemoStep } from './demo-orders.js';
import { DEMO_RULES, DEMO_UNITS, liaisonUsername } from './demo-units.js';
import { setDispatchRule } from './dispatch-suggest.js';
import { createOrder } from './intake.js';
import { DEMO_KB, loadDemoKb } from './kb-demo.js';
import * as life from './lifecycle.js';

const SEED = { id: 'system:seed' };
/** Marks every audit entry and event the demo writes (audit_log.request_id, outbox.request_id). */
const REQUEST_ID = 'seed:hotline-demo';
/** The knowledge base is 昆明市's: its entries name 昆明市 bodies, and 五华区 sees its ancestors' entries. */
export const DEMO_KB_DIVISION = '530100';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CST = 8 * HOUR;

export async function seedHotlineDemo(core: Core): Promise<DemoAccount[]> {
  // The demo's steps notify people (task assigned, 督办 to liaisons) in their own transactions, and
  // `yunling seed` / the first-start child settle them without ever building the app, which is
  // where the built-in message templates are otherwise published. Idempotent.
  await ensureBuiltinTemplates(core);
  const callers = callerCache(core);
  const units = await seedUnits(core, callers);
  await seedRules(core, callers, units);
  await loadDemoKb(core, core.db, DEMO_KB_DIVISION);
  await atDemoTime(core, (clock) => seedOrders(core, clock, callers, units));
  return DEMO_UNITS.filter((u) => u.login).map((u) => ({ role: 'hotline_unit', username: u.login!, password: DEMO_PASSWORD, division: u.division }));
}

function callerCache(core: Core) {
  const cache = new Map<string, Caller>();
  return async (username: string): Promise<Caller> => {
    let c = cache.get(username);
    if (!c) {
      const a = await core.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow();
      const principal = (await loadPrincipal(core, a.id, { mfa: true }))!;
      c = { principal, actor: { id: principal.id, requestId: REQUEST_ID }, lang: 'zh-CN' };
      cache.set(username, c);
    }
    return c;
  };
}
type Callers = ReturnType<typeof callerCache>;
type Units = Map<string, { id: string; division: string; staff: string }>;

const deskAdmin = (division: string) => (division === '530102' ? 'wh_department_admin' : 'km_department_admin');

/** Departments (by the division's department administrator), their 联络员 post, and the liaison's account. */
async function seedUnits(core: Core, callers: Callers): Promise<Units> {
  const units: Units = new Map();
  for (const u of DEMO_UNITS) {
    const admin = await callers(deskAdmin(u.division));
    let dept = await core.db.selectFrom('department').select('id').where('division', '=', u.division).where('code', '=', u.code).executeTakeFirst();
    if (!dept) dept = await createDepartment(core, admin, { division: u.division, code: u.code, name: u.name });
    if (!(await core.db.selectFrom('org_post').select('id').where('department_id', '=', dept.id).where('name', '=', LIAISON_POST).executeTakeFirst())) {
      await createPost(core, admin, dept.id, LIAISON_POST);
    }
    const username = liaisonUsername(u);
    if (!(await core.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirst())) {
      await createAccount(core, SEED, {
        type: 'staff', username, name: u.liaison.name, division: u.division, mobile: u.liaison.mobile, roles: ['hotline_unit'],
        departmentId: dept.id, post: LIAISON_POST, ...(u.login ? { password: DEMO_PASSWORD } : {}),
      });
    }
    units.set(u.code, { id: dept.id, division: u.division, staff: username });
  }
  return units;
}

async function seedRules(core: Core, callers: Callers, units: Units) {
  const have = new Set((await core.db.selectFrom('hotline_dispatch_rule').select(['division', 'category_prefix']).execute()).map((r) => `${r.division}:${r.category_prefix}`));
  for (const [division, categoryPrefix, unit] of DEMO_RULES) {
    if (have.has(`${division}:${categoryPrefix}`)) continue;
    await setDispatchRule(core, await callers(deskAdmin(division)), { division, categoryPrefix, departmentId: units.get(unit)!.id });
  }
}

/** Runs `fn` with a demo clock that only this async call chain sees; restores the real clock after. */
export async function atDemoTime<T>(core: Core, fn: (clock: ManualClock) => Promise<T>): Promise<T> {
  const real = core.clock;
  const demo = new ManualClock(real.now());
  const scope = new AsyncLocalStorage<Clock>();
  core.clock = { now: () => (scope.getStore() ?? real).now() };
  try {
    return await scope.run(demo, () => fn(demo));
  } finally {
    core.clock = real;
  }
}

interface Action { at: number; order: DemoOrder; step: DemoStep | null; seq: number }

/** Every order's intake and steps at their times: `daysAgo` at `at` Beijing time, moved a day earlier until its last step lies in the past. */
export function demoTimeline(now: Date, orders: DemoOrder[] = DEMO_ORDERS): Action[] {
  const today = Math.floor((now.getTime() + CST) / DAY) * DAY - CST;
  const latest = now.getTime() - 10 * 60_000;
  const actions: Action[] = [];
  let seq = 0;
  for (const order of orders) {
    const [hh, mm] = order.at.split(':').map(Number) as [number, number];
    let t = today - order.daysAgo * DAY + (hh * 60 + mm) * 60_000;
    const span = order.steps.reduce((s, x) => s + x.h * HOUR, 0);
    while (t + span > latest) t -= DAY;
    actions.push({ at: t, order, step: null, seq: seq++ });
    for (const step of order.steps) {
      t += Math.round(step.h * HOUR);
      actions.push({ at: t, order, step, seq: seq++ });
    }
  }
  return actions.sort((a, b) => a.at - b.at || a.seq - b.seq);
}

async function seedOrders(core: Core, clock: ManualClock, callers: Callers, units: Units) {
  const keys = DEMO_ORDERS.map((o) => `demo:${o.key}`);
  const done = new Set((await core.db.selectFrom('hotline_order').select('idempotency_key').where('idempotency_key', 'in', keys).execute()).map((r) => r.idempotency_key));
  const todo = DEMO_ORDERS.filter((o) => !done.has(`demo:${o.key}`));
  if (!todo.length) return;
  const kb = new Map(DEMO_KB.map((e) => [e.key, e.content]));
  const state = new Map<string, { id: string; unit: string | null; dispatcher: string }>();
  const unitCaller = (s: { unit: string | null }) => callers(units.get(s.unit!)!.staff);
  for (const { at, order: o, step } of demoTimeline(clock.now(), todo)) {
    clock.set(new Date(at));
    const operator = await callers(`${o.desk}_hotline_operator`);
    if (!step) {
      const r = await createOrder(core, operator, {
        channel: o.channel, demandType: o.demandType, categoryCode: o.category, title: o.title, content: o.content, urgency: o.urgent ? 'urgent' : 'normal',
        caller: { name: o.caller[0], phone: o.caller[1] }, location: { division: o.division, address: o.address }, ...(o.refusal ? { refusal: o.refusal } : {}),
      }, `demo:${o.key}`);
      state.set(o.key, { id: r.order.id, unit: null, dispatcher: `${o.desk}_hotline_dispatcher` });
      continue;
    }
    const s = state.get(o.key)!;
    const dispatcher = () => callers(s.dispatcher);
    switch (step.do) {
      case 'answer':
        await life.answerAtOnce(core, operator, s.id, { reply: kb.get(step.kb)! });
        break;
      case 'dispatch':
      case 'redispatch': {
        const unit = units.get(step.unit)!;
        // A 昆明市 unit is dispatched by the 昆明市 desk (a district dispatcher reaches only its district's units).
        if (unit.division === '530100') s.dispatcher = 'km_hotline_dispatcher';
        if (step.do === 'dispatch') await life.dispatch(core, await dispatcher(), s.id, { departmentId: unit.id });
        else await life.decideReturn(core, await dispatcher(), s.id, { decision: 'redispatch', departmentId: unit.id });
        s.unit = step.unit;
        break;
      }
      case 'sign':
        await life.signFor(core, await unitCaller(s), s.id);
        break;
      case 'return':
        await life.returnOrder(core, await unitCaller(s), s.id, { reasonCode: step.reason, legalBasis: step.basis });
        break;
      case 'extend':
        await life.requestExtension(core, await unitCaller(s), s.id, { workingDays: step.days, reason: step.reason, legalBasis: step.basis });
        break;
      case 'decide-extension':
        await life.decideExtension(core, await dispatcher(), s.id, { approve: step.approve });
        break;
      case 'reply':
        await life.reply(core, await unitCaller(s), s.id, { reply: step.text });
        break;
      case 'review':
        await life.review(core, await dispatcher(), s.id, { approve: true });
        break;
      case 'callback':
        await life.callback(core, operator, s.id, { satisfaction: step.satisfaction, unitAtFault: step.atFault, comment: step.comment });
        break;
    }
  }
}
