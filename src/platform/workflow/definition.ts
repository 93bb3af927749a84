// A workflow definition is data: states, actions, assignment, SLAs, escalation, countersign and
// sub-cases, validated here by JSON Schema (shape) and by checkDefinition (meaning: references
// resolve, one initial state, reachable states…). Departments publish these as JSON or YAML.
import fs from 'node:fs';
import { Type, type Static } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import type { FieldError } from '../../core/http/errors.js';

const Id = Type.String({ pattern: '^[a-z][a-z0-9_-]{0,63}$', description: '小写字母开头的标识 / lower-case identifier' });
const Text = Type.Object({ 'zh-CN': Type.String({ minLength: 1, maxLength: 200 }), en: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

/** A span of office time on the division's working calendar: exactly one of the two. */
export const Duration = Type.Union([
  Type.Object({ workingDays: Type.Integer({ minimum: 0, maximum: 3650 }) }, { additionalProperties: false }),
  Type.Object({ workingHours: Type.Number({ minimum: 0, maximum: 87600 }) }, { additionalProperties: false }),
]);
export type Duration = Static<typeof Duration>;

/**
 * Who gets the task: a role (optionally within one department, by code) in the case's division —
 * a shared queue, or one holder picked round-robin; a named person; or whoever handled an earlier state.
 */
export const Assignment = Type.Object({
  role: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  department: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** The department code is read from the case data at this JSON Pointer (e.g. the department a rating names). */
  departmentFrom: Type.Optional(Type.String({ pattern: '^(/[^/]+)+$' })),
  strategy: Type.Optional(Type.Union([Type.Literal('queue'), Type.Literal('round-robin')])),
  person: Type.Optional(Type.String({ format: 'uuid' })),
  previous: Type.Optional(Id),
}, { additionalProperties: false });
export type Assignment = Static<typeof Assignment>;

/** One rung of the escalation ladder, timed from the deadline it belongs to. */
export const EscalationStep = Type.Object({
  kind: Type.Union([Type.Literal('remind'), Type.Literal('urge'), Type.Literal('supervise'), Type.Literal('notice')], {
    description: 'remind 到期提醒 · urge 催办 · supervise 督办 · notice 通报',
  }),
  before: Type.Optional(Duration),
  after: Type.Optional(Duration),
  to: Type.Optional(Assignment),
}, { additionalProperties: false });
export type EscalationStep = Static<typeof EscalationStep>;

export const StateDef = Type.Object({
  id: Id,
  name: Text,
  kind: Type.Optional(Type.Union([Type.Literal('task'), Type.Literal('countersign'), Type.Literal('subcases'), Type.Literal('wait'), Type.Literal('final')])),
  assignment: Type.Optional(Assignment),
  sla: Type.Optional(Duration),
  escalation: Type.Optional(Type.Array(EscalationStep, { maxItems: 10 })),
  /** The overall clock stands still while a case is in this state (补正, awaiting an extension). */
  pausesClock: Type.Optional(Type.Boolean()),
  countersign: Type.Optional(Type.Object({
    mode: Type.Union([Type.Literal('all'), Type.Literal('any')]),
    quorum: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    assignees: Type.Array(Assignment, { minItems: 1, maxItems: 50 }),
  }, { additionalProperties: false })),
  subcases: Type.Optional(Type.Object({
    /** Fixed sub-cases, or `itemsFrom`: a JSON Pointer into the case data holding the same shape. */
    items: Type.Optional(Type.Array(Type.Object({
      definition: Type.String({ minLength: 1, maxLength: 64 }),
      division: Type.Optional(Type.String({ format: 'division-code' })),
      title: Type.Optional(Type.String({ maxLength: 200 })),
    }, { additionalProperties: false }), { minItems: 1, maxItems: 50 })),
    itemsFrom: Type.Optional(Type.String({ pattern: '^(/[^/]+)+$' })),
    join: Type.Union([Type.Literal('all'), Type.Literal('any')]),
    onJoin: Id,
  }, { additionalProperties: false })),
  outcome: Type.Optional(Type.Union([Type.Literal('approved'), Type.Literal('refused'), Type.Literal('withdrawn'), Type.Literal('completed'), Type.Literal('rejected')])),
}, { additionalProperties: false });
export type StateDef = Static<typeof StateDef>;

export const ActionDef = Type.Object({
  id: Id,
  name: Text,
  from: Type.Array(Id, { minItems: 1 }),
  to: Id,
  /** Role codes, or `applicant` (the person the case is for) and `system` (timers, joins). */
  roles: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1 }),
  requires: Type.Optional(Type.Object({
    comment: Type.Optional(Type.Boolean()),
    form: Type.Optional(Type.Object({ key: Type.String({ minLength: 1 }), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false })),
    fields: Type.Optional(Type.Array(Type.String({ pattern: '^(/[^/]+)+$' }))),
    attachments: Type.Optional(Type.Object({ min: Type.Optional(Type.Integer({ minimum: 0 })), max: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false })),
    rule: Type.Optional(Type.Object({ key: Type.Optional(Type.String({ minLength: 1 })), conditions: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: false })),
  }, { additionalProperties: false })),
  /** In a countersign state: this action casts a vote; the case moves when the quorum is decided. */
  vote: Type.Optional(Type.Union([Type.Literal('approve'), Type.Literal('reject')])),
  /** An approved extension: the overall deadline moves out by this much. */
  extend: Type.Optional(Duration),
}, { additionalProperties: false });
export type ActionDef = Static<typeof ActionDef>;

