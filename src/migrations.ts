// Every module's migrations, in one list. A new module appends its own array here.
import type { NamedMigration } from './core/db/migrate.js';
import { coreMigrations } from './core/db/core-migrations.js';

export const allMigrations: NamedMigration[] = [...coreMigrations].sort((a, b) => a.name.localeCompare(b.name));
