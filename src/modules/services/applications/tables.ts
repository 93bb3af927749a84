// Row types of this part's tables, merged into the database interface.
import type { ColumnType, Generated } from 'kysely';

type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type AppStatus = 'submitted' | 'processing' | 'correction' | 'completed';
export type AppOutcome = 'approved' | 'refused' | 'rejected' | 'withdrawn';

export interface SvcApplicationTable {
  id: Generated<string>;
  number: string;
  /** 一件事一次办: the bundle application this one belongs to (null for a single or a parent). */
  parent_id: string | null;
  bundle_key: string | null;
  item_version_id: string | null;
  item_key: string;
  item_name: string;
  department_code: string | null;
  /** The accepting division (where it was applied for / received: 收件地). */
  division: string;
  /** The division whose department handles it (the case's division: 办理地). */
  handling_division: string;
  /** `user:<uuid>` of the person it is for. */
  applicant: string;
  applicant_account: string;
  submitted_by: string;
  channel: 'online' | 'counter';
  status: AppStatus;
  state: string | null;
  outcome: AppOutcome | null;
  instance_id: string | null;
  idempotency_key: string | null;
  request_digest: string | null;
  data: Json<Record<string, unknown>>;
  materials: Json<unknown[]>;
  result: Json<Record<string, unknown>> | null;
  submitted_at: Ts;
  updated_at: Ts;
  completed_at: Ts | null;
}

declare module '../../../core/db/types.js' {
  interface DB {
    svc_application: SvcApplicationTable;
  }
}
