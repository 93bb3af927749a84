import type { ColumnType, Generated } from 'kysely';

type Ts = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;
type JsonDefault<T> = ColumnType<T, string | undefined, string>;

export interface WfDefinitionTable {
  id: Generated<string>;
  key: string;
  version: number;
  division: string;
  status: Generated<'published' | 'withdrawn'>;
  title: string;
  definition: Json<unknown>;
  published_by: string;
  published_at: Generated<Date>;
}

export interface Pause { from: string; to?: string | null }

export interface WfInstanceTable {
  id: Generated<string>;
  definition_id: string;
  key: string;
  division: string;
  number: string | null;
  title: string;
  state: string;
  state_seq: Generated<number>;
  status: Generated<'active' | 'completed'>;
  outcome: string | null;
  applicant: string | null;
  data: JsonDefault<Record<string, unknown>>;
  parent_id: string | null;
  parent_seq: number | null;
  pauses: JsonDefault<Pause[]>;
  extension: JsonDefault<{ workingDays: number; workingHours: number }>;
  created_at: Ts;
  updated_at: Ts;
  state_entered_at: Ts;
  state_due_at: Ts | null;
  due_at: Ts | null;
  row_version: Generated<number>;
}

export interface WfTaskTable {
  id: Generated<string>;
  instance_id: string;
  state: string;
  state_seq: number;
  division: string;
  role: string | null;
  department_id: string | null;
  assignee: string | null;
  status: Generated<'open' | 'done' | 'cancelled'>;
  vote: 'approve' | 'reject' | null;
  due_at: Ts | null;
  supervised: Generated<boolean>;
  escalation: string | null;
  created_at: Ts;
  claimed_at: Ts | null;
  completed_at: Ts | null;
  completed_by: string | null;
}

export interface WfHistoryTable {
  id: Generated<string>;
  instance_id: string;
  at: Ts;
  actor: string;
  on_behalf_of: string | null;
  kind: string;
  action: string | null;
  from_state: string | null;
  to_state: string | null;
  comment: string | null;
  diff: Json<unknown> | null;
  attachments: Json<string[]> | null;
  detail: JsonDefault<Record<string, unknown>>;
}

export interface WfRoundRobinTable {
  key: string;
  state: string;
  division: string;
  role: string;
  last_account: string;
}

declare module '../../core/db/types.js' {
  interface DB {
    wf_definition: WfDefinitionTable;
    wf_instance: WfInstanceTable;
    wf_task: WfTaskTable;
    wf_history: WfHistoryTable;
    wf_round_robin: WfRoundRobinTable;
  }
}
