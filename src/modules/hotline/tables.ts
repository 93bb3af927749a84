import type { Generated } from 'kysely';

export interface HotlineOrderTable {
  id: Generated<string>;
  number: string;
  division: string;
  channel: string;
  demand_type: string;
  category_code: string;
  category_path: string;
  title: string;
  content: string;
  urgency: 'normal' | 'urgent';
  caller_name_enc: Buffer | null;
  caller_name_masked: string | null;
  caller_phone_enc: Buffer | null;
  caller_phone_bidx: string | null;
  caller_phone_masked: string | null;
  anonymous: boolean;
  address: string | null;
  lat: number | null;
  lng: number | null;
  status: string;
  refusal_code: string | null;
  refusal_note: string | null;
  instance_id: string | null;
  unit_department_id: string | null;
  forced: Generated<boolean>;
  return_count: Generated<number>;
  signed_at: Date | null;
  replied_at: Date | null;
  reply: string | null;
  closed_at: Date | null;
  satisfaction: string | null;
  merged_into: string | null;
  reopen_count: Generated<number>;
  due_at: Date | null;
  time_limit: unknown;
  source_platform: Generated<string>;
  transfer_type: string | null;
  police_case_no: string | null;
  transfer_suggested: Generated<boolean>;
  applicant: string | null;
  created_by: string;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface HotlineTimeLimitTable {
  division: string;
  demand_type: string;
  working_days: number;
  urgent_hours: number;
}

export interface HotlineReturnTable {
  id: Generated<string>;
  order_id: string;
  department_id: string;
  reason_code: string;
  legal_basis: string;
  note: string | null;
  decision: 'redispatched' | 'overruled' | null;
  created_by: string;
  created_at: Date;
  decided_at: Date | null;
}

export interface HotlineExtensionTable {
  id: Generated<string>;
  order_id: string;
  working_days: number;
  reason: string;
  legal_basis: string;
  status: 'pending' | 'approved' | 'refused';
  old_due_at: Date;
  new_due_at: Date | null;
  created_by: string;
  created_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

export interface HotlineCoHandlerTable {
  order_id: string;
  department_id: string;
  status: 'open' | 'replied';
  reply: string | null;
  created_at: Date;
  replied_at: Date | null;
  replied_by: string | null;
}

export interface HotlineSupervisionTable {
  order_id: string;
  kind: 'remind' | 'urge' | 'notice';
  due_at: Date;
  department_id: string | null;
  at: Date;
}

export interface HotlineKbEntryTable {
  id: Generated<string>;
  division: string;
  department_id: string | null;
  category_path: string;
  title: string;
  content: string;
  issuing_unit: string;
  kind: string;
  keywords: string[];
  valid_from: string | null;
  valid_to: string | null;
  status: 'review' | 'published' | 'rejected';
  instance_id: string | null;
  search: unknown;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface HotlineApiClientTable {
  id: Generated<string>;
  name: string;
  kind: 'open311' | 'police-110';
  division: string;
  key_hash: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

export interface HotlinePoliceUpdateTable {
  id: Generated<string>;
  order_id: string;
  direction: 'to-110' | 'from-110';
  status: string;
  note: string | null;
  police_case_no: string | null;
  actor: string;
  at: Date;
}

export interface HotlineDispatchRuleTable {
  division: string;
  category_prefix: string;
  department_id: string;
  created_by: string;
  created_at: Date;
}

export interface HotlineChatTable {
  id: Generated<string>;
  principal: string;
  division: string;
  messages: unknown;
  order_id: string | null;
  created_at: Date;
  updated_at: Date;
}

declare module '../../core/db/types.js' {
  interface DB {
    hotline_order: HotlineOrderTable;
    hotline_time_limit: HotlineTimeLimitTable;
    hotline_return: HotlineReturnTable;
    hotline_extension: HotlineExtensionTable;
    hotline_co_handler: HotlineCoHandlerTable;
    hotline_supervision: HotlineSupervisionTable;
    hotline_kb_entry: HotlineKbEntryTable;
    hotline_api_client: HotlineApiClientTable;
    hotline_police_update: HotlinePoliceUpdateTable;
    hotline_dispatch_rule: HotlineDispatchRuleTable;
    hotline_chat: HotlineChatTable;
  }
}
