// Scanning again later: a file whose scan failed (scanner down, timed out) waits as
// `pending-scan` and this job retries with backoff until the scanner answers.
import type { Core } from '../../core/index.js';
import { recordChange, type Actor } from '../../core/audit/record.js';
import { filesRuntime } from './runtime.js';

export const SCAN_JOB = 'files.scan';
/** First retry after a failed scan; later retries back off (core jobs: 5 s · 2^n, at most 1 h). */
export const SCAN_RETRY_MS = 60_000;
const SYSTEM: Actor = { id: 'system:files' };

/** Deletes a blob no longer named by any file that may still be read. */
export async function dropBlobIfUnused(core: Core, digest: string): Promise<boolean> {
  const used = await core.db.selectFrom('file').select('id').where('digest', '=', digest).where('status', '<>', 'infected').executeTakeFirst();
  if (used) return false;
  await filesRuntime(core).store.delete(digest);
  return true;
}

export async function rescan(core: Core, id: string): Promise<'clean' | 'infected' | 'skipped'> {
  const row = await core.db.selectFrom('file').select(['id', 'digest', 'division', 'uploader', 'name', 'size', 'mime']).where('id', '=', id).where('status', '=', 'pending-scan').executeTakeFirst();
  if (!row) return 'skipped';
  const { store, scanner } = filesRuntime(core);
  // With no scanner configured any more, files are clean on arrival: this one too.
  const result = scanner ? await scanner.scan(await store.get(row.digest)) : { verdict: 'clean' as const, detail: 'no scanner configured' };
  if (result.verdict === 'error') throw new Error(`virus scan failed: ${result.detail}`);
  const status = result.verdict;
  const changed = await core.db.transaction().execute(async (tx) => {
    const r = await tx.updateTable('file').set({ status }).where('id', '=', id).where('status', '=', 'pending-scan').returning('id').executeTakeFirst();
    if (!r) return false;
    const object = { type: 'file', id };
    if (status === 'clean') {
      await recordChange(tx, SYSTEM, { action: 'files.file.scan', object, division: row.division, detail: { status, scanner: scanner?.name ?? null } },
        { type: 'files.file.scanned', payload: { id, digest: row.digest, status, division: row.division } });
    } else {
      await recordChange(tx, SYSTEM, {
        action: 'files.file.reject', object, division: row.division,
        detail: { name: row.name, size: Number(row.size), mime: row.mime, digest: row.digest, scanner: scanner!.name, finding: result.detail },
      }, { type: 'files.file.rejected', payload: { id, digest: row.digest, division: row.division, uploader: row.uploader, reason: 'infected' } });
    }
    return true;
  });
  if (changed && status === 'infected') await dropBlobIfUnused(core, row.digest);
  return changed ? status : 'skipped';
}

export function defineScanJob(core: Core): void {
  core.jobs.define(SCAN_JOB, { maxAttempts: 12, handler: async (job) => void (await rescan(core, (job.payload as { id: string }).id)) });
}
