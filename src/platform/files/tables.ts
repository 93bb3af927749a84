import type { ColumnType, Generated } from 'kysely';

export type FileStatus = 'pending-scan' | 'clean' | 'infected';

/**
 * One uploaded file: its metadata here, its bytes in the blob store under `digest` (identical
 * content is stored once, however many rows name it). Unowned until attached to a case or record.
 */
export interface FileTable {
  id: Generated<string>;
  /** `sm3:<hex>` or `sha256:<hex>` — the algorithm of the crypto profile at upload time. */
  digest: string;
  /** bigint: node-postgres returns it as a string. */
  size: ColumnType<string, number, number>;
  /** The declared name, sanitised (no path, no control or bidi characters). */
  name: string;
  /** The type sniffed from the content, never the one the client declared. */
  mime: string;
  /** Principal id of the uploader, e.g. `user:<uuid>`. */
  uploader: string;
  /** Division the uploader acted in. */
  division: string;
  owner_type: string | null;
  owner_id: string | null;
  owner_division: string | null;
  status: FileStatus;
  created_at: Generated<Date>;
  attached_at: ColumnType<Date, never, Date> | null;
}

declare module '../../core/db/types.js' {
  interface DB {
    file: FileTable;
  }
}
