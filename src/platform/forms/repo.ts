// All SQL of the forms engine.
import { sql } from 'kysely';
import type { Executor } from '../../core/db/types.js';
import type { FormDefinition } from './definition.js';
import type { FormStatus, FormVersion } from './types.js';
import './tables.js';

const COLUMNS = ['id', 'key', 'version', 'division', 'status', 'title_zh', 'title_en', 'schema', 'ui_schema', 'digest', 'created_by', 'created_at', 'published_at', 'withdrawn_at'] as const;

type Row = {
  id: string; key: string; version: number | null; division: string; status: FormStatus; title_zh: string; title_en: string;
  schema: unknown; ui_schema: unknown; digest: string; created_by: string; created_at: Date; published_at: Date | null; withdrawn_at: Date | null;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, any>;

export function toFormVersion(r: Row): FormVersion & { digest: string } {
  return {
    id: r.id, key: r.key, version: r.version, division: r.division, status: r.status,
    title: { 'zh-CN': r.title_zh, en: r.title_en },
    schema: json(r.schema), uiSchema: json(r.ui_schema),
    createdBy: r.created_by, createdAt: iso(r.created_at)!, publishedAt: iso(r.published_at), withdrawnAt: iso(r.withdrawn_at),
    digest: r.digest,
  };
}

export async function findVersion(ex: Executor, key: string, version: number): Promise<(FormVersion & { digest: string }) | null> {
  const r = await ex.selectFrom('form_definition').select(COLUMNS).where('key', '=', key).where('version', '=', version).executeTakeFirst();
  return r ? toFormVersion(r as Row) : null;
}

/** The newest published version of `key` owned by each of `divisions` (null: every division). */
export async function latestPublishedIn(ex: Executor, key: string, divisions: string[] | null): Promise<Array<FormVersion & { digest: string }>> {
  if (divisions && divisions.length === 0) return [];
  let q = ex.selectFrom('form_definition').select(COLUMNS).distinctOn('division').where('key', '=', key).where('status', '=', 'published');
  if (divisions) q = q.where('division', 'in', divisions);
  const rows = await q.orderBy('division').orderBy('version', 'desc').execute();
  return rows.map((r) => toFormVersion(r as Row));
}

export async function listVersions(ex: Executor, key: string, opts: { divisions?: string[]; draftsIn?: (division: string) => boolean } = {}): Promise<Array<FormVersion & { digest: string }>> {
  let q = ex.selectFrom('form_definition').select(COLUMNS).where('key', '=', key);
  if (opts.divisions) q = q.where('division', 'in', opts.divisions.length ? opts.divisions : ['-']);
  const rows = await q.orderBy(sql`version IS NULL`, 'desc').orderBy('version', 'desc').execute();
  return rows.map((r) => toFormVersion(r as Row)).filter((f) => f.status !== 'draft' || !!opts.draftsIn?.(f.division));
}

export async function lockKey(ex: Executor, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`yunling.forms:${key}`}))`.execute(ex);
}

export async function nextVersion(ex: Executor, key: string): Promise<number> {
  const r = await ex.selectFrom('form_definition').select(sql<number>`coalesce(max(version), 0)::int + 1`.as('n')).where('key', '=', key).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findDraft(ex: Executor, key: string, division: string): Promise<string | null> {
  const r = await ex.selectFrom('form_definition').select('id').where('key', '=', key).where('division', '=', division).where('status', '=', 'draft').executeTakeFirst();
  return r?.id ?? null;
}

export interface WriteInput {
  def: FormDefinition;
  digest: string;
  status: 'draft' | 'published';
  version: number | null;
  createdBy: string;
  now: Date;
}

/** Inserts a row, or turns the division's draft (`draftId`) into it: a draft is the only row that may change. */
export async function writeDefinition(ex: Executor, w: WriteInput, draftId: string | null): Promise<FormVersion & { digest: string }> {
  const values = {
    key: w.def.key, version: w.version, division: w.def.division, status: w.status,
    title_zh: w.def.title['zh-CN'], title_en: w.def.title.en,
    schema: JSON.stringify(w.def.schema), ui_schema: JSON.stringify(w.def.uiSchema), digest: w.digest,
    created_by: w.createdBy, created_at: w.now, published_at: w.status === 'published' ? w.now : null,
  };
  const r = draftId
    ? await ex.updateTable('form_definition').set(values).where('id', '=', draftId).returning(COLUMNS).executeTakeFirstOrThrow()
    : await ex.insertInto('form_definition').values(values).returning(COLUMNS).executeTakeFirstOrThrow();
  return toFormVersion(r as Row);
}

/** Published versions of `key` in `division` (all, or the one numbered `version`), locked. */
export async function publishedForUpdate(ex: Executor, key: string, division: string, version?: number): Promise<Array<{ id: string; version: number; status: FormStatus }>> {
  let q = ex.selectFrom('form_definition').select(['id', 'version', 'status']).where('key', '=', key).where('division', '=', division).where('status', '!=', 'draft');
  if (version !== undefined) q = q.where('version', '=', version);
  const rows = await q.orderBy('version').forUpdate().execute();
  return rows.map((r) => ({ id: r.id, version: r.version!, status: r.status }));
}

export async function markWithdrawn(ex: Executor, id: string, by: string, now: Date): Promise<void> {
  await ex.updateTable('form_definition').set({ status: 'withdrawn', withdrawn_at: now, withdrawn_by: by }).where('id', '=', id).execute();
}
