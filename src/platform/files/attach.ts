// Attaching uploaded files to the case or record they belong to, inside the caller's transaction
// (so the files are owned exactly when the case is saved), and describing files for checks.
import { sql } from 'kysely';
import type { Executor } from '../../core/db/types.js';
import { recordChange, type Actor } from '../../core/audit/record.js';
import { AppError, type FieldError, type Lang } from '../../core/http/errors.js';
import { validateDivisionCode } from '../../core/validators/index.js';
import { FILE_COLUMNS, t, toInfo, UUID, type Caller, type FileInfo } from './runtime.js';

export interface FileOwner {
  /** Registered owner type, e.g. `workflow.instance`. */
  type: string;
  id: string;
  /** Division of the owning record: the audit of later reads is filed there. */
  division: string;
}

export interface AttachOptions {
  /** JSON pointer naming the i-th id in the caller's request (default `/files/<i>`). */
  pointer?: (index: number, id: string) => string;
}

/**
 * A Caller, or just the Actor of the request (its id is the principal's id; messages are then
 * in zh-CN).
 */
export type AttachCaller = Caller | Actor;

function who(c: AttachCaller): { principalId: string; actor: Actor; lang: Lang } {
  return 'principal' in c ? { principalId: c.principal.id, actor: c.actor, lang: c.lang } : { principalId: c.id, actor: c, lang: 'zh-CN' };
}

/**
 * Marks the files as owned by `owner`. Only the caller's own, unattached, clean files qualify
 * (a file already attached to this same owner is accepted again, so a retry is harmless);
 * otherwise VALIDATION_FAILED lists every bad id. Must run in the transaction that saves the owner.
 */
export async function attachFiles(ex: Executor, caller: AttachCaller, ids: readonly string[], owner: FileOwner, opts: AttachOptions = {}): Promise<FileInfo[]> {
  const { principalId, actor, lang } = who(caller);
  const pointer = opts.pointer ?? ((i: number) => `/files/${i}`);
  if (!owner.type || !owner.id || !validateDivisionCode(owner.division).ok) throw new RangeError('attachFiles needs an owner {type, id, division}');
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const wellFormed = unique.filter((id) => UUID.test(id));
  // Locked so that two transactions cannot attach the same file to two owners.
  const rows = wellFormed.length
    ? await ex.selectFrom('file').select(FILE_COLUMNS).where('id', 'in', wellFormed).orderBy('id').forUpdate().execute()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const errors: FieldError[] = [];
  const toAttach: string[] = [];
  ids.forEach((id, i) => {
    const r = byId.get(id.toLowerCase());
    const bad = (code: string, zh: string, en: string) => errors.push({ pointer: pointer(i, id), code, message: t(lang, { 'zh-CN': zh, en }) });
    // Someone else's file is reported exactly like a missing one.
    if (!r || r.uploader !== principalId) return bad('not-found', `文件 ${id} 不存在`, `File ${id} does not exist`);
    const sameOwner = r.owner_type === owner.type && r.owner_id === owner.id;
    if (r.owner_type && !sameOwner) return bad('attached', `文件 ${id} 已用于其他事项`, `File ${id} is already attached to something else`);
    if (r.status === 'pending-scan') return bad('pending-scan', `文件 ${id} 正在进行安全检查，请稍后再提交`, `File ${id} is still being checked; submit again shortly`);
    if (r.status !== 'clean') return bad('rejected', `文件 ${id} 未通过安全检查`, `File ${id} failed the security check`);
    if (!sameOwner && !toAttach.includes(r.id)) toAttach.push(r.id);
  });
  if (errors.length) throw new AppError('VALIDATION_FAILED', { 'zh-CN': '部分附件不可用', en: 'Some attachments cannot be used' }, errors);
  for (const id of toAttach) {
    const r = byId.get(id)!;
    await ex.updateTable('file').set({ owner_type: owner.type, owner_id: owner.id, owner_division: owner.division, attached_at: sql<Date>`now()` }).where('id', '=', id).execute();
    await recordChange(ex, actor, {
      action: 'files.file.attach', object: { type: 'file', id }, division: owner.division, purpose: `${owner.type}:${owner.id}`,
      detail: { owner: { type: owner.type, id: owner.id }, name: r.name, digest: r.digest, uploadDivision: r.division },
    }, { type: 'files.file.attached', payload: { id, owner: { type: owner.type, id: owner.id }, digest: r.digest, division: owner.division } });
  }
  return unique.map((id) => {
    const r = byId.get(id)!;
    return toInfo({ ...r, owner_type: owner.type, owner_id: owner.id, owner_division: owner.division });
  });
}

/** Metadata of the given files (unknown ids are left out), in the order asked. No access check: for service code. */
export async function describeFiles(ex: Executor, ids: readonly string[]): Promise<FileInfo[]> {
  const wellFormed = [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => UUID.test(id));
  if (wellFormed.length === 0) return [];
  const rows = await ex.selectFrom('file').select(FILE_COLUMNS).where('id', 'in', wellFormed).execute();
  const byId = new Map(rows.map((r) => [r.id, toInfo(r)]));
  return wellFormed.flatMap((id) => byId.get(id) ?? []);
}
