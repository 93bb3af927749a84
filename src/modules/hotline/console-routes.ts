// What the hotline screens need beyond the order routes: caller history by phone (the operator
// sees earlier orders of the same number as soon as it is typed), a duplicate check before saving,
// the units a dispatcher may choose from, and an order's history (engine steps, returns,
// extensions, 督办 rungs) shaped for its reader — citizens see progress, never internal remarks.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Core } from '../../core/index.js';
import { scopesFor } from '../../core/http/auth.js';
import { divisionScopeSql } from '../../core/divisions/service.js';
import { assertMayIn, CREATE, DISPATCH, orderNotFound, READ } from './access.js';
import { normalisePhone } from './intake.js';
import { findDuplicates } from './duplicates.js';
import { coHandlersOf, loadOrder, relationTo } from './views.js';
import { badFields } from './runner.js';

const tags = ['12345热线 hotline'];
const NONE = '00000000-0000-0000-0000-000000000000';

const OrderBrief = Type.Object({
  id: Type.String(), number: Type.String(), title: Type.String(), status: Type.String(), demandType: Type.String(),
  categoryPath: Type.String(), createdAt: Type.String(), reply: Type.Union([Type.String(), Type.Null()]),
});
const Duplicate = Type.Object({ id: Type.String(), number: Type.String(), similarity: Type.Number(), sameCaller: Type.Boolean() });
const Unit = Type.Object({ id: Type.String(), name: Type.String(), division: Type.String() });
const HistoryStep = Type.Object({
  at: Type.String(), action: Type.Union([Type.String(), Type.Null()]), from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]), comment: Type.Union([Type.String(), Type.Null()]),
});
const History = Type.Object({
  relation: Type.Union([Type.Literal('hotline'), Type.Literal('unit'), Type.Literal('applicant')]),
  unit: Type.Union([Unit, Type.Null()]),
  steps: Type.Array(HistoryStep),
  returns: Type.Array(Type.Object({ reasonCode: Type.String(), legalBasis: Type.String(), note: Type.Union([Type.String(), Type.Null()]), decision: Type.Union([Type.String(), Type.Null()]), at: Type.String() })),
  extensions: Type.Array(Type.Object({ workingDays: Type.Number(), reason: Type.String(), legalBasis: Type.String(), status: Type.String(), oldDueAt: Type.String(), newDueAt: Type.Union([Type.String(), Type.Null()]), at: Type.String() })),
  supervision: Type.Array(Type.Object({ kind: Type.String(), dueAt: Type.String(), at: Type.String() })),
});

const iso = (d: Date | string) => new Date(d).toISOString();
/** Steps a citizen may read the remark of: the answers given to them. */
const PUBLIC_REMARKS = new Set(['answer', 'reply', 'approve_reply']);

/** Divisions the caller works the hotline in (operators register, dispatchers dispatch, both read). */
const hotlineScopes = (req: FastifyRequest) => [CREATE, READ, DISPATCH].flatMap((p) => scopesFor(req.principal!, p));

