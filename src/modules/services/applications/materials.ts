// Materials of an application: each one of the item's materials is uploaded (files whose sniffed
// type and size the material accepts) or, where the material names an e-license type, referenced
// by that license instead. Every problem is reported at once, at its pointer in the request body.
import type { Executor } from '../../../core/db/types.js';
import type { FieldError, Lang } from '../../../core/http/errors.js';
import { describeFiles } from '../../../platform/files/index.js';
import type { Material } from './catalog.js';

export interface MaterialInput {
  materialId: string;
  fileIds?: string[];
  license?: { type: string; id: string };
}

export interface CheckedMaterial {
  materialId: string;
  name: string;
  fileIds: string[];
  license: { type: string; id: string } | null;
}

const msg = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

function accepts(accept: string[], mime: string): boolean {
  if (!accept.length) return true;
  return accept.some((a) => a === mime || (a.endsWith('/*') && mime.startsWith(a.slice(0, -1))));
}

/**
 * Checks the submitted materials against the item's list. `at` is the pointer of the list in the
 * request (`/body/materials`); `uploader` is who must have uploaded the files (attachFiles checks it again).
 */
export async function checkMaterials(ex: Executor, materials: Material[], input: MaterialInput[], lang: Lang, at = '/body/materials'): Promise<{ checked: CheckedMaterial[]; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const byId = new Map(materials.map((m) => [m.id, m]));
  const seen = new Set<string>();
  const allIds = input.flatMap((m) => m.fileIds ?? []);
  const files = new Map((allIds.length ? await describeFiles(ex, allIds) : []).map((f) => [f.id, f]));
  const checked: CheckedMaterial[] = [];
  input.forEach((m, i) => {
    const p = `${at}/${i}`;
    const def = byId.get(m.materialId);
    if (!def) {
      errors.push({ pointer: `${p}/materialId`, code: 'unknown', message: msg(lang, `事项没有材料「${m.materialId}」`, `The item has no material ${m.materialId}`) });
      return;
    }
    if (seen.has(m.materialId)) {
      errors.push({ pointer: `${p}/materialId`, code: 'duplicate', message: msg(lang, `材料「${def.name}」重复提交`, `Material ${def.name} is listed twice`) });
      return;
    }
    seen.add(m.materialId);
    const ids = m.fileIds ?? [];
    if (m.license) {
      if (!def.licenseType || def.licenseType !== m.license.type) {
        errors.push({ pointer: `${p}/license/type`, code: 'license-not-allowed', message: msg(lang, `材料「${def.name}」不能用电子证照「${m.license.type}」代替`, `Material ${def.name} cannot be replaced by an e-license of type ${m.license.type}`) });
      }
      // GB/T 36904 identifier: 1.2.156.3005.2.<type>.<issuer>.<serial>.<3-digit version>.<check>;
      // the e-license service confirms the license itself, this only refuses what cannot be one.
      const shape = new RegExp(`^1\\.2\\.156\\.3005\\.2\\.${m.license.type.replace(/[^0-9A-Za-z]/g, '')}\\.[0-9A-Za-z]+\\.[0-9A-Za-z-]+\\.\\d{3}\\.[0-9A-Z]$`);
      if (!shape.test(m.license.id)) errors.push({ pointer: `${p}/license/id`, code: 'identifier', message: msg(lang, `材料「${def.name}」的电子证照标识不正确`, `The e-license identifier for ${def.name} is malformed`) });
      if (ids.length) errors.push({ pointer: `${p}/fileIds`, code: 'forbidden', message: msg(lang, `材料「${def.name}」已引用电子证照，无需再上传文件`, `Material ${def.name} references an e-license; do not upload files too`) });
    } else if (!ids.length) {
      errors.push({ pointer: p, code: 'required', message: msg(lang, `材料「${def.name}」须上传文件或引用电子证照`, `Material ${def.name} needs files or an e-license`) });
    }
    ids.forEach((id, j) => {
      const f = files.get(id);
      const fp = `${p}/fileIds/${j}`;
      if (!f || f.status === 'infected') errors.push({ pointer: fp, code: 'not-found', message: msg(lang, `材料「${def.name}」第 ${j + 1} 个文件不存在`, `File ${j + 1} of ${def.name} does not exist`) });
      else if (!accepts(def.accept, f.mime)) errors.push({ pointer: fp, code: 'file-type', message: msg(lang, `材料「${def.name}」第 ${j + 1} 个文件的类型 ${f.mime} 不符合要求（只接受 ${def.accept.join('、')}）`, `File ${j + 1} of ${def.name} is ${f.mime}; accepted: ${def.accept.join(', ')}`) });
      else if (def.maxBytes && Number(f.size) > def.maxBytes) errors.push({ pointer: fp, code: 'file-size', message: msg(lang, `材料「${def.name}」第 ${j + 1} 个文件超过 ${def.maxBytes} 字节`, `File ${j + 1} of ${def.name} is larger than ${def.maxBytes} bytes`) });
    });
    checked.push({ materialId: def.id, name: def.name, fileIds: ids, license: m.license ?? null });
  });
  for (const def of materials) {
    if (def.required && !seen.has(def.id)) {
      errors.push({ pointer: at, code: 'required', message: msg(lang, `缺少必交材料「${def.name}」`, `Required material ${def.name} is missing`) });
    }
  }
  return { checked, errors };
}
