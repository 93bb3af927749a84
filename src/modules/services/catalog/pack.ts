// The services pack (packs/services): generic workflows, reusable forms, the province's items and
// how 昆明市 / 五华区 implement them. Loading is idempotent — an unchanged workflow, form or item
// is not published again — so the seeder can run at every start. Items are written in ONE
// transaction: a pack with any bad item writes no item at all and names every problem.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../../../core/index.js';
import type { Principal } from '../../../core/http/auth.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { loadDefinitionFile, publishDefinition, resolveDefinition } from '../../../platform/workflow/index.js';
import { loadFormFile, publishForm } from '../../../platform/forms/index.js';
import type { DemoAccount } from '../../../seed.js';
import { itemProblems } from './validate.js';
import { publishInTx, setImplemented, type Caller } from './service.js';
import type { ItemInput } from './schema.js';

/** packs/services of this installation (src/… and dist/… sit at the same depth). */
export const DEFAULT_PACK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../packs/services');

const PACK_PRINCIPAL: Principal = { id: 'system:services-pack', name: '政务服务事项包', kind: 'system', permissions: new Set(['*']), scopes: ['530000'] };
const PACK_CALLER: Caller = { principal: PACK_PRINCIPAL, actor: { id: 'system:services-pack' }, lang: 'zh-CN' };

export interface PackReport {
  workflows: { published: string[]; unchanged: string[] };
  forms: { published: string[]; unchanged: string[] };
  items: { published: number; unchanged: number };
  notImplemented: number;
}

interface Implementation { division: string; items?: Array<Partial<ItemInput> & { key: string }>; notImplemented?: Array<{ key: string; note?: string }> }

const yamlFiles = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : []);

const stable = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
};

async function readYaml(file: string): Promise<unknown> {
  const { parse } = await import('yaml');
  return parse(fs.readFileSync(file, 'utf8'));
}

/** Every item of the pack as it will be published (province items, then local implementations), keyed by where it came from. */
export async function packItems(dir: string): Promise<{ items: Array<{ at: string; item: ItemInput }>; notImplemented: Array<{ division: string; key: string; note?: string }> }> {
  const items: Array<{ at: string; item: ItemInput }> = [];
  const base = new Map<string, ItemInput>();
  for (const f of yamlFiles(path.join(dir, 'items'))) {
    const doc = (await readYaml(path.join(dir, 'items', f))) as { defaults?: Record<string, unknown>; items?: Array<Record<string, unknown>> };
    (doc.items ?? []).forEach((raw, i) => {
      const item = { division: '530000', ...doc.defaults, ...raw } as ItemInput;
      items.push({ at: `/items/${f}/${i}`, item });
      base.set(item.key, item);
    });
  }
  const notImplemented: Array<{ division: string; key: string; note?: string }> = [];
  const implFile = path.join(dir, 'implementations.yaml');
  if (fs.existsSync(implFile)) {
    const impls = ((await readYaml(implFile)) ?? []) as Implementation[];
    impls.forEach((impl, i) => {
      (impl.items ?? []).forEach((o, j) => {
        const province = base.get(o.key);
        // An override of an unknown key is published as written, so the validator names what is missing.
        const { code: _provinceCode, ...inherited } = province ?? ({} as ItemInput);
        items.push({ at: `/implementations.yaml/${i}/items/${j}`, item: { ...inherited, ...o, division: String(impl.division) } as ItemInput });
      });
      for (const n of impl.notImplemented ?? []) notImplemented.push({ division: String(impl.division), key: n.key, note: n.note });
    });
  }
  return { items, notImplemented };
}

export async function loadServicesPack(core: Core, dir: string = DEFAULT_PACK_DIR): Promise<PackReport> {
  const report: PackReport = { workflows: { published: [], unchanged: [] }, forms: { published: [], unchanged: [] }, items: { published: 0, unchanged: 0 }, notImplemented: 0 };
  for (const f of yamlFiles(path.join(dir, 'workflows'))) {
    const def = (await loadDefinitionFile(path.join(dir, 'workflows', f))) as { key: string };
    const current = await resolveDefinition(core.db, def.key, '530000');
    if (current && current.division === '530000' && stable(current.definition) === stable(def)) {
      report.workflows.unchanged.push(def.key);
      continue;
    }
    await publishDefinition(core, PACK_CALLER, { division: '530000', definition: def });
    report.workflows.published.push(def.key);
  }
  for (const f of yamlFiles(path.join(dir, 'forms'))) {
    const r = await publishForm(core, PACK_CALLER, await loadFormFile(path.join(dir, 'forms', f)));
    (r.created ? report.forms.published : report.forms.unchanged).push(r.form.key);
  }
  const { items, notImplemented } = await packItems(dir);
  const problems: FieldError[] = items.flatMap(({ at, item }) => itemProblems(item, 'zh-CN', at));
  if (problems.length) throw new AppError('DEFINITION_INVALID', { 'zh-CN': `事项包有 ${problems.length} 处问题`, en: `The services pack has ${problems.length} problem(s)` }, problems);
  await core.db.transaction().execute(async (tx) => {
    for (const { at, item } of items) {
      const r = await publishInTx(core, tx, PACK_CALLER, item, at);
      if (r.created) report.items.published++;
      else report.items.unchanged++;
    }
  });
  for (const n of notImplemented) {
    await setImplemented(core, PACK_CALLER, n.key, { division: n.division, implemented: false, note: n.note ?? null });
    report.notImplemented++;
  }
  return report;
}

/** The seeder hook for src/seed.ts: loads packs/services; creates no accounts. */
export async function seedServicesPack(core: Core): Promise<DemoAccount[]> {
  const r = await loadServicesPack(core);
  core.log.info({ workflows: r.workflows.published.length, forms: r.forms.published.length, items: r.items.published }, 'services pack loaded');
  return [];
}
