/*
 * BPMN 2.0 import: the subset of a Flowable / Camunda / Activiti process that means the same thing
 * in our engine becomes a workflow definition; everything else is refused by name, never dropped.
 *
 * Mapping (one process per file; ids become `^[a-z][a-z0-9_-]{0,63}$`: lower-cased, other
 * characters → `_`, leading non-letters dropped, `_2`, `_3`… on collision, in reading order):
 * - startEvent (plain): the initial state is the one state it leads to; if it leads nowhere
 *   useful (straight to an end, or to a choice) the start becomes a `wait` state left by `system`.
 * - userTask → `task` state named by its name (zh-CN). Assignment: `assignee` that is an account
 *   uuid → person, else the first of `candidateGroups` → role (flowable:, camunda: or activiti:
 *   attributes). A parallel multi-instance task whose candidateGroups list several groups → a
 *   `countersign` state (mode all; `${nrOfCompletedInstances >= n}` → any with quorum n).
 * - sequenceFlow out of a state → an action to the state it reaches (through exclusive gateways
 *   and intermediate timers). The action is named by the nearest named flow (id: its ASCII name,
 *   else its id); roles are the candidate groups of the states it leaves (`system` if none).
 *   Paths through a shared gateway flow merge into one action from several states.
 * - exclusiveGateway: each outgoing flow is a choice the handler makes; conditions are not
 *   executed (reported as warnings).
 * - parallelGateway fork → join whose branches are single user tasks (no timers) → a `countersign` state
 *   (mode all, an assignee per branch); any other parallel shape is refused. Actions out of a
 *   countersign vote: flows named 通过/同意/批准/approve… approve, 不予/驳回/拒绝/不通过/refuse… reject.
 * - boundary timerEvent (timeDuration P3D / PT4H) on a user task → the state's `sla` (days →
 *   workingDays, hours → workingHours: BPMN counts calendar time, we count office time); if the
 *   boundary has outgoing flows, an `urge` step at the deadline instead of the timed transition
 *   (warning). Intermediate timer catch events are passed through (warning).
 * - endEvent (plain or terminate) → `final` state; outcome refused when named 不予/驳回/拒绝/refuse…,
 *   approved when named 通过/批准/approve…, else completed.
 * - Anything else (service/script/manual tasks, sub-processes, call activities, message or signal
 *   events, inclusive gateways…) → DEFINITION_INVALID with a FieldError at `/bpmn/<elementId>`.
 * The result must pass checkDefinition, or its problems are returned as DEFINITION_INVALID.
 */
import { AppError, type FieldError } from '../../core/http/errors.js';
import { checkDefinition, type Assignment, type Definition, type Duration, type StateDef } from './definition.js';

/** The parts of a bpmn-moddle element we read (moddle builds these objects dynamically). */
interface El {
  $type: string;
  id: string;
  name?: string;
  $attrs?: Record<string, string>;
  rootElements?: El[];
  flowElements?: El[];
  sourceRef?: El;
  targetRef?: El;
  attachedToRef?: El;
  eventDefinitions?: El[];
  timeDuration?: { body?: string };
  loopCharacteristics?: El;
  isSequential?: boolean;
  completionCondition?: { body?: string };
  conditionExpression?: { body?: string };
}
interface Moddle { fromXML(xml: string): Promise<{ rootElement: El; warnings: Array<{ message: string }> }> }

let moddle: Promise<Moddle> | null = null;
function bpmnModdle(): Promise<Moddle> {
  // bpmn-moddle ships no types for its main entry (only for `bpmn-moddle/types`), hence the cast.
  moddle ??= (import('bpmn-moddle' as string) as Promise<{ BpmnModdle: new () => Moddle }>).then((m) => new m.BpmnModdle());
  return moddle;
}