export const DefinitionSchema = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9.-]{1,63}$' }),
  title: Text,
  initial: Id,
  sla: Type.Optional(Duration),
  /**
   * A JSON Pointer into the case data holding the overall limit in working days (e.g. the service
   * item's promised days); `sla` is the fallback when the case carries none.
   */
  slaFromData: Type.Optional(Type.String({ pattern: '^(/[^/]+)+$' })),
  escalation: Type.Optional(Type.Array(EscalationStep, { maxItems: 10 })),
  states: Type.Array(StateDef, { minItems: 2, maxItems: 200 }),
  actions: Type.Array(ActionDef, { minItems: 1, maxItems: 500 }),
}, { additionalProperties: false });
export type Definition = Static<typeof DefinitionSchema>;

export const PSEUDO_ROLES = new Set(['applicant', 'system']);

let compiled: ReturnType<Ajv['compile']> | null = null;
function shapeValidator() {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, formats: { uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'division-code': /^\d{6}$/ } });
    compiled = ajv.compile(DefinitionSchema);
  }
  return compiled;
}

const err = (pointer: string, code: string, message: string): FieldError => ({ pointer, code, message });

/** Every problem with a definition, shape first, then meaning. Empty = publishable. */
export function checkDefinition(raw: unknown): FieldError[] {
  const validate = shapeValidator();
  if (!validate(raw)) {
    return (validate.errors ?? []).map((e) => err(`/definition${e.instancePath}`, e.keyword, `${e.instancePath || '定义'} ${e.message ?? ''}`.trim()));
  }
  const d = raw as Definition;
  const out: FieldError[] = [];
  const states = new Map<string, StateDef>();
  d.states.forEach((s, i) => {
    if (states.has(s.id)) out.push(err(`/definition/states/${i}/id`, 'duplicate', `状态「${s.id}」重复定义`));
    states.set(s.id, s);
  });
  const actions = new Set<string>();
  if (!states.has(d.initial)) out.push(err('/definition/initial', 'unknown-state', `初始状态「${d.initial}」未定义`));
  else if (kindOf(states.get(d.initial)!) === 'final') out.push(err('/definition/initial', 'final-initial', '初始状态不能是办结状态'));
  d.states.forEach((s, i) => {
    const at = `/definition/states/${i}`;
    const kind = kindOf(s);
    if (kind === 'countersign' && !s.countersign) out.push(err(`${at}/countersign`, 'required', `会签状态「${s.id}」缺少 countersign 配置`));
    if (kind !== 'countersign' && s.countersign) out.push(err(`${at}/kind`, 'kind', `状态「${s.id}」有 countersign 配置，kind 应为 countersign`));
    if (kind === 'subcases' && !s.subcases) out.push(err(`${at}/subcases`, 'required', `子件状态「${s.id}」缺少 subcases 配置`));
    if (s.subcases && !s.subcases.items && !s.subcases.itemsFrom) out.push(err(`${at}/subcases`, 'required', '子件须给出 items 或 itemsFrom'));
    if (kind === 'countersign' && s.countersign?.mode === 'any' && (s.countersign.quorum ?? 1) > s.countersign.assignees.length) {
      out.push(err(`${at}/countersign/quorum`, 'quorum', `会签通过人数 ${s.countersign.quorum} 超过会签人数 ${s.countersign.assignees.length}`));
    }
    if (kind === 'final' && (s.sla || s.assignment || s.escalation)) out.push(err(at, 'final', `办结状态「${s.id}」不能设置时限、分派或督办`));
    if (kind === 'task' && !s.assignment) out.push(err(`${at}/assignment`, 'required', `办理状态「${s.id}」须指定分派（assignment）`));
    [s.assignment, ...(s.countersign?.assignees ?? []), ...(s.escalation ?? []).map((e) => e.to)].forEach((a) => {
      if (!a) return;
      const ways = [a.role, a.person, a.previous].filter((x) => x !== undefined).length;
      if (ways !== 1) out.push(err(`${at}/assignment`, 'assignment', `状态「${s.id}」的分派须且只能指定 role、person、previous 之一`));
      if (a.previous && !states.has(a.previous) && !d.states.some((x) => x.id === a.previous)) out.push(err(`${at}/assignment/previous`, 'unknown-state', `分派引用的状态「${a.previous}」未定义`));
      if (a.departmentFrom && a.department) out.push(err(`${at}/assignment/departmentFrom`, 'assignment', '分派不能同时指定 department 和 departmentFrom'));
      if (a.departmentFrom && !a.role) out.push(err(`${at}/assignment/departmentFrom`, 'assignment', 'departmentFrom 只适用于按角色分派'));
      if (a.strategy && !a.role) out.push(err(`${at}/assignment/strategy`, 'assignment', '轮派（strategy）只适用于按角色分派'));
    });
    (s.escalation ?? []).forEach((e, j) => checkStep(e, `${at}/escalation/${j}`, s.sla !== undefined, out));
  });
  if (d.slaFromData && !d.sla) out.push(err('/definition/sla', 'required', 'slaFromData 需同时给出默认时限 sla（办件数据中没有时限时使用）'));
  (d.escalation ?? []).forEach((e, j) => checkStep(e, `/definition/escalation/${j}`, d.sla !== undefined, out));
  d.actions.forEach((a, i) => {
    const at = `/definition/actions/${i}`;
    if (actions.has(a.id)) out.push(err(`${at}/id`, 'duplicate', `操作「${a.id}」重复定义`));
    actions.add(a.id);
    a.from.forEach((f, j) => { if (!states.has(f)) out.push(err(`${at}/from/${j}`, 'unknown-state', `操作「${a.id}」的起始状态「${f}」未定义`)); });
    if (!states.has(a.to)) out.push(err(`${at}/to`, 'unknown-state', `操作「${a.id}」的目标状态「${a.to}」未定义`));
    if (a.vote && !a.from.every((f) => states.get(f) && kindOf(states.get(f)!) === 'countersign')) out.push(err(`${at}/vote`, 'vote', `投票操作「${a.id}」只能用于会签状态`));
    if (a.requires?.rule && !a.requires.rule.key && !a.requires.rule.conditions) out.push(err(`${at}/requires/rule`, 'required', '规则须给出 key 或 conditions'));
  });
  d.states.forEach((s, i) => {
    if (s.subcases && !d.actions.some((a) => a.id === s.subcases!.onJoin && a.from.includes(s.id))) {
      out.push(err(`/definition/states/${i}/subcases/onJoin`, 'unknown-action', `汇合操作「${s.subcases.onJoin}」未定义或不能从「${s.id}」执行`));
    }
    if (kindOf(s) !== 'final' && !d.actions.some((a) => a.from.includes(s.id))) out.push(err(`/definition/states/${i}`, 'dead-end', `状态「${s.id}」不是办结状态，却没有任何操作可以离开`));
  });
  // Every state must be reachable from the initial one, or it is a typo waiting to happen.
  const seen = new Set([d.initial]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const a of d.actions) if (a.from.some((f) => seen.has(f)) && !seen.has(a.to)) { seen.add(a.to); grew = true; }
  }
  d.states.forEach((s, i) => { if (!seen.has(s.id)) out.push(err(`/definition/states/${i}`, 'unreachable', `状态「${s.id}」从初始状态无法到达`)); });
  if (!d.states.some((s) => kindOf(s) === 'final')) out.push(err('/definition/states', 'no-final', '至少需要一个办结状态（kind: final）'));
  return out;
}

