// Migrations: Kysely's Migrator over one list gathered from every module (src/migrations.ts).
// Names are timestamped (`20261126_0001_core_audit`) so that the global order is the name order.
// Forward-only once released: never edit a released migration, add a new one.
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';

export interface NamedMigration extends Migration {
  name: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  latest: string | null;
}

function migrator(db: Kysely<any>, migrations: NamedMigration[]): Migrator {
  const record: Record<string, Migration> = {};
  for (const m of migrations) {
    if (record[m.name]) throw new Error(`duplicate migration name ${m.name}`);
    record[m.name] = { up: m.up, down: m.down };
  }
  return new Migrator({ db, provider: { getMigrations: async () => record } });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const err = result.error as Error;
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${err.message}`, { cause: err });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Applies every pending migration (under Kysely's advisory lock, so concurrent nodes are safe). */
export async function migrateToLatest(db: Kysely<any>, migrations: NamedMigration[]): Promise<string[]> {
  return unwrap(await migrator(db, migrations).migrateToLatest());
}

export async function migrateTo(db: Kysely<any>, migrations: NamedMigration[], name: string): Promise<string[]> {
  return unwrap(await migrator(db, migrations).migrateTo(name));
}

export async function migrationStatus(db: Kysely<any>, migrations: NamedMigration[]): Promise<MigrationStatus> {
  const infos = await migrator(db, migrations).getMigrations();
  const applied = infos.filter((i) => i.executedAt).map((i) => i.name);
  const pending = infos.filter((i) => !i.executedAt).map((i) => i.name);
  return { applied, pending, latest: applied.at(-1) ?? null };
}
