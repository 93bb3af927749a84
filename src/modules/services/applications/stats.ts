// 一网统管 figures for 政务服务: applications per status, per Beijing day, per child division (the
// screen's drill-down bars) and the most applied-for items, for one division subtree and period —
// counted in SQL over the whole period (GROUP BY), never from a sample. Scoped like the staff list:
// an application belongs to a division when its handling **or** its accepting division lies in it
// (收受分离: both offices count it). Bundle parents (一件事一次办) have no case and are not counted;
// their children are.
import { sql, type RawBuilder } from 'kysely';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { scopesFor } from '../../../core/http/auth.js';
import { childDivisions, getDivision, isWithin, scopePrefix, type Division } from '../../../core/divisions/service.js';
import { READ_PERMISSIONS, staffMayRead, type Caller } from './access.js';
import { caller, tags } from './routes.js';
import type { AppStatus } from './tables.js';
import { readPeriod } from '../../../core/calendar/period.js';

const STATUSES: readonly AppStatus[] = ['submitted', 'processing', 'correction', 'completed'];

/** The caller's top divisions for reading cases (a grant inside another grant adds nothing). */
function rootScopes(caller: Caller): string[] {
  const all = [...new Set(READ_PERMISSIONS.flatMap((perm) => scopesFor(caller.principal, perm)))].sort();
  return all.filter((c) => !all.some((o) => o !== c && isWithin(c, o)));
}

/** Children to draw as bars: prefectures of a province, counties of a prefecture — never below the county. */
export async function drillChildren(core: Core, d: Division): Promise<Division[]> {
  return d.level === 'province' || d.level === 'prefecture' ? childDivisions(core.db, d.code) : [];
}

/** Applications whose handling or accepting division lies in one of `prefixes` (SQL, alias `a`). */
const inPrefixes = (prefixes: string[]): RawBuilder<boolean> =>
  prefixes.length ? sql<boolean>`(${sql.join(prefixes.map((p) => sql`a.handling_division LIKE ${p + '%'} OR a.division LIKE ${p + '%'}`), sql` OR `)})` : sql<boolean>`false`;

export interface ApplicationStatsQuery { division?: string; from?: string; to?: string }

