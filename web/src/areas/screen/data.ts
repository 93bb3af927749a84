// What the screen loads: the viewer's divisions (from their role grants), and per panel one call
// per figure API — 政务服务: open and overdue cases per workflow step with their names
// (/api/workflow/counts), applications per status, day, child division and item
// (/api/services/applications/stats), 好差评 (/api/services/ratings/stats); 12345: the hotline
// figures with their daily series, hot words and child divisions (/api/hotline/stats). Every figure
// is computed and scoped on the server; a figure the viewer may not read comes back as a 403 and that
// card says so. Types come from the generated API schema.
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
/** The period of the figures: the servers' default, the last 30 Beijing days (today included). */
export const PERIOD_DAYS = 30;

export const workflowCounts = async (division: string) =>
  (await unwrap(api.GET('/api/workflow/counts', { params: { query: { division } } }))).items;
export type StateCount = Awaited<ReturnType<typeof workflowCounts>>[number];

export const applicationStats = async (division: string) =>
  unwrap(api.GET('/api/services/applications/stats', { params: { query: { division } } }));
export type ApplicationStats = Awaited<ReturnType<typeof applicationStats>>;

export const ratingStats = async (division: string) =>
  (await unwrap(api.GET('/api/services/ratings/stats', { params: { query: { division } } }))).totals;

export const hotlineStats = async (division: string) =>
  unwrap(api.GET('/api/hotline/stats', { params: { query: { division } } }));
export type HotlineStats = Awaited<ReturnType<typeof hotlineStats>>;

/** "2026-11-26" → "11-26": short enough for thirty labels on an axis (the table keeps the full date). */
export const shortDay = (day: string) => day.slice(5);

/** A row of a figure's byDivision, as a division to drill into. */
export const divisionOf = (r: { division: string; name: string; level: string }): Division => ({ code: r.division, name: r.name, level: r.level });
