// The catalog's contract with the other parts of services (src/modules/services/README.md):
// ItemVersion / Material and the two lookups. Applications pin `ItemVersion.id` on a case.
import type { Executor } from '../../../core/db/types.js';
import type { ItemInput } from './schema.js';
import { chainOf, findItem, resolveVersion, versionById, versionNumbered, type VersionRow } from './repo.js';

export interface Material {
  id: string;
  name: string;
  required: boolean;
  source: string;
  copies: number;
  licenseType?: string;
  accept: string[];
  maxBytes: number;
}

export interface ItemVersion {
  id: string;
  itemId: string;
  key: string;
  code: string;
  basicCode: string;
  name: string;
  division: string;
  version: number;
  status: 'published' | 'withdrawn';
  itemType: string;
  handling: 'instant' | 'promised';
  legalDays: number;
  promisedDays: number;
  department: { code: string; name: string };
  formKey: string | null;
  workflowKey: string;
  materials: Material[];
  lifeEvents: string[];
}

/** The whole guide (办事指南): the contract plus every standard element. */
export type ItemGuide = Omit<ItemVersion, 'materials'> & Pick<ItemInput, 'legalBasis' | 'conditions' | 'fees' | 'channels' | 'onlineDepth' | 'visits' | 'serviceObjects' | 'place' | 'hours' | 'consultation' | 'complaint'> & {
  limitNote: string | null;
  onlineUrl: string | null;
  keywords: string[];
  materials: Array<Material & { note?: string }>;
  publishedAt: string;
};

const material = (m: Material & { note?: string }, withNote: boolean): Material & { note?: string } => ({
  id: m.id, name: m.name, required: m.required, source: m.source, copies: m.copies,
  ...(m.licenseType ? { licenseType: m.licenseType } : {}), accept: m.accept, maxBytes: m.maxBytes,
  ...(withNote && m.note ? { note: m.note } : {}),
});

export function toItemVersion(r: VersionRow): ItemVersion {
  return {
    id: r.id, itemId: r.item_id, key: r.key, code: r.code, basicCode: r.basic_code, name: r.name, division: r.division,
    version: r.version, status: r.status, itemType: r.item_type, handling: r.handling, legalDays: r.legal_days, promisedDays: r.promised_days,
    department: { code: r.department_code, name: r.department_name }, formKey: r.form_key, workflowKey: r.workflow_key,
    materials: (r.materials as Material[]).map((m) => material(m, false)), lifeEvents: r.life_events,
  };
}

export function toItemGuide(r: VersionRow): ItemGuide {
  const e = r.elements as ItemInput & { keywords: string[] };
  return {
    ...toItemVersion(r),
    materials: (r.materials as Array<Material & { note?: string }>).map((m) => material(m, true)),
    legalBasis: e.legalBasis, conditions: e.conditions, limitNote: e.limitNote ?? null, fees: e.fees, channels: e.channels,
    onlineDepth: e.onlineDepth, visits: e.visits, serviceObjects: e.serviceObjects, place: e.place, hours: e.hours,
    consultation: e.consultation, complaint: e.complaint, onlineUrl: e.onlineUrl ?? null, keywords: e.keywords ?? [],
    publishedAt: new Date(r.published_at).toISOString(),
  };
}

/**
 * What is in force in `division` for an item named by key (or by an implementation code): the
 * division's own implementation, else the prefecture's, else the province's — newest published
 * version — unless a division on the way marks the item not implemented (then null). With
 * `version`, exactly that version of the implementation in force (withdrawn too: cases pin it).
 */
export async function getItemVersion(ex: Executor, q: { key?: string; code?: string; division: string; version?: number }): Promise<ItemVersion | null> {
  const chain = chainOf(q.division);
  if (!chain.length) return null;
  const item = await findItem(ex, q);
  if (!item) return null;
  const current = await resolveVersion(ex, item.id, chain);
  if (!current) return null;
  if (q.code && current.code !== q.code) return null;
  if (q.version === undefined || q.version === current.version) return toItemVersion(current);
  const exact = await versionNumbered(ex, item.id, q.version);
  return exact && exact.division === current.division ? toItemVersion(exact) : null;
}

export async function getItemVersionById(ex: Executor, id: string): Promise<ItemVersion | null> {
  const r = await versionById(ex, id);
  return r ? toItemVersion(r) : null;
}
