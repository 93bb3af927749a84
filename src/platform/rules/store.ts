// All SQL on rules_ruleset, and resolution of the rule set that applies in a division: the
// division's own newest published version, else its prefecture's, else the province's.
import { sql } from 'kysely';
import type { Executor } from '../../core/db/types.js';
import { AppError } from '../../core/http/errors.js';
import { divisionAncestors, validateDivisionCode } from '../../core/validators/index.js';
import type { RuleSet, RuleSetBody, RuleSetStatus } from './types.js';
import type { LocalizedText } from '../../core/validators/index.js';
import './tables.js';

type Row = {
  id: string; key: string; version: number; division: string; status: RuleSetStatus; title: LocalizedText; definition: RuleSetBody;
  created_by: string; created_at: Date; published_at: Date | null; withdrawn_at: Date | null;
};

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toRuleSet(r: Row): RuleSet {
  const def = typeof r.definition === 'string' ? (JSON.parse(r.definition) as RuleSetBody) : r.definition;
  return {
    id: r.id, key: r.key, version: r.version, division: r.division, status: r.status,
    title: typeof r.title === 'string' ? JSON.parse(r.title) : r.title,
    ...(def.description ? { description: def.description } : {}),
    rules: def.rules, facts: def.facts,
    createdBy: r.created_by, createdAt: iso(r.created_at)!, publishedAt: iso(r.published_at), withdrawnAt: iso(r.withdrawn_at),
  };
}

const notFound = (key: string) => new AppError('NOT_FOUND', { 'zh-CN': `规则集 ${key} 不存在`, en: `No rule set ${key}` });

/** The division and its ancestors, nearest first, canonical codes. */
export function divisionChain(division: string): string[] {
  const v = validateDivisionCode(division);
  if (!v.ok) return [];
  return [v.canonical, ...divisionAncestors(v.canonical).reverse()];
}

export async function findVersion(ex: Executor, key: string, version: number): Promise<RuleSet | null> {
  const r = await ex.selectFrom('rules_ruleset').selectAll().where('key', '=', key).where('version', '=', version).executeTakeFirst();
  return r ? toRuleSet(r as Row) : null;
}

export async function lockKey(ex: Executor, key: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`yunling.rules:${key}`}))`.execute(ex);
}

export async function nextVersion(ex: Executor, key: string): Promise<number> {
  const r = await ex.selectFrom('rules_ruleset').select(sql<number>`coalesce(max(version), 0)::int`.as('v')).where('key', '=', key).executeTakeFirst();
  return Number(r?.v ?? 0) + 1;
}

export async function insertRuleSet(ex: Executor, v: { key: string; version: number; division: string; status: RuleSetStatus; title: LocalizedText; body: RuleSetBody; createdBy: string; at: Date }): Promise<RuleSet> {
  const r = await ex.insertInto('rules_ruleset').values({
    key: v.key, version: v.version, division: v.division, status: v.status, title: JSON.stringify(v.title), definition: JSON.stringify(v.body),
    created_by: v.createdBy, created_at: v.at, published_at: v.status === 'published' ? v.at : null,
  }).returningAll().executeTakeFirstOrThrow();
  return toRuleSet(r as Row);
}

export async function setStatus(ex: Executor, id: string, status: 'published' | 'withdrawn', at: Date): Promise<RuleSet> {
  const r = await ex.updateTable('rules_ruleset')
    .set(status === 'published' ? { status, published_at: at } : { status, withdrawn_at: at })
    .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  return toRuleSet(r as Row);
}

export async function lockVersion(ex: Executor, key: string, version: number): Promise<RuleSet | null> {
  const r = await ex.selectFrom('rules_ruleset').selectAll().where('key', '=', key).where('version', '=', version).forUpdate().executeTakeFirst();
  return r ? toRuleSet(r as Row) : null;
}

export interface GetRuleSetOptions {
  /** A pinned version (e.g. the one a case started with). */
  version?: number;
  /** The division it must apply in: the rule set's own division or one of its ancestors. */
  division?: string;
  /** Allow a draft when a version is named (dry runs); never chosen otherwise. */
  includeDrafts?: boolean;
}

/**
 * The rule set `key` that applies: with `version`, exactly that version (VERSION_WITHDRAWN if it
 * was withdrawn); otherwise the newest published version in `division` or the nearest ancestor.
 */
export async function getRuleSet(ex: Executor, key: string, opts: GetRuleSetOptions = {}): Promise<RuleSet> {
  const chain = opts.division === undefined ? null : divisionChain(opts.division);
  if (chain && chain.length === 0) throw notFound(key);
  if (opts.version !== undefined) {
    const rs = await findVersion(ex, key, opts.version);
    if (!rs || (chain && !chain.includes(rs.division))) throw notFound(key);
    if (rs.status === 'withdrawn') {
      throw new AppError('VERSION_WITHDRAWN', { 'zh-CN': `规则集 ${key} 第 ${rs.version} 版已撤回`, en: `Version ${rs.version} of rule set ${key} was withdrawn` });
    }
    if (rs.status === 'draft' && !opts.includeDrafts) {
      throw new AppError('INVALID_STATE', { 'zh-CN': `规则集 ${key} 第 ${rs.version} 版尚未发布`, en: `Version ${rs.version} of rule set ${key} is not published` });
    }
    return rs;
  }
  if (!chain) throw new Error('getRuleSet needs a division or a version');
  const r = await ex.selectFrom('rules_ruleset').selectAll()
    .where('key', '=', key).where('status', '=', 'published').where('division', 'in', chain)
    .orderBy(sql`array_position(${sql.val(chain)}::text[], division)`).orderBy('version', 'desc')
    .limit(1).executeTakeFirst();
  if (!r) throw notFound(key);
  return toRuleSet(r as Row);
}

/** Every version of `key` defined in `divisions` (newest first). */
export async function listVersions(ex: Executor, key: string, divisions: string[]): Promise<RuleSet[]> {
  if (divisions.length === 0) return [];
  const rows = await ex.selectFrom('rules_ruleset').selectAll().where('key', '=', key).where('division', 'in', divisions).orderBy('version', 'desc').execute();
  return rows.map((r) => toRuleSet(r as Row));
}
