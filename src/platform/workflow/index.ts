// The workflow engine (issue 4): definitions as data, cases with complete history, inboxes,
// working-day SLAs with an escalation ladder, countersign, sub-cases, clock pauses. See README.md.
import type { Core } from '../../core/index.js';
import './tables.js';
import { registerEscalation } from './escalation.js';
import { registerNotices } from './notices.js';
import { registerCaseFiles } from './attachments.js';

export { workflowMigrations } from './migrations.js';
export { workflowRoutes } from './routes.js';
export { checkDefinition, loadDefinitionFile, type Definition } from './definition.js';
export { publishDefinition, resolveDefinition, withdrawDefinition, type PublishedDefinition } from './definitions.js';
export { startInstance, start, act, applyAction, lockInstance, definitionCached, type StartInput, type ActInput } from './engine.js';
export { caseView, type CaseView } from './views.js';
export { bpmnToDefinition, type BpmnImport } from './bpmn.js';
export { listTasks, changeTask, stateCounts } from './inbox.js';
export type { WfCaller } from './access.js';

/** Job definitions and event subscriptions (called once per Core, before routes). */
export function registerWorkflow(core: Core): void {
  registerEscalation(core);
  registerNotices(core);
  registerCaseFiles();
}
