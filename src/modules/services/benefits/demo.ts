// The 免申即享 demo pack (packs/services/benefits): four real Yunnan benefit policies, the rule
// set one of them shares with the rules engine, and a few hundred synthetic residents spread over
// four base registries. The residents are generated from a seed (same seed, same people), so the
// tests can recompute who qualifies independently of the rules engine.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../../../core/index.js';
import type { Principal } from '../../../core/http/auth.js';
import { demoResidentId } from '../../../platform/identity/seed.js';
import { getRuleSet, loadRuleSetFile, publishRuleSet } from '../../../platform/rules/index.js';
import { currentPolicy, type PolicyInput } from './policies.js';
import { loadRegistryRecords, type RegistryRecordInput } from './registry.js';
import { publishBenefitPolicy } from './service.js';

export const PACK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../packs/services/benefits');

export interface ResidentSpec {
  seed: number;
  count: number;
  asOf: string;
  divisions: string[];
  outsideHukou: string;
}

export interface DemoResident {
  idNumber: string;
  name: string;
  sex: 'male' | 'female';
  birthDate: string;
  division: string;
  hukouDivision: string;
  status: 'alive' | 'deceased';
  disability: { certified: true; category: string; level: number } | null;
  assistance: { dibao: boolean; tekun: boolean } | null;
  pension: { enrolled: boolean; contributionYears: number; otherPension: boolean } | null;
  medicalInsurance: { enrolled: boolean } | null;
}

/** mulberry32: a tiny deterministic PRNG (the demo must be the same on every machine). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '李王张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗段杞普岩'.split('');
const GIVEN = '文华明秀兰国平建英云春丽芳德顺荣发富贵琼仙美玉学军'.split('');
const CATEGORIES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'];

const dayMs = 86_400_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The synthetic residents of a spec. Ages are banded so that every policy has people on both sides of it. */
export function demoResidents(spec: ResidentSpec): DemoResident[] {
  const rnd = prng(spec.seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const asOf = Date.parse(`${spec.asOf}T00:00:00Z`);
  const out: DemoResident[] = [];
  for (let i = 0; i < spec.count; i++) {
    const band = rnd();
    // newborn 8% · child 10% · adult 37% · 55–64 15% · 65–79 12% · 80–89 12% · 90–99 5% · 100+ 1%
    const [lo, hi] = band < 0.08 ? [0, 0] : band < 0.18 ? [1, 17] : band < 0.55 ? [18, 54] : band < 0.7 ? [55, 64] : band < 0.82 ? [65, 79] : band < 0.94 ? [80, 89] : band < 0.99 ? [90, 99] : [100, 104];
    const birth = lo === 0 ? asOf - Math.floor(rnd() * 120) * dayMs : asOf - (lo + rnd() * (hi - lo + 1)) * 365.25 * dayMs;
    const birthDate = isoDay(birth);
    const age = (asOf - birth) / (365.25 * dayMs);
    const division = pick(spec.divisions);
    const hukouDivision = rnd() < 0.06 ? spec.outsideHukou : division;
    // The sequence's last digit gives the sex (odd = male); 3 digits keep IDs unique up to 1,000 people.
    const seq = String(i).padStart(3, '0');
    const idNumber = demoResidentId(hukouDivision, birthDate.replaceAll('-', ''), seq);
    const sex = Number(seq[2]) % 2 === 1 ? 'male' : 'female';
    const status = rnd() < 0.03 ? 'deceased' : 'alive';
    const disabled = rnd() < 0.12;
    const disability = disabled ? { certified: true as const, category: pick(CATEGORIES), level: 1 + Math.floor(rnd() * 4) } : null;
    const poor = rnd() < (disabled ? 0.35 : 0.08);
    const assistance = poor || rnd() < 0.1 ? { dibao: poor, tekun: poor && age >= 60 && rnd() < 0.3 } : null;
    const pension = age >= 16 && rnd() < 0.85
      ? { enrolled: rnd() < 0.9, contributionYears: Math.min(Math.floor(age - 16), Math.floor(rnd() * 26)), otherPension: rnd() < 0.15 }
      : null;
    const medicalInsurance = { enrolled: lo === 0 ? rnd() < 0.3 : rnd() < 0.95 };
    out.push({ idNumber, name: pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.6 ? pick(GIVEN) : ''), sex, birthDate, division, hukouDivision, status, disability, assistance, pension, medicalInsurance });
  }
  return out;
}

/** The registry records of residents: one per dataset that knows them. */
export function registryRecords(residents: DemoResident[]): RegistryRecordInput[] {
  const out: RegistryRecordInput[] = [];
  for (const r of residents) {
    const base = { idNumber: r.idNumber, division: r.division };
    out.push({ ...base, dataset: 'population', attributes: { name: r.name, sex: r.sex, hukouDivision: r.hukouDivision, status: r.status } });
    if (r.disability) out.push({ ...base, dataset: 'disability', attributes: r.disability });
    if (r.assistance) out.push({ ...base, dataset: 'assistance', attributes: r.assistance });
    if (r.pension) out.push({ ...base, dataset: 'pension', attributes: r.pension });
    if (r.medicalInsurance) out.push({ ...base, dataset: 'medicalInsurance', attributes: r.medicalInsurance });
  }
  return out;
}

async function readYaml<T>(file: string): Promise<T> {
  const { parse } = await import('yaml');
  return parse(fs.readFileSync(file, 'utf8')) as T;
}

export const readResidentSpec = (dir = PACK_DIR) => readYaml<ResidentSpec>(path.join(dir, 'residents.yaml'));
export const readPolicies = async (dir = PACK_DIR): Promise<PolicyInput[]> =>
  Promise.all(fs.readdirSync(path.join(dir, 'policies')).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => readYaml<PolicyInput>(path.join(dir, 'policies', f))));

const SEEDER: Principal = { id: 'system:seed', name: '演示数据', kind: 'system', permissions: new Set(['*']), scopes: ['530000'] };

/**
 * Loads the pack: rule sets, registry records, then the policies (each publication schedules its
 * scan). Idempotent: rule sets and policies that exist are left alone, registry records upserted.
 */
export async function loadBenefitsDemoPack(core: Core, opts: { dir?: string; residents?: DemoResident[] } = {}): Promise<{ residents: number; policies: string[] }> {
  const dir = opts.dir ?? PACK_DIR;
  const caller = { principal: SEEDER, actor: { id: SEEDER.id }, lang: 'zh-CN' as const };
  for (const f of fs.readdirSync(path.join(dir, 'rulesets')).filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const input = await loadRuleSetFile(path.join(dir, 'rulesets', f));
    const exists = await getRuleSet(core.db, input.key, { division: input.division }).then(() => true, () => false);
    if (!exists) await publishRuleSet(core, caller, input);
  }
  const residents = opts.residents ?? demoResidents(await readResidentSpec(dir));
  await core.db.transaction().execute((tx) => loadRegistryRecords(core, tx, caller.actor, registryRecords(residents)));
  const published: string[] = [];
  for (const p of await readPolicies(dir)) {
    if (await currentPolicy(core.db, p.key)) continue;
    await publishBenefitPolicy(core, caller, p);
    published.push(p.key);
  }
  return { residents: residents.length, policies: published };
}
