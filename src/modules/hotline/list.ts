// Order lists: the hotline's (orders in the caller's read/dispatch scope), a unit's inbox
// (orders dispatched to the caller's departments, or where they co-handle), and a citizen's own
// requests ("my requests", with progress).
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { scopesFor } from '../../core/http/auth.js';
import { divisionScopeSql } from '../../core/divisions/service.js';
import { departmentsOf, DISPATCH, READ, type Caller } from './access.js';
import { coHandlersOf, toView, type OrderView } from './views.js';

export async function listOrders(core: Core, caller: Caller, q: { view: 'hotline' | 'unit' | 'mine'; status?: string; limit: number; offset: number }): Promise<{ total: number; items: OrderView[] }> {
  const p = caller.principal;
  let query = core.db.selectFrom('hotline_order').selectAll();
  if (q.view === 'hotline') {
    query = query.where(divisionScopeSql('division', [...scopesFor(p, READ), ...scopesFor(p, DISPATCH)]));
  } else if (q.view === 'mine') {
    query = query.where('applicant', 'in', [p.id, ...(p.onBehalfOf ? [p.onBehalfOf] : [])]);
  } else {
    const depts = departmentsOf(p);
    if (!depts.length) return { total: 0, items: [] };
    query = query.where((eb) => eb.or([
      eb('unit_department_id', 'in', depts),
      eb.exists(eb.selectFrom('hotline_co_handler as c').select(sql`1`.as('one')).whereRef('c.order_id', '=', 'hotline_order.id').where('c.department_id', 'in', depts)),
    ]));
  }
  if (q.status) query = query.where('status', '=', q.status);
  const rows = await query.select(sql<number>`count(*) OVER ()`.as('total')).orderBy('due_at', 'asc').orderBy('created_at', 'asc').limit(q.limit).offset(q.offset).execute();
  const items: OrderView[] = [];
  for (const r of rows) items.push(toView(r, q.view === 'mine' ? 'applicant' : q.view, await coHandlersOf(core.db, r.id)));
  return { total: Number(rows[0]?.total ?? 0), items };
}
