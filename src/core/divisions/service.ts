// Divisions in the database, and the scoping helper every module uses to keep a county's rows
// in that county: a scope is a division code; rows match when their code lies in its subtree.
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, Executor } from '../db/types.js';
import { datasetVersion, loadProvince } from './dataset.js';

export type DivisionLevel = 'province' | 'prefecture' | 'county' | 'township' | 'village';

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
  fullName: string;
}

/**
 * The code prefix that every division in the subtree of `code` starts with:
 * 530000 → '53', 530100 → '5301', 530102 → '530102', 530102001 → '530102001'.
 */
export function scopePrefix(code: string): string {
  if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(code)) throw new RangeError(`not a division code: ${code}`);
  if (code.length === 12) return code.endsWith('000') ? code.slice(0, 9) : code;
  if (code.length === 9) return code;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

export function isWithin(code: string | null | undefined, scope: string): boolean {
  return !!code && code.startsWith(scopePrefix(scope));
}

/**
 * A WHERE condition restricting `column` to the subtree of one or more scopes, for Kysely:
 *   db.selectFrom('case').where(inDivisions('case.division', actor.scopes))
 * No scope at all means no rows (deny by default).
 */
export function inDivisions(column: string, scopes: string[]): (eb: ExpressionBuilder<any, any>) => Expression<SqlBool> {
  return (eb) => {
    if (scopes.length === 0) return sql<SqlBool>`false`;
    return eb.or(scopes.map((s) => sql<SqlBool>`${sql.ref(column)} LIKE ${scopePrefix(s) + '%'}`));
  };
}

/** The same condition as raw SQL, for hand-written queries. */
export function divisionScopeSql(column: string, scopes: string[]): RawBuilder<boolean> {
  if (scopes.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(scopes.map((s) => sql`${sql.ref(column)} LIKE ${scopePrefix(s) + '%'}`), sql` OR `)})`;
}

const toDivision = (r: { code: string; name: string; level: DivisionLevel; parent_code: string | null; full_name: string }): Division => ({
  code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, fullName: r.full_name,
});

// Divisions are reference data that change only when the dataset is refreshed at start, so a
// lookup by code is answered from memory after the first read (and misses are not cached).
const cache = new WeakMap<object, Map<string, Division>>();

export async function getDivision(ex: Executor, code: string): Promise<Division | null> {
  let byCode = cache.get(ex);
  if (!byCode) cache.set(ex, (byCode = new Map()));
  const hit = byCode.get(code);
  if (hit) return hit;
  const r = await ex.selectFrom('division').selectAll().where('code', '=', code).executeTakeFirst();
  if (!r) return null;
  const d = toDivision(r);
  if (byCode.size < 100_000) byCode.set(code, d);
  return d;
}

export async function childDivisions(ex: Executor, parent: string | null): Promise<Division[]> {
  const q = ex.selectFrom('division').selectAll().orderBy('code');
  const rows = parent === null ? await q.where('parent_code', 'is', null).execute() : await q.where('parent_code', '=', parent).execute();
  return rows.map(toDivision);
}

export async function ancestors(ex: Executor, code: string): Promise<Division[]> {
  const out: Division[] = [];
  let cur = await getDivision(ex, code);
  while (cur?.parentCode) {
    cur = await getDivision(ex, cur.parentCode);
    if (cur) out.unshift(cur);
  }
  return out;
}

/** Loads (or refreshes, when the dataset version changed) the division table. Idempotent. */
export async function ensureDivisions(db: Db): Promise<{ loaded: number; version: string }> {
  const version = datasetVersion();
  const meta = await db.selectFrom('yunling_meta').select('value').where('key', '=', 'divisions.version').executeTakeFirst();
  if (meta && meta.value === version) return { loaded: 0, version };
  const records = loadProvince('53');
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < records.length; i += 1000) {
      const chunk = records.slice(i, i + 1000);
      await sql`INSERT INTO division (code, name, level, parent_code, full_name)
        SELECT * FROM unnest(${chunk.map((d) => d.code)}::text[], ${chunk.map((d) => d.name)}::text[], ${chunk.map((d) => d.level)}::text[],
                             ${chunk.map((d) => d.parentCode)}::text[], ${chunk.map((d) => d.fullName)}::text[])
        ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent_code = EXCLUDED.parent_code, full_name = EXCLUDED.full_name`.execute(tx);
    }
    cache.delete(db);
    await sql`INSERT INTO yunling_meta (key, value) VALUES ('divisions.version', ${JSON.stringify(version)}::jsonb)
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`.execute(tx);
  });
  return { loaded: records.length, version };
}
