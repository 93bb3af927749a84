// The catalog contract (src/modules/services/README.md) as this part consumes it: the real
// `catalog/index.ts` lookup by default; `useCatalog(fn)` swaps it (a stand-in for tests, or an
// adapter) and `useCatalog(null)` restores the real one.
import type { Executor } from '../../../core/db/types.js';
import { getItemVersion as catalogGetItemVersion, type ItemVersion, type Material } from '../catalog/index.js';

export type { ItemVersion, Material };
export type GetItemVersion = (ex: Executor, q: { key?: string; code?: string; division: string; version?: number }) => Promise<ItemVersion | null>;

let override: GetItemVersion | null = null;

export function useCatalog(fn: GetItemVersion | null): void {
  override = fn;
}

export function getItemVersion(ex: Executor, q: { key?: string; code?: string; division: string; version?: number }): Promise<ItemVersion | null> {
  return (override ?? catalogGetItemVersion)(ex, q);
}
