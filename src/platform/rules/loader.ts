// Rule sets from configuration packs: a YAML (.yaml/.yml) or JSON file holding one rule set
// definition, checked exactly as on publish. Pointers in the errors are relative to the file.
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../core/http/errors.js';
import { ruleSetProblems } from './definition.js';
import type { Lang, RuleSetInput } from './types.js';

export async function loadRuleSetFile(file: string, lang: Lang = 'zh-CN'): Promise<RuleSetInput> {
  const text = await fs.readFile(file, 'utf8');
  const name = path.basename(file);
  let data: unknown;
  try {
    if (/\.ya?ml$/i.test(file)) {
      const { parse } = await import('yaml');
      data = parse(text);
    } else data = JSON.parse(text);
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    throw new AppError('DEFINITION_INVALID', { 'zh-CN': `规则文件 ${name} 无法解析：${why}`, en: `Cannot parse rule file ${name}: ${why}` }, [{ pointer: '', code: 'syntax', message: why ?? '' }]);
  }
  const problems = ruleSetProblems(data, lang, '');
  if (problems.length) {
    throw new AppError('DEFINITION_INVALID', { 'zh-CN': `规则文件 ${name} 不符合规范`, en: `Rule file ${name} is invalid` }, problems);
  }
  return data as RuleSetInput;
}
