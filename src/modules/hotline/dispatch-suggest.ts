// 派单建议: configured rules first (category prefix → unit, most specific division and longest
// prefix win), then a naive-Bayes classifier trained on the division's past orders that a unit
// actually answered. Suggestions are limited to units the dispatcher may dispatch to.
import { createHash } from 'node:crypto';

import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';

import { scopesFor } from '../../core/http/auth.js';
import { isWithin, scopePrefix } from '../../core/divisions/service.js';
import { assertMayIn, DISPATCH, orderNotFound, type Caller } from './access.js';
import { rank, train } from './bayes.js';
import { categories } from './catalog.js';
import { badFields } from './runner.js';
import { tokens } from './text.js';
import { divisionChain } from './time-limits.js';
import { loadOrder } from './views.js';

const TRAINING_LIMIT = 20_000;
const features = (o: { title: string; content: string; category_code: string }) => [...tokens(`${o.title} ${o.content}`), `cat:${o.category_code}`, `cat:${o.category_code.slice(0, 4)}`, `cat:${o.category_code.slice(0, 2)}`];

/** Answered orders of a subtree, newest first: the unit that replied is the right one. */
async function trainingSet(core: Core, division: string) {
  return core.db.selectFrom('hotline_order').select(['id', 'title', 'content', 'category_code', 'unit_department_id'])
    .where('division', 'like', `${scopePrefix(division)}%`).where('replied_at', 'is not', null).where('unit_department_id', 'is not', null)
    .orderBy('created_at', 'desc').limit(TRAINING_LIMIT).execute();
}

export async function suggestUnits(core: Core, caller: Caller, orderId: string) {
  const o = await loadOrder(core.db, orderId);
  if (!o || !scopesFor(caller.principal, DISPATCH).some((s) => isWithin(o.division, s))) throw orderNotFound();
  const allowed = async (ids: string[]) => {
    if (!ids.length) return new Map<string, { name: string; division: string }>();
    const rows = await core.db.selectFrom('department').select(['id', 'name', 'division']).where('id', 'in', ids).execute();
    return new Map(rows.filter((d) => scopesFor(caller.principal, DISPATCH).some((s) => isWithin(d.division, s))).map((d) => [d.id, d]));
  };
  const chain = divisionChain(o.division);
  const rules = (await core.db.selectFrom('hotline_dispatch_rule').selectAll().where('division', 'in', chain).execute())
    .filter((r) => o.category_code.startsWith(r.category_prefix))
    .sort((a, b) => chain.indexOf(a.division) - chain.indexOf(b.division) || b.category_prefix.length - a.category_prefix.length);
  const model = train((await trainingSet(core, chain[chain.length - 2] ?? o.division)).map((r) => ({ features: features(r), label: r.unit_department_id! })));
  const ranked = rank(model, features(o));
  const depts = await allowed([...rules.map((r) => r.department_id), ...ranked.map((r) => r.label)]);
  const items: Array<{ departmentId: string; name: string; source: 'rule' | 'model'; probability: number | null }> = [];
  for (const r of rules) if (depts.has(r.department_id) && !items.some((i) => i.departmentId === r.department_id)) items.push({ departmentId: r.department_id, name: depts.get(r.department_id)!.name, source: 'rule', probability: null });
  for (const r of ranked) if (depts.has(r.label) && !items.some((i) => i.departmentId === r.label)) items.push({ departmentId: r.label, name: depts.get(r.label)!.name, source: 'model', probability: Math.round(r.probability * 1000) / 1000 });
  return { items: items.slice(0, 5), trainedOn: model.docs };
}

/** Held-out accuracy: a deterministic 1-in-5 split by order id; top-1 and top-3. */
export async function dispatchAccuracy(core: Core, division: string, holdoutEvery = 5) {
  const rows = await trainingSet(core, division);
  const held = (id: string) => createHash('sha256').update(id).digest()[0]! % holdoutEvery === 0;
  const model = train(rows.filter((r) => !held(r.id)).map((r) => ({ features: features(r), label: r.unit_department_id! })));
  const test = rows.filter((r) => held(r.id));
  let top1 = 0;
  let top3 = 0;
  for (const r of test) {
    const ranked = rank(model, features(r)).map((x) => x.label);
    if (ranked[0] === r.unit_department_id) top1++;
    if (ranked.slice(0, 3).includes(r.unit_department_id!)) top3++;
  }
  return { division, trained: model.docs, tested: test.length, top1: test.length ? top1 / test.length : null, top3: test.length ? top3 / test.length : null };
}

export async function setDispatchRule(core: Core, caller: Caller, input: { division: string; categoryPrefix: string; departmentId: string }) {
  const errors = [];
  const cat = (await categories()).get(String(input.categoryPrefix ?? ''));
  if (!cat) errors.push({ pointer: '/body/categoryPrefix', code: 'unknown', message: '诉求分类不存在' });
  const dept = typeof input.departmentId === 'string' && /^[0-9a-f-]{36}$/i.test(input.departmentId) ? await core.db.selectFrom('department').select(['id', 'division']).where('id', '=', input.departmentId).executeTakeFirst() : undefined;
  if (!dept) errors.push({ pointer: '/body/departmentId', code: 'unknown', message: '承办单位不存在' });
  if (!/^\d{6}$/.test(String(input.division ?? ''))) errors.push({ pointer: '/body/division', code: 'format', message: '须为6位行政区划代码' });
  if (errors.length) throw badFields(errors);
  assertMayIn(caller.principal, 'hotline:config.manage', input.division);
  if (!isWithin(dept!.division, input.division) && !divisionChain(input.division).includes(dept!.division)) throw badFields([{ pointer: '/body/departmentId', code: 'out-of-division', message: '承办单位须在该区划或其上级' }]);
  await core.db.transaction().execute(async (tx) => {
    await tx.insertInto('hotline_dispatch_rule').values({ division: input.division, category_prefix: input.categoryPrefix, department_id: input.departmentId, created_by: caller.actor.id, created_at: core.clock.now() })
      .onConflict((oc) => oc.columns(['division', 'category_prefix']).doUpdateSet({ department_id: input.departmentId })).execute();
    await recordChange(tx, caller.actor, { action: 'hotline.dispatch-rule.set', object: { type: 'hotline.dispatch-rule', id: `${input.division}:${input.categoryPrefix}` }, division: input.division, detail: { ...input } },
      { type: 'hotline.dispatch-rule.set', payload: { ...input } });
  });
  return { ...input };
}
