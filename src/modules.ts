// Every module's jobs and event subscribers, registered once per Core. The HTTP app needs them,
// and so does anything that writes through module services without serving HTTP (the seed
// command schedules jobs: a job name must be defined before it can be scheduled).
import type { Core } from './core/index.js';
import { registerNotify } from './platform/notify/index.js';
import { registerForms } from './platform/forms/index.js';
import { registerRules } from './platform/rules/index.js';
import { registerFiles } from './platform/files/index.js';
import { registerWorkflow } from './platform/workflow/index.js';
import { registerServices } from './modules/services/index.js';
import { registerHotline } from './modules/hotline/index.js';
import { registerLicenses } from './platform/licenses/index.js';
import { registerSeals } from './platform/seals/index.js';

const registered = new WeakSet<Core>();

export function registerModules(core: Core): void {
  if (registered.has(core)) return;
  registered.add(core);
  registerNotify(core);
  registerForms(core);
  registerRules(core);
  registerFiles(core);
  registerWorkflow(core);
  registerServices(core);
  registerHotline(core);
  registerLicenses(core);
  registerSeals(core);
}
