// All SQL of the catalog. Resolution (which version is in force in a division) is one rule used
// by the single lookup and the list alike: walk the chain county → prefecture → province, the
// nearest division with a "not implemented" mark or a published version decides.
import { sql, type RawBuilder } from 'kysely';
import type { Db, Executor } from '../../../core/db/types.js';
import type { SvcItemVersionTable } from './tables.js';

export interface VersionRow {
  id: string; item_id: string; key: string; basic_code: string; division: string; version: number; status: 'published' | 'withdrawn';
  code: string; name: string; item_type: string; handling: 'instant' | 'promised'; legal_days: number; promised_days: number;
  department_code: string; department_name: string; form_key: string | null; workflow_key: string;
  materials: unknown; life_events: string[]; elements: unknown; digest: string; published_by: string; published_at: Date;
  withdrawn_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The division itself, then its county, prefecture and province; [] for a malformed code. */
export function chainOf(code: string): string[] {
  if (typeof code !== 'string' || !/^\d{6}(\d{3}(\d{3})?)?$/.test(code)) return [];
  const county = code.slice(0, 6);
  return [...new Set([code, county, `${county.slice(0, 4)}00`, `${county.slice(0, 2)}0000`])];
}

const COLUMNS = sql`v.id, v.item_id, i.key, i.basic_code, v.division, v.version, v.status, v.code, v.name, v.item_type, v.handling,
  v.legal_days, v.promised_days, v.department_code, v.department_name, v.form_key, v.workflow_key, v.materials, v.life_events,
  v.elements, v.digest, v.published_by, v.published_at, v.withdrawn_at`;

export async function findItem(ex: Executor, q: { key?: string; code?: string }): Promise<{ id: string; key: string; basic_code: string } | null> {
  if (q.key !== undefined) return (await ex.selectFrom('svc_item').select(['id', 'key', 'basic_code']).where('key', '=', q.key).executeTakeFirst()) ?? null;
  if (q.code === undefined) return null;
  const r = await ex.selectFrom('svc_item_version as v').innerJoin('svc_item as i', 'i.id', 'v.item_id').select(['i.id', 'i.key', 'i.basic_code'])
    .where('v.code', '=', q.code).limit(1).executeTakeFirst();
  return r ?? null;
}

export async function lockItemKey(ex: Executor, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`svc-item:${key}`}))`.execute(ex);
}

export async function ensureItem(ex: Executor, key: string, basicCode: string): Promise<{ id: string; basic_code: string }> {
  const found = await ex.selectFrom('svc_item').select(['id', 'basic_code']).where('key', '=', key).executeTakeFirst();
  if (found) return found;
  return ex.insertInto('svc_item').values({ key, basic_code: basicCode }).returning(['id', 'basic_code']).executeTakeFirstOrThrow();
}

/** The version in force for an item in a chain of divisions (nearest first), or null. */
export async function resolveVersion(ex: Executor, itemId: string, chain: string[]): Promise<VersionRow | null> {
  const marks = await ex.selectFrom('svc_item_local').select('division').where('item_id', '=', itemId).where('division', 'in', chain).execute();
  const rows = (await sql<VersionRow>`SELECT ${COLUMNS} FROM svc_item_version v JOIN svc_item i ON i.id = v.item_id
    WHERE v.item_id = ${itemId} AND v.status = 'published' AND v.division = ANY(${chain}::text[]) ORDER BY v.version DESC`.execute(ex)).rows;
  for (const d of chain) {
    if (marks.some((m) => m.division === d)) return null;
    const hit = rows.find((r) => r.division === d);
    if (hit) return hit;
  }
  return null;
}

export async function versionNumbered(ex: Executor, itemId: string, version: number): Promise<VersionRow | null> {
  return (await sql<VersionRow>`SELECT ${COLUMNS} FROM svc_item_version v JOIN svc_item i ON i.id = v.item_id WHERE v.item_id = ${itemId} AND v.version = ${version}`.execute(ex)).rows[0] ?? null;
}

export async function versionById(ex: Executor, id: string): Promise<VersionRow | null> {
  if (typeof id !== 'string' || !UUID.test(id)) return null;
  return (await sql<VersionRow>`SELECT ${COLUMNS} FROM svc_item_version v JOIN svc_item i ON i.id = v.item_id WHERE v.id = ${id}`.execute(ex)).rows[0] ?? null;
}

/** Published versions of an item in one division, newest first. */
export async function versionsIn(ex: Executor, itemId: string, division: string): Promise<VersionRow[]> {
  return (await sql<VersionRow>`SELECT ${COLUMNS} FROM svc_item_version v JOIN svc_item i ON i.id = v.item_id
    WHERE v.item_id = ${itemId} AND v.division = ${division} ORDER BY v.version DESC`.execute(ex)).rows;
}

export async function nextVersion(ex: Executor, itemId: string): Promise<number> {
  const r = await ex.selectFrom('svc_item_version').select((eb) => eb.fn.max('version').as('v')).where('item_id', '=', itemId).executeTakeFirst();
  return (r?.v ?? 0) + 1;
}

export type NewVersion = Omit<SvcItemVersionTable, 'id' | 'status' | 'search' | 'search_keywords' | 'published_at' | 'withdrawn_by' | 'withdrawn_at' | 'materials' | 'life_events' | 'elements'>
  & { materials: string; life_events: string[]; elements: string };

/** The keywords of a version's elements as text[] (see `search_keywords`). */
export const KEYWORDS_OF = (elements: string) =>
  sql`ARRAY(SELECT jsonb_array_elements_text(coalesce(${elements}::jsonb->'keywords', '[]'::jsonb)))`;

export async function insertVersion(ex: Executor, v: NewVersion, search: RawBuilder<string>): Promise<string> {
  const r = await sql<{ id: string }>`INSERT INTO svc_item_version (item_id, division, version, code, name, item_type, handling, legal_days, promised_days,
      department_code, department_name, form_key, workflow_key, materials, life_events, elements, search, search_keywords, digest, published_by)
    VALUES (${v.item_id}, ${v.division}, ${v.version}, ${v.code}, ${v.name}, ${v.item_type}, ${v.handling}, ${v.legal_days}, ${v.promised_days},
      ${v.department_code}, ${v.department_name}, ${v.form_key}, ${v.workflow_key}, ${v.materials}::jsonb, ${v.life_events}::text[], ${v.elements}::jsonb,
      ${search}, ${KEYWORDS_OF(v.elements)}, ${v.digest}, ${v.published_by}) RETURNING id`.execute(ex);
  return r.rows[0]!.id;
}

export async function markWithdrawn(ex: Executor, id: string, by: string, at: Date): Promise<void> {
  await ex.updateTable('svc_item_version').set({ status: 'withdrawn', withdrawn_by: by, withdrawn_at: at }).where('id', '=', id).execute();
}

export async function notImplementedMark(ex: Executor, itemId: string, division: string): Promise<{ note: string | null } | null> {
  return (await ex.selectFrom('svc_item_local').select('note').where('item_id', '=', itemId).where('division', '=', division).executeTakeFirst()) ?? null;
}

export async function setNotImplemented(ex: Executor, itemId: string, division: string, note: string | null, by: string): Promise<void> {
  await ex.insertInto('svc_item_local').values({ item_id: itemId, division, note, set_by: by })
    .onConflict((oc) => oc.columns(['item_id', 'division']).doUpdateSet({ note, set_by: by })).execute();
}

export async function clearNotImplemented(ex: Executor, itemId: string, division: string): Promise<boolean> {
  const r = await ex.deleteFrom('svc_item_local').where('item_id', '=', itemId).where('division', '=', division).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export interface ListFilter { chain: string[]; lifeEvent?: string; q?: string | null; text?: string; limit: number; offset: number }

/** Items in force in the chain's first division, filtered and ranked, with the total count. */
export async function listResolved(ex: Executor, f: ListFilter): Promise<{ rows: Array<VersionRow & { total: number }> }> {
  if (f.q) return searchResolved(ex, { ...f, q: f.q });
  const r = await sql<VersionRow & { total: number }>`
    WITH chain AS (SELECT d AS division, o AS depth FROM unnest(${f.chain}::text[]) WITH ORDINALITY AS t(d, o)),
    cand AS (
      SELECT v.item_id, v.id AS version_id, c.depth, v.version FROM svc_item_version v JOIN chain c ON c.division = v.division WHERE v.status = 'published'
      UNION ALL
      SELECT l.item_id, NULL::uuid, c.depth, 2147483647 FROM svc_item_local l JOIN chain c ON c.division = l.division
    ),
    resolved AS (SELECT DISTINCT ON (item_id) item_id, version_id FROM cand ORDER BY item_id, depth, version DESC)
    SELECT ${COLUMNS}, count(*) OVER () AS total
    FROM resolved r JOIN svc_item_version v ON v.id = r.version_id JOIN svc_item i ON i.id = v.item_id
    WHERE true
      ${f.lifeEvent ? sql`AND v.life_events @> ${[f.lifeEvent]}::text[]` : sql``}
    ORDER BY v.name, i.key
    LIMIT ${f.limit} OFFSET ${f.offset}`.execute(ex);
  return { rows: r.rows.map((x) => ({ ...x, total: Number(x.total) })) };
}

/**
 * A search, shaped for the GIN index (10,000 items, p95 ≤ 20 ms — bench/services.mjs): first the
 * published versions in the chain whose vector matches (bitmap scan), then resolution only for
 * the items hit (an item is listed iff its version in force is one of the hits — the same rule as
 * the list), then rank, count and page on narrow rows, and only the page's 20 rows read in full.
 * Relevance: ts_rank with the body (C) and unweighted (D) parts almost silent, so a match in the
 * name (A) or a keyword (B) outranks a mention among the materials, plus 1 when the name contains
 * the words typed (办营业执照 → 营业执照), plus 0.5 when they are exactly one of its keywords (aliases
 * such as 营业执照 for 企业设立登记; a small copied column, so no jsonb is read per hit).
 */
async function searchResolved(ex: Executor, f: ListFilter & { q: string }): Promise<{ rows: Array<VersionRow & { total: number }> }> {
  if (ex.isTransaction) return searchQueryRows(ex, f);
  // Planner hint: for a broad word (营业执照: ~20 % of the rows) the sequential scan and the GIN
  // bitmap scan cost the same to the planner, but the scan reads and decompresses every row's
  // vector: 35 ms against 23 ms over 10,000 items. SET LOCAL needs a transaction of our own; inside
  // a caller's transaction the query runs as planned.
  return (ex as Db).transaction().execute(async (tx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(tx);
    return searchQueryRows(tx, f);
  });
}

async function searchQueryRows(ex: Executor, f: ListFilter & { q: string }): Promise<{ rows: Array<VersionRow & { total: number }> }> {
  const tsq = sql`to_tsquery('simple', ${f.q})`;
  const text = (f.text ?? '').trim();
  const r = await sql<VersionRow & { total: number }>`
    WITH chain AS (SELECT d AS division, o AS depth FROM unnest(${f.chain}::text[]) WITH ORDINALITY AS t(d, o)),
    hits AS (
      SELECT v.id, v.item_id, ts_rank('{0.02,0.05,0.4,1.0}', v.search, ${tsq}) AS rank FROM svc_item_version v
      WHERE v.status = 'published' AND v.division = ANY(${f.chain}::text[]) AND v.search @@ ${tsq}
        ${f.lifeEvent ? sql`AND v.life_events @> ${[f.lifeEvent]}::text[]` : sql``}
    ),
    cand AS (
      SELECT v.item_id, v.id AS version_id, c.depth, v.version FROM svc_item_version v JOIN chain c ON c.division = v.division
      WHERE v.status = 'published' AND v.item_id IN (SELECT item_id FROM hits)
      UNION ALL
      SELECT l.item_id, NULL::uuid, c.depth, 2147483647 FROM svc_item_local l JOIN chain c ON c.division = l.division WHERE l.item_id IN (SELECT item_id FROM hits)
    ),
    resolved AS (SELECT DISTINCT ON (item_id) item_id, version_id FROM cand ORDER BY item_id, depth, version DESC),
    page AS (
      SELECT h.id, h.rank + CASE WHEN strpos(v.name, ${text}) > 0 THEN 1 ELSE 0 END + CASE WHEN ${text} = ANY(v.search_keywords) THEN 0.5 ELSE 0 END AS score, v.name, i.key, count(*) OVER () AS total
      FROM resolved r JOIN hits h ON h.id = r.version_id JOIN svc_item_version v ON v.id = h.id JOIN svc_item i ON i.id = v.item_id
      ORDER BY score DESC, v.name, i.key LIMIT ${f.limit} OFFSET ${f.offset}
    )
    SELECT ${COLUMNS}, p.total FROM page p JOIN svc_item_version v ON v.id = p.id JOIN svc_item i ON i.id = v.item_id
    ORDER BY p.score DESC, p.name, p.key`.execute(ex);
  return { rows: r.rows.map((x) => ({ ...x, total: Number(x.total) })) };
}
