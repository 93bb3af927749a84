// services/applications (issue 5): 办件 on the workflow engine — online and counter submissions,
// materials and e-license references, staff actions, tracking — and 一件事一次办 bundles. See README.md.
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.js';
import type { NamedMigration } from '../../../core/db/migrate.js';
import './tables.js';
import { applicationMigrations } from './migrations.js';
import { applicationRoutes } from './routes.js';
import { draftRoutes } from './drafts-routes.js';
import { registerBundleFiles } from './bundles.js';

export const migrations: NamedMigration[] = applicationMigrations;

/** Job definitions and event subscriptions (called once per Core, before routes). */
export function register(_core: Core): void {
  registerBundleFiles();
}

export const routes = (core: Core) => async (app: FastifyInstance) => {
  await app.register(applicationRoutes(core));
  await app.register(draftRoutes(core));
};

export { getApplication } from './views.js';
export { submitApplication, submitCounterApplication, type SubmitInput, type CounterInput } from './submit.js';
export { actOnApplication, type ActionInput } from './actions.js';
export { useCatalog, type ItemVersion, type Material, type GetItemVersion } from './catalog.js';
export { loadBundles, bundleView, submitBundle, type Bundle } from './bundles.js';
