// 一网统管 figures pushed, not only pulled (stats.ts): every night the job `hotline.figures.daily`
// computes yesterday's figures (Beijing day) for each county-level division that had orders —
// orders, on-time rate, response time, satisfaction, overdue open orders and the hot words of the
// orders' titles — and emits one outbox event `hotline.figures.daily` per division (NATS, webhooks
// and dashboards read the outbox); then it schedules itself for the next night. The first order a
// node accepts schedules it (ensureFiguresOnce). The same figures
// for *today* are Prometheus gauges on /metrics (registerHotlineMetrics).
import { sql } from 'kysely';
import client from 'prom-client';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { emit } from '../../core/audit/record.js';
import { queryWords } from '../../platform/search/index.js';

export const FIGURES_JOB = 'hotline.figures.daily';
const FIGURES_KEY = 'hotline:figures:daily';
/** 00:10 Beijing time: yesterday is over everywhere in the province. */
const RUN_AT_MINUTES = 10;
const DAY_MS = 86_400_000;
const CST = 8 * 3_600_000;

export interface DailyFigures {
  division: string; day: string; orders: number; refused: number; replied: number; onTimeRate: number | null; signed: number; responseHours: number | null;
  callbacks: number; satisfactionRate: number | null; overdueOpen: number; hotWords: Array<{ word: string; n: number }>;
}

const rate = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
/** The Beijing civil day of an instant, and that day's [start, end). */
export const beijingDay = (at: Date) => new Date(at.getTime() + CST).toISOString().slice(0, 10);
const dayRange = (day: string) => { const start = new Date(`${day}T00:00:00+08:00`); return { start, end: new Date(start.getTime() + DAY_MS) }; };

// Words every order says and no leader needs on a hot-word list: how callers and operators write
// (反映, 一直, 希望尽快解决…), and spans of time (两天, 三个月, 半年).
const FILLERS = new Set([
  '一直', '已经', '现在', '目前', '至今', '还是', '总是', '经常', '每天', '天天', '最近', '今天', '昨天', '晚上', '早上', '白天', '这个', '那个', '这样', '那么',
  '反映', '反应', '来电', '市民', '群众', '诉求', '问题', '情况', '事情', '投诉', '举报', '咨询', '建议', '求助', '表扬', '希望', '要求', '尽快', '解决', '处理',
  '相关', '部门', '有关', '单位', '导致', '造成', '影响', '严重', '不能', '无法', '没人', '不给', '一下', '多次', '好几', '小区', '附近', '门口',
]);
const TIME_SPAN = /^[一二两三四五六七八九十几半多数]+(天|日|个月|月|年|周|星期|次|小时|分钟)$/u;

/** The most frequent words (jieba, ≥ 2 characters, no filler words) of the orders' titles. */
export function hotWords(titles: string[], top = 10): Array<{ word: string; n: number }> {
  const n = new Map<string, number>();
  for (const t of titles) {
    const seen = new Set(t.split(/[^\p{Script=Han}]+/u).filter(Boolean).flatMap((run) => queryWords(run))
      .filter((w) => [...w].length >= 2 && !FILLERS.has(w) && !TIME_SPAN.test(w)));
    for (const w of seen) n.set(w, (n.get(w) ?? 0) + 1);
  }
  return [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top).map(([word, k]) => ({ word, n: k }));
}

/** Figures per county-level division (first 6 digits) for orders created in [start, end). */
async function byDivision(ex: Executor, start: Date, end: Date, now: Date) {
  return (await sql<Record<string, string | number | null>>`
    SELECT left(division, 6) AS division, count(*)::int AS orders,
      count(*) FILTER (WHERE status = 'refused')::int AS refused,
      count(*) FILTER (WHERE replied_at IS NOT NULL AND due_at IS NOT NULL)::int AS replied,
      count(*) FILTER (WHERE replied_at IS NOT NULL AND replied_at <= due_at)::int AS on_time,
      count(*) FILTER (WHERE status NOT IN ('closed','answered','merged','refused','transferred') AND due_at < ${now})::int AS overdue_open,
      count(signed_at)::int AS signed, avg(extract(epoch FROM signed_at - created_at)) / 3600 AS response_hours,
      count(satisfaction)::int AS callbacks, count(*) FILTER (WHERE satisfaction IN ('satisfied','basically-satisfied'))::int AS satisfied
    FROM hotline_order WHERE created_at >= ${start} AND created_at < ${end} GROUP BY 1 ORDER BY 1`.execute(ex)).rows;
}

