// What the screen loads: the viewer's divisions (from their role grants), the figures of 政务服务
// (workflow counts, applications per status and top items, 好差评 stats) and of 12345 (hotline stats
// for the period and per day). Every figure is scoped on the server as well; a figure the viewer may
// not read comes back as a 403 and that card says so.
import { api, unwrap } from '../../api/client';

export interface Division {
  code: string;
  name: string;
  level: string;
}

/** GB/T 2260: 53 / 5301 / 530102 — the prefix a code's subtree shares. */
const prefixOf = (code: string) => code.replace(/(00)+$/, '');

/** The top divisions a viewer may see: their grants, minus those inside another grant. */
export function scopeRoots(grants: ReadonlyArray<{ division: string }>): string[] {
  const codes = [...new Set(grants.map((g) => g.division).filter((c) => /^\d{6}$/.test(c)))].sort();
  return codes.filter((c) => !codes.some((o) => o !== c && c.startsWith(prefixOf(o))));
}

export const getDivision = async (code: string): Promise<Division> => unwrap(api.GET('/api/divisions/{code}', { params: { path: { code } } }));

/** Children to drill into: only down to the county (区县) level. */
export async function childrenOf(d: Division): Promise<Division[]> {
  if (d.level !== 'province' && d.level !== 'prefecture') return [];
  return (await unwrap(api.GET('/api/divisions', { params: { query: { parent: d.code } } }))).items;
}

export const APP_STATUSES = ['submitted', 'processing', 'correction', 'completed'] as const;
export const RECENT = 100;

export const workflowCounts = async (division: string) =>
  (await unwrap(api.GET('/api/workflow/counts', { params: { query: { division } } }))).items;

/** Applications per status in the viewer's scope (the list API has no division filter yet). */
export async function applicationsByStatus(): Promise<number[]> {
  return Promise.all(APP_STATUSES.map(async (status) =>
    (await unwrap(api.GET('/api/services/applications', { params: { query: { status, limit: 1, offset: 0 } } })) as unknown as { total: number }).total));
}

/** The most applied-for items among the latest applications. */
export async function topItems(n = 8): Promise<Array<{ name: string; count: number }>> {
  const r = (await unwrap(api.GET('/api/services/applications', { params: { query: { limit: RECENT, offset: 0 } } }))) as unknown as { items: Array<{ itemName: string | null; itemKey: string }> };
  const counts = new Map<string, number>();
  for (const a of r.items) counts.set(a.itemName ?? a.itemKey, (counts.get(a.itemName ?? a.itemKey) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, n);
}

export const ratingStats = async (division: string) =>
  (await unwrap(api.GET('/api/services/ratings/stats', { params: { query: { division } } }))).totals;

/** GET /api/hotline/stats (its route declares no response schema yet, so the shape is written here). */
export interface HotlineStats {
  orders: number;
  refused: number;
  overdueOpen: number;
  byDemandType: Record<string, number>;
  byChannel: Record<string, number>;
  byStatus: Record<string, number>;
  hotCategories: Record<string, number>;
  onTimeRate: number | null;
  responseHours: number | null;
  satisfactionRate: number | null;
}

/** A Beijing calendar day, `days` before today. */
export function beijingDay(daysAgo: number, now = Date.now()): string {
  return new Date(now + 8 * 3_600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

export const hotlineStats = async (division: string, from: string, to: string) =>
  (await unwrap(api.GET('/api/hotline/stats', { params: { query: { division, from, to } } }))) as unknown as HotlineStats;

export const PERIOD_DAYS = 30;
export const TREND_DAYS = 7;

/** Orders per day for the last week: one stats call per day (the API has no per-day series yet). */
export async function hotlinePerDay(division: string): Promise<Array<{ day: string; orders: number }>> {
  const days = Array.from({ length: TREND_DAYS }, (_, i) => beijingDay(TREND_DAYS - 1 - i));
  return Promise.all(days.map(async (day) => ({ day, orders: (await hotlineStats(division, day, day)).orders })));
}
