// Explanations a resident or a clerk can read: for every condition that made a rule fail, which
// fact, its actual value, the operator in words and the expected value —
//   「申请人年龄」为 17，要求不小于 18
//   "Applicant age" is 17 but must be at least 18
// Groups: a failed `all` lists each failed member as its own sentence; a failed `any` says that
// none of the alternatives held and lists them; `not` is pushed down to the conditions (De
// Morgan), so "must not be X" reads as "要求不等于 X" instead of a double negative.
// json-rules-engine leaves `result`, `factResult` and `valueResult` on each evaluated condition of
// a RuleResult; conditions it skipped (a later priority set after the outcome was decided) carry
// no result and are not mentioned.
import { maskResidentId } from '../../core/validators/index.js';
import { ageOf, civilDate } from './operators.js';
import type { FactLabel, FactRef, Lang } from './types.js';

export interface EvaluatedCondition {
  all?: EvaluatedCondition[];
  any?: EvaluatedCondition[];
  not?: EvaluatedCondition;
  fact?: string;
  operator?: string;
  value?: unknown;
  result?: boolean;
  factResult?: unknown;
  valueResult?: unknown;
}

export interface ExplainContext {
  lang: Lang;
  at: Date;
  label(fact: string): FactLabel | undefined;
  divisionName(code: string): string | undefined;
}

const ID_SHAPE = /^\d{17}[\dXx]$/;
const COMPLEMENT: Record<string, string> = {
  equal: 'notEqual', notEqual: 'equal', in: 'notIn', notIn: 'in', contains: 'doesNotContain', doesNotContain: 'contains',
  lessThan: 'greaterThanInclusive', greaterThanInclusive: 'lessThan', lessThanInclusive: 'greaterThan', greaterThan: 'lessThanInclusive',
  ageAtLeast: 'ageBelow', ageBelow: 'ageAtLeast',
};

export const isFactRef = (v: unknown): v is FactRef =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as FactRef).fact === 'string';

