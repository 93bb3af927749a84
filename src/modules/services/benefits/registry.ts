// The base registries the benefit rules read (`registry.<dataset>.<field>`), backed by one table
// this part owns. In production each dataset is an adapter to the data-sharing exchange (户籍 from
// public security, 残疾人证 from the disabled persons' federation, 低保 from civil affairs, 养老
// and 医保 from human resources and the healthcare security bureau); for the pilot and the demo
// they are rows of `benefit_registry_record`, keyed by identity's blind index of the resident ID
// number so that a signed-in citizen's account finds the same records.
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { recordChange, type Actor } from '../../../core/audit/record.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { maskResidentId, validateResidentId } from '../../../core/validators/index.js';
import { scopePrefix } from '../../../core/divisions/service.js';
import { blind } from '../../../platform/identity/accounts.js';
import { registerBaseRegistry, type BaseRegistry, type FactContext, type RegistrySubject } from '../../../platform/rules/index.js';
import './tables.js';

/** The datasets the demo registries hold, with what each is in words (README, labels). */
export const DATASETS = {
  population: '户籍人口 (public security): name, sex, hukouDivision, status alive|deceased',
  disability: '残疾人证 (残联): certified, category, level 1–4',
  assistance: '社会救助 (民政): dibao (最低生活保障), tekun (特困供养)',
  pension: '城乡居民基本养老保险 (人社): enrolled, contributionYears, otherPension',
  medicalInsurance: '城乡居民基本医疗保险 (医保): enrolled',
} as const;
export type Dataset = keyof typeof DATASETS;
export const DATASET_NAMES = Object.keys(DATASETS) as Dataset[];

const AAD = Buffer.from('benefit_registry_record.subject');

/**
 * Records fetched ahead for a batch of the scan, keyed by the subject object the scan passes to
 * the rules engine (the engine hands the same object to lookup), so a batch of 100 people costs
 * one query per batch instead of one per person and dataset.
 */
const prefetched = new WeakMap<RegistrySubject, Partial<Record<Dataset, Record<string, unknown>>>>();

export function prefetch(subject: RegistrySubject, records: Partial<Record<Dataset, Record<string, unknown>>>): void {
  prefetched.set(subject, records);
}

class TableRegistry implements BaseRegistry {
  constructor(private readonly dataset: Dataset) {}
  async lookup(subject: RegistrySubject, ctx: FactContext): Promise<Record<string, unknown> | null> {
    const ahead = prefetched.get(subject);
    if (ahead) return ahead[this.dataset] ?? null;
    if (!subject.idNumber || !ctx.core || !ctx.db) return null;
    const row = await ctx.db.selectFrom('benefit_registry_record').select('attributes')
      .where('dataset', '=', this.dataset).where('subject_bidx', '=', blind(ctx.core, 'id', subject.idNumber)).executeTakeFirst();
    return row?.attributes ?? null;
  }
}

for (const d of DATASET_NAMES) registerBaseRegistry(d, new TableRegistry(d));

export interface RegistryRecordInput {
  dataset: Dataset;
  idNumber: string;
  division: string;
  attributes: Record<string, unknown>;
}

/**
 * Upserts registry records (the nightly feed from the exchange, or the demo pack) in one
 * transaction: every record is checked first and all problems are reported together.
 */
export async function loadRegistryRecords(core: Core, ex: Executor, actor: Actor, records: RegistryRecordInput[]): Promise<number> {
  const errors: FieldError[] = [];
  records.forEach((r, i) => {
    if (!DATASET_NAMES.includes(r.dataset)) errors.push({ pointer: `/records/${i}/dataset`, code: 'enum', message: `未知的数据集 unknown dataset ${String(r.dataset)}` });
    const id = validateResidentId(r.idNumber);
    if (!id.ok) errors.push({ pointer: `/records/${i}/idNumber`, code: 'residentId', message: `身份证号码无效 invalid resident ID number (${id.reason})` });
    if (!/^53\d{4}$/.test(r.division)) errors.push({ pointer: `/records/${i}/division`, code: 'division', message: `须为云南省县级行政区划代码 must be a county code in Yunnan` });
  });
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  const divisions = new Set<string>();
  for (let i = 0; i < records.length; i += 200) {
    const rows = records.slice(i, i + 200).map((r) => {
      divisions.add(r.division);
      return {
        dataset: r.dataset, subject_bidx: blind(core, 'id', r.idNumber), subject_enc: core.crypto.encrypt(core.keys.field, r.idNumber, AAD),
        subject_masked: maskResidentId(r.idNumber), division: r.division, attributes: JSON.stringify(r.attributes), updated_at: core.clock.now(),
      };
    });
    await ex.insertInto('benefit_registry_record').values(rows)
      .onConflict((oc) => oc.columns(['dataset', 'subject_bidx']).doUpdateSet((eb) => ({
        division: eb.ref('excluded.division'), attributes: eb.ref('excluded.attributes'), updated_at: eb.ref('excluded.updated_at'),
      }))).execute();
  }
  await recordChange(ex, actor, { action: 'services.benefit.registry.load', object: { type: 'benefit_registry', id: 'demo' }, division: '530000', detail: { records: records.length, divisions: [...divisions].sort() } },
    { type: 'services.benefit.registry-loaded', payload: { records: records.length } });
  return records.length;
}

/** Decrypts a registry subject's ID number (the scan needs it for the rules' `applicant.*` facts). */
export function revealSubject(core: Core, enc: Buffer): string {
  return core.crypto.decrypt(core.keys.field, enc, AAD).toString('utf8');
}

export interface PopulationRow {
  subject_bidx: string;
  subject_enc: Buffer;
  subject_masked: string;
  division: string;
  attributes: Record<string, unknown>;
}

/** One page of the population dataset in `division`'s subtree, after `after` (keyset paging). */
export async function populationPage(ex: Executor, division: string, after: string | null, limit: number): Promise<PopulationRow[]> {
  let q = ex.selectFrom('benefit_registry_record').select(['subject_bidx', 'subject_enc', 'subject_masked', 'division', 'attributes'])
    .where('dataset', '=', 'population').where('division', 'like', `${scopePrefix(division)}%`);
  if (after) q = q.where('subject_bidx', '>', after);
  return q.orderBy('subject_bidx').limit(limit).execute();
}

/** The other datasets of a batch of subjects, by blind index. */
export async function otherDatasets(ex: Executor, bidxs: string[]): Promise<Map<string, Partial<Record<Dataset, Record<string, unknown>>>>> {
  const out = new Map<string, Partial<Record<Dataset, Record<string, unknown>>>>();
  if (!bidxs.length) return out;
  const rows = await ex.selectFrom('benefit_registry_record').select(['dataset', 'subject_bidx', 'attributes']).where('subject_bidx', 'in', bidxs).execute();
  for (const r of rows) {
    const m = out.get(r.subject_bidx) ?? {};
    m[r.dataset as Dataset] = r.attributes;
    out.set(r.subject_bidx, m);
  }
  return out;
}
