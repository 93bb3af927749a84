// Restoring a backup into an empty database of either engine (see index.ts).
import fs from 'node:fs';
import { pipeline as pipelineCb } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { migrateTo, migrateToLatest, type NamedMigration } from '../db/migrate.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, SKIP, BATCH, MAX_XID_ADVANCE, type BackupHeader, ident, literal, tables, ownedSequences, appliedMigrations, maxXid, nextXid, portableSession } from './schema.js';
import type { Ex } from './schema.js';
import type { BackupResult } from './backup.js';

export class RestoreError extends Error {}

/** Reads NDJSON records from a gzip file; every failure becomes a RestoreError that says what is wrong. */
class RecordReader {
  private readonly stream: NodeJS.ReadableStream & { destroy(): void };
  private readonly it: AsyncIterator<Buffer | string>;
  private readonly decoder = new StringDecoder('utf8');
  private buffered: string[] = [];
  private rest = '';
  private eof = false;
  line = 0;

  constructor(private readonly file: string) {
    this.stream = pipelineCb(fs.createReadStream(file), createGunzip(), () => {}) as unknown as NodeJS.ReadableStream & { destroy(): void };
    this.it = (this.stream as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  private fail(err: unknown): never {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) throw new RestoreError(`${this.file} is truncated (the gzip stream ends early); nothing was restored`);
    if (e?.code === 'Z_DATA_ERROR' || e?.code === 'Z_STREAM_ERROR') throw new RestoreError(`${this.file} is not a Yunling backup or is corrupt (${e.message})`);
    throw new RestoreError(`cannot read ${this.file}: ${e?.message ?? String(err)}`);
  }

  /** The next record, or null at the end of the file. */
  async next(): Promise<any> {
    while (this.buffered.length === 0 && !this.eof) {
      let r: IteratorResult<Buffer | string>;
      try {
        r = await this.it.next();
      } catch (err) {
        this.fail(err);
      }
      if (r.done) {
        this.eof = true;
        const tail = this.rest + this.decoder.end();
        this.rest = '';
        if (tail) this.buffered.push(tail);
      } else {
        const parts = (this.rest + (typeof r.value === 'string' ? r.value : this.decoder.write(r.value))).split('\n');
        this.rest = parts.pop()!;
        this.buffered.push(...parts);
      }
    }
    const text = this.buffered.shift();
    if (text === undefined) return null;
    this.line++;
    try {
      return JSON.parse(text);
    } catch {
      throw new RestoreError(`${this.file} is corrupt: record ${this.line} is not valid JSON`);
    }
  }

  close(): void {
    this.stream.destroy();
  }
}

export interface RestoreOptions {
  /** Progress lines for the operator (e.g. while the transaction-id counter is moved). */
  onProgress?: (message: string) => void;
  /** Largest transaction-id gap restore closes by burning ids; a larger gap refuses the restore. */
  maxXidAdvance?: number;
  /** Called with the header before the database is touched; throw (a RestoreError) to refuse. */
  check?: (header: BackupHeader) => void;
}

export interface RestoreResult extends BackupResult {
  header: BackupHeader;
  /** Transaction ids burned so that new audit entries sort after the restored ones. */
  xidAdvanced: number;
  /** Migrations applied after the data, to bring the backup's schema to this version's. */
  migrated: string[];
}

function isHeader(h: any): h is BackupHeader {
  return (
    h && typeof h === 'object' && h.format === BACKUP_FORMAT && Number.isInteger(h.formatVersion) &&
    Array.isArray(h.migrations) && h.migrations.every((m: unknown) => typeof m === 'string') &&
    Array.isArray(h.tables) && Array.isArray(h.sequences) && (h.xidMax === null || typeof h.xidMax === 'string')
  );
}

/** Why the target cannot take a restore, or null when it is empty (at most migrated, no rows). */
async function notEmpty(db: Ex, backupMigrations: string[]): Promise<string | null> {
  const applied = (await appliedMigrations(db)) ?? [];
  const beyond = applied.find((m, i) => backupMigrations[i] !== m);
  if (beyond) return `the target database is already migrated past this backup (it has migration ${beyond}); restore needs an empty database`;
  const names = (await sql<{ name: string }>`
    SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`.execute(db)).rows.map((r) => r.name);
  for (const name of names) {
    if (SKIP.has(name)) continue;
    const has = (await sql<{ x: boolean }>`${sql.raw(`SELECT EXISTS (SELECT 1 FROM ${ident(name)}) AS x`)}`.execute(db)).rows[0]!.x;
    if (has) return `the target database is not empty (table ${name} has rows); restore needs an empty database — a new PostgreSQL database, or a new DATA_DIR for the embedded one`;
  }
  return null;
}

/**
 * Burns transaction ids until the next one is above `max`. The audit sealer orders entries by
 * transaction id, so new entries must get ids above every restored one; PostgreSQL has no other
 * way to move the counter forward from SQL. ≈100 000 ids per second, in 1 000 000-id steps.
 */
async function advanceXid(db: Ex, max: bigint, onProgress?: (m: string) => void): Promise<number> {
  let burned = 0;
  for (;;) {
    const next = await nextXid(db);
    if (next > max) return burned;
    const n = Number(max - next + 1n < 1_000_000n ? max - next + 1n : 1_000_000n);
    if (burned === 0 && max - next > 1_000_000n) onProgress?.(`moving the transaction-id counter from ${next} past ${max} (about ${Math.ceil(Number(max - next) / 100_000)} s)`);
    // COMMIT inside DO ends each iteration's transaction: one id per iteration, no long transaction.
    await sql.raw(`DO $$ BEGIN FOR i IN 1..${n} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`).execute(db);
    burned += n;
  }
}

async function openBackup(file: string): Promise<{ reader: RecordReader; header: BackupHeader; size: number }> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch (err) {
    throw new RestoreError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (!st.isFile()) throw new RestoreError(`${file} is not a file`);
  if (st.size === 0) throw new RestoreError(`${file} is empty, not a Yunling backup`);
  const reader = new RecordReader(file);
  try {
    const header = await reader.next().catch((err) => {
      if (err instanceof RestoreError && /corrupt:|not a Yunling backup/.test(err.message)) throw new RestoreError(`${file} is not a Yunling backup`);
      throw err;
    });
    if (!header || header.format !== BACKUP_FORMAT) throw new RestoreError(`${file} is not a Yunling backup`);
    if (!isHeader(header)) throw new RestoreError(`${file}: the backup header is malformed`);
    if (header.formatVersion > BACKUP_FORMAT_VERSION) throw new RestoreError(`${file} is backup format ${header.formatVersion}; this version of Yunling reads format ${BACKUP_FORMAT_VERSION} — restore with a newer Yunling`);
    return { reader, header, size: st.size };
  } catch (err) {
    reader.close();
    throw err;
  }
}

/** The header of a backup file (checks that it is one), without touching any database. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  const { reader, header } = await openBackup(file);
  reader.close();
  return header;
}

export async function restore(db: Db, file: string, migrations: NamedMigration[], opts: RestoreOptions = {}): Promise<RestoreResult> {
  const { reader, header, size } = await openBackup(file);
  try {
    opts.check?.(header);
    const unknown = header.migrations.filter((m) => !migrations.some((x) => x.name === m));
    if (unknown.length) throw new RestoreError(`the backup needs migrations this version of Yunling does not have: ${unknown.join(', ')} — restore with the version that made it (${header.yunling}) or newer`);

    const why = await notEmpty(db, header.migrations);
    if (why) throw new RestoreError(why);
    const xidLimit = BigInt(opts.maxXidAdvance ?? MAX_XID_ADVANCE);
    if (header.xidMax !== null) {
      const gap = BigInt(header.xidMax) + 1n - (await nextXid(db));
      if (gap > xidLimit) {
        throw new RestoreError(`the backup's audit transaction ids (up to ${header.xidMax}) are ${gap} ahead of this database's counter; closing that gap would burn more than ${xidLimit} transaction ids — restore into a PostgreSQL cluster that has run more transactions (see src/core/backup/README.md)`);
      }
    }

    // Schema as of the backup, so that its rows fit; later migrations transform them afterwards.
    const last = header.migrations.at(-1);
    if (last) await migrateTo(db, migrations, last);
    const list = await tables(db);
    const info = new Map(list.map((t) => [t.name, t]));
    const missing = header.tables.filter((t: string) => !info.has(t));
    if (missing.length) throw new RestoreError(`the backup has tables the target schema lacks: ${missing.join(', ')}`);

    let total = 0;
    const perTable: Record<string, number> = {};
    await db.transaction().execute(async (tx) => {
      await portableSession(tx);
      // Rows written by the migrations themselves (reference data) are in the backup too.
      for (const t of [...list].reverse()) {
        if (!header.tables.includes(t.name)) continue;
        const has = (await sql<{ x: boolean }>`${sql.raw(`SELECT EXISTS (SELECT 1 FROM ${ident(t.name)}) AS x`)}`.execute(tx)).rows[0]!.x;
        if (has) await sql`${sql.raw(`DELETE FROM ${ident(t.name)}`)}`.execute(tx);
      }
      for (;;) {
        const head = await reader.next();
        if (!head || typeof head !== 'object' || Array.isArray(head)) throw new RestoreError(`${file} is truncated or corrupt (record ${reader.line}: expected a table)`);
        if (head.end === BACKUP_FORMAT) {
          if (head.rows !== total) throw new RestoreError(`${file} is corrupt: it declares ${head.rows} rows but holds ${total}`);
          break;
        }
        const t = info.get(head.table);
        if (!t) throw new RestoreError(`table ${head.table} does not exist in the target schema`);
        if (perTable[t.name] !== undefined) throw new RestoreError(`${file} is corrupt: table ${t.name} appears twice`);
        const columns: string[] = head.columns;
        if (!Array.isArray(columns) || columns.length === 0) throw new RestoreError(`${file} is corrupt: table ${t.name} has no column list`);
        const types = columns.map((c) => {
          const col = t.columns.find((x) => x.name === c);
          if (!col) throw new RestoreError(`column ${head.table}.${c} does not exist in the target schema`);
          return col.type;
        });
        const overriding = t.columns.some((c) => c.identity && columns.includes(c.name)) ? 'OVERRIDING SYSTEM VALUE' : '';
        const target = `${ident(t.name)} (${columns.map(ident).join(', ')})`;
        const casts = columns.map((_, i) => `c${i}::${types[i]}`).join(', ');
        const aliases = columns.map((_, i) => `c${i}`).join(', ');
        // A self-referencing table (division.parent_code) goes through a staging table and ONE
        // INSERT, so that its foreign key is checked at the end of the statement, whatever the row order.
        const stage = t.selfRef ? 'yunling_restore_stage' : null;
        if (stage) await sql`${sql.raw(`CREATE TEMP TABLE ${stage} (${columns.map((_, i) => `c${i} text`).join(', ')}) ON COMMIT DROP`)}`.execute(tx);
        const batch: (string | null)[][] = [];
        let n = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          const arrays = columns.map((_, i) => batch.map((r) => r[i] ?? null));
          const from = sql`unnest(${sql.join(arrays.map((a) => sql`${a}::text[]`))}) AS u(${sql.raw(aliases)})`;
          if (stage) await sql`INSERT INTO ${sql.raw(stage)} SELECT * FROM ${from}`.execute(tx);
          else await sql`INSERT INTO ${sql.raw(target)} ${sql.raw(overriding)} SELECT ${sql.raw(casts)} FROM ${from}`.execute(tx);
          n += batch.length;
          batch.length = 0;
        };
        for (;;) {
          const row = await reader.next();
          if (row === null) throw new RestoreError(`${file} is truncated (it ends inside table ${t.name})`);
          if (!Array.isArray(row)) {
            if (row.end !== t.name) throw new RestoreError(`${file} is corrupt: unexpected record ${reader.line} in table ${t.name}`);
            await flush();
            if (typeof row.rows === 'number' && row.rows !== n) throw new RestoreError(`${file} is corrupt: table ${t.name} declares ${row.rows} rows but holds ${n}`);
            break;
          }
          if (row.length !== columns.length || !row.every((v: unknown) => v === null || typeof v === 'string')) {
            throw new RestoreError(`${file} is corrupt: record ${reader.line} in table ${t.name} does not match its columns`);
          }
          batch.push(row);
          if (batch.length >= BATCH) await flush();
        }
        if (stage) {
          await sql`${sql.raw(`INSERT INTO ${target} ${overriding} SELECT ${casts} FROM ${stage}`)}`.execute(tx);
          await sql`${sql.raw(`DROP TABLE ${stage}`)}`.execute(tx);
        }
        perTable[t.name] = n;
        total += n;
      }
      // Nothing may follow the trailer; reading to the end also checks the gzip CRC and length.
      if ((await reader.next()) !== null) throw new RestoreError(`${file} is corrupt: data after the end of the backup`);
      const notSeen = header.tables.filter((t) => perTable[t] === undefined);
      if (notSeen.length) throw new RestoreError(`${file} is corrupt: tables ${notSeen.join(', ')} are missing`);

      // Every sequence continues after both the restored values and the values the source had
      // handed out (a rolled-back insert still used its number), so new rows never collide.
      const fromBackup = new Map(header.sequences.map((s) => [`${s.table}.${s.column}`, s]));
      for (const s of await ownedSequences(tx)) {
        const b = fromBackup.get(`${s.table}.${s.column}`);
        const maxCol = (await sql<{ m: string | null }>`${sql.raw(`SELECT max(${ident(s.column)})::text AS m FROM ${ident(s.table)}`)}`.execute(tx)).rows[0]?.m;
        let value: bigint | null = b?.isCalled ? BigInt(b.lastValue) : null;
        if (maxCol != null && (value === null || BigInt(maxCol) > value)) value = BigInt(maxCol);
        const seq = literal(`public.${ident(s.sequence)}`);
        if (value !== null) await sql`${sql.raw(`SELECT setval(${seq}, ${value.toString()}, true)`)}`.execute(tx);
        else if (b) await sql`${sql.raw(`SELECT setval(${seq}, ${BigInt(b.lastValue).toString()}, false)`)}`.execute(tx);
      }
    });

    // New audit entries must sort after the restored ones (see advanceXid).
    const restoredMax = await maxXid(db, list);
    const xidAdvanced = restoredMax === null ? 0 : await advanceXid(db, restoredMax, opts.onProgress);
    const migrated = await migrateToLatest(db, migrations);
    return { tables: Object.keys(perTable).length, rows: total, bytes: size, header, xidAdvanced, migrated };
  } finally {
    reader.close();
  }
}
