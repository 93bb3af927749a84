// The hotline's definitions (packs/hotline/workflows/*.yaml: hotline.order, hotline.kb), published
// at the province once per Core: again only when the file differs from the newest published version, so
// restarts never pile up versions and an edited file becomes the next version.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { loadDefinitionFile, publishDefinition, resolveDefinition } from '../../platform/workflow/index.js';

export const ORDER_WORKFLOW = 'hotline.order';
export const KB_WORKFLOW = 'hotline.kb';
const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '../../../packs/hotline/workflows');
const published = new WeakMap<Core, Promise<void>>();

const system: Principal = { id: 'system:hotline', name: '12345热线', kind: 'system', permissions: new Set(['workflow:definition.manage']), scopes: ['530000'] };

/** JSON with sorted keys: jsonb does not keep the file's key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** The seed step: publish each definition whose file differs from its newest province version. */
export async function publishHotlineWorkflows(core: Core): Promise<void> {
  for (const key of [ORDER_WORKFLOW, KB_WORKFLOW]) {
    const def = await loadDefinitionFile(path.join(dir, `${key}.yaml`));
    const current = await resolveDefinition(core.db, key, '530000');
    if (current && canonical(current.definition) === canonical(def)) continue;
    await publishDefinition(core, { principal: system, actor: { id: 'system:hotline' }, lang: 'zh-CN' }, { division: '530000', definition: def });
  }
}

/** Idempotent; call before opening a transaction that starts an order's case. */
export function ensureWorkflows(core: Core): Promise<void> {
  let p = published.get(core);
  if (!p) {
    p = publishHotlineWorkflows(core).catch((e) => {
      published.delete(core);
      throw e;
    });
    published.set(core, p);
  }
  return p;
}
