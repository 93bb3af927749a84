// What a reader sees of an order. Caller details are always masked; a caller who asked for
// anonymity is hidden completely from the handling unit. Invisible orders are `null` (→ 404).
import type { Selectable } from 'kysely';
import type { Core } from '../../core/index.js';
import type { Executor } from '../../core/db/types.js';
import type { Principal } from '../../core/http/auth.js';
import { DISPATCH, mayIn, READ, departmentsOf } from './access.js';
import type { HotlineOrderTable } from './tables.js';

export type OrderRow = Selectable<HotlineOrderTable>;

export interface OrderView {
  id: string;
  number: string;
  division: string;
  channel: string;
  demandType: string;
  category: { code: string; path: string };
  title: string;
  content: string;
  urgency: string;
  caller: { name: string | null; phone: string | null; anonymous: boolean };
  location: { division: string; address: string | null; lat: number | null; lng: number | null };
  status: string;
  refusal: { code: string; note: string | null } | null;
  caseId: string | null;
  unitDepartmentId: string | null;
  forced: boolean;
  returnCount: number;
  reopenCount: number;
  dueAt: string | null;
  timeLimit: unknown;
  signedAt: string | null;
  repliedAt: string | null;
  reply: string | null;
  closedAt: string | null;
  satisfaction: string | null;
  mergedInto: string | null;
  transfer: { sourcePlatform: string; transferType: string | null; policeCaseNo: string | null };
  transferSuggested: boolean;
  coHandlers: Array<{ departmentId: string; status: string; reply: string | null }>;
  createdAt: string;
  updatedAt: string;
}

export type Relation = 'hotline' | 'unit' | 'applicant';

/** How the principal relates to the order, or null when it may not see it at all. */
export function relationTo(p: Principal, o: OrderRow, coHandlers: string[]): Relation | null {
  if (mayIn(p, READ, o.division) || mayIn(p, DISPATCH, o.division)) return 'hotline';
  const mine = departmentsOf(p);
  if ((o.unit_department_id && mine.includes(o.unit_department_id)) || coHandlers.some((d) => mine.includes(d))) return 'unit';
  if (o.applicant && (o.applicant === p.id || o.applicant === p.onBehalfOf)) return 'applicant';
  return null;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function toView(o: OrderRow, rel: Relation, co: Array<{ department_id: string; status: string; reply: string | null }>): OrderView {
  const hidden = rel === 'unit' && o.anonymous;
  return {
    id: o.id, number: o.number, division: o.division, channel: o.channel, demandType: o.demand_type, category: { code: o.category_code, path: o.category_path },
    title: o.title, content: o.content, urgency: o.urgency,
    caller: { name: hidden ? null : o.caller_name_masked, phone: hidden ? null : o.caller_phone_masked, anonymous: o.anonymous },
    location: { division: o.division, address: o.address, lat: o.lat, lng: o.lng },
    status: o.status, refusal: o.refusal_code ? { code: o.refusal_code, note: o.refusal_note } : null, caseId: o.instance_id,
    unitDepartmentId: o.unit_department_id, forced: o.forced, returnCount: o.return_count, reopenCount: o.reopen_count,
    dueAt: iso(o.due_at), timeLimit: o.time_limit, signedAt: iso(o.signed_at), repliedAt: iso(o.replied_at), reply: o.reply, closedAt: iso(o.closed_at),
    satisfaction: o.satisfaction, mergedInto: o.merged_into,
    transfer: { sourcePlatform: o.source_platform, transferType: o.transfer_type, policeCaseNo: o.police_case_no }, transferSuggested: o.transfer_suggested,
    coHandlers: co.map((c) => ({ departmentId: c.department_id, status: c.status, reply: c.reply })),
    createdAt: iso(o.created_at)!, updatedAt: iso(o.updated_at)!,
  };
}

export async function loadOrder(ex: Executor, id: string, lock = false): Promise<OrderRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  let q = ex.selectFrom('hotline_order').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function coHandlersOf(ex: Executor, id: string) {
  return ex.selectFrom('hotline_co_handler').select(['department_id', 'status', 'reply']).where('order_id', '=', id).orderBy('created_at').execute();
}

export async function orderView(core: Core, p: Principal, id: string, ex: Executor = core.db): Promise<OrderView | null> {
  const o = await loadOrder(ex, id);
  if (!o) return null;
  const co = await coHandlersOf(ex, id);
  const rel = relationTo(p, o, co.map((c) => c.department_id));
  return rel ? toView(o, rel, co) : null;
}
