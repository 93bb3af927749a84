import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** One version (or the draft) of a form in one division. Published rows never change but for their status. */
export interface FormDefinitionTable {
  id: Generated<string>;
  key: string;
  version: number | null;
  division: string;
  status: 'draft' | 'published' | 'withdrawn';
  title_zh: string;
  title_en: string;
  schema: Json<Record<string, unknown>>;
  ui_schema: Json<Record<string, unknown>>;
  /** SHA-256 of the normalised definition: publishing the same definition again is a no-op. */
  digest: string;
  created_by: string;
  created_at: Generated<Date>;
  published_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  withdrawn_by: string | null;
}

declare module '../../core/db/types.js' {
  interface DB {
    form_definition: FormDefinitionTable;
  }
}
