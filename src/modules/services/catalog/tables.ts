import type { ColumnType, Generated } from 'kysely';

/** A service item (事项) across divisions: its stable key and national basic code. */
export interface SvcItemTable {
  id: Generated<string>;
  key: string;
  basic_code: string;
  created_at: Generated<Date>;
}

/** One immutable published version of an item as implemented in one division. */
export interface SvcItemVersionTable {
  id: Generated<string>;
  item_id: string;
  division: string;
  version: number;
  status: Generated<'published' | 'withdrawn'>;
  code: string;
  name: string;
  item_type: string;
  handling: 'instant' | 'promised';
  legal_days: number;
  promised_days: number;
  department_code: string;
  department_name: string;
  form_key: string | null;
  workflow_key: string;
  materials: ColumnType<unknown, string, string>;
  life_events: ColumnType<string[], string[] | undefined, string[]>;
  elements: ColumnType<unknown, string, string>;
  search: ColumnType<string, never, never>;
  /** The item's keywords (aliases), copied from `elements` for a cheap exact-keyword rank bonus. */
  search_keywords: ColumnType<string[], never, never>;
  digest: string;
  published_by: string;
  published_at: Generated<Date>;
  withdrawn_by: string | null;
  withdrawn_at: Date | null;
}

/** "Not implemented here": an inherited item that a division does not offer (its subtree neither). */
export interface SvcItemLocalTable {
  item_id: string;
  division: string;
  note: string | null;
  set_by: string;
  set_at: Generated<Date>;
}

declare module '../../../core/db/types.js' {
  interface DB {
    svc_item: SvcItemTable;
    svc_item_version: SvcItemVersionTable;
    svc_item_local: SvcItemLocalTable;
  }
}