const EXT_NS = new Set(['http://flowable.org/bpmn', 'http://camunda.org/schema/1.0/bpmn', 'http://activiti.org/bpmn']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFUSE = /不予|驳回|拒绝|不通过|不同意|不批准|否决|退回|refus|reject|deny|declin/i;
const APPROVE = /通过|批准|同意|准予|approv|agree|accept/i;
const TIMER = 'bpmn:TimerEventDefinition';

export interface BpmnImport { definition: Definition; warnings: string[] }

const invalid = (errors: FieldError[]) => new AppError('DEFINITION_INVALID', { 'zh-CN': `BPMN 文件有 ${errors.length} 处不能导入`, en: `${errors.length} problems in the BPMN file` }, errors);
const clean = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
const label = (el: El) => `${el.$type.replace('bpmn:', '')}${clean(el.name) ? `「${clean(el.name)}」（${el.id}）` : ` ${el.id}`}`;

function slug(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^[^a-z]+/, '').replace(/_+$/, '').slice(0, 64);
}
function unique(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base.slice(0, 64 - String(n).length - 1)}_${n}`;
  used.add(id);
  return id;
}

export function parseDuration(raw: string): Duration | null {
  const d = /^P(\d+)D$/i.exec(raw);
  if (d) return { workingDays: Number(d[1]) };
  const h = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+)M)?$/i.exec(raw);
  if (h && (h[1] || h[2])) return { workingHours: Math.round((Number(h[1] ?? 0) + Number(h[2] ?? 0) / 60) * 100) / 100 };
  return null;
}

/** A BPMN 2.0 XML document → a definition (not yet published) and what did not carry over. */
export async function bpmnToDefinition(xml: string, opts: { key: string; title?: { 'zh-CN': string; en?: string } }): Promise<BpmnImport> {
  if (!xml.trim()) throw invalid([{ pointer: '/bpmn', code: 'required', message: 'BPMN 内容为空 / the BPMN document is empty' }]);
  let parsed: Awaited<ReturnType<Moddle['fromXML']>>;
  try {
    parsed = await (await bpmnModdle()).fromXML(xml);
  } catch (e) {
    throw invalid([{ pointer: '/bpmn', code: 'xml', message: `不是有效的 BPMN 2.0 XML / not valid BPMN 2.0 XML: ${clean((e as Error).message)}` }]);
  }
  const root = parsed.rootElement;
  const processes = (root.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process' && e.flowElements?.length);
  if (processes.length !== 1) {
    throw invalid(processes.length ? processes.slice(1).map((p) => ({ pointer: `/bpmn/${p.id}`, code: 'process', message: `一次只能导入一个流程（泳池），多出 ${label(p)}` }))
      : [{ pointer: '/bpmn', code: 'process', message: '文件中没有流程（bpmn:process） / no process in the file' }]);
  }
  const prefixes = Object.entries(root.$attrs ?? {}).filter(([k, v]) => k.startsWith('xmlns:') && EXT_NS.has(v)).map(([k]) => k.slice(6));
  const im = new Importer(processes[0]!, prefixes.length ? prefixes : ['flowable', 'camunda', 'activiti']);
  im.warnings.push(...parsed.warnings.map((w) => `XML: ${clean(w.message)}`));
  const definition = im.run(opts);
  const problems = checkDefinition(definition);
  if (problems.length) throw new AppError('DEFINITION_INVALID', { 'zh-CN': `导入后的流程定义有 ${problems.length} 处问题`, en: `${problems.length} problems in the imported definition` }, problems);
  return { definition, warnings: im.warnings };
}

interface Block { fork: El; join: El; branches: El[] }
interface ActionDraft { naming: El; from: string[]; to: string; vote?: 'approve' | 'reject' }

class Importer {
  readonly warnings: string[] = [];
  private readonly errors: FieldError[] = [];
  private readonly out = new Map<string, El[]>();
  private readonly timers = new Map<string, El[]>();
  private readonly blocks = new Map<string, Block>();
  private readonly inBlock = new Set<string>();
  private readonly visited = new Set<string>();
  private readonly warned = new Set<string>();
  /** Anchors (elements that become states) by BPMN id, in the order they were reached. */
  private readonly states = new Map<string, StateDef>();
  private readonly roles = new Map<string, string[]>();
  private readonly stateIds = new Set<string>();
  private readonly actions = new Map<string, ActionDraft>();
  private readonly queue: El[] = [];
  /** Flows a walk may still take: gateway ladders multiply paths, and the file comes from outside. */
  private budget = 20_000;
  /** Elements already reported: each is named once, and walks pass over it. */
  private readonly refused = new Set<string>();

  constructor(private readonly proc: El, private readonly prefixes: string[]) {}

  private fail(el: El, code: string, message: string): void {
    if (!this.refused.has(el.id)) this.errors.push({ pointer: `/bpmn/${el.id}`, code, message });
    this.refused.add(el.id);
  }
  private warn(key: string, message: string): void { if (!this.warned.has(key)) { this.warned.add(key); this.warnings.push(message); } }
  private ext(el: El | undefined, local: string): string | undefined {
    for (const p of this.prefixes) { const v = el?.$attrs?.[`${p}:${local}`]; if (v !== undefined) return v.trim(); }
    return undefined;
  }
  private outOf(id: string): El[] { return this.out.get(id) ?? []; }

  run(opts: { key: string; title?: { 'zh-CN': string; en?: string } }): Definition {
    const starts = this.classify();
    for (const el of this.proc.flowElements!) if (el.$type === 'bpmn:ParallelGateway' && this.outOf(el.id).length > 1) this.fork(el);
    if (starts.length !== 1) {
      this.errors.push({ pointer: '/bpmn', code: 'start', message: `流程须有且只有一个开始事件，现有 ${starts.length} 个` });
      throw invalid(this.errors);
    }
    // Refused elements do not stop the walk, so one answer lists every problem in the file.
    const start = starts[0]!;
    this.visited.add(start.id);
    const first = this.follow(this.outOf(start.id));
    let initial: string;
    if (first.length === 1 && first[0]!.target.$type !== 'bpmn:EndEvent') initial = this.anchor(first[0]!.target);
    else {
      initial = this.addState(start, { id: '', name: { 'zh-CN': clean(start.name) || '待开始' }, kind: 'wait' }, []);
      this.warn('start', `开始事件 ${label(start)} 之后没有唯一的办理环节：导入为等待状态「${initial}」，由系统执行后续操作`);
      first.forEach((p) => this.addAction(start, p, false));
    }
    while (this.queue.length) {
      const el = this.queue.shift()!;
      const block = this.blocks.get(el.id);
      const paths = this.follow(this.outOf(block ? block.join.id : el.id));
      if (el.$type === 'bpmn:UserTask' && paths.length > 1 && this.outOf(el.id).length > 1 && this.outOf(el.id).every((f) => !f.conditionExpression)) {
        this.warn(`split:${el.id}`, `${label(el)} 有多条无条件的流出顺序流（BPMN 中意为并行）：导入为由办理人选择其一`);
      }
      paths.forEach((p) => this.addAction(el, p, paths.length === 1));
    }
    if (this.errors.length) throw invalid(this.errors);
    for (const el of this.proc.flowElements!) {
      if (['bpmn:SequenceFlow', 'bpmn:BoundaryEvent'].includes(el.$type) || el.$type.startsWith('bpmn:Data') || this.visited.has(el.id)) continue;
      this.warn(`drop:${el.id}`, `${label(el)} 无法从开始事件经顺序流到达，未导入`);
    }
    const all = [...this.states.values()];
    return {
      key: opts.key,
      title: opts.title ?? { 'zh-CN': clean(this.proc.name) || opts.key },
      initial,
      states: [...all.filter((s) => s.kind !== 'final'), ...all.filter((s) => s.kind === 'final')],
      actions: this.buildActions(),
    };
  }

  /** Index the flows and timers; refuse every element outside the subset, by name. */
  private classify(): El[] {
    const starts: El[] = [];
    for (const el of this.proc.flowElements!) {
      const defs = el.eventDefinitions ?? [];
      switch (el.$type) {
        case 'bpmn:SequenceFlow':
          if (!el.sourceRef || !el.targetRef) this.fail(el, 'flow', `顺序流 ${el.id} 缺少起点或终点`);
          else this.out.set(el.sourceRef.id, [...this.outOf(el.sourceRef.id), el]);
          break;
        case 'bpmn:StartEvent':
          if (defs.length) this.fail(el, 'unsupported', `不支持带事件定义（${defs.map((d) => d.$type.replace('bpmn:', '')).join('、')}）的开始事件 ${label(el)}`);
          starts.push(el);
          break;
        case 'bpmn:EndEvent':
          if (defs.some((d) => d.$type !== 'bpmn:TerminateEventDefinition')) this.fail(el, 'unsupported', `不支持带消息、错误或信号的结束事件 ${label(el)}`);
          break;
        case 'bpmn:UserTask': case 'bpmn:ExclusiveGateway': case 'bpmn:ParallelGateway':
          break;
        case 'bpmn:BoundaryEvent':
          if (defs.length !== 1 || defs[0]!.$type !== TIMER || el.attachedToRef?.$type !== 'bpmn:UserTask') this.fail(el, 'unsupported', `只支持用户任务上的定时边界事件，不支持 ${label(el)}`);
          else this.timers.set(el.attachedToRef.id, [...(this.timers.get(el.attachedToRef.id) ?? []), el]);
          break;
        case 'bpmn:IntermediateCatchEvent':
          if (defs.length !== 1 || defs[0]!.$type !== TIMER) this.fail(el, 'unsupported', `只支持定时中间事件，不支持 ${label(el)}`);
          break;
        default:
          if (el.$type.startsWith('bpmn:Data')) this.warn(`data:${el.id}`, `数据对象 ${label(el)} 未导入（流程数据由表单定义）`);
          else this.fail(el, 'unsupported', `不支持的 BPMN 元素 ${label(el)}：只能导入用户任务、排他/并行网关、定时事件、开始和结束事件`);
      }
    }
    return starts;
  }

  /** A parallel fork is importable only as fork → one user task per branch → one join. */
  private fork(fork: El): void {
    const branches: El[] = [];
    let join: El | undefined;
    let ok = true;
    for (const f of this.outOf(fork.id)) {
      const t = f.targetRef!;
      const next = this.outOf(t.id);
      const j = next.length === 1 ? next[0]!.targetRef! : undefined;
      if (t.$type !== 'bpmn:UserTask' || t.loopCharacteristics || this.timers.has(t.id) || j?.$type !== 'bpmn:ParallelGateway' || (join && j !== join)) ok = false;
      else { join = j; branches.push(t); }
    }
    const incoming = join ? this.proc.flowElements!.filter((e) => e.$type === 'bpmn:SequenceFlow' && e.targetRef === join).length : 0;
    if (!ok || !join || incoming !== branches.length || this.outOf(join.id).length !== 1) {
      this.fail(fork, 'parallel', `并行网关 ${label(fork)} 只能导入为会签：每个分支须恰好是一个（无定时器的）用户任务，并汇合到同一个只有一条流出的并行网关`);
      return;
    }
    this.blocks.set(fork.id, { fork, join, branches });
    [join, ...branches].forEach((e) => this.inBlock.add(e.id));
  }

  /** From some flows to the states they reach, through exclusive gateways and timers. */
  private follow(flows: El[], trail: El[] = [], gateways: string[] = []): Array<{ flows: El[]; target: El }> {
    const found: Array<{ flows: El[]; target: El }> = [];
    for (const f of flows) {
      if (--this.budget < 0 || gateways.length > 50) {
        throw invalid([...this.errors, { pointer: '/bpmn', code: 'too-complex', message: '网关嵌套或分支过多，无法导入 / too many gateway paths to import' }]);
      }
      const t = f.targetRef!;
      const path = [...trail, f];
      this.visited.add(t.id);
      if (this.refused.has(t.id)) continue;
      if (this.inBlock.has(t.id)) this.fail(t, 'parallel', `${label(t)} 属于并行会签，只能从其并行网关进入`);
      else if (t.$type === 'bpmn:UserTask' || t.$type === 'bpmn:EndEvent' || this.blocks.has(t.id)) found.push({ flows: path, target: t });
      else if (t.$type === 'bpmn:ExclusiveGateway' || t.$type === 'bpmn:IntermediateCatchEvent') {
        if (gateways.includes(t.id)) { this.fail(t, 'cycle', `${label(t)} 处的网关之间形成了没有办理环节的循环`); continue; }
        if (!this.outOf(t.id).length) { this.fail(t, 'dead-end', `${label(t)} 没有流出的顺序流`); continue; }
        if (t.$type === 'bpmn:IntermediateCatchEvent') {
          this.warn(`timer:${t.id}`, `定时中间事件 ${label(t)}（${t.eventDefinitions![0]!.timeDuration?.body ?? ''}）不会等待：导入后可直接执行后续操作`);
        }
        found.push(...this.follow(this.outOf(t.id), path, [...gateways, t.id]));
      } else this.fail(t, 'flow', `顺序流 ${f.id} 指向了 ${label(t)}，不能导入`);
    }
    return found;
  }

  private addState(el: El, s: StateDef, roles: string[]): string {
    s.id = unique(slug(el.id) || 'state', this.stateIds);
    this.states.set(el.id, s);
    this.roles.set(el.id, roles);
    return s.id;
  }

  /** The state for a task, end or parallel block, created (and queued) the first time it is reached. */
  private anchor(el: El): string {
    const known = this.states.get(el.id);
    if (known) return known.id;
    const block = this.blocks.get(el.id);
    if (el.$type === 'bpmn:EndEvent') {
      const name = clean(el.name);
      return this.addState(el, { id: '', name: { 'zh-CN': name || '办结' }, kind: 'final', outcome: REFUSE.test(name) ? 'refused' : APPROVE.test(name) ? 'approved' : 'completed' }, []);
    }
    let id: string;
    if (block) {
      const who = block.branches.map((b) => this.assignee(b, false));
      [block.join, ...block.branches].forEach((b) => this.visited.add(b.id));
      id = this.addState(el, {
        id: '', name: { 'zh-CN': clean(el.name) || `会签：${block.branches.map((b) => clean(b.name) || b.id).join('、')}`.slice(0, 200) }, kind: 'countersign',
        countersign: { mode: 'all', assignees: who.map((w) => w.assignment!).filter(Boolean) },
      }, [...new Set(who.flatMap((w) => w.groups.slice(0, 1)))]);
    } else id = this.taskState(el);
    this.queue.push(el);
    return id;
  }

  /** Who a user task goes to: an account uuid as assignee, else its first candidate group. */
  private assignee(task: El, multi: boolean): { assignment?: Assignment; groups: string[] } {
    const groups = (this.ext(task, 'candidateGroups') ?? '').split(',').map((g) => g.trim()).filter(Boolean);
    const who = this.ext(task, 'assignee');
    if (groups.some((g) => g.includes('${') || g.includes('#{'))) this.fail(task, 'assignment', `${label(task)} 的候选组是表达式，不能导入：请写角色编码`);
    if (who && !UUID.test(who)) this.warn(`who:${task.id}`, `${label(task)} 的办理人「${who}」不是账号 uuid，已忽略`);
    if (!multi && groups.length > 1) this.warn(`groups:${task.id}`, `${label(task)} 有多个候选组，只取第一个「${groups[0]}」作为角色`);
    if (this.ext(task, 'formKey')) this.warn(`form:${task.id}`, `${label(task)} 的表单（formKey ${this.ext(task, 'formKey')}）未导入，请在操作的 requires.form 中配置`);
    const assignment: Assignment | undefined = who && UUID.test(who) ? { person: who.toLowerCase() } : groups[0] ? { role: groups[0] } : undefined;
    if (!assignment && !multi) this.fail(task, 'assignment', `${label(task)} 须指定 candidateGroups（角色编码）或 assignee（账号 uuid）`);
    return { assignment, groups };
  }

  private taskState(task: El): string {
    const loop = task.loopCharacteristics;
    const { assignment, groups } = this.assignee(task, !!loop);
    const s: StateDef = { id: '', name: { 'zh-CN': clean(task.name) || task.id }, kind: 'task', assignment };
    let roles = groups.slice(0, 1);
    if (loop) {
      if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics' || loop.isSequential) this.fail(task, 'loop', `${label(task)}：只支持并行多实例（会签），不支持循环或串行多实例`);
      else if (groups.length < 2) this.fail(task, 'countersign', `${label(task)}：并行多实例须在 candidateGroups 中列出两个以上会签角色（按集合动态生成的会签不能导入）`);
      else {
        roles = groups;
        delete s.assignment;
        s.kind = 'countersign';
        s.countersign = { mode: 'all', assignees: groups.map((role) => ({ role })) };
        const cond = loop.completionCondition?.body?.replace(/\s+/g, '') ?? '';
        const m = /^[$#]\{nrOfCompletedInstances(>=|>)(\d+)\}$/.exec(cond);
        const ratio = /^[$#]\{nrOfCompletedInstances\/nrOfInstances(>=)(0?\.\d+|1(?:\.0+)?)\}$/.exec(cond);
        const quorum = m ? Number(m[2]) + (m[1] === '>' ? 1 : 0) : ratio ? Math.ceil(Number(ratio[2]) * groups.length) : groups.length;
        if (cond && !m && !ratio && !/^[$#]\{nrOfCompletedInstances(==|>=)nrOfInstances\}$/.test(cond)) this.warn(`cond:${task.id}`, `${label(task)} 的完成条件 ${cond} 无法识别，按全部通过（all）导入`);
        if (quorum < groups.length) s.countersign = { mode: 'any', quorum: Math.max(quorum, 1), assignees: s.countersign.assignees };
      }
    }
    this.applyTimers(task, s);
    return this.addState(task, s, roles);
  }

  private applyTimers(task: El, s: StateDef): void {
    for (const be of this.timers.get(task.id) ?? []) {
      this.visited.add(be.id);
      const raw = be.eventDefinitions![0]!.timeDuration?.body?.trim();
      const d = raw ? parseDuration(raw) : null;
      if (!d || s.sla) {
        this.warn(`sla:${be.id}`, `定时边界事件 ${label(be)}：${s.sla ? '任务已有时限，未导入' : `只支持形如 P3D、PT4H 的 timeDuration，${raw ?? 'timeDate/timeCycle'} 未导入`}`);
        continue;
      }
      s.sla = d;
      this.warn(`sla:${be.id}`, `定时边界事件 ${label(be)} 的 ${raw} 导入为 ${'workingDays' in d ? `${d.workingDays} 个工作日` : `${d.workingHours} 个工作小时`}的办理时限`);
      if (this.outOf(be.id).length) {
        s.escalation = [{ kind: 'urge', after: 'workingDays' in d ? { workingDays: 0 } : { workingHours: 0 } }];
        this.warn(`esc:${be.id}`, `定时边界事件 ${label(be)} 的超时流转改为到期催办（urge）：超时不会自动转到 ${this.outOf(be.id).map((f) => label(f.targetRef!)).join('、')}`);
      }
    }
  }

  private addAction(from: El, path: { flows: El[]; target: El }, only: boolean): void {
    const to = this.anchor(path.target);
    const last = path.flows[path.flows.length - 1]!;
    const naming = [...path.flows].reverse().find((f) => clean(f.name)) ?? last;
    for (const f of path.flows) {
      const cond = f.conditionExpression?.body?.trim();
      if (cond) this.warn(`cond:${f.id}`, `顺序流 ${f.id}${clean(f.name) ? `「${clean(f.name)}」` : ''} 的条件 ${cond} 不会执行：由办理人选择操作`);
    }
    const fromState = this.states.get(from.id)!;
    const voting = fromState.kind === 'countersign';
    const key = `${voting ? 'cs' : 'task'}:${naming.id}>${last.id}`;
    const existing = this.actions.get(key);
    if (existing) { if (!existing.from.includes(fromState.id)) existing.from.push(fromState.id); return; }
    const draft: ActionDraft = { naming, from: [fromState.id], to };
    if (voting) {
      const name = clean(naming.name);
      draft.vote = REFUSE.test(name) ? 'reject' : APPROVE.test(name) || only ? 'approve' : undefined;
      if (!draft.vote) this.fail(naming, 'vote', `会签 ${label(from)} 之后的顺序流 ${naming.id} 须命名为「通过」「不通过」等，以确定投票含义`);
    }
    this.actions.set(key, draft);
  }

  private buildActions(): Definition['actions'] {
    const used = new Set<string>();
    const roleOf = new Map([...this.states].map(([el, s]) => [s.id, this.roles.get(el)!]));
    const byId = new Map([...this.states.values()].map((s) => [s.id, s]));
    return [...this.actions.values()].map((a) => {
      const name = clean(a.naming.name);
      const roles = [...new Set(a.from.flatMap((f) => roleOf.get(f) ?? []))];
      if (!roles.length && a.from.some((f) => byId.get(f)!.kind !== 'wait')) this.warn(`roles:${a.naming.id}`, `操作「${name || a.naming.id}」的起始环节没有候选组，只能由系统（system）执行`);
      return {
        id: unique(slug(name) || slug(a.naming.id) || 'action', used),
        name: { 'zh-CN': name || `转至「${byId.get(a.to)!.name['zh-CN']}」`.slice(0, 200) },
        from: a.from, to: a.to, roles: roles.length ? roles : ['system'],
        ...(a.vote ? { vote: a.vote } : {}),
      };
    });
  }
}
