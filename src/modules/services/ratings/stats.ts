// Statistics (by item, department or division) for staff in scope, and the public results page
// (aggregates only, no personal data, no free text). Ratings excluded by an upheld appeal count
// nowhere. Definitions, all over the ratings created in [from, to] (Beijing days, inclusive):
//   satisfactionRate = 好评 (非常满意 + 满意 + 基本满意) / all ratings
//   rectifiedRate    = 差评 whose rectification is 办结 (after the callback) / 差评
//   callbackRate     = 差评 called back (回访 done, satisfied or not) / 差评
// A rate is null when its denominator is 0; rates are rounded to 4 decimals.
import { sql, type RawBuilder } from 'kysely';
import type { Core } from '../../../core/index.js';
import type { Principal } from '../../../core/http/auth.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { getDivision, scopePrefix } from '../../../core/divisions/service.js';
import { mayRead, readScopes } from './access.js';

export type GroupBy = 'item' | 'department' | 'division';

interface Counts { l5: number; l4: number; l3: number; l2: number; l1: number; total: number; bad: number; rectified: number; calledBack: number }

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function summarise(c: Counts) {
  return {
    total: c.total,
    levels: { 非常满意: c.l5, 满意: c.l4, 基本满意: c.l3, 不满意: c.l2, 非常不满意: c.l1 },
    good: c.l5 + c.l4 + c.l3, bad: c.bad, rectified: c.rectified, calledBack: c.calledBack,
    satisfactionRate: rate(c.l5 + c.l4 + c.l3, c.total), rectifiedRate: rate(c.rectified, c.bad), callbackRate: rate(c.calledBack, c.bad),
  };
}

const COUNTS = sql`
  count(*) FILTER (WHERE level = 5)::int AS l5, count(*) FILTER (WHERE level = 4)::int AS l4, count(*) FILTER (WHERE level = 3)::int AS l3,
  count(*) FILTER (WHERE level = 2)::int AS l2, count(*) FILTER (WHERE level = 1)::int AS l1, count(*)::int AS total,
  count(*) FILTER (WHERE bad)::int AS bad, count(*) FILTER (WHERE bad AND rectified)::int AS rectified,
  count(*) FILTER (WHERE bad AND callback_done)::int AS "calledBack"`;

const KEYS: Record<GroupBy, RawBuilder<unknown>> = {
  item: sql`coalesce(item_key, '')`,
  department: sql`department_code`,
  division: sql`division`,
};

/** Beijing calendar days → [from 00:00, to+1 00:00) in UTC instants. */
function range(from?: string, to?: string): { errors: FieldError[]; from?: Date; to?: Date } {
  const errors: FieldError[] = [];
  const f = from ? new Date(`${from}T00:00:00+08:00`) : undefined;
  const t = to ? new Date(new Date(`${to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined;
  if (f && t && f >= t) errors.push({ pointer: '/querystring/to', code: 'range', message: '结束日期不能早于开始日期 / `to` is before `from`' });
  return { errors, from: f, to: t };
}

async function aggregate(core: Core, scopes: string[], opts: { groupBy?: GroupBy; from?: Date; to?: Date }) {
  if (!scopes.length) return { totals: summarise({ l5: 0, l4: 0, l3: 0, l2: 0, l1: 0, total: 0, bad: 0, rectified: 0, calledBack: 0 }), groups: [], excluded: 0 };
  const where = sql.join([
    sql`(${sql.join(scopes.map((s) => sql`division LIKE ${scopePrefix(s) + '%'}`), sql` OR `)})`,
    ...(opts.from ? [sql`created_at >= ${opts.from}`] : []),
    ...(opts.to ? [sql`created_at < ${opts.to}`] : []),
  ], sql` AND `);
  const totals = (await sql<Counts & { excluded: number }>`SELECT ${COUNTS}, 0 AS excluded FROM svc_rating WHERE ${where} AND NOT excluded`.execute(core.db)).rows[0]!;
  const excluded = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM svc_rating WHERE ${where} AND excluded`.execute(core.db)).rows[0]!.n;
  let groups: Array<{ key: string; name: string | null } & ReturnType<typeof summarise>> = [];
  if (opts.groupBy) {
    const key = KEYS[opts.groupBy];
    const rows = (await sql<Counts & { key: string; name: string | null }>`SELECT ${key} AS key, max(item_name) AS name, ${COUNTS}
      FROM svc_rating WHERE ${where} AND NOT excluded GROUP BY 1 ORDER BY 1`.execute(core.db)).rows;
    const names = opts.groupBy === 'item' ? null : await namesFor(core, opts.groupBy, rows.map((r) => r.key));
    groups = rows.map((r) => ({ key: r.key, name: names ? (names.get(r.key) ?? null) : (r.key === '' ? '窗口服务（无具体事项）' : r.name), ...summarise(r) }));
  }
  return { totals: summarise(totals), groups, excluded };
}

async function namesFor(core: Core, groupBy: 'department' | 'division', keys: string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  if (groupBy === 'division') {
    const rows = await core.db.selectFrom('division').select(['code', 'name']).where('code', 'in', keys).execute();
    return new Map(rows.map((r) => [r.code, r.name]));
  }
  const rows = await core.db.selectFrom('department').select(['code', 'name']).where('code', 'in', keys).orderBy('division').execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

export async function ratingStats(core: Core, p: Principal, q: { division?: string; groupBy?: GroupBy; from?: string; to?: string }) {
  const r = range(q.from, q.to);
  if (r.errors.length) throw new AppError('VALIDATION_FAILED', { 'zh-CN': '统计区间不正确', en: 'Invalid date range' }, r.errors);
  if (q.division && !mayRead(p, q.division)) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权查看行政区划 ${q.division} 的数据`, en: `You may not read division ${q.division}` });
  const scopes = readScopes(p);
  // With a division: that subtree (already checked to be inside the caller's scopes); without: all of them.
  const effective = q.division ? [q.division] : scopes;
  const out = await aggregate(core, effective, { groupBy: q.groupBy ?? 'division', from: r.from, to: r.to });
  return { division: q.division ?? null, groupBy: q.groupBy ?? 'division', from: q.from ?? null, to: q.to ?? null, ...out };
}

/** The public results page: aggregates for a division (default the province), no personal data. */
export async function publicResults(core: Core, division = '530000') {
  const d = await getDivision(core.db, division);
  if (!d) throw new AppError('DIVISION_NOT_FOUND');
  const [byDepartment, byItem] = await Promise.all([aggregate(core, [division], { groupBy: 'department' }), aggregate(core, [division], { groupBy: 'item' })]);
  return { division, divisionName: d.name, totals: byDepartment.totals, byDepartment: byDepartment.groups, byItem: byItem.groups };
}
