// hotline (placeholder wiring so migrations and routes have one place to land).
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/index.js';
import type { NamedMigration } from '../../core/db/migrate.js';

export const hotlineMigrations: NamedMigration[] = [];

/** Job definitions and event subscriptions (called once per Core, before routes). */
export function registerHotline(_core: Core): void {}

export const hotlineRoutes = (_core: Core) => async (_app: FastifyInstance) => {};
