// What each reader sees of a rating. The rater's identity never reaches the handling department
// (kept confidential, domain-standards §2 "Privacy"): staff views carry no rater, only a masked
// call-back number for hotline entries.
import type { Selectable } from 'kysely';
import { levelOf } from './levels.js';
import type { SvcRatingTable } from './tables.js';

export type RatingRow = Selectable<SvcRatingTable>;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function ratingView(r: RatingRow, audience: 'rater' | 'staff') {
  return {
    id: r.id, invitationId: r.invitation_id, caseNumber: r.case_number, mode: r.mode, channel: r.channel, serviceType: r.service_type,
    level: r.level, levelName: levelOf(r.level)['zh-CN'], bad: r.bad, indicators: r.indicators as Record<string, number>, comment: r.comment,
    division: r.division, departmentCode: r.department_code, itemKey: r.item_key, itemName: r.item_name, window: r.window,
    excluded: r.excluded, rectificationId: r.rectification_id, rectificationNumber: r.rectification_number, rectificationState: r.rectification_state,
    rectified: r.rectified, callbackDone: r.callback_done, repliedAt: iso(r.replied_at), closedAt: iso(r.closed_at), createdAt: iso(r.created_at)!,
    ...(audience === 'staff' ? { callerMobile: r.rater_mobile_masked } : {}),
  };
}
export type RatingView = ReturnType<typeof ratingView>;
