// Logical backup and restore that work across engines (PGlite ⇄ PostgreSQL): a gzip'd NDJSON file
// with a header (format, version, migrations), then per table its columns and its rows, every value
// in PostgreSQL's own text form (lossless: timestamptz with offset, bytea hex, jsonb text, floats
// shortest-exact). Restore migrates an EMPTY database to the backup's migration, inserts every
// table in foreign-key order with casts to the column types, resets identity sequences, then
// migrates to the latest schema. The audit chain therefore verifies after a restore.
import fs from 'node:fs';
import readline from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { migrateTo, migrateToLatest, migrationStatus, type NamedMigration } from '../db/migrate.js';

const FORMAT = 'yunling-backup';
const SKIP = new Set(['kysely_migration', 'kysely_migration_lock', 'leader_lease']);

interface Column {
  name: string;
  type: string;
  identity: boolean;
}

interface TableInfo {
  name: string;
  columns: Column[];
  pk: string[];
  deps: string[];
}

async function tables(db: Db): Promise<TableInfo[]> {
  const cols = (await sql<{ table: string; name: string; type: string; identity: string; generated: string }>`
    SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attidentity AS identity, a.attgenerated AS generated
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(db)).rows;
  const pks = (await sql<{ table: string; cols: string[] }>`
    SELECT c.relname AS table, array_agg(a.attname ORDER BY array_position(i.indkey::int2[], a.attnum)) AS cols
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
    WHERE n.nspname = 'public' AND i.indisprimary GROUP BY c.relname`.execute(db)).rows;
  const fks = (await sql<{ table: string; ref: string }>`
    SELECT c.relname AS table, r.relname AS ref FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public'`.execute(db)).rows;
  const byTable = new Map<string, TableInfo>();
  for (const c of cols) {
    if (SKIP.has(c.table)) continue;
    if (c.generated) continue;
    const t = byTable.get(c.table) ?? { name: c.table, columns: [], pk: [], deps: [] };
    t.columns.push({ name: c.name, type: c.type, identity: c.identity !== '' });
    byTable.set(c.table, t);
  }
  for (const p of pks) byTable.get(p.table)?.pk.push(...p.cols);
  for (const f of fks) if (f.ref !== f.table) byTable.get(f.table)?.deps.push(f.ref);
  // Topological order: referenced tables first.
  const out: TableInfo[] = [];
  const state = new Map<string, number>();
  const visit = (name: string) => {
    if (state.get(name) === 2 || !byTable.has(name)) return;
    if (state.get(name) === 1) throw new Error(`foreign-key cycle through ${name}`);
    state.set(name, 1);
    for (const d of byTable.get(name)!.deps) visit(d);
    state.set(name, 2);
    out.push(byTable.get(name)!);
  };
  for (const name of [...byTable.keys()].sort()) visit(name);
  return out;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export interface BackupResult {
  tables: number;
  rows: number;
  bytes: number;
}

export async function backup(db: Db, file: string, meta: { version: string; engine: string; migrations: NamedMigration[] }): Promise<BackupResult> {
  const status = await migrationStatus(db, meta.migrations);
  const gz = createGzip();
  const out = fs.createWriteStream(`${file}.partial`);
  gz.pipe(out);
  const write = async (obj: unknown) => {
    if (!gz.write(JSON.stringify(obj) + '\n')) await once(gz, 'drain');
  };
  let rows = 0;
  const list = await tables(db);
  // One REPEATABLE READ snapshot: every table as of the same instant.
  await db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
    await sql`SET LOCAL TimeZone = 'UTC'`.execute(tx);
    await sql`SET LOCAL extra_float_digits = 1`.execute(tx);
    await write({ format: FORMAT, formatVersion: 1, yunling: meta.version, engine: meta.engine, createdAt: new Date().toISOString(), migrations: status.applied, tables: list.map((t) => t.name) });
    for (const t of list) {
      await write({ table: t.name, columns: t.columns.map((c) => c.name), types: t.columns.map((c) => c.type) });
      const select = t.columns.map((c) => `${ident(c.name)}::text`).join(', ');
      const order = (t.pk.length ? t.pk : t.columns.slice(0, 1).map((c) => c.name)).map(ident).join(', ');
      let offset = 0;
      for (;;) {
        const r = await sql<Record<string, string | null>>`${sql.raw(`SELECT ${select} FROM ${ident(t.name)} ORDER BY ${order} LIMIT 5000 OFFSET ${offset}`)}`.execute(tx);
        for (const row of r.rows) await write(Object.values(row));
        rows += r.rows.length;
        offset += r.rows.length;
        if (r.rows.length < 5000) break;
      }
      await write({ end: t.name });
    }
    await write({ end: FORMAT, rows });
  });
  gz.end();
  await once(out, 'close');
  fs.renameSync(`${file}.partial`, file);
  return { tables: list.length, rows, bytes: fs.statSync(file).size };
}

