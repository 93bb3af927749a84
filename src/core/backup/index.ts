// Logical backup and restore that work across engines (PGlite ⇄ PostgreSQL): a gzip'd NDJSON file
// with a header (format, version, migrations, sequences, highest transaction id), then per table
// its columns and its rows, every value in PostgreSQL's own text form (lossless: timestamptz in
// UTC, bytea hex, jsonb text, floats shortest-exact, xid8 decimal), then a trailer with the row
// count. The whole backup is ONE repeatable-read snapshot. Restore refuses a database that holds
// data, migrates it to the backup's migration, inserts every table in foreign-key order in ONE
// transaction (checking every count and the gzip checksum before it commits), continues every
// sequence after the restored values, moves the transaction-id counter past the restored audit
// entries, then migrates to the latest schema. The audit chain therefore verifies after a
// restore and keeps sealing new entries. See README.md.
export { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MAX_XID_ADVANCE, type BackupHeader, type SequenceState } from './schema.js';
export { backup, BackupError, type BackupResult } from './backup.js';
export { restore, readBackupHeader, RestoreError, type RestoreOptions, type RestoreResult } from './restore.js';