export function explainer(ctx: ExplainContext) {
  const zh = ctx.lang === 'zh-CN';
  const list = (items: string[]) => (items.length ? items.join(zh ? '、' : ', ') : zh ? '（空）' : '(empty)');
  const name = (fact: string) => ctx.label(fact)?.[ctx.lang] ?? fact;
  const division = (code: unknown) => {
    const n = typeof code === 'string' ? ctx.divisionName(code) : undefined;
    return n ? (zh ? `${n}（${String(code)}）` : `${String(code)} (${n})`) : String(code);
  };

  function scalar(fact: string, v: unknown): string {
    if (v === null || v === undefined) return zh ? '空' : 'empty';
    if (Array.isArray(v)) return list(v.map((x) => scalar(fact, x)));
    const named = ctx.label(fact)?.values?.[String(v)];
    if (named) return named[ctx.lang];
    if (typeof v === 'boolean') return zh ? (v ? '是' : '否') : v ? 'yes' : 'no';
    if (typeof v === 'string') return ID_SHAPE.test(v) ? maskResidentId(v) : v;
    if (v instanceof Date) return civilDate(v) ?? String(v);
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }

  function actual(c: EvaluatedCondition): string {
    const v = c.factResult;
    if (c.operator === 'inDivision' && typeof v === 'string') return division(v);
    if (c.operator === 'ageAtLeast' || c.operator === 'ageBelow') {
      const age = ageOf(v, ctx.at);
      const base = scalar(c.fact!, v);
      if (age === null) return zh ? `${base}（无法确定出生日期）` : `${base} (no date of birth in it)`;
      return zh ? `${base}（${age} 周岁）` : `${base} (age ${age})`;
    }
    return scalar(c.fact!, v);
  }

  function expected(c: EvaluatedCondition): string {
    if (isFactRef(c.value)) {
      const ref = c.value.fact;
      const shown = c.valueResult === undefined ? (zh ? '未提供' : 'not provided') : scalar(ref, c.valueResult);
      return zh ? `「${name(ref)}」（${shown}）` : `"${name(ref)}" (${shown})`;
    }
    if (c.operator === 'inDivision') return list((Array.isArray(c.value) ? c.value : [c.value]).map(division));
    return scalar(c.fact!, c.value);
  }

  function phrase(c: EvaluatedCondition, op: string, negated: boolean): string {
    if (negated && COMPLEMENT[op]) return phrase(c, COMPLEMENT[op]!, false);
    const x = expected(c);
    const many = Array.isArray(c.value) && c.value.length > 1;
    const atDay = civilDate(ctx.at)!;
    const words: Record<string, [string, string]> = {
      equal: [`等于 ${x}`, `be ${x}`],
      notEqual: [`不等于 ${x}`, `not be ${x}`],
      lessThan: [`小于 ${x}`, `be less than ${x}`],
      lessThanInclusive: [`不大于 ${x}`, `be at most ${x}`],
      greaterThan: [`大于 ${x}`, `be greater than ${x}`],
      greaterThanInclusive: [`不小于 ${x}`, `be at least ${x}`],
      in: [`为以下之一：${x}`, `be one of: ${x}`],
      notIn: [`不为以下任何一项：${x}`, `be none of: ${x}`],
      contains: [`包含 ${x}`, `contain ${x}`],
      doesNotContain: [`不包含 ${x}`, `not contain ${x}`],
      inDivision: [many ? `属于以下行政区划之一：${x}` : `属于${x}`, many ? `lie within one of: ${x}` : `lie within ${x}`],
      ageAtLeast: [`年满 ${x} 周岁`, `show an age of at least ${x}`],
      ageBelow: [`未满 ${x} 周岁`, `show an age under ${x}`],
      withinDays: [`在 ${atDay} 前 ${x} 日以内`, `fall within the ${x} days up to ${atDay}`],
      matches: [`符合格式 ${x}`, `match the pattern ${x}`],
    };
    const [raw, pe] = words[op] ?? [`${op} ${x}`, `${op} ${x}`];
    // No space between a Chinese word and a 「quoted fact」.
    const pz = raw.replace(/ 「/g, '「');
    if (!negated) return zh ? pz : pe;
    return zh ? `不${pz}` : `not ${pe}`;
  }

  function sentence(c: EvaluatedCondition, negated: boolean): string {
    const p = phrase(c, c.operator!, negated);
    const n = name(c.fact!);
    if (c.factResult === undefined) return zh ? `「${n}」未提供，要求${p}` : `"${n}" was not provided but must ${p}`;
    return zh ? `「${n}」为 ${actual(c)}，要求${p}` : `"${n}" is ${actual(c)} but must ${p}`;
  }

  function alternatives(children: EvaluatedCondition[], negated: boolean): string {
    const items = children.map((c, i) => {
      const parts = failed(c, negated).join(zh ? '，且' : ' and ');
      return zh ? `（${i + 1}）${parts}` : `(${i + 1}) ${parts}`;
    });
    return zh ? `以下条件均未满足，需至少满足其中一项：${items.join('；')}` : `None of these alternatives held (at least one is required): ${items.join('; ')}`;
  }

  /**
   * Sentences for a condition that came out wrong: false when `negated` is false, true when it is
   * true (it sits under an odd number of `not`s).
   */
  function failed(c: EvaluatedCondition, negated = false): string[] {
    if (c.not) return failed(c.not, !negated);
    if (c.all) {
      // all false → its false members; all true under not → "at least one must not hold"
      return negated ? [alternatives(c.all, true)] : c.all.filter((x) => x.result === false).flatMap((x) => failed(x, false));
    }
    if (c.any) {
      // any false → none of the alternatives; any true under not → each member that held
      return negated ? c.any.filter((x) => x.result === true).flatMap((x) => failed(x, true)) : [alternatives(c.any, false)];
    }
    return [sentence(c, negated)];
  }

  return { failed };
}

/** Division codes an explanation may name (inDivision values and facts), to look up at once. */
export function divisionCodes(c: EvaluatedCondition, out = new Set<string>()): Set<string> {
  for (const x of c.all ?? c.any ?? (c.not ? [c.not] : [])) divisionCodes(x, out);
  if (c.operator === 'inDivision') {
    for (const v of [c.factResult, ...(Array.isArray(c.value) ? c.value : [c.value])]) if (typeof v === 'string') out.add(v);
  }
  return out;
}
