// 12345 hotline (issue 7): work orders from intake to callback on the workflow engine, with
// per-division time limits and a 督办 ladder. See README.md.
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/index.js';
import './tables.js';
import { registerSupervision } from './supervision.js';
import { registerFigures, registerHotlineMetrics } from './figures.js';
import './notices.js';
import { orderRoutes } from './routes.js';
import { kbRoutes } from './kb-routes.js';
import { open311Routes } from './open311-routes.js';
import { policeRoutes } from './police-routes.js';

export { hotlineMigrations } from './migrations.js';
export { createOrder, type IntakeInput, type IntakeResult } from './intake.js';
export { orderView, type OrderView } from './views.js';
export { answerAtOnce, dispatch, signFor, returnOrder, decideReturn, requestExtension, decideExtension, reply, review, callback } from './lifecycle.js';
export { merge, addCoHandlers, coHandlerReply } from './coordination.js';
export { listOrders } from './list.js';
export type { Caller } from './access.js';
export { ensureWorkflows, publishHotlineWorkflows, ORDER_WORKFLOW, KB_WORKFLOW } from './workflow-def.js';
export { timeLimitFor, setTimeLimit, DEFAULT_LIMITS } from './time-limits.js';
export { similarity, tokens } from './text.js';
export { kbVector, reindexKb } from './kb-index.js';
export { DEMO_KB, loadDemoKb } from './kb-demo.js';
export { registerClient, clientByKey } from './clients.js';
export { suggestUnits, dispatchAccuracy, setDispatchRule } from './dispatch-suggest.js';
export { chat, orderFromChat } from './chat.js';
export { hotlineStats } from './stats.js';
export { dailyFigures, emitDailyFigures, ensureFiguresJob, hotWords, FIGURES_JOB, type DailyFigures } from './figures.js';
export { notifyLiaisons, LIAISON_TEMPLATES } from './notices.js';
export { transferTo110, transferFrom110, policeStatus, policeFeedback } from './police.js';
export { saveKbEntry, reviewKbEntry, searchKb, suggestKb, getKbEntry, type KbInput, type KbView } from './kb.js';

/** Job definitions and event subscriptions (called once per Core, before routes). */
export function registerHotline(core: Core): void {
  registerSupervision(core);
  registerFigures(core);
}

export const hotlineRoutes = (core: Core) => async (app: FastifyInstance) => {
  registerHotlineMetrics(core, app.metrics);
  await app.register(orderRoutes(core));
  await app.register(kbRoutes(core));
  await app.register(open311Routes(core));
  await app.register(policeRoutes(core));
  await app.register((await import('./console-routes.js')).consoleRoutes(core));
};
