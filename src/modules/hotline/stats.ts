// Figures for 一网统管: per division subtree and period — orders by type/channel/status, on-time
// rate (replied or answered by the deadline), response time (intake → sign-for), satisfaction
// (回访 results), overdue open orders, the hottest categories, a series per Beijing day, the hot
// words of the orders' titles (jieba, figures.ts) and one row per child division (prefectures of a
// province, counties of a prefecture) for the screen's drill-down bars. The per-order events in the
// outbox (hotline.order.accepted, .reply, .close, .urged…) feed streaming dashboards; this is the
// pull side.
import { sql } from 'kysely';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { childDivisions, getDivision, scopePrefix } from '../../core/divisions/service.js';
import { assertMayIn, READ, type Caller } from './access.js';
import { hotWords } from './figures.js';
import { readPeriod } from '../../core/calendar/period.js';

const OPEN = sql`status NOT IN ('closed','answered','merged','refused','transferred')`;

export interface StatsQuery { division: string; from?: string; to?: string }

/**
 * Checks the query, reporting every bad field at once (division unknown; a date that is not a real
 * YYYY-MM-DD; from after to; over 366 days). Dates default to the last 30 Beijing days.
 */
async function checkQuery(core: Core, caller: Caller, q: StatsQuery) {
  const division = /^\d{6}$/.test(q.division ?? '') ? await getDivision(core.db, q.division) : null;
  const { period, errors } = readPeriod(q, core.clock.now(), caller.lang);
  if (!division) errors.unshift({ pointer: '/query/division', code: 'unknown', message: caller.lang === 'en' ? 'No such division' : '行政区划不存在' });
  if (!division || !period) throw new AppError('VALIDATION_FAILED', undefined, errors);
  return { ...period, division };
}

export async function hotlineStats(core: Core, caller: Caller, q: StatsQuery) {
  const { from, to, days, start, end, division } = await checkQuery(core, caller, q);
  assertMayIn(caller.principal, READ, division.code);
  // Civil days in Beijing time: [from 00:00, to+1 00:00) CST.
  const now = core.clock.now();
  const inScope = sql`division LIKE ${scopePrefix(division.code) + '%'} AND created_at >= ${start} AND created_at < ${end}`;
  const totals = (await sql<Record<string, string | number | null>>`
    SELECT count(*)::int AS orders,
      count(*) FILTER (WHERE status = 'refused')::int AS refused,
      count(*) FILTER (WHERE replied_at IS NOT NULL AND due_at IS NOT NULL)::int AS replied,
      count(*) FILTER (WHERE replied_at IS NOT NULL AND replied_at <= due_at)::int AS on_time,
      count(*) FILTER (WHERE ${OPEN} AND due_at < ${now})::int AS overdue_open,
      count(signed_at)::int AS signed,
      avg(extract(epoch FROM signed_at - created_at)) / 3600 AS response_hours,
      count(satisfaction)::int AS callbacks,
      count(*) FILTER (WHERE satisfaction IN ('satisfied','basically-satisfied'))::int AS satisfied
    FROM hotline_order WHERE ${inScope}`.execute(core.db)).rows[0]!;
  const group = async (col: 'demand_type' | 'channel' | 'status' | 'category_path', limit = 50) =>
    Object.fromEntries((await sql<{ k: string; n: number }>`SELECT ${sql.ref(col)} AS k, count(*)::int AS n FROM hotline_order WHERE ${inScope} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}`.execute(core.db)).rows.map((r) => [r.k, r.n]));
  const rate = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
  const n = (k: string) => Number(totals[k] ?? 0);
  return {
    division: division.code, from, to,
    orders: n('orders'), refused: n('refused'), overdueOpen: n('overdue_open'),
    byDemandType: await group('demand_type'), byChannel: await group('channel'), byStatus: await group('status'), hotCategories: await group('category_path', 10),
    onTimeRate: rate(n('on_time'), n('replied')), replied: n('replied'),
    responseHours: totals.response_hours === null ? null : Math.round(Number(totals.response_hours) * 10) / 10, signed: n('signed'),
    satisfactionRate: rate(n('satisfied'), n('callbacks')), callbacks: n('callbacks'),
    perDay: await perDay(core, inScope, days),
    // The newest 5,000 titles of the period: enough for a ranking, bounded for jieba on a province-wide year.
    hotWords: hotWords((await sql<{ title: string }>`SELECT title FROM hotline_order WHERE ${inScope} ORDER BY created_at DESC LIMIT 5000`.execute(core.db)).rows.map((r) => r.title), 20),
    byDivision: await byChildDivision(core, division, inScope, now),
  };
}

