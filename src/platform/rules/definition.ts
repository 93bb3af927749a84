// Checking a rule set before it is stored: a JSON Schema (2020-12 subset, ajv) for the shape, then
// the checks a schema cannot express — every fact has a known source and a label in zh-CN and
// en, each operator gets a value it can use, rule names are unique. Every problem is reported at
// once with a JSON Pointer, so an administrator fixes a rule set in one round.
import { Ajv, type ValidateFunction } from 'ajv';
import { fieldErrors } from '../../core/http/validation.js';
import type { FieldError } from '../../core/http/errors.js';
import { formats, validateDivisionCode } from '../../core/validators/index.js';
import { FACT_ID, factPrefix, hasFactProvider } from './facts.js';
import { isFactRef } from './explain.js';
import { compilePattern } from './operators.js';
import { OPERATORS, type Condition, type Lang, type RuleDefinition } from './types.js';

export const RULESET_KEY = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
const MAX_DEPTH = 8;
const MAX_CONDITIONS = 500;

const localized = {
  type: 'object', required: ['zh-CN', 'en'], additionalProperties: false,
  properties: { 'zh-CN': { type: 'string', minLength: 1, maxLength: 200 }, en: { type: 'string', minLength: 1, maxLength: 200 } },
};
const priority = { type: 'integer', minimum: 1, maximum: 1000 };

/** The JSON Schema of a rule set (also published in the README and usable by editors). */
export const RULESET_SCHEMA = {
  $id: 'https://yunling.example/schemas/rules/ruleset.json',
  type: 'object',
  required: ['key', 'division', 'title', 'rules', 'facts'],
  additionalProperties: false,
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 100, pattern: RULESET_KEY.source },
    division: { type: 'string', format: 'division-code' },
    title: localized,
    description: { ...localized, properties: { 'zh-CN': { type: 'string', maxLength: 2000 }, en: { type: 'string', maxLength: 2000 } } },
    draft: { type: 'boolean' },
    rules: { type: 'array', minItems: 1, maxItems: 100, items: { $ref: '#/$defs/rule' } },
    facts: {
      type: 'object', maxProperties: 200,
      propertyNames: { pattern: FACT_ID.source, maxLength: 100 },
      additionalProperties: {
        type: 'object', required: ['zh-CN', 'en'], additionalProperties: false,
        properties: { ...localized.properties, values: { type: 'object', maxProperties: 100, additionalProperties: localized } },
      },
    },
  },
  $defs: {
    rule: {
      type: 'object', required: ['name', 'conditions', 'event'], additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 100 },
        priority,
        required: { type: 'boolean' },
        conditions: { $ref: '#/$defs/group' },
        event: {
          type: 'object', required: ['type'], additionalProperties: false,
          properties: { type: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z][A-Za-z0-9_.:-]*$' }, params: { type: 'object' } },
        },
      },
    },
    // if/then on the distinguishing key (instead of oneOf) so that an error names the real problem.
    group: {
      type: 'object',
      if: { required: ['all'] }, then: { $ref: '#/$defs/all' },
      else: { if: { required: ['any'] }, then: { $ref: '#/$defs/any' }, else: { $ref: '#/$defs/not' } },
    },
    condition: {
      type: 'object',
      if: { anyOf: [{ required: ['all'] }, { required: ['any'] }, { required: ['not'] }] }, then: { $ref: '#/$defs/group' }, else: { $ref: '#/$defs/leaf' },
    },
    all: { type: 'object', required: ['all'], additionalProperties: false, properties: { all: { type: 'array', minItems: 1, maxItems: 100, items: { $ref: '#/$defs/condition' } }, priority } },
    any: { type: 'object', required: ['any'], additionalProperties: false, properties: { any: { type: 'array', minItems: 1, maxItems: 100, items: { $ref: '#/$defs/condition' } }, priority } },
    not: { type: 'object', required: ['not'], additionalProperties: false, properties: { not: { $ref: '#/$defs/condition' }, priority } },
    leaf: {
      type: 'object', required: ['fact', 'operator', 'value'], additionalProperties: false,
      properties: {
        fact: { type: 'string', maxLength: 100, pattern: FACT_ID.source },
        operator: { type: 'string', enum: [...OPERATORS] },
        value: {},
        priority,
      },
    },
  },
} as const;