/** One Beijing day's figures for every county-level division that had orders. */
export async function dailyFigures(core: Core, ex: Executor, day: string): Promise<DailyFigures[]> {
  const { start, end } = dayRange(day);
  const out: DailyFigures[] = [];
  for (const r of await byDivision(ex, start, end, core.clock.now())) {
    const n = (k: string) => Number(r[k] ?? 0);
    const titles = (await sql<{ title: string }>`SELECT title FROM hotline_order WHERE division LIKE ${`${r.division}%`} AND created_at >= ${start} AND created_at < ${end} LIMIT 5000`.execute(ex)).rows.map((x) => x.title);
    out.push({
      division: String(r.division), day, orders: n('orders'), refused: n('refused'), replied: n('replied'), onTimeRate: rate(n('on_time'), n('replied')),
      signed: n('signed'), responseHours: r.response_hours === null ? null : Math.round(Number(r.response_hours) * 10) / 10,
      callbacks: n('callbacks'), satisfactionRate: rate(n('satisfied'), n('callbacks')), overdueOpen: n('overdue_open'), hotWords: hotWords(titles),
    });
  }
  return out;
}

/** Next 00:10 Beijing time after `now`. */
export function nextFiguresRun(now: Date): Date {
  const { start } = dayRange(beijingDay(now));
  const today = new Date(start.getTime() + RUN_AT_MINUTES * 60_000);
  return today > now ? today : new Date(today.getTime() + DAY_MS);
}

/** Keeps the nightly job pending (idempotent: one job per key). */
export async function ensureFiguresJob(core: Core, ex: Executor = core.db): Promise<void> {
  await core.jobs.schedule(ex, FIGURES_JOB, {}, { at: nextFiguresRun(core.clock.now()) }, { key: FIGURES_KEY });
}

const ensured = new WeakSet<Core>();
/**
 * The first order a node accepts makes sure the nightly job is pending (once per Core; the job
 * then reschedules itself). Not at start-up: a node that never takes orders has no figures, and
 * an app started for something else must not find a hotline job in its queue.
 */
export async function ensureFiguresOnce(core: Core): Promise<void> {
  if (ensured.has(core)) return;
  ensured.add(core);
  await ensureFiguresJob(core).catch((err) => { ensured.delete(core); throw err; });
}

/** Emits yesterday's figures (one event per division), in one transaction; returns them. */
export async function emitDailyFigures(core: Core, day = beijingDay(new Date(core.clock.now().getTime() - DAY_MS))): Promise<DailyFigures[]> {
  return core.db.transaction().execute(async (tx) => {
    const figures = await dailyFigures(core, tx, day);
    for (const f of figures) await emit(tx, { id: 'system:hotline' }, { type: FIGURES_JOB, aggregate: { type: 'hotline.figures', id: `${f.division}:${day}` }, division: f.division, payload: { ...f } });
    return figures;
  });
}

export function registerFigures(core: Core): void {
  core.jobs.define(FIGURES_JOB, {
    handler: async () => {
      await emitDailyFigures(core);
      await ensureFiguresJob(core);
    },
  });
}

/** Today's figures per county-level division as Prometheus gauges, read when /metrics is scraped. */
export function registerHotlineMetrics(core: Core, registry: client.Registry): void {
  // One query per scrape for all five gauges (the registry collects them concurrently).
  // The gauges are collected together (the registry starts every collect in the same tick): they
  // share one query while it runs; the next scrape queries again.
  let pending: Promise<Array<Record<string, string | number | null>>> | null = null;
  const rows = () => {
    if (!pending) {
      const now = core.clock.now();
      const { start, end } = dayRange(beijingDay(now));
      pending = byDivision(core.db, start, end, now).finally(() => { pending = null; });
    }
    return pending;
  };
  const gauge = (name: string, help: string, value: (n: (k: string) => number, r: Record<string, string | number | null>) => number | null) =>
    new client.Gauge({
      name, help, labelNames: ['division'] as const, registers: [registry],
      async collect() {
        this.reset();
        for (const r of await rows()) {
          const v = value((k) => Number(r[k] ?? 0), r);
          if (v !== null) this.set({ division: String(r.division) }, v);
        }
      },
    });
  gauge('yunling_hotline_orders_today', '12345 orders accepted today (Beijing day) per county-level division', (n) => n('orders'));
  gauge('yunling_hotline_on_time_rate_today', 'Share of today\'s replied orders replied by their deadline', (n) => rate(n('on_time'), n('replied')));
  gauge('yunling_hotline_response_hours_today', 'Mean hours from intake to sign-for of today\'s orders', (_n, r) => (r.response_hours === null ? null : Number(r.response_hours)));
  gauge('yunling_hotline_satisfaction_rate_today', 'Share of today\'s callbacks satisfied or basically satisfied', (n) => rate(n('satisfied'), n('callbacks')));
  gauge('yunling_hotline_overdue_open_today', 'Today\'s orders still open past their deadline', (n) => n('overdue_open'));
}
