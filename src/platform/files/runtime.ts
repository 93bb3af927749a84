// What the files engine keeps per Core: its blob store and virus scanner, built from the config
// on first use. Plus the shapes and helpers the service files share.
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import type { Actor } from '../../core/audit/record.js';
import type { Lang } from '../../core/http/errors.js';
import type { LocalizedText } from '../../core/validators/index.js';
import { createBlobStore, type BlobStore } from './store.js';
import { commandScanner, type VirusScanner } from './scanner.js';
import type { FileStatus } from './tables.js';
import './tables.js';

export const UPLOAD = 'files:file.upload';

/** The caller of a service function: who (for audit), with which grants, in which language. */
export interface Caller {
  principal: Principal;
  actor: Actor;
  lang: Lang;
}

export interface FileInfo {
  id: string;
  name: string;
  size: number;
  mime: string;
  digest: string;
  status: FileStatus;
  uploader: string;
  division: string;
  owner: { type: string; id: string; division: string } | null;
  createdAt: string;
}

export interface FilesRuntime {
  store: BlobStore;
  scanner: VirusScanner | null;
}

const runtimes = new WeakMap<Core, FilesRuntime>();

export function filesRuntime(core: Core): FilesRuntime {
  let r = runtimes.get(core);
  if (!r) {
    const argv = core.config.virusScanCommand;
    r = { store: createBlobStore(core.config), scanner: argv ? commandScanner(argv) : null };
    runtimes.set(core, r);
  }
  return r;
}

/** Replaces the virus scanner of this Core (e.g. a clamd INSTREAM client); null scans nothing. */
export function setVirusScanner(core: Core, scanner: VirusScanner | null): void {
  filesRuntime(core).scanner = scanner;
}

export const t = (lang: Lang, m: LocalizedText): string => (lang === 'en' ? m.en : m['zh-CN']);

export type FileRow = {
  id: string; digest: string; size: string | number; name: string; mime: string; uploader: string; division: string;
  owner_type: string | null; owner_id: string | null; owner_division: string | null; status: FileStatus; created_at: Date;
};

export const FILE_COLUMNS = ['id', 'digest', 'size', 'name', 'mime', 'uploader', 'division', 'owner_type', 'owner_id', 'owner_division', 'status', 'created_at'] as const;

export function toInfo(r: FileRow): FileInfo {
  return {
    id: r.id, name: r.name, size: Number(r.size), mime: r.mime, digest: r.digest, status: r.status, uploader: r.uploader, division: r.division,
    owner: r.owner_type && r.owner_id && r.owner_division ? { type: r.owner_type, id: r.owner_id, division: r.owner_division } : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
