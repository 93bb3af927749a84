// Forms as data: a pack ships a form as a JSON or YAML file holding what POST /api/forms takes —
// key, division, title {zh-CN, en}, schema, uiSchema. YAML reads 530000 as a number; it is
// taken as the division code it means.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { AppError } from '../../core/http/errors.js';
import { checkDefinition, type FormDefinition } from './definition.js';
import type { Lang } from './types.js';

/** Reads and checks a form file; DEFINITION_INVALID (naming the file) lists every problem. */
export async function loadFormFile(file: string, lang: Lang = 'zh-CN'): Promise<FormDefinition> {
  const name = path.basename(file);
  const invalid = (zh: string, en: string, errors: Array<{ pointer: string; code: string; message: string }>) =>
    new AppError('DEFINITION_INVALID', { 'zh-CN': zh, en }, errors);
  const ext = path.extname(file).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(ext)) {
    throw invalid(`表单文件 ${name} 应为 .json、.yaml 或 .yml`, `Form file ${name} must be .json, .yaml or .yml`, []);
  }
  const text = await readFile(file, 'utf8');
  let doc: unknown;
  try {
    doc = ext === '.json' ? JSON.parse(text) : parse(text, { prettyErrors: true });
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!;
    throw invalid(`无法解析表单文件 ${name}：${msg}`, `Cannot parse form file ${name}: ${msg}`, [{ pointer: '', code: 'syntax', message: msg }]);
  }
  const { problems, definition } = checkDefinition(doc, lang);
  if (!definition) throw invalid(`表单文件 ${name} 有 ${problems.length} 处问题`, `Form file ${name} has ${problems.length} problem(s)`, problems);
  return definition;
}
