// Files engine (issue 4): content-addressed blobs (local disk or S3), streaming uploads with size
// and type limits and content sniffing, a virus-scanner hook, downloads decided by the owner.
import type { Core } from '../../core/index.js';
import { defineScanJob } from './scan-job.js';
import { filesRuntime } from './runtime.js';

export { filesMigrations } from './migrations.js';
export { filesRoutes } from './routes.js';
export { createBlobStore, LocalBlobStore, blobKey, type BlobStore, type StoredBlob } from './store.js';
export type { Spooled } from './spool.js';
export { uploadFile, UNATTACHED_LIMIT, type UploadMeta, type UploadLimits } from './upload.js';
export { attachFiles, describeFiles, type FileOwner, type AttachOptions, type AttachCaller } from './attach.js';
export { openFile, type OpenedFile } from './download.js';
export { registerFileOwner, type FileOwnerCheck } from './owners.js';
export { commandScanner, type VirusScanner, type ScanVerdict, type ScanResult } from './scanner.js';
export { setVirusScanner, UPLOAD, type Caller, type FileInfo } from './runtime.js';
export { DEFAULT_ACCEPT, parseAccept } from './types.js';
export { sanitizeFileName, contentDisposition } from './names.js';
export type { FileStatus } from './tables.js';

/** Job definitions (called once per Core, before routes). */
export function registerFiles(core: Core): void {
  defineScanJob(core);
  filesRuntime(core);
}
