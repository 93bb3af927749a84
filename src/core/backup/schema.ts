// What backup and restore share: the catalog introspection (tables, columns, keys, sequences) and
// the session settings that make values come out identically on PGlite and PostgreSQL.
import { sql } from 'kysely';
import type { Db } from '../db/types.js';

export const BACKUP_FORMAT = 'yunling-backup';
export const BACKUP_FORMAT_VERSION = 1;
/** Bookkeeping that belongs to the database, not to the data: never backed up or restored. */
export const SKIP = new Set(['kysely_migration', 'kysely_migration_lock', 'leader_lease']);
export const BATCH = 2000;
/** Transaction ids restore may burn to move the counter past the backup's (≈100k per second). */
export const MAX_XID_ADVANCE = 50_000_000;

export type Ex = Db;

export interface Column {
  name: string;
  type: string;
  identity: boolean;
  collatable: boolean;
}

export interface TableInfo {
  name: string;
  columns: Column[];
  pk: string[];
  deps: string[];
  selfRef: boolean;
}

export interface SequenceState {
  table: string;
  column: string;
  lastValue: string;
  isCalled: boolean;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  yunling: string;
  engine: string;
  createdAt: string;
  migrations: string[];
  tables: string[];
  sequences: SequenceState[];
  /** Highest xid8 value stored in any table (the audit log's transaction ids), or null. */
  xidMax: string | null;
  /** CRYPTO_PROFILE of the deployment (hash chain, signatures, field encryption). */
  cryptoProfile?: string;
}

export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
export const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function tables(db: Ex): Promise<TableInfo[]> {
  const cols = (await sql<{ table: string; name: string; type: string; identity: string; generated: string; collatable: boolean }>`
    SELECT c.relname::text AS table, a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type,
           a.attidentity::text AS identity, a.attgenerated::text AS generated, a.attcollation <> 0 AS collatable
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(db)).rows;
  // attname is of type `name`; name[] has no parser in node-postgres, so aggregate text.
  const pks = (await sql<{ table: string; cols: string[] }>`
    SELECT c.relname::text AS table, array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum)) AS cols
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
    WHERE n.nspname = 'public' AND i.indisprimary GROUP BY c.relname`.execute(db)).rows;
  const fks = (await sql<{ table: string; ref: string }>`
    SELECT c.relname::text AS table, r.relname::text AS ref FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public'`.execute(db)).rows;
  const byTable = new Map<string, TableInfo>();
  for (const c of cols) {
    if (SKIP.has(c.table)) continue;
    const t = byTable.get(c.table) ?? { name: c.table, columns: [], pk: [], deps: [], selfRef: false };
    byTable.set(c.table, t);
    if (c.generated) continue; // computed by the database, cannot be inserted
    t.columns.push({ name: c.name, type: c.type, identity: c.identity !== '', collatable: c.collatable });
  }
  for (const p of pks) byTable.get(p.table)?.pk.push(...p.cols);
  for (const f of fks) {
    const t = byTable.get(f.table);
    if (!t) continue;
    if (f.ref === f.table) t.selfRef = true;
    else if (!t.deps.includes(f.ref)) t.deps.push(f.ref);
  }
  // Topological order: referenced tables first; ties by name, so the order is deterministic.
  const out: TableInfo[] = [];
  const state = new Map<string, number>();
  const visit = (name: string) => {
    if (state.get(name) === 2 || !byTable.has(name)) return;
    if (state.get(name) === 1) throw new Error(`foreign-key cycle through table ${name}: logical backup cannot order it`);
    state.set(name, 1);
    for (const d of [...byTable.get(name)!.deps].sort()) visit(d);
    state.set(name, 2);
    out.push(byTable.get(name)!);
  };
  for (const name of [...byTable.keys()].sort()) visit(name);
  return out;
}

/** Sequences owned by a column (identity and serial), with the column they feed. */
export async function ownedSequences(db: Ex): Promise<Array<{ table: string; column: string; sequence: string }>> {
  return (await sql<{ table: string; column: string; sequence: string }>`
    SELECT t.relname::text AS table, a.attname::text AS column, s.relname::text AS sequence
    FROM pg_depend d
    JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
      AND n.nspname = 'public'
    ORDER BY 1, 2`.execute(db)).rows.filter((r) => !SKIP.has(r.table));
}

export async function appliedMigrations(db: Ex): Promise<string[] | null> {
  const exists = (await sql<{ t: string | null }>`SELECT to_regclass('public.kysely_migration')::text AS t`.execute(db)).rows[0]?.t;
  if (!exists) return null;
  return (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((r) => r.name);
}

/** Highest value of any xid8 column (the audit log's transaction ids). */
export async function maxXid(db: Ex, list: TableInfo[]): Promise<bigint | null> {
  let max: bigint | null = null;
  for (const t of list) {
    for (const c of t.columns.filter((x) => x.type === 'xid8')) {
      const v = (await sql<{ m: string | null }>`${sql.raw(`SELECT max(${ident(c.name)})::text AS m FROM ${ident(t.name)}`)}`.execute(db)).rows[0]?.m;
      if (v != null && (max === null || BigInt(v) > max)) max = BigInt(v);
    }
  }
  return max;
}

/** The next transaction id this database will hand out. */
export async function nextXid(db: Ex): Promise<bigint> {
  const r = await sql<{ x: string }>`SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x`.execute(db);
  return BigInt(r.rows[0]!.x);
}

// Session settings that make text output portable and lossless between engines and servers.
export async function portableSession(tx: Ex): Promise<void> {
  await sql`SET LOCAL TimeZone = 'UTC'`.execute(tx);
  await sql`SET LOCAL DateStyle = 'ISO, YMD'`.execute(tx);
  await sql`SET LOCAL IntervalStyle = 'postgres'`.execute(tx);
  await sql`SET LOCAL bytea_output = 'hex'`.execute(tx);
  await sql`SET LOCAL extra_float_digits = 1`.execute(tx);
}