type Scope = ReturnType<typeof sql>;

/** One row per Beijing day of the period (days without orders included, as zeros). */
async function perDay(core: Core, inScope: Scope, days: string[]) {
  const rows = (await sql<{ day: string; orders: number; replied: number; on_time: number; satisfied: number; callbacks: number }>`
    SELECT to_char((created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS day, count(*)::int AS orders,
      count(*) FILTER (WHERE replied_at IS NOT NULL AND due_at IS NOT NULL)::int AS replied,
      count(*) FILTER (WHERE replied_at IS NOT NULL AND replied_at <= due_at)::int AS on_time,
      count(*) FILTER (WHERE satisfaction IN ('satisfied','basically-satisfied'))::int AS satisfied,
      count(satisfaction)::int AS callbacks
    FROM hotline_order WHERE ${inScope} GROUP BY 1`.execute(core.db)).rows;
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return days.map((day) => {
    const r = byDay.get(day);
    return { day, orders: r?.orders ?? 0, replied: r?.replied ?? 0, onTime: r?.on_time ?? 0, satisfied: r?.satisfied ?? 0, callbacks: r?.callbacks ?? 0 };
  });
}

/** The child divisions' figures (prefectures of a province, counties of a prefecture; none below a county). */
async function byChildDivision(core: Core, division: { code: string; level: string }, inScope: Scope, now: Date) {
  const children = division.level === 'province' || division.level === 'prefecture' ? await childDivisions(core.db, division.code) : [];
  if (!children.length) return [];
  const rows = (await sql<{ p: string; orders: number; open: number; overdue_open: number }>`
    SELECT ch.p, count(*)::int AS orders, count(*) FILTER (WHERE ${OPEN})::int AS open, count(*) FILTER (WHERE ${OPEN} AND due_at < ${now})::int AS overdue_open
    FROM hotline_order JOIN (VALUES ${sql.join(children.map((c) => sql`(${scopePrefix(c.code)})`))}) AS ch(p) ON division LIKE ch.p || '%'
    WHERE ${inScope} GROUP BY ch.p`.execute(core.db)).rows;
  const byPrefix = new Map(rows.map((r) => [r.p, r]));
  return children.map((c) => {
    const r = byPrefix.get(scopePrefix(c.code));
    return { division: c.code, name: c.name, level: c.level, orders: r?.orders ?? 0, open: r?.open ?? 0, overdueOpen: r?.overdue_open ?? 0 };
  });
}

const Int = Type.Integer({ minimum: 0 });
const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]);
const Counts = Type.Record(Type.String(), Int);
const Day = Type.String({ format: 'date' });
/** GET /api/hotline/stats — the response (the web app's types are generated from it). */
export const HotlineStatsOut = Type.Object({
  division: Type.String(), from: Day, to: Day,
  orders: Int, refused: Int, overdueOpen: Type.Integer({ minimum: 0, description: '期间受理、仍未办结且已超期' }),
  byDemandType: Counts, byChannel: Counts, byStatus: Counts, hotCategories: Type.Record(Type.String(), Int, { description: '分类路径 → 工单量（前 10）' }),
  onTimeRate: Rate, replied: Int, responseHours: Type.Union([Type.Number(), Type.Null()]), signed: Int, satisfactionRate: Rate, callbacks: Int,
  perDay: Type.Array(Type.Object({ day: Day, orders: Int, replied: Int, onTime: Int, satisfied: Int, callbacks: Int }), { description: '期间每个北京时间日（无工单的日子为 0）' }),
  hotWords: Type.Array(Type.Object({ word: Type.String(), n: Int }), { description: '工单标题的热词（结巴分词，≥ 2 字，每单计一次，前 20）' }),
  byDivision: Type.Array(Type.Object({ division: Type.String(), name: Type.String(), level: Type.String(), orders: Int, open: Int, overdueOpen: Int }), { description: '下级行政区划（至区县为止）' }),
});
