// Published templates in the database: versions per (key, division), the effective version for a
// division (its own, else its prefecture's, else the province's), publication over HTTP, and the
// idempotent seeding of code-defined templates. Every publication is audited and evented.
import { sql, type Selectable } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import { recordChange, type Actor } from '../../core/audit/record.js';
import { AppError, type FieldError, type Lang } from '../../core/http/errors.js';
import { getDivision, scopePrefix } from '../../core/divisions/service.js';
import { divisionAncestors } from '../../core/validators/index.js';
import { mayManageIn, outOfScope, t, templateVisibility, type Caller } from './access.js';
import { registeredTemplates } from './builtin.js';
import { renderVersion, sameContent, templateProblems, type RenderedMessage, type TemplateData, type TemplateDefinition, type TemplateVersion } from './templates.js';
import type { Channel, NotifyTemplateTable } from './tables.js';

export const PROVINCE = '530000';
const SYSTEM: Actor = { id: 'system:notify' };

type Row = Selectable<NotifyTemplateTable>;

function toVersion(r: Row): TemplateVersion {
  return {
    id: r.id, key: r.key, division: r.division, version: r.version, category: r.category, channels: r.channels, placeholders: r.placeholders,
    subject: { 'zh-CN': r.subject_zh, en: r.subject_en }, body: { 'zh-CN': r.body_zh, en: r.body_en },
    smsBody: r.sms_zh !== null && r.sms_en !== null ? { 'zh-CN': r.sms_zh, en: r.sms_en } : null,
    builtin: r.builtin, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString(),
  };
}

/** The division itself first, then its ancestors up to the province. */
function chain(division: string | null | undefined): string[] {
  if (!division) return [PROVINCE];
  return [division, ...divisionAncestors(division).reverse()];
}

const notPublished = (key: string, version?: number) => new AppError('DEFINITION_INVALID', {
  'zh-CN': `消息模板 ${key}${version ? ` 第 ${version} 版` : ''} 未发布`,
  en: `Message template ${key}${version ? ` version ${version}` : ''} is not published`,
});

/**
 * The template version that applies in `division`: the latest version published for the most
 * specific division on its chain (or, with `version`, that version from the most specific
 * division that has it).
 */
export async function effectiveTemplate(ex: Executor, key: string, opts: { division?: string | null; version?: number } = {}): Promise<TemplateVersion> {
  const divisions = chain(opts.division);
  let q = ex.selectFrom('notify_template').selectAll().where('key', '=', key).where('division', 'in', divisions);
  if (opts.version !== undefined) q = q.where('version', '=', opts.version);
  const rows = await q.orderBy('version', 'desc').execute();
  for (const d of divisions) {
    const r = rows.find((x) => x.division === d);
    if (r) return toVersion(r);
  }
  throw notPublished(key, opts.version);
}

export interface RenderOptions {
  lang?: Lang;
  channel?: Channel;
  /** The division whose template applies (the case's division); the province's when absent. */
  division?: string | null;
  version?: number;
}

/** Renders a published template for a channel (default: the in-app/e-mail text) and language. */
export async function renderTemplate(ex: Executor, key: string, data: TemplateData, opts: RenderOptions = {}): Promise<RenderedMessage> {
  const tpl = await effectiveTemplate(ex, key, opts);
  return renderVersion(tpl, data, opts.lang ?? 'zh-CN', opts.channel ?? 'inbox');
}

