// Open311 GeoReport v2 (JSON only; XML, the spec's other format, is not offered): services are the
// leaf categories, requests are work orders filed by registered client systems. Only orders filed
// through this interface are listed: 12345 orders from other channels carry personal matters that
// were never meant to be public.
import { sql } from 'kysely';
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { categories, DEMAND_TYPES } from './catalog.js';
import { createOrder } from './intake.js';
import { clientByKey, keyRefused } from './clients.js';

const CLOSED = ['closed', 'answered', 'merged', 'refused', 'transferred'];
const DEFAULT_DEMAND = '求助';

export async function services() {
  const tree = await categories();
  return [...tree.values()].filter((c) => c.leaf).map((c) => ({
    service_code: c.code, service_name: c.name, description: c.path, metadata: true, type: 'batch', keywords: c.path.split('/').join(','), group: c.path.split('/')[0],
  }));
}

export async function serviceDefinition(code: string) {
  const c = (await categories()).get(code);
  if (!c || !c.leaf) return null;
  return {
    service_code: c.code,
    attributes: [{
      variable: true, code: 'demand_type', datatype: 'singlevaluelist', required: false, datatype_description: '诉求类型 / kind of request', order: 1,
      description: `诉求类型（默认 ${DEFAULT_DEMAND}）`, values: DEMAND_TYPES.map((t) => ({ key: t, name: t })),
    }],
  };
}

export async function postRequest(core: Core, form: Record<string, unknown>): Promise<Array<{ service_request_id: string; service_notice: string; account_id: null }>> {
  const principal = await clientByKey(core, form.api_key, 'open311');
  if (!principal) throw keyRefused();
  const lat = form.lat === undefined || form.lat === '' ? undefined : Number(form.lat);
  const lng = form.long === undefined || form.long === '' ? undefined : Number(form.long);
  const name = [form.last_name, form.first_name].filter((x) => typeof x === 'string' && x).join('');
  const r = await createOrder(core, { principal, actor: { id: principal.id }, lang: 'zh-CN' }, {
    channel: 'web', demandType: String(form['attribute[demand_type]'] ?? DEFAULT_DEMAND), categoryCode: String(form.service_code ?? ''), content: String(form.description ?? ''),
    caller: { name: name || undefined, phone: typeof form.phone === 'string' && form.phone ? form.phone : undefined },
    location: { division: principal.scopes[0]!, address: typeof form.address_string === 'string' && form.address_string ? form.address_string : undefined, lat, lng },
  }, typeof form.device_id === 'string' && typeof form.idempotency_key === 'string' ? `${form.device_id}:${form.idempotency_key}` : undefined);
  return [{ service_request_id: r.order.number, service_notice: `已受理，办理时限至 ${r.order.dueAt}`, account_id: null }];
}

interface RequestRow { number: string; status: string; reply: string | null; refusal_code: string | null; category_code: string; category_path: string; content: string; agency: string | null; created_at: Date; updated_at: Date; due_at: Date | null; address: string | null; lat: number | null; lng: number | null }

const toRequest = (r: RequestRow) => {
  const closed = CLOSED.includes(r.status);
  return {
    service_request_id: r.number, status: closed ? 'closed' : 'open',
    status_notes: r.status === 'refused' ? '不予受理' : r.status === 'merged' ? '与其他工单合并办理' : closed ? r.reply : null,
    service_name: r.category_path.split('/').pop(), service_code: r.category_code, description: r.content, agency_responsible: r.agency, service_notice: null,
    requested_datetime: new Date(r.created_at).toISOString(), updated_datetime: new Date(r.updated_at).toISOString(), expected_datetime: r.due_at ? new Date(r.due_at).toISOString() : null,
    address: r.address, address_id: null, zipcode: null, lat: r.lat, long: r.lng, media_url: null,
  };
};

const base = (core: Core) => core.db.selectFrom('hotline_order as o').leftJoin('department as d', 'd.id', 'o.unit_department_id')
  .select(['o.number', 'o.status', 'o.reply', 'o.refusal_code', 'o.category_code', 'o.category_path', 'o.content', 'd.name as agency', 'o.created_at', 'o.updated_at', 'o.due_at', 'o.address', 'o.lat', 'o.lng'])
  .where('o.created_by', 'like', 'client:open311:%');

const bad = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ pointer: `/querystring/${field}`, code: 'format', message }]);

/** GET requests: ids, service_code, status, start/end dates (default: the last 90 days), at most 1000; page and page_size as the common extension. */
export async function listRequests(core: Core, q: Record<string, string | undefined>) {
  let query = base(core);
  if (q.service_request_id) return (await query.where('o.number', 'in', q.service_request_id.split(',').map((s) => s.trim()).slice(0, 1000)).execute()).map(toRequest);
  const date = (k: string) => {
    if (!q[k]) return null;
    const d = new Date(q[k]!);
    if (Number.isNaN(d.getTime())) throw bad(k, `${k} 须为 ISO 8601 日期时间`);
    return d;
  };
  const end = date('end_date') ?? core.clock.now();
  const start = date('start_date') ?? new Date(end.getTime() - 90 * 86_400_000);
  query = query.where('o.created_at', '>=', start).where('o.created_at', '<=', end);
  if (q.service_code) query = query.where('o.category_code', 'in', q.service_code.split(','));
  if (q.status) {
    const want = q.status.split(',');
    if (!want.every((s) => s === 'open' || s === 'closed')) throw bad('status', 'status 须为 open 或 closed');
    if (want.length === 1) query = query.where(sql<boolean>`(o.status IN (${sql.join(CLOSED)})) = ${want[0] === 'closed'}`);
  }
  const size = Math.min(1000, Math.max(1, Number(q.page_size ?? 1000) || 1000));
  const page = Math.max(1, Number(q.page ?? 1) || 1);
  return (await query.orderBy('o.created_at', 'desc').limit(size).offset((page - 1) * size).execute()).map(toRequest);
}

export async function getRequest(core: Core, number: string) {
  const r = await base(core).where('o.number', '=', number).executeTakeFirst();
  return r ? [toRequest(r)] : null;
}
