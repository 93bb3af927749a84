// 一件事一次办: a bundle is data (packs/services/bundles/*.yaml) naming member items. Its form is
// the members' forms merged (shared fields once), its materials the union of the members'
// (deduplicated by material id, required if any member requires it), and one submission writes
// the parent application and one child application + workflow case per member in ONE transaction;
// the children then run in parallel in their departments and the parent's status follows them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Core } from '../../../core/index.js';
import { AppError, type FieldError, type Lang } from '../../../core/http/errors.js';
import { recordChange } from '../../../core/audit/record.js';
import { nextCaseNumber } from '../../../core/numbering/index.js';
import { mergeForms, validateMerged, type FormVersion, type MergedForm } from '../../../platform/forms/index.js';
import { attachFiles, registerFileOwner } from '../../../platform/files/index.js';
import { applicantOf, maySeeApplication, staffMayRead, type Caller } from './access.js';
import { itemForm, resolveItem, failIfErrors } from './prepare.js';
import { checkMaterials, type MaterialInput } from './materials.js';
import { digestOf, idempotent, insertApplication, notifySubmitted } from './submit.js';
import type { ItemVersion, Material } from './catalog.js';

export interface Bundle {
  key: string;
  title: { 'zh-CN': string; en?: string };
  description?: string;
  lifeEvent?: string;
  items: string[];
}

const KEY = /^[a-z][a-z0-9-]{1,63}$/;

function packsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'packs', 'services', 'bundles');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('services: no packs/services/bundles folder found');
    dir = parent;
  }
}

let cache: Bundle[] | null = null;

/** Reads and checks every bundle file; a bad file stops loading with its name and every problem. */
export async function loadBundles(dir?: string): Promise<Bundle[]> {
  if (cache && !dir) return cache;
  const { parse } = await import('yaml');
  const folder = dir ?? packsDir();
  const out: Bundle[] = [];
  for (const f of fs.readdirSync(folder).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const raw = parse(fs.readFileSync(path.join(folder, f), 'utf8')) as Partial<Bundle> | null;
    const problems: string[] = [];
    if (!raw || typeof raw !== 'object') problems.push('not a mapping');
    else {
      if (typeof raw.key !== 'string' || !KEY.test(raw.key)) problems.push('key: lower-case letters, digits and dashes');
      if (!raw.title || typeof raw.title['zh-CN'] !== 'string') problems.push('title.zh-CN is required');
      if (!Array.isArray(raw.items) || raw.items.length < 2 || raw.items.some((i) => typeof i !== 'string')) problems.push('items: at least two item keys');
      else if (new Set(raw.items).size !== raw.items.length) problems.push('items: duplicate item key');
      if (out.some((b) => b.key === raw.key)) problems.push(`key ${raw.key} used twice`);
    }
    if (problems.length) throw new Error(`bundle ${f}: ${problems.join('; ')}`);
    out.push(raw as Bundle);
  }
  if (!dir) cache = out;
  return out;
}

export async function bundleByKey(key: string): Promise<Bundle> {
  const b = (await loadBundles()).find((x) => x.key === key);
  if (!b) throw new AppError('NOT_FOUND', { 'zh-CN': `没有「${key}」这件事`, en: `No bundle ${key}` });
  return b;
}

interface Resolved {
  bundle: Bundle;
  members: Array<{ item: ItemVersion; form: FormVersion | null }>;
  merged: MergedForm | null;
  materials: Material[];
}

/** The members in force in `division`, their merged form and their deduplicated materials. */
export async function resolveBundle(core: Core, key: string, division: string): Promise<Resolved> {
  const bundle = await bundleByKey(key);
  const members = [];
  const missing: FieldError[] = [];
  for (const k of bundle.items) {
    try {
      const item = await resolveItem(core.db, { key: k, division });
      members.push({ item, form: await itemForm(core.db, item, division) });
    } catch (e) {
      if (!(e instanceof AppError) || (e.code !== 'NOT_FOUND' && e.code !== 'VERSION_WITHDRAWN')) throw e;
      missing.push({ pointer: `/items/${bundle.items.indexOf(k)}`, code: 'not-available', message: `事项「${k}」在区划 ${division} 不可办理` });
    }
  }
  if (missing.length) throw new AppError('NOT_FOUND', { 'zh-CN': `「${bundle.title['zh-CN']}」在区划 ${division} 暂不能一次办理`, en: `${bundle.key} is not available in ${division}` }, missing);
  const forms = [...new Map(members.filter((m) => m.form).map((m) => [m.form!.key, m.form!])).values()];
  const merged = forms.length ? mergeForms(forms) : null;
  const materials = new Map<string, Material>();
  for (const m of members) {
    for (const mat of m.item.materials) {
      const same = materials.get(mat.id) ?? [...materials.values()].find((x) => x.name === mat.name);
      if (!same) materials.set(mat.id, { ...mat, accept: [...mat.accept] });
      else {
        // One upload must satisfy every member: the stricter size, the types all of them accept.
        same.required ||= mat.required;
        same.maxBytes = Math.min(same.maxBytes || Infinity, mat.maxBytes || Infinity);
        if (same.accept.length && mat.accept.length) same.accept = same.accept.filter((a) => mat.accept.includes(a));
        else if (!same.accept.length) same.accept = [...mat.accept];
        if (same.licenseType !== mat.licenseType) delete same.licenseType;
      }
    }
  }
  return { bundle, members, merged, materials: [...materials.values()] };
}

