// services/catalog (issue 5): the service-item catalog (事项) — standard elements, materials,
// immutable versions per division with inheritance, life events, Chinese search, Excel
// import/export, and the demo pack loader. Other parts use only what is exported here.
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.js';
import './tables.js';
import { catalogRoutes } from './routes.js';

export { migrations } from './migrations.js';
export { getItemVersion, getItemVersionById, type ItemVersion, type Material, type ItemGuide } from './contract.js';
export { publishItem, withdrawItem, setImplemented, MANAGE as CATALOG_MANAGE, type Caller as CatalogCaller, type PublishResult } from './service.js';
export { listItems, itemGuide, type ItemSummary, type ItemPage } from './browse.js';
export { searchTokens, searchQuery } from './search.js';
export { reindexCatalogSearch } from './search-reindex.js';
export { ItemInput, LIFE_EVENTS, ITEM_TYPES } from './schema.js';

/** Job definitions and event subscriptions (called once per Core, before routes). */
export function register(_core: Core): void {}

export const routes = (core: Core) => async (app: FastifyInstance) => {
  await app.register(catalogRoutes(core));
};
export { loadServicesPack, seedServicesPack, DEFAULT_PACK_DIR, type PackReport } from './pack.js';
