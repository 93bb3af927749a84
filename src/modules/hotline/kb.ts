// 知识库: entries written by member units, reviewed by the hotline on the workflow engine, searched
// in Chinese (jieba words + bigrams in a `simple` tsvector + GIN, the shared src/platform/search;
// see kb-index.ts) with highlights, and suggested to the operator while a request is being typed.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError } from '../../core/http/errors.js';
import { getDivision, divisionScopeSql } from '../../core/divisions/service.js';
import { scopesFor } from '../../core/http/auth.js';
import { applyAction, definitionCached, lockInstance, startInstance } from '../../platform/workflow/index.js';
import { mayIn, type Caller } from './access.js';
import { badFields } from './runner.js';
import { divisionChain } from './time-limits.js';
import { highlight, searchQuery } from '../../platform/search/index.js';
import { kbVector } from './kb-index.js';
import { ensureWorkflows, KB_WORKFLOW } from './workflow-def.js';

export const KB_KINDS = ['办事指南', '法律法规', '热点问答', '政策文件', '常见问题'] as const;
export const KB_READ = 'hotline:kb.read';
/** Dispatchers and department administrators maintain the knowledge base. */
export const KB_MANAGE = ['hotline:kb.manage'];

export interface KbInput {
  division: string;
  departmentId?: string | null;
  categoryPath: string;
  title: string;
  content: string;
  issuingUnit: string;
  kind: string;
  keywords?: string[];
  validFrom?: string | null;
  validTo?: string | null;
}

