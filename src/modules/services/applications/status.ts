// The application's status follows its case: derived from the workflow state after every action,
// in the same transaction. Events are derived from the transition's meaning (entering or leaving a
// clock-pausing 补正 state, leaving the initial state, reaching a final outcome), not from action
// ids, so any services workflow definition drives them.
import type { Definition } from '../../../platform/workflow/index.js';
import { kindOf, stateOf } from '../../../platform/workflow/definition.js';
import type { AppOutcome, AppStatus } from './tables.js';

export const OUTCOMES: readonly AppOutcome[] = ['approved', 'refused', 'rejected', 'withdrawn'];

export function outcomeOf(raw: string | null | undefined): AppOutcome {
  return OUTCOMES.includes(raw as AppOutcome) ? (raw as AppOutcome) : 'approved';
}

export function statusOf(def: Definition, state: string, completed: boolean): AppStatus {
  if (completed) return 'completed';
  const s = stateOf(def, state);
  if (s.pausesClock || kindOf(s) === 'wait') return 'correction';
  return state === def.initial ? 'submitted' : 'processing';
}

export type AppEvent = 'accepted' | 'correction-requested' | 'resubmitted' | AppOutcome;

/** The services.application.* event a move from `from` to `to` means (null: an internal step). */
export function eventOf(def: Definition, from: string, to: string, completed: boolean, outcome: AppOutcome | null): AppEvent | null {
  if (from === to) return null;
  if (completed) return outcome;
  const f = stateOf(def, from);
  const t = stateOf(def, to);
  if (t.pausesClock || kindOf(t) === 'wait') return 'correction-requested';
  if (f.pausesClock || kindOf(f) === 'wait') return 'resubmitted';
  if (from === def.initial) return 'accepted';
  return null;
}

/** 一件事一次办: one overall status over the children's. */
export function overallOf(children: Array<{ status: AppStatus; outcome: AppOutcome | null }>): { status: AppStatus; outcome: AppOutcome | null; partial: boolean } {
  if (children.every((c) => c.status === 'completed')) {
    const outs = children.map((c) => c.outcome);
    const approved = outs.filter((o) => o === 'approved').length;
    if (outs.every((o) => o === 'withdrawn')) return { status: 'completed', outcome: 'withdrawn', partial: false };
    if (approved) return { status: 'completed', outcome: 'approved', partial: approved < outs.length };
    return { status: 'completed', outcome: outs.every((o) => o === 'rejected') ? 'rejected' : 'refused', partial: false };
  }
  if (children.some((c) => c.status === 'correction')) return { status: 'correction', outcome: null, partial: false };
  if (children.every((c) => c.status === 'submitted')) return { status: 'submitted', outcome: null, partial: false };
  return { status: 'processing', outcome: null, partial: false };
}

export const STATUS_ZH: Record<AppStatus | AppOutcome, string> = {
  submitted: '已提交，等待受理', processing: '办理中', correction: '待补正', completed: '已办结',
  approved: '已办结（准予）', refused: '已办结（不予许可）', rejected: '不予受理', withdrawn: '已撤回',
};