export async function applicationStats(core: Core, caller: Caller, q: ApplicationStatsQuery) {
  const now = core.clock.now();
  const divisionProblem: FieldError[] = [];
  const division = q.division ? await getDivision(core.db, q.division) : null;
  if (q.division && !division) divisionProblem.push({ pointer: '/query/division', code: 'unknown', message: caller.lang === 'zh-CN' ? '行政区划不存在' : 'No such division' });
  const { period, errors: periodProblems } = readPeriod(q, now, caller.lang);
  if (divisionProblem.length || !period) throw new AppError('VALIDATION_FAILED', undefined, [...divisionProblem, ...periodProblems]);
  if (division && !staffMayRead(caller.principal, division.code)) {
    throw new AppError('FORBIDDEN', { 'zh-CN': `您无权查看行政区划 ${division.code} 的办件数据`, en: `You may not read the applications of division ${division.code}` });
  }
  // Without a division: the caller's whole scope; one top division is the division itself, several are its bars.
  const roots = rootScopes(caller);
  if (!division && !roots.length) throw new AppError('FORBIDDEN', { 'zh-CN': '您没有可查看办件的行政区划', en: 'You may not read applications in any division' });
  const current = division ?? (roots.length === 1 ? await getDivision(core.db, roots[0]!) : null);
  const bars = current ? await drillChildren(core, current) : (await Promise.all(roots.map((r) => getDivision(core.db, r)))).filter((d): d is Division => !!d);
  const scope = inPrefixes(current ? [scopePrefix(current.code)] : roots.map(scopePrefix));

  const { start, end } = period;
  const cases = sql`a.instance_id IS NOT NULL AND ${scope}`;
  const inPeriod = sql`${cases} AND a.submitted_at >= ${start} AND a.submitted_at < ${end}`;
  // Overdue: still open and past the case's overall deadline — except in 补正, whose clock stands still.
  const overdue = sql`a.status NOT IN ('completed', 'correction') AND i.due_at < ${now}`;
  const beijing = (col: string) => sql`to_char((${sql.ref(col)} AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;

  const [totals, statusRows, submittedRows, completedRows, divisionRows, itemRows] = await Promise.all([
    sql<{ total: number; open: number; overdue: number }>`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE a.status <> 'completed')::int AS open, count(*) FILTER (WHERE ${overdue})::int AS overdue
      FROM svc_application a LEFT JOIN wf_instance i ON i.id = a.instance_id WHERE ${inPeriod}`.execute(core.db),
    sql<{ status: AppStatus; n: number }>`SELECT a.status, count(*)::int AS n FROM svc_application a WHERE ${inPeriod} GROUP BY 1`.execute(core.db),
    sql<{ day: string; n: number }>`SELECT ${beijing('a.submitted_at')} AS day, count(*)::int AS n FROM svc_application a WHERE ${inPeriod} GROUP BY 1`.execute(core.db),
    sql<{ day: string; n: number }>`SELECT ${beijing('a.completed_at')} AS day, count(*)::int AS n FROM svc_application a
      WHERE ${cases} AND a.completed_at >= ${start} AND a.completed_at < ${end} GROUP BY 1`.execute(core.db),
    bars.length
      ? sql<{ p: string; total: number; open: number; completed: number; overdue: number }>`
        SELECT ch.p, count(*)::int AS total, count(*) FILTER (WHERE a.status <> 'completed')::int AS open,
          count(*) FILTER (WHERE a.status = 'completed')::int AS completed, count(*) FILTER (WHERE ${overdue})::int AS overdue
        FROM svc_application a LEFT JOIN wf_instance i ON i.id = a.instance_id
        JOIN (VALUES ${sql.join(bars.map((b) => sql`(${scopePrefix(b.code)})`))}) AS ch(p) ON (a.handling_division LIKE ch.p || '%' OR a.division LIKE ch.p || '%')
        WHERE ${inPeriod} GROUP BY ch.p`.execute(core.db)
      : Promise.resolve({ rows: [] }),
    sql<{ item_key: string; name: string; n: number }>`
      SELECT a.item_key, (array_agg(a.item_name ORDER BY a.submitted_at DESC))[1] AS name, count(*)::int AS n
      FROM svc_application a WHERE ${inPeriod} GROUP BY a.item_key ORDER BY n DESC, a.item_key LIMIT 10`.execute(core.db),
  ]);
  const t = totals.rows[0]!;
  const byDay = (rows: Array<{ day: string; n: number }>) => new Map(rows.map((r) => [r.day, r.n]));
  const submitted = byDay(submittedRows.rows);
  const completed = byDay(completedRows.rows);
  const perDivision = new Map(divisionRows.rows.map((r) => [r.p, r]));
  return {
    division: current?.code ?? null, from: period.from, to: period.to,
    total: t.total, open: t.open, overdue: t.overdue,
    byStatus: Object.fromEntries(STATUSES.map((s) => [s, statusRows.rows.find((r) => r.status === s)?.n ?? 0])) as Record<AppStatus, number>,
    perDay: period.days.map((day) => ({ day, submitted: submitted.get(day) ?? 0, completed: completed.get(day) ?? 0 })),
    byDivision: bars.map((b) => {
      const r = perDivision.get(scopePrefix(b.code));
      return { division: b.code, name: b.name, level: b.level, total: r?.total ?? 0, open: r?.open ?? 0, completed: r?.completed ?? 0, overdue: r?.overdue ?? 0 };
    }),
    topItems: itemRows.rows.map((r) => ({ itemKey: r.item_key, name: r.name, count: r.n })),
  };
}

const Int = Type.Integer({ minimum: 0 });
const Day = Type.String({ format: 'date' });
export const ApplicationStatsOut = Type.Object({
  division: Type.Union([Type.String(), Type.Null()], { description: '统计的行政区划；未指定且有多个辖区时为 null（byDivision 为各辖区）' }),
  from: Day, to: Day,
  total: Int, open: Type.Integer({ minimum: 0, description: '期间提交、尚未办结' }), overdue: Type.Integer({ minimum: 0, description: '尚未办结且已过总时限（补正期间不计）' }),
  byStatus: Type.Object({ submitted: Int, processing: Int, correction: Int, completed: Int }),
  perDay: Type.Array(Type.Object({ day: Day, submitted: Int, completed: Int }), { description: '每个北京时间日：当日提交数、当日办结数' }),
  byDivision: Type.Array(Type.Object({
    division: Type.String(), name: Type.String(), level: Type.String(), total: Int, open: Int, completed: Int, overdue: Int,
  }), { description: '下级行政区划（至区县为止），按办理地或收件地计' }),
  topItems: Type.Array(Type.Object({ itemKey: Type.String(), name: Type.String(), count: Int }), { description: '期间申请最多的事项（前 10）' }),
});

// Registered by routes.ts (one line); `caller` and `tags` are that file's.
export const applicationStatsRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/services/applications/stats', {
    config: { permission: 'services:case.read' },
    schema: {
      tags, summary: '一网统管 办件指标 Applications per status, day, child division and item, for a division and period (Beijing dates, inclusive; default: your area, last 30 days)',
      querystring: Type.Object({
        division: Type.Optional(Type.String({ maxLength: 12, description: '行政区划代码（默认：本人辖区）' })),
        from: Type.Optional(Type.String({ maxLength: 10, description: '开始日期 YYYY-MM-DD（北京时间，含）' })),
        to: Type.Optional(Type.String({ maxLength: 10, description: '结束日期 YYYY-MM-DD（北京时间，含；不超过 366 天）' })),
      }),
      response: { 200: ApplicationStatsOut },
    },
  }, async (req) => applicationStats(core, caller(req), req.query as ApplicationStatsQuery));
};
