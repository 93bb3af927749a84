// Local settings of the ratings part. Read from the environment once, at registration (like
// SMTP_URL in platform/notify, until core config carries module settings); a bad value stops the
// start with one line naming the variable. The rectification time limit is NOT here: it is the
// `sla` of the `svc.rectification` workflow definition, which each division may override.
import type { Core } from '../../../core/index.js';

export interface RatingSettings {
  /** How long an invitation (and its SMS link) stays open: RATINGS_LINK_DAYS, default 30 calendar days. */
  linkDays: number;
}

const settings = new WeakMap<Core, RatingSettings>();

export function parseRatingSettings(env: NodeJS.ProcessEnv): RatingSettings {
  const raw = env.RATINGS_LINK_DAYS;
  if (raw === undefined || raw === '') return { linkDays: 30 };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 365) throw new Error(`yunling: invalid configuration: RATINGS_LINK_DAYS="${raw}" — must be an integer between 1 and 365`);
  return { linkDays: n };
}

export function configureRatings(core: Core, s: RatingSettings): void {
  settings.set(core, s);
}

export function ratingSettings(core: Core): RatingSettings {
  return settings.get(core) ?? { linkDays: 30 };
}