let compiled: { ruleSet: ValidateFunction; group: ValidateFunction } | null = null;
function validators() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, formats });
    ajv.addSchema(RULESET_SCHEMA);
    compiled = { ruleSet: ajv.getSchema(RULESET_SCHEMA.$id)!, group: ajv.compile({ $ref: `${RULESET_SCHEMA.$id}#/$defs/group` }) };
  }
  return compiled;
}

type Msg = [zh: string, en: string];
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)[+*{]/;
const SCALAR = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** What is wrong with the value of a leaf for its operator, or null. */
function valueProblem(operator: string, value: unknown): Msg | null {
  const ref = isFactRef(value);
  switch (operator) {
    case 'equal':
    case 'notEqual':
      return SCALAR(value) || ref ? null : ['应为文本、数字、是/否或 {"fact": …}', 'must be a string, number, boolean or {"fact": …}'];
    case 'lessThan':
    case 'lessThanInclusive':
    case 'greaterThan':
    case 'greaterThanInclusive':
      return typeof value === 'number' || ref ? null : ['应为数字或 {"fact": …}', 'must be a number or {"fact": …}'];
    case 'in':
    case 'notIn':
      return (Array.isArray(value) && value.length > 0 && value.every(SCALAR)) || ref ? null : ['应为非空的取值列表', 'must be a non-empty list of values'];
    case 'contains':
    case 'doesNotContain':
      return SCALAR(value) || ref ? null : ['应为单个取值', 'must be a single value'];
    case 'inDivision': {
      const list = Array.isArray(value) ? value : [value];
      return list.length > 0 && list.every((c) => typeof c === 'string' && validateDivisionCode(c).ok)
        ? null : ['应为行政区划代码或其列表', 'must be a division code or a list of them'];
    }
    case 'ageAtLeast':
    case 'ageBelow':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 150 ? null : ['应为 0–150 的整数（周岁）', 'must be a whole number of years, 0–150'];
    case 'withinDays':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 36500 ? null : ['应为非负整数（天数）', 'must be a whole number of days, 0 or more'];
    case 'matches': {
      if (typeof value !== 'string' || value.length === 0 || value.length > 200) return ['应为 1–200 个字符的正则表达式', 'must be a regular expression of 1–200 characters'];
      try {
        compilePattern(value);
      } catch {
        return ['不是有效的正则表达式', 'is not a valid regular expression'];
      }
      // A repeated group that itself repeats ((a+)+, (\d*)*) can backtrack for minutes on a
      // crafted input from an applicant; such patterns can always be written without nesting.
      return NESTED_QUANTIFIER.test(value) ? ['不能使用嵌套重复（如 (a+)+），请改写', 'must not nest repetitions such as (a+)+; rewrite it'] : null;
    }
    default:
      return null;
  }
}

interface Walk {
  lang: Lang;
  errors: FieldError[];
  /** Fact id → pointer of its first use. */
  used: Map<string, string>;
  count: number;
}

function push(w: Walk, pointer: string, code: string, m: Msg): void {
  w.errors.push({ pointer, code, message: w.lang === 'en' ? m[1] : m[0] });
}

function useFact(w: Walk, fact: string, pointer: string): void {
  if (!hasFactProvider(factPrefix(fact))) push(w, pointer, 'source', [`事实「${fact}」的来源 ${factPrefix(fact)} 未注册`, `fact ${fact} has no registered source ${factPrefix(fact)}`]);
  else if (!w.used.has(fact)) w.used.set(fact, pointer);
}

// Tolerant of malformed input (the schema reports that), so that the checks below still find
// every problem they can in the same round.
function walkCondition(w: Walk, c: Condition, pointer: string, depth: number): void {
  if (c === null || typeof c !== 'object') return;
  if (depth > MAX_DEPTH) return push(w, pointer, 'depth', [`条件嵌套不能超过 ${MAX_DEPTH} 层`, `conditions may nest at most ${MAX_DEPTH} deep`]);
  if ('all' in c) return Array.isArray(c.all) ? c.all.forEach((x, i) => walkCondition(w, x, `${pointer}/all/${i}`, depth + 1)) : undefined;
  if ('any' in c) return Array.isArray(c.any) ? c.any.forEach((x, i) => walkCondition(w, x, `${pointer}/any/${i}`, depth + 1)) : undefined;
  if ('not' in c) return walkCondition(w, c.not, `${pointer}/not`, depth + 1);
  if (++w.count === MAX_CONDITIONS + 1) push(w, pointer, 'size', [`条件总数不能超过 ${MAX_CONDITIONS} 个`, `at most ${MAX_CONDITIONS} conditions`]);
  if (typeof c.fact === 'string' && FACT_ID.test(c.fact)) useFact(w, c.fact, `${pointer}/fact`);
  if (!(OPERATORS as readonly string[]).includes(c.operator) || !('value' in c)) return;
  const problem = valueProblem(c.operator, c.value);
  if (problem) push(w, `${pointer}/value`, 'value', problem);
  else if (isFactRef(c.value)) {
    if (!FACT_ID.test(c.value.fact)) push(w, `${pointer}/value/fact`, 'pattern', ['不是有效的事实名称', 'is not a valid fact name']);
    else useFact(w, c.value.fact, `${pointer}/value/fact`);
  }
}

const escape = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Every problem of a rule set definition (`{ key, division, title, rules, facts, … }`), with
 * pointers under `base` ('/body' for a request, '' for a file). Empty when it is valid.
 */
export function ruleSetProblems(input: unknown, lang: Lang, base = ''): FieldError[] {
  const v = validators().ruleSet;
  const errors = v(input) ? [] : fieldErrors(v.errors ?? [], undefined, lang).map((e) => ({ ...e, pointer: base + e.pointer }));
  if (input === null || typeof input !== 'object') return errors;
  const def = input as { rules?: unknown; facts?: unknown };
  const labels = def.facts !== null && typeof def.facts === 'object' ? (def.facts as Record<string, unknown>) : {};
  const w: Walk = { lang, errors: [], used: new Map(), count: 0 };
  const names = new Set<string>();
  (Array.isArray(def.rules) ? (def.rules as RuleDefinition[]) : []).forEach((r, i) => {
    if (r === null || typeof r !== 'object') return;
    if (typeof r.name === 'string' && names.has(r.name)) push(w, `${base}/rules/${i}/name`, 'unique', [`规则名称 ${r.name} 重复`, `rule name ${r.name} is used twice`]);
    names.add(r.name);
    walkCondition(w, r.conditions, `${base}/rules/${i}/conditions`, 1);
  });
  for (const fact of w.used.keys()) {
    if (!Object.prototype.hasOwnProperty.call(labels, fact)) {
      push(w, `${base}/facts/${escape(fact)}`, 'required', [`请为事实「${fact}」提供中英文名称`, `give fact ${fact} a label in zh-CN and en`]);
    }
  }
  return merge(errors, w.errors);
}

/** Schema errors first, then the other checks' errors that say something new. */
function merge(schema: FieldError[], more: FieldError[]): FieldError[] {
  const seen = new Set(schema.map((e) => e.pointer));
  return [...schema, ...more.filter((e) => !seen.has(e.pointer))];
}

/**
 * Problems of conditions embedded elsewhere (a workflow action's rule): the same checks, except
 * that labels may come from the fact sources' defaults (or the fact id is shown).
 */
export function inlineConditionProblems(conditions: unknown, lang: Lang, base = ''): FieldError[] {
  const v = validators().group;
  const errors = v(conditions) ? [] : fieldErrors(v.errors ?? [], undefined, lang).map((e) => ({ ...e, pointer: base + e.pointer }));
  const w: Walk = { lang, errors: [], used: new Map(), count: 0 };
  walkCondition(w, conditions as Condition, base, 1);
  return merge(errors, w.errors);
}

/** Facts the rules refer to (conditions and fact-valued comparisons). */
export function referencedFacts(rules: { conditions: Condition }[]): Set<string> {
  const out = new Set<string>();
  const visit = (c: Condition) => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else {
      out.add(c.fact);
      if (isFactRef(c.value)) out.add(c.value.fact);
    }
  };
  rules.forEach((r) => visit(r.conditions));
  return out;
}
