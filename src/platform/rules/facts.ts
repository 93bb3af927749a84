// Where fact values come from. A fact id is `<source>.<path>`: `applicant.age`, `case.amount`,
// `registry.household.size`. Each source is a provider registered under its prefix; the engine
// asks a provider only for the facts that the rules reference, and only when a condition that
// uses the fact is actually evaluated (json-rules-engine skips conditions after a decided
// priority set). One evaluation shares one FactContext, so a provider that needs a database read
// for several facts (the applicant's account) does it once.
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { FactInput, FactLabel, RegistrySubject } from './types.js';

export interface FactContext {
  core?: Core;
  /** Where to read: the caller's transaction if it gave one, else the pool. */
  db?: Executor;
  input: FactInput;
  /** The evaluation date. */
  at: Date;
  /** Runs `load` once per evaluation for `key` and shares its promise. */
  once<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/** Returns the value of `<prefix>.<path...>` (undefined when there is none). */
export type FactProvider = (path: string[], ctx: FactContext) => unknown;

export interface ProviderOptions {
  /** Default labels for facts of this source, used when a rule set (or inline rule) gives none. */
  labels?: Record<string, FactLabel>;
}

interface Registered {
  provide: FactProvider;
  labels: Record<string, FactLabel>;
}

export const FACT_ID = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9_-]+)+$/;
const PREFIX = /^[a-z][A-Za-z0-9]*$/;
const providers = new Map<string, Registered>();

/** Adds (or replaces) the provider of the facts `<prefix>.*`. */
export function registerFactProvider(prefix: string, provide: FactProvider, opts: ProviderOptions = {}): void {
  if (!PREFIX.test(prefix)) throw new Error(`fact provider prefix must be a lower-case word, got ${JSON.stringify(prefix)}`);
  providers.set(prefix, { provide, labels: opts.labels ?? {} });
}

export function hasFactProvider(prefix: string): boolean {
  return providers.has(prefix);
}

export function factPrefix(factId: string): string {
  return factId.split('.')[0]!;
}

/** A provider's default label for a fact, if it has one. */
export function defaultFactLabel(factId: string): FactLabel | undefined {
  return providers.get(factPrefix(factId))?.labels[factId];
}

export function newFactContext(input: FactInput): FactContext {
  const memo = new Map<string, Promise<unknown>>();
  return {
    core: input.core,
    db: input.ex ?? input.core?.db,
    input,
    at: input.at ?? input.core?.clock.now() ?? new Date(),
    once<T>(key: string, load: () => Promise<T>): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) memo.set(key, (p = load()));
      return p;
    },
  };
}

/** The value of one fact: a given value first, then its source's provider. */
export async function resolveFact(factId: string, ctx: FactContext): Promise<unknown> {
  const values = ctx.input.values;
  if (values && Object.prototype.hasOwnProperty.call(values, factId)) return values[factId];
  if (ctx.input.valuesOnly) return undefined;
  const [prefix, ...path] = factId.split('.');
  const p = providers.get(prefix!);
  return p ? p.provide(path, ctx) : undefined;
}

/** `a.b.c` inside a plain object, own properties only (no prototype walking). */
export function walk(obj: unknown, path: string[]): unknown {
  let v: unknown = obj;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

// ------------------------------------------------------------------------------------ case.*

registerFactProvider('case', (path, ctx) => walk(ctx.input.case, path));

// -------------------------------------------------------------------------------- registry.*

/**
 * A base registry (户籍, 婚姻登记, 社保, 市场主体…) answering for one subject. The real ones are
 * adapters to the data-sharing exchange; `MemoryRegistry` serves tests and demos.
 */
export interface BaseRegistry {
  lookup(subject: RegistrySubject, ctx: FactContext): Promise<Record<string, unknown> | null> | Record<string, unknown> | null;
}

const registries = new Map<string, BaseRegistry>();

/** Makes `registry.<name>.<field>` facts available. */
export function registerBaseRegistry(name: string, registry: BaseRegistry): void {
  if (!PREFIX.test(name)) throw new Error(`registry name must be a word, got ${JSON.stringify(name)}`);
  registries.set(name, registry);
}

/** Records keyed by resident ID number or credit code. */
export class MemoryRegistry implements BaseRegistry {
  private readonly records = new Map<string, Record<string, unknown>>();
  /** How many look-ups were made (for tests of laziness and caching). */
  lookups = 0;
  constructor(records: Record<string, Record<string, unknown>> = {}) {
    for (const [k, v] of Object.entries(records)) this.records.set(k, v);
  }
  set(subjectKey: string, record: Record<string, unknown>): void {
    this.records.set(subjectKey, record);
  }
  lookup(subject: RegistrySubject): Record<string, unknown> | null {
    this.lookups += 1;
    return (subject.idNumber && this.records.get(subject.idNumber)) || (subject.uscc && this.records.get(subject.uscc)) || null;
  }
}

/** Set by the applicant provider: the subject of the applicant (needs their account). */
let applicantSubject: ((ctx: FactContext) => Promise<RegistrySubject | null>) | null = null;
export function setApplicantSubject(fn: (ctx: FactContext) => Promise<RegistrySubject | null>): void {
  applicantSubject = fn;
}

registerFactProvider('registry', async ([name, ...path], ctx) => {
  const registry = name ? registries.get(name) : undefined;
  if (!registry || path.length === 0) return undefined;
  const record = await ctx.once(`registry:${name}`, async () => {
    const subject = ctx.input.subject ?? (applicantSubject ? await applicantSubject(ctx) : null);
    return subject ? await registry.lookup(subject, ctx) : null;
  });
  return walk(record, path);
});
