// Reading a file: the uploader may read their own file until it is attached; after that, the
// owning module's check decides. Anyone else gets the answer a missing file gets (404), so ids
// confirm nothing. A read of an owned file is a read of case data: it is audited, with the owner
// as the purpose.
import type { Readable } from 'node:stream';
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { audit, type Actor } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { ownerCheck } from './owners.js';
import { FILE_COLUMNS, filesRuntime, toInfo, UUID, type FileInfo } from './runtime.js';

export const fileNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '文件不存在', en: 'No such file' });

/** May `principal` read this file? (Status aside.) */
export async function mayRead(core: Core, principal: Principal, file: FileInfo): Promise<boolean> {
  if (!file.owner) return file.uploader === principal.id;
  const check = ownerCheck(file.owner.type);
  return check ? check(core, principal, file.owner.id) : false;
}

export interface OpenedFile {
  file: FileInfo;
  stream: Readable;
}

/**
 * The file's metadata and content for `principal`, or NOT_FOUND. A file still waiting for its
 * virus scan is INVALID_STATE (to those who may read it). The caller must consume or destroy
 * the stream. `opts.actor` carries the request id into the audit entry.
 */
export async function openFile(core: Core, principal: Principal, id: string, opts: { actor?: Actor } = {}): Promise<OpenedFile> {
  if (!UUID.test(id)) throw fileNotFound();
  const row = await core.db.selectFrom('file').select(FILE_COLUMNS).where('id', '=', id.toLowerCase()).executeTakeFirst();
  if (!row || row.status === 'infected') throw fileNotFound();
  const file = toInfo(row);
  if (!(await mayRead(core, principal, file))) throw fileNotFound();
  if (file.status !== 'clean') {
    throw new AppError('INVALID_STATE', { 'zh-CN': '文件正在进行安全检查，请稍后再试', en: 'The file is still being checked; try again shortly' });
  }
  const stream = await filesRuntime(core).store.get(file.digest);
  if (file.owner) {
    const actor = opts.actor ?? { id: principal.id, onBehalfOf: principal.onBehalfOf ?? null };
    try {
      await audit(core.db, actor, {
        action: 'files.file.download', object: { type: 'file', id: file.id }, division: file.owner.division,
        purpose: `${file.owner.type}:${file.owner.id}`, detail: { name: file.name, digest: file.digest },
      });
    } catch (err) {
      stream.destroy();
      throw err;
    }
  }
  return { file, stream };
}