export class RestoreError extends Error {}

export async function restore(db: Db, file: string, migrations: NamedMigration[]): Promise<BackupResult> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    return r.done ? null : JSON.parse(r.value);
  };
  const header = await next();
  if (!header || header.format !== FORMAT) throw new RestoreError(`${file} is not a Yunling backup`);
  const backupMigrations: string[] = header.migrations;
  const unknown = backupMigrations.filter((m) => !migrations.some((x) => x.name === m));
  if (unknown.length) throw new RestoreError(`the backup needs migrations this version does not have: ${unknown.join(', ')}`);

  // The target must be empty: migrate it to the backup's schema, then check every table has no rows.
  const last = backupMigrations.at(-1);
  if (last) await migrateTo(db, migrations, last);
  const info = new Map((await tables(db)).map((t) => [t.name, t]));
  for (const t of info.values()) {
    const n = (await sql<{ n: number }>`${sql.raw(`SELECT count(*)::int AS n FROM ${ident(t.name)}`)}`.execute(db)).rows[0]!.n;
    if (n > 0) throw new RestoreError(`the target database is not empty (table ${t.name} has ${n} rows); restore needs an empty database`);
  }
  let total = 0;
  await db.transaction().execute(async (tx) => {
    await sql`SET LOCAL TimeZone = 'UTC'`.execute(tx);
    for (;;) {
      const head = await next();
      if (!head) throw new RestoreError('the backup is truncated');
      if (head.end === FORMAT) break;
      const t = info.get(head.table);
      if (!t) throw new RestoreError(`table ${head.table} does not exist in the target schema`);
      const columns: string[] = head.columns;
      const types = columns.map((c) => {
        const col = t.columns.find((x) => x.name === c);
        if (!col) throw new RestoreError(`column ${head.table}.${c} does not exist in the target schema`);
        return col.type;
      });
      const overriding = t.columns.some((c) => c.identity) ? 'OVERRIDING SYSTEM VALUE' : '';
      // Self-referencing tables go in one statement, so that row order cannot break their FKs.
      const batch: (string | null)[][] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const arrays = columns.map((_, i) => batch.map((r) => r[i]));
        const selectCols = columns.map((_, i) => sql.raw(`c${i}::${types[i]}`));
        const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '));
        await sql`INSERT INTO ${sql.raw(ident(t.name))} (${sql.raw(columns.map(ident).join(', '))}) ${sql.raw(overriding)}
          SELECT ${sql.join(selectCols)} FROM unnest(${sql.join(arrays.map((a) => sql`${a}::text[]`))}) AS u(${aliases})`.execute(tx);
        total += batch.length;
        batch.length = 0;
      };
      const selfRef = t.deps.length === 0 && (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'f' AND k.conrelid = k.confrelid AND c.relname = ${t.name}`.execute(tx)).rows[0]!.n > 0;
      for (;;) {
        const row = await next();
        if (!row) throw new RestoreError('the backup is truncated');
        if (!Array.isArray(row)) {
          if (row.end !== head.table) throw new RestoreError(`unexpected record in ${head.table}`);
          break;
        }
        batch.push(row);
        if (!selfRef && batch.length >= 5000) await flush();
      }
      await flush();
    }
    // Identity sequences continue after the restored rows.
    for (const t of info.values()) {
      for (const c of t.columns.filter((x) => x.identity)) {
        await sql`${sql.raw(`SELECT setval(pg_get_serial_sequence('${ident(t.name)}', '${c.name}'), coalesce((SELECT max(${ident(c.name)}) FROM ${ident(t.name)}), 0) + 1, false)`)}`.execute(tx);
      }
    }
  });
  lines.close();
  await migrateToLatest(db, migrations);
  return { tables: info.size, rows: total, bytes: fs.statSync(file).size };
}