export async function bundleView(core: Core, key: string, division: string) {
  const r = await resolveBundle(core, key, division);
  return {
    key: r.bundle.key, title: r.bundle.title, description: r.bundle.description ?? null, division,
    items: r.members.map((m) => ({ key: m.item.key, name: m.item.name, version: m.item.version, department: m.item.department, promisedDays: m.item.promisedDays, formKey: m.item.formKey })),
    form: r.merged ? { forms: r.merged.forms, schema: r.merged.schema, uiSchema: r.merged.uiSchema, mapping: r.merged.mapping } : null,
    materials: r.materials,
  };
}

export interface BundleInput {
  division: string;
  data: unknown;
  materials: MaterialInput[];
  idempotencyKey: string;
}

/** One submission → the parent and every child, all or nothing. */
export async function submitBundle(core: Core, caller: Caller, key: string, input: BundleInput) {
  const applicant = applicantOf(caller.principal);
  if (!applicant) throw new AppError('FORBIDDEN', { 'zh-CN': '只有个人或法人账号可以申请', en: 'Only a person or an enterprise account can apply' });
  const digest = digestOf({ bundle: key, ...input, applicant });
  return idempotent(core, caller.actor.id, input.idempotencyKey, digest, async () => {
    const r = await resolveBundle(core, key, input.division);
    const errors: FieldError[] = [];
    let parts: Record<string, Record<string, unknown>> = {};
    if (r.merged) {
      const v = await validateMerged(r.merged, input.data ?? {}, caller.lang);
      parts = v.data;
      errors.push(...v.errors.map((e) => ({ ...e, pointer: `/body${e.pointer}` })));
    }
    const m = await checkMaterials(core.db, r.materials, input.materials, caller.lang as Lang);
    errors.push(...m.errors);
    failIfErrors(errors);
    return core.db.transaction().execute(async (tx) => {
      const now = core.clock.now();
      const number = await nextCaseNumber(tx, { prefix: 'YN', division: input.division, at: now });
      const parent = await tx.insertInto('svc_application').values({
        number, parent_id: null, bundle_key: r.bundle.key, item_version_id: null, item_key: r.bundle.key, item_name: r.bundle.title['zh-CN'], department_code: null,
        division: input.division, handling_division: input.division, applicant, applicant_account: applicant.slice(5), submitted_by: caller.actor.id, channel: 'online',
        status: 'submitted', state: null, outcome: null, instance_id: null, idempotency_key: input.idempotencyKey, request_digest: digest,
        data: JSON.stringify(input.data ?? {}), materials: JSON.stringify(m.checked), result: null, submitted_at: now, updated_at: now, completed_at: null,
      }).returningAll().executeTakeFirstOrThrow();
      // Shared files belong to the bundle (a file has one owner); every child case refers to them.
      const ids: string[] = [];
      const pointers: string[] = [];
      m.checked.forEach((c, i) => c.fileIds.forEach((id, j) => { ids.push(id); pointers.push(`/body/materials/${i}/fileIds/${j}`); }));
      if (ids.length) await attachFiles(tx, caller.actor, ids, { type: BUNDLE_OWNER, id: parent.id, division: input.division }, { pointer: (i) => pointers[i]! });
      for (const member of r.members) {
        const own = new Set(member.item.materials.map((x) => x.id));
        const names = new Set(member.item.materials.map((x) => x.name));
        const prepared = { item: member.item, form: member.form, data: member.form ? (parts[member.form.key] ?? {}) : {}, materials: m.checked.filter((c) => own.has(c.materialId) || names.has(c.name)), errors: [] };
        await insertApplication(core, tx, caller, { prepared, division: input.division, handlingDivision: input.division, applicant, channel: 'online', idempotencyKey: null, digest: null, parentId: parent.id, bundleKey: r.bundle.key, attach: false });
      }
      await recordChange(tx, caller.actor, { action: 'services.bundle.submit', object: { type: 'services.application', id: parent.id }, division: input.division, detail: { number, bundle: r.bundle.key, items: r.bundle.items } },
        { type: 'services.application.submitted', payload: { id: parent.id, number, bundleKey: r.bundle.key, itemKey: r.bundle.key, itemName: r.bundle.title['zh-CN'], division: input.division, handlingDivision: input.division, applicant, channel: 'online', items: r.bundle.items } });
      await notifySubmitted(core, tx, parent);
      return parent;
    });
  });
}

export const BUNDLE_OWNER = 'services.application';

/** Files attached to a bundle parent: readable by whoever may see the bundle or one of its sub-cases. */
export function registerBundleFiles(): void {
  registerFileOwner(BUNDLE_OWNER, async (core, principal, ownerId) => {
    const rows = await core.db.selectFrom('svc_application').select(['applicant', 'division', 'handling_division']).where((eb) => eb.or([eb('id', '=', ownerId), eb('parent_id', '=', ownerId)])).execute();
    return rows.some((r) => maySeeApplication(principal, r) || staffMayRead(principal, r.handling_division));
  });
}