export const consoleRoutes = (core: Core) => async (app: FastifyInstance) => {
  app.get('/api/hotline/console/caller-history', {
    config: { permission: CREATE },
    schema: {
      tags, summary: '来电历史：同一号码的既往工单（本区划内，最近 20 条）Earlier orders of the same phone number',
      querystring: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 30 }) }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(OrderBrief) }) },
    },
  }, async (req) => {
    const p = normalisePhone((req.query as { phone: string }).phone);
    if (!p.ok) throw badFields([{ pointer: '/querystring/phone', code: 'format', message: p.message }]);
    const bidx = core.crypto.blindIndex(core.keys.blindIndex, `phone:${p.value}`);
    const rows = await core.db.selectFrom('hotline_order')
      .select(['id', 'number', 'title', 'status', 'demand_type', 'category_path', 'created_at', 'reply'])
      .where('caller_phone_bidx', '=', bidx).where(divisionScopeSql('division', hotlineScopes(req)))
      .orderBy('created_at', 'desc').limit(20).execute();
    return {
      total: rows.length,
      items: rows.map((r) => ({ id: r.id, number: r.number, title: r.title, status: r.status, demandType: r.demand_type, categoryPath: r.category_path, createdAt: iso(r.created_at), reply: r.reply })),
    };
  });

  app.post('/api/hotline/console/duplicates', {
    config: { permission: CREATE },
    schema: {
      tags, summary: '保存前查重：同一来电人，或同一地点同一分类且内容相近的未办结工单 Duplicate check before saving',
      body: Type.Object({
        phone: Type.Optional(Type.String({ maxLength: 30 })), division: Type.String({ pattern: '^\\d{6}(\\d{3}(\\d{3})?)?$' }),
        categoryCode: Type.String({ maxLength: 20 }), text: Type.String({ minLength: 1, maxLength: 4100 }),
      }),
      response: { 200: Type.Object({ items: Type.Array(Duplicate) }) },
    },
  }, async (req) => {
    const b = req.body as { phone?: string; division: string; categoryCode: string; text: string };
    assertMayIn(req.principal!, CREATE, b.division);
    const phone = b.phone ? normalisePhone(b.phone) : null;
    const phoneBidx = phone?.ok ? core.crypto.blindIndex(core.keys.blindIndex, `phone:${phone.value}`) : null;
    const items = await findDuplicates(core.db, { id: NONE, division: b.division, category: b.categoryCode, phoneBidx, text: b.text, at: core.clock.now().toISOString() });
    return { items };
  });

  app.get('/api/hotline/console/units', {
    config: { permission: DISPATCH },
    schema: {
      tags, summary: '可派单的承办单位（派单员的区划范围内）Units the dispatcher may dispatch to',
      response: { 200: Type.Object({ items: Type.Array(Unit) }) },
    },
  }, async (req) => {
    const rows = await core.db.selectFrom('department').select(['id', 'name', 'division'])
      .where(divisionScopeSql('division', scopesFor(req.principal!, DISPATCH))).orderBy('division').orderBy('name').limit(500).execute();
    return { items: rows };
  });

  app.get('/api/hotline/console/orders/:id/history', {
    config: { signedIn: true },
    schema: {
      tags, summary: '工单办理经过：流程步骤、退单、延期、督办（市民只见进度与答复）An order\'s history, shaped for its reader',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      response: { 200: History },
    },
  }, async (req) => {
    const p = req.principal!;
    const o = await loadOrder(core.db, (req.params as { id: string }).id);
    const rel = o ? relationTo(p, o, (await coHandlersOf(core.db, o.id)).map((c) => c.department_id)) : null;
    if (!o || !rel) throw orderNotFound();
    const citizen = rel === 'applicant';
    const steps = o.instance_id
      ? await core.db.selectFrom('wf_history').select(['at', 'action', 'from_state', 'to_state', 'comment', 'kind'])
        .where('instance_id', '=', o.instance_id).where('action', 'is not', null).orderBy('at').orderBy('id').execute()
      : [];
    const unit = o.unit_department_id ? await core.db.selectFrom('department').select(['id', 'name', 'division']).where('id', '=', o.unit_department_id).executeTakeFirst() : undefined;
    const returns = citizen ? [] : await core.db.selectFrom('hotline_return').selectAll().where('order_id', '=', o.id).orderBy('created_at').execute();
    const extensions = citizen ? [] : await core.db.selectFrom('hotline_extension').selectAll().where('order_id', '=', o.id).orderBy('created_at').execute();
    const supervision = citizen ? [] : await core.db.selectFrom('hotline_supervision').selectAll().where('order_id', '=', o.id).orderBy('at').execute();
    return {
      relation: rel,
      unit: unit ?? null,
      steps: [
        { at: iso(o.created_at), action: o.status === 'refused' ? 'refuse' : 'accept', from: null, to: o.status === 'refused' ? 'refused' : 'accepted', comment: null },
        ...steps.map((s) => ({ at: iso(s.at), action: s.action, from: s.from_state, to: s.to_state, comment: citizen && !PUBLIC_REMARKS.has(s.action ?? '') ? null : s.comment })),
      ],
      returns: returns.map((r) => ({ reasonCode: r.reason_code, legalBasis: r.legal_basis, note: r.note, decision: r.decision, at: iso(r.created_at) })),
      extensions: extensions.map((e) => ({ workingDays: e.working_days, reason: e.reason, legalBasis: e.legal_basis, status: e.status, oldDueAt: iso(e.old_due_at), newDueAt: e.new_due_at ? iso(e.new_due_at) : null, at: iso(e.created_at) })),
      supervision: supervision.map((s) => ({ kind: s.kind, dueAt: iso(s.due_at), at: iso(s.at) })),
    };
  });
};
