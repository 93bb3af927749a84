// Everything about a submission that can be checked before writing: the item in force, the form
// data (every bad field), the materials (every bad file or license). Read-only, outside the
// transaction, so the write transaction stays short.
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { AppError, type FieldError, type Lang } from '../../../core/http/errors.js';
import { checkSubmission, formForSubmission, type FormVersion } from '../../../platform/forms/index.js';
import { getItemVersion, type ItemVersion } from './catalog.js';
import { checkMaterials, type CheckedMaterial, type MaterialInput } from './materials.js';

export interface Prepared {
  item: ItemVersion;
  form: FormVersion | null;
  data: Record<string, unknown>;
  materials: CheckedMaterial[];
  errors: FieldError[];
}

/** The item in force in `division` (VERSION_WITHDRAWN for a withdrawn version the client pinned). */
export async function resolveItem(ex: Executor, q: { key: string; division: string; version?: number }): Promise<ItemVersion> {
  const item = await getItemVersion(ex, q);
  if (!item) {
    throw new AppError('NOT_FOUND', { 'zh-CN': `区划 ${q.division} 没有可办理的事项「${q.key}」`, en: `No service item ${q.key} in force in ${q.division}` });
  }
  if (item.status === 'withdrawn') {
    throw new AppError('VERSION_WITHDRAWN', { 'zh-CN': `事项「${item.name}」第 ${item.version} 版已撤回，请按最新版本重新申请`, en: `Version ${item.version} of ${item.key} has been withdrawn` }, undefined, { itemKey: item.key, version: item.version });
  }
  return item;
}

/** The item's form as in force where the case is handled (a division may override its parent's form). */
export async function itemForm(ex: Executor, item: ItemVersion, division: string): Promise<FormVersion | null> {
  return item.formKey ? formForSubmission(ex, item.formKey, { division }) : null;
}

export async function prepare(core: Core, lang: Lang, q: { key: string; division: string; version?: number }, data: unknown, materials: MaterialInput[], at = '/body'): Promise<Prepared> {
  const item = await resolveItem(core.db, q);
  const form = await itemForm(core.db, item, q.division);
  const errors: FieldError[] = [];
  let clean: Record<string, unknown> = {};
  if (form) {
    const checked = await checkSubmission(form, data ?? {}, lang);
    clean = checked.data;
    errors.push(...checked.errors.map((e) => ({ ...e, pointer: `${at}${e.pointer}` })));
  } else if (data && typeof data === 'object' && !Array.isArray(data)) {
    clean = data as Record<string, unknown>;
  }
  const m = await checkMaterials(core.db, item.materials, materials, lang, `${at}/materials`);
  errors.push(...m.errors);
  return { item, form, data: clean, materials: m.checked, errors };
}

export function failIfErrors(errors: FieldError[]): void {
  if (errors.length) {
    throw new AppError('VALIDATION_FAILED', { 'zh-CN': `申请有 ${errors.length} 处需要修改`, en: `${errors.length} problems with the application` }, errors);
  }
}
