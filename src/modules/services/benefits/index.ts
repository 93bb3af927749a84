// services/benefits — 免申即享 (issue 5, item 4): benefit policies with eligibility rules over
// registry data, a daily scan that grants without an application, accept / decline, "why not".
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.js';
import type { NamedMigration } from '../../../core/db/migrate.js';
import { benefitsMigrations } from './migrations.js';
import { benefitsRoutes } from './routes.js';
import { defineScanJobs } from './scan.js';
import './tables.js';
import './registry.js';
import './templates.js';

export const migrations: NamedMigration[] = benefitsMigrations;

/** Job definitions (the daily job and the batched scan); registries and the template register on import. */
export function register(core: Core): void {
  defineScanJobs(core);
}

export const routes = (core: Core) => async (app: FastifyInstance) => {
  await app.register(benefitsRoutes(core));
};

export { publishBenefitPolicy, requestScan } from './service.js';
export { currentPolicy, currentPolicies, publishPolicy, policyProblems, type Policy, type PolicyInput } from './policies.js';
export { myGrants, decideGrant, listGrants, checkPolicy, expireOffers, type GrantView, type CheckResult } from './grants.js';
export { scanBatch, runDaily, ensureDaily, scheduleScan, DAILY_JOB, SCAN_JOB, BATCH, type ScanPayload } from './scan.js';
export { loadRegistryRecords, DATASETS, type Dataset, type RegistryRecordInput } from './registry.js';
export { loadBenefitsDemoPack, demoResidents, type DemoResident } from './demo.js';
export { periodOf, nextDailyRun } from './periods.js';