function checkStep(e: EscalationStep, at: string, hasSla: boolean, out: FieldError[]): void {
  if (!hasSla) out.push(err(at, 'no-sla', '没有时限的状态不能设置督办阶梯'));
  if ((e.before ? 1 : 0) + (e.after ? 1 : 0) !== 1) out.push(err(at, 'timing', '督办步骤须且只能指定 before 或 after 之一'));
  if (e.kind === 'remind' && e.after) out.push(err(at, 'timing', '到期提醒应在期限之前（before）'));
  if (e.kind === 'supervise' && !e.to) out.push(err(`${at}/to`, 'required', '督办须指定督办人（to）'));
}

export function kindOf(s: StateDef): NonNullable<StateDef['kind']> {
  return s.kind ?? (s.countersign ? 'countersign' : s.subcases ? 'subcases' : s.outcome ? 'final' : 'task');
}

export function stateOf(d: Definition, id: string): StateDef {
  const s = d.states.find((x) => x.id === id);
  if (!s) throw new Error(`state ${id} not in definition ${d.key}`);
  return s;
}

/** Load a definition from a .json, .yaml or .yml file (packs ship them). */
export async function loadDefinitionFile(file: string): Promise<unknown> {
  const text = fs.readFileSync(file, 'utf8');
  if (/\.ya?ml$/i.test(file)) {
    const { parse } = await import('yaml');
    return parse(text);
  }
  return JSON.parse(text);
}