/** Templates the caller may see: every version of `key`, or the latest version of each (key, division). */
export async function listTemplates(core: Core, caller: Caller, query: { key?: string }): Promise<TemplateVersion[]> {
  const { prefixes, ancestors } = templateVisibility(caller.principal);
  if (prefixes.length === 0) return [];
  const visible = sql<boolean>`(${sql.join([
    ...prefixes.map((s) => sql`division LIKE ${scopePrefix(s) + '%'}`),
    ...(ancestors.length ? [sql`division = ANY(${ancestors}::text[])`] : []),
  ], sql` OR `)})`;
  if (query.key) {
    const rows = await core.db.selectFrom('notify_template').selectAll().where('key', '=', query.key).where(visible)
      .orderBy('division').orderBy('version', 'desc').execute();
    return rows.map(toVersion);
  }
  const rows = (await sql<Row>`SELECT DISTINCT ON (key, division) * FROM notify_template WHERE ${visible}
    ORDER BY key, division, version DESC`.execute(core.db)).rows;
  return rows.map(toVersion);
}

export interface PublishInput extends TemplateDefinition {
  division: string;
}

async function insertVersion(ex: Executor, actor: Actor, def: PublishInput, builtin: boolean, version: number): Promise<string | undefined> {
  const row = await ex.insertInto('notify_template').values({
    key: def.key, division: def.division, version, category: def.category, channels: def.channels, placeholders: def.placeholders,
    subject_zh: def.subject['zh-CN'], subject_en: def.subject.en, body_zh: def.body['zh-CN'], body_en: def.body.en,
    sms_zh: def.smsBody?.['zh-CN'] ?? null, sms_en: def.smsBody?.en ?? null, builtin, created_by: actor.id,
  }).onConflict((oc) => oc.columns(['key', 'division', 'version']).doNothing()).returning('id').executeTakeFirst();
  if (!row) return undefined;
  await recordChange(ex, actor, { action: 'notify.template.publish', object: { type: 'notify_template', id: row.id }, division: def.division, detail: { key: def.key, version, builtin } },
    { type: 'notify.template.published', payload: { id: row.id, key: def.key, division: def.division, version, builtin } });
  return row.id;
}

async function latestVersion(ex: Executor, key: string, division: string): Promise<Row | undefined> {
  return ex.selectFrom('notify_template').selectAll().where('key', '=', key).where('division', '=', division).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** Publishes the next version of `key` in `division`. Earlier versions stay as they were. */
export async function publishTemplate(core: Core, caller: Caller, input: PublishInput): Promise<TemplateVersion> {
  if (!mayManageIn(caller.principal, input.division)) throw outOfScope(input.division);
  const errors: FieldError[] = templateProblems(input, caller.lang);
  if (!(await getDivision(core.db, input.division))) errors.push({ pointer: '/body/division', code: 'unknown', message: t(caller.lang, { 'zh-CN': `行政区划 ${input.division} 不存在`, en: `Unknown division ${input.division}` }) });
  if (errors.length) throw new AppError('DEFINITION_INVALID', undefined, errors);
  const id = await core.db.transaction().execute(async (tx) => {
    const latest = await latestVersion(tx, input.key, input.division);
    return insertVersion(tx, caller.actor, input, false, (latest?.version ?? 0) + 1);
  });
  // Two publications of the same key at the same moment: one wins, the other is told to retry.
  if (!id) throw new AppError('CONFLICT', { 'zh-CN': '该模板刚刚发布了新版本，请刷新后重试', en: 'A new version was just published; reload and retry' });
  const row = await core.db.selectFrom('notify_template').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return toVersion(row);
}

/**
 * Publishes every code-defined template at province level, idempotently: a key with no version
 * gets version 1; when the code's text changed and the latest version is still the built-in one,
 * a new version follows the code; a version an administrator published is never overridden.
 */
export async function ensureBuiltinTemplates(core: Core): Promise<number> {
  let published = 0;
  for (const def of registeredTemplates()) {
    const id = await core.db.transaction().execute(async (tx) => {
      const latest = await latestVersion(tx, def.key, PROVINCE);
      if (latest && (!latest.builtin || sameContent(toVersion(latest), def))) return undefined;
      return insertVersion(tx, SYSTEM, { ...def, division: PROVINCE }, true, (latest?.version ?? 0) + 1);
    });
    if (id) published += 1;
  }
  return published;
}

