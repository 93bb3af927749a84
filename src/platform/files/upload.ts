// Uploading: stream to a temporary file (hashed, size-limited), judge the type from the bytes,
// scan for viruses, then keep the blob and record the file — with its audit entry and event in
// the same transaction. Nothing is written for a refused file except the record of an infected one.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { scopesFor } from '../../core/http/auth.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { getDivision, isWithin } from '../../core/divisions/service.js';
import { validateDivisionCode } from '../../core/validators/index.js';
import { extensionOf, sanitizeFileName } from './names.js';
import { DEFAULT_ACCEPT, judgeType } from './types.js';
import { discard, tooLarge } from './spool.js';
import { FILE_COLUMNS, filesRuntime, t, toInfo, UPLOAD, type Caller, type FileInfo } from './runtime.js';
import { SCAN_JOB, SCAN_RETRY_MS } from './scan-job.js';

export interface UploadMeta {
  /** The declared file name (sanitised before use; its extension must match the content). */
  name: string;
  /** Division to file it under; default the first where the caller may upload. */
  division?: string;
  /** Content-Length when the client sent one: an oversize upload is refused before reading. */
  declaredSize?: number | null;
}

export interface UploadLimits {
  /** HTML-style accept list (`application/pdf`, `image/*`, `.ofd`); default DEFAULT_ACCEPT. */
  accept?: readonly string[];
  /** At most this many bytes (never more than FILE_MAX_BYTES). */
  maxBytes?: number;
}

/** Unattached uploads one person may have from the last 24 hours (bounds disk use by a single account). */
export const UNATTACHED_LIMIT = 200;

async function uploadDivision(core: Core, caller: Caller, requested: string | undefined): Promise<string> {
  const scopes = scopesFor(caller.principal, UPLOAD);
  if (requested === undefined) {
    if (!scopes[0]) throw new AppError('FORBIDDEN', { 'zh-CN': '您没有可上传文件的行政区划', en: 'You may not upload files in any division' });
    return scopes[0];
  }
  const v = validateDivisionCode(requested);
  const code = v.ok ? v.canonical : requested;
  if (!v.ok || !(await getDivision(core.db, code))) throw new AppError('DIVISION_NOT_FOUND', { 'zh-CN': `行政区划 ${requested} 不存在`, en: `No division ${requested}` });
  if (!scopes.some((s) => isWithin(code, s))) throw new AppError('FORBIDDEN', { 'zh-CN': `您无权在行政区划 ${code} 上传文件`, en: `You may not upload files in division ${code}` });
  return code;
}

async function assertQuota(core: Core, caller: Caller): Promise<void> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM file
    WHERE uploader = ${caller.principal.id} AND owner_type IS NULL AND status <> 'infected' AND created_at > now() - interval '1 day'`.execute(core.db);
  if (Number(r.rows[0]?.n ?? 0) >= UNATTACHED_LIMIT) {
    throw new AppError('RATE_LIMITED', {
      'zh-CN': `24 小时内未提交使用的上传文件已达 ${UNATTACHED_LIMIT} 个，请先提交材料或稍后再试`,
      en: `You have ${UNATTACHED_LIMIT} uploads from the last 24 hours not yet attached to anything; submit them or retry later`,
    });
  }
}

/**
 * Stores one uploaded file for the caller. Refusals: FILE_TOO_LARGE (413), FILE_TYPE_REFUSED (415),
 * FILE_REJECTED (422, the scanner found malware: recorded as `infected`, audited, nothing kept),
 * VALIDATION_FAILED (empty file, unusable name). When the scanner fails, the file is kept as
 * `pending-scan` and scanned again by a job; only `clean` files can be attached or downloaded.
 */
export async function uploadFile(core: Core, caller: Caller, source: AsyncIterable<Uint8Array>, meta: UploadMeta, limits: UploadLimits = {}): Promise<FileInfo> {
  const { lang } = caller;
  const name = sanitizeFileName(meta.name ?? '');
  if (!name) {
    const m = { 'zh-CN': '请提供文件名（x-file-name 请求头，URL 编码）', en: 'Give the file name (x-file-name header, URL-encoded)' };
    throw new AppError('VALIDATION_FAILED', m, [{ pointer: '/headers/x-file-name', code: 'required', message: t(lang, m) }]);
  }
  const division = await uploadDivision(core, caller, meta.division);
  const maxBytes = Math.min(limits.maxBytes ?? Number.MAX_SAFE_INTEGER, core.config.fileMaxBytes);
  if (meta.declaredSize != null && meta.declaredSize > maxBytes) throw tooLarge(maxBytes);
  await assertQuota(core, caller);

  const rt = filesRuntime(core);
  const spooled = await rt.store.spool(source, { maxBytes });
  let kept = false;
  try {
    if (spooled.size === 0) {
      const m = { 'zh-CN': '文件为空', en: 'The file is empty' };
      throw new AppError('VALIDATION_FAILED', m, [{ pointer: '/body', code: 'empty', message: t(lang, m) }]);
    }
    const verdict = await judgeType(spooled, name, extensionOf(name), limits.accept ?? DEFAULT_ACCEPT);
    if (!verdict.ok) throw new AppError('FILE_TYPE_REFUSED', verdict.reason, [{ pointer: '/body', code: 'type', message: t(lang, verdict.reason) }]);
    const scan = rt.scanner ? await rt.scanner.scan({ path: spooled.path }) : { verdict: 'clean' as const, detail: '' };
    const base = { digest: spooled.digest, size: spooled.size, name, mime: verdict.mime, uploader: caller.principal.id, division };

    if (scan.verdict === 'infected') {
      await core.db.transaction().execute(async (tx) => {
        const row = await tx.insertInto('file').values({ ...base, status: 'infected' }).returning('id').executeTakeFirstOrThrow();
        await recordChange(tx, caller.actor, {
          action: 'files.file.reject', object: { type: 'file', id: row.id }, division,
          detail: { name, size: base.size, mime: base.mime, digest: base.digest, scanner: rt.scanner!.name, finding: scan.detail },
        }, { type: 'files.file.rejected', payload: { id: row.id, digest: base.digest, division, uploader: base.uploader, reason: 'infected' } });
      });
      throw new AppError('FILE_REJECTED', { 'zh-CN': '文件未通过病毒检查，已拒收', en: 'The file failed the virus check and was refused' });
    }
    if (scan.verdict === 'error') core.log.warn({ scanner: rt.scanner!.name, detail: scan.detail }, 'virus scan failed; the file waits as pending-scan');

    await rt.store.adopt(spooled);
    kept = true;
    const status = scan.verdict === 'clean' ? 'clean' : 'pending-scan';
    const row = await core.db.transaction().execute(async (tx) => {
      const r = await tx.insertInto('file').values({ ...base, status }).returning(FILE_COLUMNS).executeTakeFirstOrThrow();
      await recordChange(tx, caller.actor, {
        action: 'files.file.upload', object: { type: 'file', id: r.id }, division,
        detail: { name, size: base.size, mime: base.mime, digest: base.digest, status },
      }, { type: 'files.file.uploaded', payload: { id: r.id, digest: base.digest, size: base.size, mime: base.mime, status, division, uploader: base.uploader } });
      if (status === 'pending-scan') await core.jobs.schedule(tx, SCAN_JOB, { id: r.id }, { inMs: SCAN_RETRY_MS }, { key: `files.scan:${r.id}`, division });
      return r;
    });
    return toInfo(row);
  } finally {
    if (!kept) await discard(spooled);
  }
}
