// Publishing and resolving definitions. A version is immutable once published; a case keeps the
// version it started under. A division inherits its ancestors' definitions (province → prefecture
// → county) unless it publishes its own of the same key.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { AppError } from '../../core/http/errors.js';
import { recordChange } from '../../core/audit/record.js';
import { getDivision } from '../../core/divisions/service.js';
import { assertMayIn, type WfCaller } from './access.js';
import { checkDefinition, type Definition } from './definition.js';

export interface PublishedDefinition {
  id: string;
  key: string;
  version: number;
  division: string;
  status: 'published' | 'withdrawn';
  definition: Definition;
  publishedBy: string;
  publishedAt: Date;
}

/** The division itself, then its ancestors up to the province (GB/T 2260 codes by prefix). */
export function divisionChain(code: string): string[] {
  const county = code.slice(0, 6);
  const chain = [code, county, `${county.slice(0, 4)}00`, `${county.slice(0, 2)}0000`];
  return [...new Set(chain)];
}

const toView = (r: { id: string; key: string; version: number; division: string; status: 'published' | 'withdrawn'; definition: unknown; published_by: string; published_at: Date }): PublishedDefinition => ({
  id: r.id, key: r.key, version: r.version, division: r.division, status: r.status, definition: r.definition as Definition, publishedBy: r.published_by, publishedAt: new Date(r.published_at),
});

export async function publishDefinition(core: Core, caller: WfCaller, input: { division: string; definition: unknown }): Promise<PublishedDefinition> {
  assertMayIn(caller.principal, 'workflow:definition.manage', input.division);
  if (!(await getDivision(core.db, input.division))) throw new AppError('DIVISION_NOT_FOUND');
  const problems = checkDefinition(input.definition);
  if (problems.length) throw new AppError('DEFINITION_INVALID', { 'zh-CN': `流程定义有 ${problems.length} 处问题`, en: `${problems.length} problems in the definition` }, problems);
  const def = input.definition as Definition;
  return core.db.transaction().execute(async (tx) => {
    // Serialise publishers of the same key and division so versions never collide.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`wf:${def.key}:${input.division}`}))`.execute(tx);
    const last = await tx.selectFrom('wf_definition').select((eb) => eb.fn.max('version').as('v')).where('key', '=', def.key).where('division', '=', input.division).executeTakeFirst();
    const version = (last?.v ?? 0) + 1;
    const row = await tx.insertInto('wf_definition').values({
      key: def.key, version, division: input.division, title: def.title['zh-CN'], definition: JSON.stringify(def), published_by: caller.actor.id,
    }).returningAll().executeTakeFirstOrThrow();
    await recordChange(tx, caller.actor, { action: 'workflow.definition.publish', object: { type: 'workflow.definition', id: row.id }, division: input.division, detail: { key: def.key, version } },
      { type: 'workflow.definition.published', payload: { key: def.key, version, division: input.division } });
    return toView(row);
  });
}

export async function withdrawDefinition(core: Core, caller: WfCaller, key: string, division: string, version: number): Promise<PublishedDefinition> {
  assertMayIn(caller.principal, 'workflow:definition.manage', division);
  return core.db.transaction().execute(async (tx) => {
    const row = await tx.updateTable('wf_definition').set({ status: 'withdrawn' }).where('key', '=', key).where('division', '=', division).where('version', '=', version).where('status', '=', 'published').returningAll().executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', { 'zh-CN': '没有该已发布的流程版本', en: 'No such published version' });
    await recordChange(tx, caller.actor, { action: 'workflow.definition.withdraw', object: { type: 'workflow.definition', id: row.id }, division, detail: { key, version } },
      { type: 'workflow.definition.withdrawn', payload: { key, version, division } });
    return toView(row);
  });
}

/** The newest published version that applies in `division` (its own, else the nearest ancestor's). */
export async function resolveDefinition(ex: Executor, key: string, division: string): Promise<PublishedDefinition | null> {
  const chain = divisionChain(division);
  // Only the newest published version of each division in the chain comes back (not every version).
  const rows = await ex.selectFrom('wf_definition').selectAll().distinctOn('division').where('key', '=', key).where('division', 'in', chain).where('status', '=', 'published')
    .orderBy('division').orderBy('version', 'desc').execute();
  for (const d of chain) {
    const hit = rows.find((r) => r.division === d);
    if (hit) return toView(hit);
  }
  return null;
}

export async function definitionById(ex: Executor, id: string): Promise<PublishedDefinition> {
  return toView(await ex.selectFrom('wf_definition').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

export async function listVersions(ex: Executor, key: string, divisions: string[]): Promise<PublishedDefinition[]> {
  if (!divisions.length) return [];
  const rows = await ex.selectFrom('wf_definition').selectAll().where('key', '=', key).where('division', 'in', divisions).orderBy('division').orderBy('version', 'desc').execute();
  return rows.map(toView);
}
