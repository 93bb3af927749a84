// 一网通办 (issue 5): the service-item catalog, applications, 一件事一次办 bundles, 免申即享
// benefits and 好差评 ratings. Each part is a sub-folder with its own migrations, jobs and routes.
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/index.js';
import type { NamedMigration } from '../../core/db/migrate.js';
import * as catalog from './catalog/index.js';
import * as applications from './applications/index.js';
import * as benefits from './benefits/index.js';
import * as ratings from './ratings/index.js';

const parts = [catalog, applications, benefits, ratings];

export const servicesMigrations: NamedMigration[] = parts.flatMap((p) => p.migrations);

export function registerServices(core: Core): void {
  for (const p of parts) p.register(core);
}

export const servicesRoutes = (core: Core) => async (app: FastifyInstance) => {
  for (const p of parts) await app.register(p.routes(core));
};
