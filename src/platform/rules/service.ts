// Rule sets for administrators: publish (or save a draft), publish a draft, withdraw, read what
// applies in a division, and dry-run with given facts. One permission, rules:ruleset.manage,
// held in a division subtree: it lets an administrator define rule sets there and read the ones
// their divisions inherit. A rule set defined elsewhere (neither inside nor above the caller's
// subtrees) answers 404, as if it did not exist; one the caller inherits but may not change, 403.
import type { Core } from '../../core/index.js';
import type { Principal } from '../../core/http/auth.js';
import { scopesFor } from '../../core/http/auth.js';
import type { Actor } from '../../core/audit/record.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError } from '../../core/http/errors.js';
import { getDivision, isWithin } from '../../core/divisions/service.js';
import { validateDivisionCode } from '../../core/validators/index.js';
import { assertValidRuleSet, evaluate } from './engine.js';
import { divisionChain, findVersion, getRuleSet, insertRuleSet, listVersions, lockKey, lockVersion, nextVersion, setStatus } from './store.js';
import type { Evaluation, Lang, RuleSet, RuleSetInput } from './types.js';

export const MANAGE = 'rules:ruleset.manage';

/** The caller of a service function: who (for audit), with which grants, in which language. */
export interface Caller {
  principal: Principal;
  actor: Actor;
  lang: Lang;
}

const scopes = (p: Principal) => scopesFor(p, MANAGE);
const mayManage = (p: Principal, division: string) => scopes(p).some((s) => isWithin(division, s));
/** Inside a subtree of the caller, or above one (inherited by it). */
const mayRead = (p: Principal, division: string) => scopes(p).some((s) => isWithin(division, s) || isWithin(s, division));

const forbidden = (division: string) => new AppError('FORBIDDEN', { 'zh-CN': `您无权管理行政区划 ${division} 的规则`, en: `You may not manage rules of division ${division}` });
const notFound = (key: string) => new AppError('NOT_FOUND', { 'zh-CN': `规则集 ${key} 不存在`, en: `No rule set ${key}` });

async function canonicalDivision(core: Core, code: string): Promise<string> {
  const v = validateDivisionCode(code);
  if (!v.ok || !(await getDivision(core.db, v.canonical))) throw new AppError('DIVISION_NOT_FOUND', { 'zh-CN': `行政区划 ${code} 不存在`, en: `No division ${code}` });
  return v.canonical;
}

function event(rs: RuleSet) {
  return { id: rs.id, key: rs.key, version: rs.version, division: rs.division, status: rs.status };
}

/**
 * Stores a new version of a rule set in its division: published, or a draft when `draft` is true.
 * The definition is checked first and every problem is reported (DEFINITION_INVALID).
 */
export async function publishRuleSet(core: Core, caller: Caller, input: RuleSetInput): Promise<RuleSet> {
  assertValidRuleSet(input, caller.lang, '/body');
  const division = await canonicalDivision(core, input.division);
  if (!mayManage(caller.principal, division)) throw forbidden(division);
  const status = input.draft ? 'draft' : 'published';
  return core.db.transaction().execute(async (tx) => {
    // Versions are numbered per key: concurrent publishes of one key take turns.
    await lockKey(tx, input.key);
    const version = await nextVersion(tx, input.key);
    const rs = await insertRuleSet(tx, {
      key: input.key, version, division, status, title: input.title,
      body: { rules: input.rules, facts: input.facts, ...(input.description ? { description: input.description } : {}) },
      createdBy: caller.actor.id, at: core.clock.now(),
    });
    await recordChange(tx, caller.actor,
      { action: `rules.ruleset.${input.draft ? 'draft' : 'publish'}`, object: { type: 'rules_ruleset', id: rs.id }, division, detail: { key: rs.key, version, status } },
      { type: `rules.ruleset.${input.draft ? 'drafted' : 'published'}`, payload: event(rs) });
    return rs;
  });
}

/** The version if the caller may see it (404 otherwise) and change it (403 otherwise). */
async function manageable(core: Core, caller: Caller, key: string, version: number): Promise<RuleSet> {
  const rs = await findVersion(core.db, key, version);
  if (!rs || !mayRead(caller.principal, rs.division)) throw notFound(key);
  if (!mayManage(caller.principal, rs.division)) throw forbidden(rs.division);
  return rs;
}

async function transition(core: Core, caller: Caller, key: string, version: number, to: 'published' | 'withdrawn'): Promise<RuleSet> {
  await manageable(core, caller, key, version);
  return core.db.transaction().execute(async (tx) => {
    const current = (await lockVersion(tx, key, version))!;
    const allowed = to === 'published' ? current.status === 'draft' : current.status !== 'withdrawn';
    if (!allowed) {
      const m = to === 'published'
        ? { 'zh-CN': `第 ${version} 版不是草稿，不能发布`, en: `Version ${version} is not a draft` }
        : { 'zh-CN': `第 ${version} 版已撤回`, en: `Version ${version} is already withdrawn` };
      throw new AppError('INVALID_STATE', m);
    }
    const rs = await setStatus(tx, current.id, to, core.clock.now());
    const verb = to === 'published' ? 'publish' : 'withdraw';
    await recordChange(tx, caller.actor,
      { action: `rules.ruleset.${verb}`, object: { type: 'rules_ruleset', id: rs.id }, division: rs.division, detail: { key, version, from: current.status } },
      { type: `rules.ruleset.${to}`, payload: event(rs) });
    return rs;
  });
}

/** Publishes a draft version. */
export function publishDraft(core: Core, caller: Caller, key: string, version: number): Promise<RuleSet> {
  return transition(core, caller, key, version, 'published');
}

/** Withdraws a version: it no longer applies, and asking for it pinned answers VERSION_WITHDRAWN. */
export function withdrawRuleSet(core: Core, caller: Caller, key: string, version: number): Promise<RuleSet> {
  return transition(core, caller, key, version, 'withdrawn');
}

/** What applies in `division` (inherited if need be), or a named version (drafts included). */
export async function readRuleSet(core: Core, caller: Caller, key: string, opts: { division: string; version?: number }): Promise<RuleSet> {
  const division = await canonicalDivision(core, opts.division);
  if (!mayManage(caller.principal, division)) throw forbidden(division);
  return getRuleSet(core.db, key, { division, version: opts.version, includeDrafts: true });
}

/** Every version of `key` defined in `division` or above it, drafts and withdrawn ones included. */
export async function ruleSetVersions(core: Core, caller: Caller, key: string, divisionCode: string): Promise<RuleSet[]> {
  const division = await canonicalDivision(core, divisionCode);
  if (!mayManage(caller.principal, division)) throw forbidden(division);
  const list = await listVersions(core.db, key, divisionChain(division));
  if (list.length === 0) throw notFound(key);
  return list;
}

export interface DryRun {
  division: string;
  version?: number;
  /** Fact values by id; nothing else is consulted (no account, no registry). */
  facts: Record<string, unknown>;
  at?: Date;
}

/** Evaluates a rule set (a draft too) with the given facts only, for administrators testing it. */
export async function dryRun(core: Core, caller: Caller, key: string, input: DryRun): Promise<Evaluation & { ruleSet: Pick<RuleSet, 'id' | 'key' | 'version' | 'division' | 'status'> }> {
  const rs = await readRuleSet(core, caller, key, { division: input.division, version: input.version });
  const result = await evaluate(core, rs, { values: input.facts, valuesOnly: true, at: input.at ?? core.clock.now() }, caller.lang);
  return { ruleSet: { id: rs.id, key: rs.key, version: rs.version, division: rs.division, status: rs.status }, ...result };
}