export interface KbView {
  id: string; division: string; departmentId: string | null; categoryPath: string; title: string; content: string; issuingUnit: string; kind: string;
  keywords: string[]; validFrom: string | null; validTo: string | null; status: string; caseId: string | null; updatedAt: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

async function validateKb(core: Core, i: KbInput): Promise<FieldError[]> {
  const e: FieldError[] = [];
  const len = (p: string, v: unknown, max: number) => {
    const s = str(v);
    if (!s) e.push({ pointer: `/body/${p}`, code: 'required', message: '不能为空' });
    else if (Array.from(s).length > max) e.push({ pointer: `/body/${p}`, code: 'maxLength', message: `不能超过 ${max} 个字符` });
  };
  len('title', i.title, 128);
  len('content', i.content, 20000);
  len('issuingUnit', i.issuingUnit, 100);
  len('categoryPath', i.categoryPath, 200);
  if (!(KB_KINDS as readonly string[]).includes(i.kind)) e.push({ pointer: '/body/kind', code: 'enum', message: `材料性质须为 ${KB_KINDS.join('、')} 之一` });
  const kw = i.keywords ?? [];
  if (!Array.isArray(kw) || kw.length > 10) e.push({ pointer: '/body/keywords', code: 'maxItems', message: '关键字最多 10 个' });
  else kw.forEach((k, n) => {
    const s = str(k);
    if (!s || Array.from(s).length > 20) e.push({ pointer: `/body/keywords/${n}`, code: 'length', message: '关键字须为 1–20 个字符' });
    else if (s === str(i.title)) e.push({ pointer: `/body/keywords/${n}`, code: 'same-as-title', message: '关键字不能与标题相同' });
  });
  for (const f of ['validFrom', 'validTo'] as const) if (i[f] != null && !(DATE.test(String(i[f])) && !Number.isNaN(Date.parse(String(i[f]))))) e.push({ pointer: `/body/${f}`, code: 'format', message: '日期格式须为 YYYY-MM-DD' });
  const valid = (d: unknown) => typeof d === 'string' && DATE.test(d) && !Number.isNaN(Date.parse(d));
  if (valid(i.validFrom) && valid(i.validTo) && i.validTo! < i.validFrom!) e.push({ pointer: '/body/validTo', code: 'range', message: '失效日期不能早于生效日期' });
  if (!/^\d{6}$/.test(String(i.division ?? '')) || !(await getDivision(core.db, i.division))) e.push({ pointer: '/body/division', code: 'unknown', message: '行政区划不存在' });
  return e;
}

const toKb = (r: Record<string, unknown>): KbView => ({
  id: r.id as string, division: r.division as string, departmentId: (r.department_id as string) ?? null, categoryPath: r.category_path as string, title: r.title as string,
  content: r.content as string, issuingUnit: r.issuing_unit as string, kind: r.kind as string, keywords: r.keywords as string[], validFrom: (r.valid_from as string) ?? null,
  validTo: (r.valid_to as string) ?? null, status: r.status as string, caseId: (r.instance_id as string) ?? null, updatedAt: new Date(r.updated_at as string).toISOString(),
});

const mayManage = (c: Caller, division: string) => KB_MANAGE.some((p) => mayIn(c.principal, p, division));
const dupTitle = (e: unknown) => (e as { code?: string }).code === '23505' ? badFields([{ pointer: '/body/title', code: 'unique', message: '已有同名知识，标题须唯一' }]) : e;

/** Write (create, or revise when `id` is given) an entry; it goes to review either way. */
export async function saveKbEntry(core: Core, caller: Caller, input: KbInput, id?: string): Promise<KbView> {
  const errors = await validateKb(core, input);
  if (errors.length) throw badFields(errors);
  if (!mayManage(caller, input.division)) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权维护行政区划 ${input.division} 的知识`, en: `You may not maintain knowledge for ${input.division}` });
  await ensureWorkflows(core);
  const now = core.clock.now();
  const values = {
    division: input.division, department_id: input.departmentId ?? null, category_path: str(input.categoryPath), title: str(input.title), content: str(input.content),
    issuing_unit: str(input.issuingUnit), kind: input.kind, keywords: (input.keywords ?? []).map(str), valid_from: input.validFrom ?? null, valid_to: input.validTo ?? null,
    status: 'review' as const, search: kbVector({ title: str(input.title), keywords: (input.keywords ?? []).map(str), content: str(input.content) }), updated_at: now,
  };
  const entryId = await core.db.transaction().execute(async (tx) => {
    let rowId: string;
    if (id) {
      const old = await tx.selectFrom('hotline_kb_entry').select(['id', 'division', 'instance_id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!old || !mayManage(caller, old.division)) throw new AppError('NOT_FOUND', { 'zh-CN': '知识条目不存在', en: 'No such entry' });
      if (old.status === 'review') throw new AppError('INVALID_STATE', { 'zh-CN': '条目正在审核，审核后才能修改', en: 'The entry is under review' });
      await tx.updateTable('hotline_kb_entry').set(values).where('id', '=', id).execute().catch((e) => { throw dupTitle(e); });
      const inst = (await lockInstance(tx, old.instance_id!))!;
      await applyAction(core, tx, inst, await definitionCached(tx, inst.definition_id), 'revise', caller.actor, { system: true, detail: { by: caller.principal.id } });
      rowId = id;
    } else {
      const row = await tx.insertInto('hotline_kb_entry').values({ ...values, created_by: caller.actor.id, created_at: now }).returning('id').executeTakeFirstOrThrow().catch((e) => { throw dupTitle(e); });
      const inst = await startInstance(core, tx, caller.actor, { key: KB_WORKFLOW, division: input.division, title: `知识审核：${values.title}`, data: { entryId: row.id } });
      await tx.updateTable('hotline_kb_entry').set({ instance_id: inst.id }).where('id', '=', row.id).execute();
      rowId = row.id;
    }
    await recordChange(tx, caller.actor, { action: id ? 'hotline.kb.revise' : 'hotline.kb.create', object: { type: 'hotline.kb', id: rowId }, division: input.division, detail: { title: values.title } },
      { type: id ? 'hotline.kb.revised' : 'hotline.kb.created', payload: { title: values.title, kind: values.kind } });
    return rowId;
  });
  return getKbEntry(core, caller, entryId);
}

export async function reviewKbEntry(core: Core, caller: Caller, id: string, input: { approve: boolean; comment?: string }): Promise<KbView> {
  await core.db.transaction().execute(async (tx) => {
    const e = await tx.selectFrom('hotline_kb_entry').select(['id', 'division', 'instance_id', 'title']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!e || !e.instance_id) throw new AppError('NOT_FOUND', { 'zh-CN': '知识条目不存在', en: 'No such entry' });
    const inst = (await lockInstance(tx, e.instance_id))!;
    const after = await applyAction(core, tx, inst, await definitionCached(tx, inst.definition_id), input.approve ? 'publish' : 'reject', caller.actor, { principal: caller.principal, lang: caller.lang, comment: input.comment ?? null });
    await tx.updateTable('hotline_kb_entry').set({ status: after.state as 'published' | 'rejected', updated_at: core.clock.now() }).where('id', '=', id).execute();
    await recordChange(tx, caller.actor, { action: `hotline.kb.${after.state === 'published' ? 'publish' : 'reject'}`, object: { type: 'hotline.kb', id }, division: e.division, detail: { title: e.title } },
      { type: `hotline.kb.${after.state}`, payload: { title: e.title } });
  });
  return getKbEntry(core, caller, id);
}

/** Entries the caller may read: their divisions' subtrees and the ancestors' entries (province knowledge is everyone's). */
function readable(caller: Caller, only?: string[]) {
  const scopes = only ?? [...scopesFor(caller.principal, KB_READ), ...KB_MANAGE.flatMap((p) => scopesFor(caller.principal, p))];
  const ancestors = [...new Set(scopes.flatMap((s) => divisionChain(s)))];
  return sql<boolean>`(${divisionScopeSql('division', scopes)} ${ancestors.length ? sql`OR division IN (${sql.join(ancestors)})` : sql``})`;
}

export async function getKbEntry(core: Core, caller: Caller, id: string): Promise<KbView> {
  const r = /^[0-9a-f-]{36}$/i.test(id) ? await core.db.selectFrom('hotline_kb_entry').selectAll().where('id', '=', id).where(readable(caller)).executeTakeFirst() : undefined;
  if (!r) throw new AppError('NOT_FOUND', { 'zh-CN': '知识条目不存在', en: 'No such entry' });
  return toKb(r as never);
}

/** Hits counted beyond this are reported as "at least" (`capped`); candidates ranked per search. */
export const KB_COUNT_CAP = 1000;
const KB_CANDIDATES = 200;

/**
 * Published, currently valid entries matching `q`, best first, with highlighted title and snippet.
 * Every meaningful word of the question must match (jieba word, its grams in a row, or a synonym);
 * when no entry has them all, any of them will do (a question in the caller's own words), ranked
 * by how much of it an entry holds, title first.
 *
 * Shaped for the GIN indexes (bench/hotline-kb.mjs, 100,000 entries): a broad word (公积金) can hit
 * thousands of entries, and ranking reads each one's vector. So only a capped candidate set is
 * ranked — the entries whose title or keywords hold the words (their own GIN index on the A/B part
 * of the vector, migration 20261130_1450), plus the first content hits in the order the bitmap scan
 * meets them — on narrow rows (id, rank); the page's rows alone are then read in full. The hits
 * are counted up to KB_COUNT_CAP: beyond it `total` is that cap and `capped` is true ("at least").
 */
export async function searchKb(core: Core, caller: Caller, q: string, opts: { limit: number; offset?: number; divisions?: string[] }) {
  const all = searchQuery(q ?? '');
  if (!all) return { total: 0, capped: false, items: [] };
  const today = core.clock.now().toISOString().slice(0, 10);
  const offset = opts.offset ?? 0;
  const cap = Math.max(KB_CANDIDATES, offset + opts.limit);
  // Checked on the rows the GIN scans find, never by an index of its own: `IS TRUE` keeps the planner
  // from ANDing in a bitmap of the division index (80,000 province rows, 4 ms a scan at 100,000).
  const where = sql`(status = 'published' AND (valid_from IS NULL OR valid_from <= ${today}::date) AND (valid_to IS NULL OR valid_to >= ${today}::date) AND ${readable(caller, opts.divisions)}) IS TRUE`;
  const run = async (ex: typeof core.db, query: string) => {
    const tsq = sql`to_tsquery('simple', ${query})`;
    return (await sql<Record<string, unknown>>`
      WITH hits AS MATERIALIZED (SELECT id FROM hotline_kb_entry WHERE search @@ ${tsq} AND ${where} LIMIT ${KB_COUNT_CAP + 1}),
      cand AS (
        (SELECT id, updated_at, ts_rank(search, ${tsq}) AS rank FROM hotline_kb_entry WHERE ts_filter(search, '{a,b}') @@ ${tsq} AND ${where} LIMIT ${cap})
        UNION (SELECT id, updated_at, ts_rank(search, ${tsq}) AS rank FROM hotline_kb_entry WHERE search @@ ${tsq} AND ${where} LIMIT ${cap})
      ),
      page AS (SELECT id, rank, updated_at FROM cand ORDER BY rank DESC, updated_at DESC, id LIMIT ${opts.limit} OFFSET ${offset})
      SELECT e.id, e.title, e.content, e.kind, e.category_path, e.issuing_unit, e.keywords, (SELECT count(*) FROM hits) AS total
      FROM page p JOIN hotline_kb_entry e ON e.id = p.id ORDER BY p.rank DESC, p.updated_at DESC, p.id`.execute(ex)).rows;
  };
  // For a broad word the planner may price a sequential scan (which decompresses every vector) like
  // the bitmap scans; the catalog search takes the same precaution (services/catalog/repo.ts).
  const rows = await core.db.transaction().execute(async (tx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(tx);
    const first = await run(tx as never, all);
    const any = searchQuery(q, { any: true })!;
    return !first.length && !offset && any !== all ? run(tx as never, any) : first;
  });
  const total = Number(rows[0]?.total ?? 0);
  return {
    total: Math.min(total, KB_COUNT_CAP), capped: total > KB_COUNT_CAP,
    items: rows.map((r) => ({ id: r.id as string, title: r.title as string, kind: r.kind as string, categoryPath: r.category_path as string, issuingUnit: r.issuing_unit as string,
      keywords: r.keywords as string[], content: r.content as string, titleHighlight: highlight(r.title as string, q), snippet: highlight(r.content as string, q, 80) })),
  };
}

/** Suggestions while the operator types: the top titles only, cheap enough for every keystroke. */
export async function suggestKb(core: Core, caller: Caller, q: string) {
  const r = await searchKb(core, caller, q, { limit: 5 });
  return { items: r.items.map((i) => ({ id: i.id, title: i.title, titleHighlight: i.titleHighlight, kind: i.kind })) };
}
