// The shapes the case pages read. The workflow case view and the application detail are served
// without a response schema (their data is free-form), so they are described here, as the server
// builds them (src/platform/workflow/views.ts, src/modules/services/applications/views.ts).

export interface CaseAction {
  id: string;
  name: string;
  to: string;
  vote: 'approve' | 'reject' | null;
  requires: { comment?: boolean; fields?: string[]; attachments?: { min?: number; max?: number } };
}

export interface CaseTask {
  id: string; state: string; status: string; role: string | null; departmentId: string | null; assignee: string | null;
  vote: string | null; dueAt: string | null; escalation: string | null; supervised: boolean;
}

export interface HistoryRow {
  at: string; actor: string; onBehalfOf: string | null; kind: string; action: string | null; from: string | null; to: string | null;
  comment: string | null; diff: Array<{ path?: string; pointer?: string; op?: string; from?: unknown; to?: unknown; before?: unknown; after?: unknown }>;
  attachments: string[]; detail: Record<string, unknown>;
}

export interface CaseView {
  id: string; number: string | null; key: string; version: number; definitionDivision: string; division: string; title: string;
  state: string; stateName: string; stateKind: string; status: string; outcome: string | null; applicant: string | null;
  data: Record<string, unknown>; paused: boolean; createdAt: string; dueAt: string | null; stateDueAt: string | null; rowVersion: number;
  tasks: CaseTask[]; actions: CaseAction[]; history: HistoryRow[]; actors: Actors;
}

/** Staff named in a case (by account id): the server names staff only, never the applicant. */
export type Actors = Record<string, { name: string; department: string | null }>;

export interface MaterialRef { materialId: string; name: string; fileIds: string[]; license: { type: string; id: string } | null }

export interface ApplicationSummary {
  id: string; number: string; itemKey: string; itemName: string; departmentCode: string; division: string; handlingDivision: string;
  channel: 'online' | 'counter'; status: string; state: string; outcome: string | null; instanceId: string | null; submittedAt: string; completedAt: string | null;
}

export interface ApplicationView extends ApplicationSummary {
  applicant: string; data: Record<string, unknown>; materials: MaterialRef[]; result: Record<string, unknown> | null;
}

export interface StateDef { id: string; name: { 'zh-CN': string; en?: string }; kind?: string; outcome?: string; pausesClock?: boolean }
export interface Definition { key: string; states: StateDef[]; actions: Array<{ id: string; vote?: string; extend?: unknown }> }

/** What an action means for the form it needs, from its target state (not from its id). */
export type ActionMeaning = 'reject' | 'refuse' | 'approve' | 'correction' | 'vote-approve' | 'vote-reject' | 'other';

export function meaningOf(a: CaseAction, def: Definition | undefined): ActionMeaning {
  if (a.vote === 'reject') return 'vote-reject';
  const to = def?.states.find((s) => s.id === a.to);
  if (a.vote === 'approve') return 'vote-approve';
  if (!to) return 'other';
  if (to.kind === 'final' && to.outcome === 'rejected') return 'reject';
  if (to.kind === 'final' && to.outcome === 'refused') return 'refuse';
  if (to.kind === 'final' && to.outcome === 'approved') return 'approve';
  if (to.kind === 'wait' || to.pausesClock) return 'correction';
  return 'other';
}

/** Actions that end or refuse a case are confirmed before they are sent. */
export const isDestructive = (m: ActionMeaning, a: CaseAction, def: Definition | undefined): boolean =>
  m === 'reject' || m === 'refuse' || m === 'vote-reject' || def?.states.find((s) => s.id === a.to)?.outcome === 'withdrawn';

/** 张三 → 张*; 云南某某科技有限公司 → 云南********司 (names on screens are masked; the form data is the case's own). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}
