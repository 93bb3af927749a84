// Ratings tables (好差评): invitations (one per completed application) and ratings (one per
// invitation, or a window visit / hotline call without one), with the rectification projection.
import type { ColumnType, Generated } from 'kysely';

type Ts = ColumnType<Date, Date | string, Date | string>;
type TsNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;

export interface SvcRatingInvitationTable {
  id: Generated<string>;
  application_id: string;
  case_number: string;
  item_key: string;
  item_name: string;
  division: string;
  handling_division: string;
  department_code: string;
  applicant: string | null;
  /** How the case was applied for: decides the indicator set (online / offline). */
  service_channel: 'online' | 'counter';
  outcome: string;
  completed_at: Ts;
  created_at: Ts;
  expires_at: Ts;
  rated_at: TsNull;
}

export interface SvcRatingTable {
  id: Generated<string>;
  invitation_id: string | null;
  application_id: string | null;
  case_number: string | null;
  /** 一事一评 (after a case) or 一次一评 (a window visit, a hotline call). */
  mode: 'case' | 'visit';
  channel: 'web' | 'sms' | 'counter' | 'hotline';
  service_type: 'online' | 'offline';
  level: number;
  indicators: Json<Record<string, number>>;
  comment: string | null;
  rater: string | null;
  rater_mobile_enc: Buffer | null;
  rater_mobile_masked: string | null;
  division: string;
  department_code: string;
  item_key: string | null;
  item_name: string | null;
  window: string | null;
  entered_by: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  bad: boolean;
  excluded: Generated<boolean>;
  rectification_id: string | null;
  rectification_number: string | null;
  rectification_state: string | null;
  rectified: Generated<boolean>;
  callback_done: Generated<boolean>;
  replied_at: TsNull;
  closed_at: TsNull;
  created_at: Ts;
  row_version: Generated<number>;
}

declare module '../../../core/db/types.js' {
  interface DB {
    svc_rating_invitation: SvcRatingInvitationTable;
    svc_rating: SvcRatingTable;
  }
}
