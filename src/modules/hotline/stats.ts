// Figures for 一网统管: per division subtree and period — orders by type/channel/status, on-time
// rate (replied or answered by the deadline), response time (intake → sign-for), satisfaction
// (回访 results), overdue open orders and the hottest categories. The per-order events in the
// outbox (hotline.order.accepted, .reply, .close, .urged…) feed streaming dashboards; this is the
// pull side.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { getDivision, scopePrefix } from '../../core/divisions/service.js';
import { assertMayIn, READ, type Caller } from './access.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function hotlineStats(core: Core, caller: Caller, q: { division: string; from: string; to: string }) {
  const errors = [];
  if (!/^\d{6}$/.test(q.division ?? '') || !(await getDivision(core.db, q.division))) errors.push({ pointer: '/querystring/division', code: 'unknown', message: '行政区划不存在' });
  for (const k of ['from', 'to'] as const) if (!DAY.test(q[k] ?? '') || Number.isNaN(Date.parse(q[k]))) errors.push({ pointer: `/querystring/${k}`, code: 'format', message: '日期格式须为 YYYY-MM-DD' });
  if (!errors.length && q.to < q.from) errors.push({ pointer: '/querystring/to', code: 'range', message: '结束日期不能早于开始日期' });
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  assertMayIn(caller.principal, READ, q.division);
  // Civil days in Beijing time: [from 00:00, to+1 00:00) CST.
  const start = new Date(`${q.from}T00:00:00+08:00`);
  const end = new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000);
  const now = core.clock.now();
  const inScope = sql`division LIKE ${scopePrefix(q.division) + '%'} AND created_at >= ${start} AND created_at < ${end}`;
  const totals = (await sql<Record<string, string | number | null>>`
    SELECT count(*)::int AS orders,
      count(*) FILTER (WHERE status = 'refused')::int AS refused,
      count(*) FILTER (WHERE replied_at IS NOT NULL AND due_at IS NOT NULL)::int AS replied,
      count(*) FILTER (WHERE replied_at IS NOT NULL AND replied_at <= due_at)::int AS on_time,
      count(*) FILTER (WHERE status NOT IN ('closed','answered','merged','refused','transferred') AND due_at < ${now})::int AS overdue_open,
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
    division: q.division, from: q.from, to: q.to,
    orders: n('orders'), refused: n('refused'), overdueOpen: n('overdue_open'),
    byDemandType: await group('demand_type'), byChannel: await group('channel'), byStatus: await group('status'), hotCategories: await group('category_path', 10),
    onTimeRate: rate(n('on_time'), n('replied')), replied: n('replied'),
    responseHours: totals.response_hours === null ? null : Math.round(Number(totals.response_hours) * 10) / 10, signed: n('signed'),
    satisfactionRate: rate(n('satisfied'), n('callbacks')), callbacks: n('callbacks'),
  };
}
