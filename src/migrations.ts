// Every module's migrations, in one list. A new module appends its own array here.
import type { NamedMigration } from './core/db/migrate.js';
import { coreMigrations } from './core/db/core-migrations.js';
import { identityMigrations } from './platform/identity/migrations.js';
import { oidcMigrations } from './platform/identity/oidc/migrations.js';
import { orgMigrations } from './platform/org/migrations.js';
import { notifyMigrations } from './platform/notify/index.js';
import { formsMigrations } from './platform/forms/index.js';
import { rulesMigrations } from './platform/rules/index.js';
import { filesMigrations } from './platform/files/index.js';
import { workflowMigrations } from './platform/workflow/index.js';
import { servicesMigrations } from './modules/services/index.js';
import { hotlineMigrations } from './modules/hotline/index.js';
import { licensesMigrations } from './platform/licenses/index.js';
import { sealsMigrations } from './platform/seals/index.js';
import { numberingMigrations } from './core/numbering/index.js';

export const allMigrations: NamedMigration[] = [...coreMigrations, ...identityMigrations, ...oidcMigrations, ...orgMigrations, ...notifyMigrations, ...formsMigrations, ...rulesMigrations, ...filesMigrations, ...workflowMigrations, ...servicesMigrations, ...hotlineMigrations, ...licensesMigrations, ...sealsMigrations, ...numberingMigrations].sort((a, b) => a.name.localeCompare(b.name));
