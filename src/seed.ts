// Demo data, seeded once on first start (SEED_DEMO=true) or by `yunling seed`. Each module adds a
// seeder; a seeder is idempotent and returns the demo accounts it created, for the start banner.
import { sql } from 'kysely';
import type { Core } from './core/index.js';
import { setDivisionDay } from './core/calendar/store.js';
import { seedIdentity } from './platform/identity/seed.js';
import { loadBenefitsDemoPack } from './modules/services/benefits/demo.js';
import { seedServicesPack } from './modules/services/catalog/index.js';
import { registerModules } from './modules.js';
import { publishHotlineWorkflows } from './modules/hotline/workflow-def.js';
import { seedHotlineDemo } from './modules/hotline/demo.js';

export interface DemoAccount {
  role: string;
  username: string;
  password: string;
  division: string;
}

type Seeder = (core: Core) => Promise<DemoAccount[]>;

const SYSTEM = { id: 'system:seed' };

const calendarSeeder: Seeder = async (core) => {
  // 西双版纳傣族自治州: 泼水节 (傣历新年) is a statutory local holiday on 13–15 April.
  for (const date of ['2026-04-13', '2026-04-14', '2026-04-15']) {
    await setDivisionDay(core, SYSTEM, { division: '532800', date, kind: 'holiday', name: '泼水节（傣历新年）' });
  }
  return [];
};

export const seeders: Array<{ name: string; run: Seeder }> = [
  { name: 'calendar', run: calendarSeeder },
  { name: 'identity', run: seedIdentity },
  // 一网通办: 35 real service items with their workflows and forms, implemented in 昆明市 and 五华区.
  { name: 'services', run: seedServicesPack },
  // 12345: the work-order and knowledge-review workflows (otherwise published on first use), and a
  // small 12345 centre for 五华区 / 昆明市: units, dispatch rules, the knowledge base, 45 orders.
  { name: 'hotline', run: async (core) => { await publishHotlineWorkflows(core); return seedHotlineDemo(core); } },
  // 免申即享: four real policy types over synthetic registry residents (packs/services/benefits).
  { name: 'benefits', run: async (core) => { await loadBenefitsDemoPack(core); return []; } },
];

export async function isSeeded(core: Core): Promise<boolean> {
  const r = await core.db.selectFrom('yunling_meta').select('key').where('key', '=', 'seed.demo').executeTakeFirst();
  return !!r;
}

export async function seedDemo(core: Core): Promise<DemoAccount[]> {
  registerModules(core);
  const accounts: DemoAccount[] = [];
  for (const s of seeders) accounts.push(...(await s.run(core)));
  await sql`INSERT INTO yunling_meta (key, value) VALUES ('seed.demo', ${JSON.stringify({ at: new Date().toISOString(), accounts })}::jsonb)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`.execute(core.db);
  return accounts;
}

export async function demoAccounts(core: Core): Promise<DemoAccount[]> {
  const r = await core.db.selectFrom('yunling_meta').select('value').where('key', '=', 'seed.demo').executeTakeFirst();
  return ((r?.value as { accounts?: DemoAccount[] } | undefined)?.accounts ?? []);
}

/**
 * Runs what the seed left due — its events and the jobs due now (e.g. the first 免申即享 scans) —
 * until nothing is left or `rounds` pass. The first start seeds in a short-lived child process and
 * settles there, so the long-running server does not do that one-off work (and keep its memory).
 */
export async function settleDemo(core: Core, rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const events = await core.events.dispatchBatch();
    const jobs = await core.jobs.runDue();
    if (events === 0 && jobs === 0) return;
  }
}
