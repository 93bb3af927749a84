// Saved drafts of the portal's apply wizard: one per (signed-in account, person applied for, item or
// bundle), so a phone and a PC resume the same draft. Opaque to the server (the form is validated
// on submission, not here): what was typed, the materials chosen so far, and the wizard step.
// Every save and delete is audited with its outbox event in the same transaction.
import type { ColumnType, Generated } from 'kysely';
import type { Core } from '../../../core/index.js';
import { AppError } from '../../../core/http/errors.js';
import { recordChange } from '../../../core/audit/record.js';
import type { Caller } from './access.js';

type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface SvcApplicationDraftTable {
  id: Generated<string>;
  /** The signed-in account (`user:<uuid>`). */
  owner: string;
  /** The person applied for: the owner, or the person they act for. */
  subject: string;
  /** `item:<key>` or `bundle:<key>`. */
  target: string;
  division: string;
  title: string;
  step: number;
  data: Json<Record<string, unknown>>;
  materials: Json<Record<string, unknown>>;
  version: number;
  created_at: Generated<Date>;
  updated_at: Ts;
}

declare module '../../../core/db/types.js' {
  interface DB {
    svc_application_draft: SvcApplicationDraftTable;
  }
}

export type DraftKind = 'item' | 'bundle';
export const MAX_DRAFTS = 50;
/** Serialized data + materials; a form is far smaller (the files themselves are uploaded apart). */
export const MAX_DRAFT_CHARS = 200_000;

export interface DraftInput {
  division: string;
  title?: string;
  step: number;
  data: Record<string, unknown>;
  materials: Record<string, unknown>;
}

const who = (caller: Caller) => ({ owner: caller.principal.id, subject: caller.principal.onBehalfOf ?? caller.principal.id });

function view(r: { target: string; division: string; title: string; step: number; data: unknown; materials: unknown; version: number; updated_at: Date | string }) {
  const [kind, key] = r.target.split(':') as [DraftKind, string];
  return { kind, key, division: r.division, title: r.title, step: r.step, data: r.data as Record<string, unknown>, materials: r.materials as Record<string, unknown>, version: r.version, updatedAt: new Date(r.updated_at).toISOString() };
}

export type DraftView = ReturnType<typeof view>;

const notFound = () => new AppError('NOT_FOUND', { 'zh-CN': '没有保存的草稿', en: 'No saved draft' });

export async function listDrafts(core: Core, caller: Caller) {
  const w = who(caller);
  const rows = await core.db.selectFrom('svc_application_draft').selectAll().where('owner', '=', w.owner).where('subject', '=', w.subject)
    .orderBy('updated_at', 'desc').limit(MAX_DRAFTS).execute();
  return rows.map((r) => { const { data: _d, materials: _m, ...rest } = view(r); return rest; });
}

export async function getDraft(core: Core, caller: Caller, kind: DraftKind, key: string): Promise<DraftView> {
  const w = who(caller);
  const r = await core.db.selectFrom('svc_application_draft').selectAll().where('owner', '=', w.owner).where('subject', '=', w.subject)
    .where('target', '=', `${kind}:${key}`).executeTakeFirst();
  if (!r) throw notFound();
  return view(r);
}

export async function saveDraft(core: Core, caller: Caller, kind: DraftKind, key: string, input: DraftInput): Promise<DraftView> {
  const w = who(caller);
  const target = `${kind}:${key}`;
  const data = JSON.stringify(input.data);
  const materials = JSON.stringify(input.materials);
  if (data.length + materials.length > MAX_DRAFT_CHARS) {
    throw new AppError('BODY_TOO_LARGE', { 'zh-CN': `草稿内容过大（不超过 ${MAX_DRAFT_CHARS} 个字符）`, en: `The draft is too large (at most ${MAX_DRAFT_CHARS} characters)` }, [{ pointer: '/body/data', code: 'too-large', message: '草稿内容过大 / the draft is too large' }]);
  }
  return core.db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom('svc_application_draft').select(['id', 'version']).where('owner', '=', w.owner).where('subject', '=', w.subject)
      .where('target', '=', target).forUpdate().executeTakeFirst();
    if (!existing) {
      const n = await tx.selectFrom('svc_application_draft').select((eb) => eb.fn.countAll<string>().as('n')).where('owner', '=', w.owner).executeTakeFirstOrThrow();
      if (Number(n.n) >= MAX_DRAFTS) {
        throw new AppError('CONFLICT', { 'zh-CN': `草稿已达 ${MAX_DRAFTS} 份，请先提交或删除一些`, en: `You already have ${MAX_DRAFTS} drafts; submit or delete some first` });
      }
    }
    const now = core.clock.now();
    const row = existing
      ? await tx.updateTable('svc_application_draft').set({ division: input.division, title: input.title ?? '', step: input.step, data, materials, version: existing.version + 1, updated_at: now })
        .where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
      : await tx.insertInto('svc_application_draft').values({ ...w, target, division: input.division, title: input.title ?? '', step: input.step, data, materials, version: 1, updated_at: now })
        .returningAll().executeTakeFirstOrThrow();
    // The detail names what was saved, never the typed values (they may hold ID numbers).
    await recordChange(tx, caller.actor, {
      action: 'services.application.draft-save', object: { type: 'services.application-draft', id: row.id }, division: input.division,
      detail: { target, subject: w.subject, step: input.step, version: row.version, fields: Object.keys(input.data).length },
    }, { type: 'services.application.draft-saved', payload: { id: row.id, target, owner: w.owner, version: row.version } });
    return view(row);
  });
}

export async function deleteDraft(core: Core, caller: Caller, kind: DraftKind, key: string): Promise<void> {
  const w = who(caller);
  await core.db.transaction().execute(async (tx) => {
    const row = await tx.deleteFrom('svc_application_draft').where('owner', '=', w.owner).where('subject', '=', w.subject)
      .where('target', '=', `${kind}:${key}`).returning(['id', 'division', 'target']).executeTakeFirst();
    if (!row) throw notFound();
    await recordChange(tx, caller.actor, {
      action: 'services.application.draft-delete', object: { type: 'services.application-draft', id: row.id }, division: row.division,
      detail: { target: row.target, subject: w.subject },
    }, { type: 'services.application.draft-deleted', payload: { id: row.id, target: row.target, owner: w.owner } });
  });
}
