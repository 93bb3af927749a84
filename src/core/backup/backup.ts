// Writing a backup: one repeatable-read snapshot, every table in foreign-key order (see index.ts).
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { sql } from 'kysely';
import type { Db } from '../db/types.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BATCH, type SequenceState, type BackupHeader, ident, tables, ownedSequences, appliedMigrations, maxXid, portableSession } from './schema.js';

export interface BackupResult {
  tables: number;
  rows: number;
  bytes: number;
}

/** A backup could not be written (the file system said no); nothing was left behind. */
export class BackupError extends Error {}

export async function backup(db: Db, file: string, meta: { version: string; engine: string; cryptoProfile?: string }): Promise<BackupResult> {
  const partial = `${file}.partial`;
  const src = new PassThrough();
  const done = pipeline(src, createGzip(), fs.createWriteStream(partial));
  let streamError: unknown = null;
  done.catch((err) => {
    streamError = err;
  });
  const write = async (obj: unknown): Promise<void> => {
    if (streamError) throw streamError;
    if (!src.write(JSON.stringify(obj) + '\n')) await Promise.race([once(src, 'drain'), done]);
  };
  let rows = 0;
  let count = 0;
  try {
    // ONE repeatable-read snapshot: every table, the migrations and the sequences as of the same instant.
    await db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
      await portableSession(tx);
      const list = await tables(tx); // the first query takes the snapshot
      count = list.length;
      const sequences: SequenceState[] = [];
      for (const s of await ownedSequences(tx)) {
        const r = (await sql<{ last_value: string; is_called: boolean }>`${sql.raw(`SELECT last_value::text AS last_value, is_called FROM public.${ident(s.sequence)}`)}`.execute(tx)).rows[0]!;
        sequences.push({ table: s.table, column: s.column, lastValue: r.last_value, isCalled: r.is_called });
      }
      const xidMax = await maxXid(tx, list);
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        yunling: meta.version,
        engine: meta.engine,
        createdAt: new Date().toISOString(),
        migrations: (await appliedMigrations(tx)) ?? [],
        tables: list.map((t) => t.name),
        sequences,
        xidMax: xidMax === null ? null : xidMax.toString(),
        ...(meta.cryptoProfile ? { cryptoProfile: meta.cryptoProfile } : {}),
      };
      await write(header);
      for (const t of list) {
        await write({ table: t.name, columns: t.columns.map((c) => c.name), types: t.columns.map((c) => c.type) });
        const select = t.columns.map((c, i) => `${ident(c.name)}::text AS c${i}`).join(', ');
        // Byte order for text keys: the same row order on every engine and locale.
        const keys = t.pk.length ? t.pk : t.columns.map((c) => c.name);
        const order = keys.map((k) => (t.columns.find((c) => c.name === k)?.collatable ? `${ident(k)} COLLATE "C"` : ident(k))).join(', ');
        let n = 0;
        if (t.columns.length) {
          await sql`${sql.raw(`DECLARE yunling_backup NO SCROLL CURSOR FOR SELECT ${select} FROM ${ident(t.name)} ORDER BY ${order}`)}`.execute(tx);
          for (;;) {
            const r = await sql<Record<string, string | null>>`${sql.raw(`FETCH FORWARD ${BATCH} FROM yunling_backup`)}`.execute(tx);
            for (const row of r.rows) await write(t.columns.map((_, i) => row[`c${i}`] ?? null));
            n += r.rows.length;
            if (r.rows.length < BATCH) break;
          }
          await sql`CLOSE yunling_backup`.execute(tx);
        }
        rows += n;
        await write({ end: t.name, rows: n });
      }
      await write({ end: BACKUP_FORMAT, rows });
    });
    src.end();
    await done;
    // Durable before it takes the final name: a crash never leaves a half-written backup as `file`.
    const fh = await fs.promises.open(partial, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.promises.rename(partial, file);
  } catch (err) {
    src.destroy();
    await done.catch(() => {});
    await fs.promises.rm(partial, { force: true }).catch(() => {});
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === 'string' && typeof e.syscall === 'string') throw new BackupError(`cannot write the backup to ${file}: ${e.message}`, { cause: err });
    throw err;
  }
  return { tables: count, rows, bytes: (await fs.promises.stat(file)).size };
}

/** The backup file is not usable, or the target database cannot take it. Nothing was restored. */
