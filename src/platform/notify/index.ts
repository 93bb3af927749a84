// Notifications: versioned templates (zh-CN/en, declared placeholders, local overrides), the
// in-app inbox, SMS and e-mail through pluggable adapters with retries, per-person preferences,
// and the admin outbox. See README.md.
import type { Core } from '../../core/index.js';
import { configureAdapters } from './adapters.js';
import { defineSendJob } from './send.js';
import './tables.js';

export { notifyMigrations } from './migrations.js';
export { notifyRoutes } from './routes.js';
export { notify, queueSms, SEND_JOB, type NotifyInput, type NotifyResult, type Recipient, type SkipReason } from './send.js';
export { scrubIdNumbers, scrubMessage, maskOtherMobiles } from './scrub.js';
export { renderTemplate, effectiveTemplate, ensureBuiltinTemplates, publishTemplate, type RenderOptions, type PublishInput } from './template-store.js';
export { registerTemplate, BUILTIN_TEMPLATES } from './builtin.js';
export { renderVersion, templateProblems, type TemplateDefinition, type TemplateVersion, type TemplateData, type RenderedMessage } from './templates.js';
export { registerAdapter, devAdapter, smtpAdapter, parseSmtpUrl, type NotifyAdapter, type SmsGateway, type OutgoingMessage } from './adapters.js';
export type { Channel, Category } from './tables.js';

/**
 * The send job and the delivery adapters of this node. SMTP_URL is read here from the
 * environment (until core config parses it); a bad value stops the start with one line.
 */
export function registerNotify(core: Core, env: NodeJS.ProcessEnv = process.env): void {
  configureAdapters(core, env);
  defineSendJob(core);
}
