// services/ratings (issue 5): 好差评 — invitations after every completed application, ratings on
// every channel, 差评 rectification on the workflow engine, appeals, statistics. See README.md.
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.js';
import type { NamedMigration } from '../../../core/db/migrate.js';
import './tables.js';
import { ratingsMigrations } from './migrations.js';
import { ratingsRoutes } from './routes.js';
import { registerInvitations } from './invitations.js';
import { ensureRectificationDefinition, registerRectificationSync } from './rectification.js';
import { registerRatingTemplates } from './templates.js';
import { configureRatings, parseRatingSettings } from './settings.js';

export const migrations: NamedMigration[] = ratingsMigrations;

/** Job definitions and event subscriptions (called once per Core, before routes). */
export function register(core: Core, env: NodeJS.ProcessEnv = process.env): void {
  configureRatings(core, parseRatingSettings(env));
  registerRatingTemplates();
  registerInvitations(core);
  registerRectificationSync(core);
}

export const routes = (core: Core) => async (app: FastifyInstance) => {
  // The rectification workflow must exist before the first 差评; publishing is idempotent.
  await ensureRectificationDefinition(core);
  await app.register(ratingsRoutes(core));
};

export { ensureRectificationDefinition, decideAppeal, listRectifications, getRating, RECTIFICATION_KEY } from './rectification.js';
export { inviteForApplication, myInvitations, type ApplicationCompleted } from './invitations.js';
export { rateByToken, rateInvitation, rateByStaff, invitationByToken } from './ratings.js';
export { ratingStats, publicResults } from './stats.js';
export { signLinkToken, verifyLinkToken } from './token.js';
export { LEVELS, INDICATORS, isBad } from './levels.js';
