// 受理: a work order from any channel. Every bad field is reported at once; a refused intake is
// kept (with its coded reason) but opens no case; an accepted one opens its hotline.order case in
// the same transaction. A repeated Idempotency-Key returns the first order instead of a second one.
import { createHash } from 'node:crypto';
import type { Core } from '../../core/index.js';
import { recordChange } from '../../core/audit/record.js';
import { AppError, type FieldError } from '../../core/http/errors.js';
import { getDivision } from '../../core/divisions/service.js';
import { nextCaseNumber } from '../../core/numbering/index.js';
import { ensureFiguresOnce } from './figures.js';
import { maskMobile, maskName, validateMobile } from '../../core/validators/index.js';
import { startInstance } from '../../platform/workflow/index.js';
import { assertMayIn, CREATE, isCitizen, type Caller } from './access.js';
import { categories, CHANNELS, DEMAND_TYPES, emergencyWordsIn, REFUSAL_REASONS, type DemandType } from './catalog.js';
import { deadline, timeLimitFor } from './time-limits.js';
import { ensureWorkflows, ORDER_WORKFLOW } from './workflow-def.js';
import { findDuplicates, type Duplicate } from './duplicates.js';
import { orderView, type OrderView } from './views.js';

export const LIMITS = { title: 100, content: 4000, name: 50, address: 200, note: 500 };

export interface IntakeInput {
  channel: string;
  demandType: string;
  categoryCode: string;
  title?: string;
  content: string;
  urgency?: 'normal' | 'urgent';
  caller?: { name?: string; phone?: string; anonymous?: boolean };
  location: { division: string; address?: string; lat?: number; lng?: number };
  /** 不予受理: the order is recorded as refused with this coded reason. */
  refusal?: { code: string; note?: string };
  /** Set by the 110 linkage for transferred-in orders. */
  transfer?: { sourcePlatform: string; transferType: string; policeCaseNo: string };
}

export interface IntakeResult {
  order: OrderView;
  /** Same caller / place / topic, still open: the operator may merge. */
  duplicates: Duplicate[];
  /** Emergency words found: the operator should consider 一键转接 to 110. */
  transferSuggested: boolean;
  emergencyWords: string[];
  /** false when an Idempotency-Key replayed an earlier intake. */
  created: boolean;
}

/** Landlines as callers dial them: area code + 7–8 digits, e.g. 0871-63123456. */
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

export function normalisePhone(raw: string): { ok: true; value: string } | { ok: false; message: string } {
  const s = raw.normalize('NFKC').replace(/[\s()（）]/g, '');
  if (LANDLINE.test(s)) return { ok: true, value: s.replace('-', '') };
  const m = validateMobile(raw);
  return m.ok ? { ok: true, value: m.value } : { ok: false, message: `${m.message['zh-CN']}（或填写固定电话，如 0871-63123456）/ ${m.message.en} (or a landline such as 0871-63123456)` };
}

const text = (errors: FieldError[], pointer: string, v: unknown, max: number, required: boolean): string | undefined => {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    if (required) errors.push({ pointer, code: 'required', message: '不能为空' });
    return undefined;
  }
  if (typeof v !== 'string') return void errors.push({ pointer, code: 'type', message: '须为文本' });
  const s = v.trim();
  if (Array.from(s).length > max) errors.push({ pointer, code: 'maxLength', message: `不能超过 ${max} 个字符` });
  return s;
};

async function validate(core: Core, input: IntakeInput) {
  const errors: FieldError[] = [];
  const b = '/body';
  if (!(CHANNELS as readonly string[]).includes(input.channel)) errors.push({ pointer: `${b}/channel`, code: 'enum', message: `渠道须为 ${CHANNELS.join('、')} 之一` });
  if (!(DEMAND_TYPES as readonly string[]).includes(input.demandType)) errors.push({ pointer: `${b}/demandType`, code: 'enum', message: `诉求类型须为 ${DEMAND_TYPES.join('、')} 之一` });
  const cat = (await categories()).get(String(input.categoryCode ?? ''));
  if (!cat) errors.push({ pointer: `${b}/categoryCode`, code: 'unknown', message: '诉求分类不存在' });
  else if (!cat.leaf) errors.push({ pointer: `${b}/categoryCode`, code: 'not-leaf', message: `请选择「${cat.path}」下的具体分类` });
  const content = text(errors, `${b}/content`, input.content, LIMITS.content, true);
  const title = text(errors, `${b}/title`, input.title, LIMITS.title, false);
  const name = text(errors, `${b}/caller/name`, input.caller?.name, LIMITS.name, false);
  let phone: string | undefined;
  if (input.caller?.phone !== undefined && input.caller.phone !== '') {
    const p = normalisePhone(String(input.caller.phone));
    if (p.ok) phone = p.value;
    else errors.push({ pointer: `${b}/caller/phone`, code: 'format', message: p.message });
  }
  const address = text(errors, `${b}/location/address`, input.location?.address, LIMITS.address, false);
  const division = String(input.location?.division ?? '');
  if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(division) || !(await getDivision(core.db, division))) errors.push({ pointer: `${b}/location/division`, code: 'unknown', message: '行政区划不存在' });
  const { lat, lng } = input.location ?? {};
  if ((lat === undefined) !== (lng === undefined)) errors.push({ pointer: `${b}/location/${lat === undefined ? 'lat' : 'lng'}`, code: 'required', message: '经纬度须同时填写' });
  if (lat !== undefined && !(typeof lat === 'number' && lat >= -90 && lat <= 90)) errors.push({ pointer: `${b}/location/lat`, code: 'range', message: '纬度须在 -90 到 90 之间（WGS84）' });
  if (lng !== undefined && !(typeof lng === 'number' && lng >= -180 && lng <= 180)) errors.push({ pointer: `${b}/location/lng`, code: 'range', message: '经度须在 -180 到 180 之间（WGS84）' });
  if (input.urgency !== undefined && input.urgency !== 'normal' && input.urgency !== 'urgent') errors.push({ pointer: `${b}/urgency`, code: 'enum', message: '紧急程度须为 normal 或 urgent' });
  if (input.refusal && !REFUSAL_REASONS[input.refusal.code]) errors.push({ pointer: `${b}/refusal/code`, code: 'enum', message: `不予受理须选择规定的理由：${Object.keys(REFUSAL_REASONS).join('、')}` });
  const note = text(errors, `${b}/refusal/note`, input.refusal?.note, LIMITS.note, false);
  if (errors.length) throw new AppError('VALIDATION_FAILED', { 'zh-CN': `工单有 ${errors.length} 处内容需要修改`, en: `${errors.length} problems with the work order` }, errors);
  return { cat: cat!, content: content!, title: title ?? Array.from(content!).slice(0, 30).join(''), name, phone, address, division, note };
}

export async function createOrder(core: Core, caller: Caller, input: IntakeInput, idempotencyKey?: string): Promise<IntakeResult> {
  const v = await validate(core, input);
  const p = caller.principal;
  const citizen = isCitizen(p);
  if (!citizen) assertMayIn(p, CREATE, v.division);
  await ensureFiguresOnce(core);
  const hash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const replay = async (): Promise<IntakeResult | null> => {
    if (!idempotencyKey) return null;
    const prior = await core.db.selectFrom('hotline_order').select(['id', 'request_hash']).where('created_by', '=', caller.actor.id).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
    if (!prior) return null;
    if (prior.request_hash !== hash) throw new AppError('IDEMPOTENCY_CONFLICT');
    return { order: (await orderView(core, p, prior.id))!, duplicates: [], transferSuggested: false, emergencyWords: [], created: false };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  const refused = !!input.refusal;
  if (!refused) await ensureWorkflows(core);
  const words = emergencyWordsIn(`${v.title} ${v.content}`);
  const demandType = input.demandType as DemandType;
  const urgent = input.urgency === 'urgent';
  const phoneBidx = v.phone ? core.crypto.blindIndex(core.keys.blindIndex, `phone:${v.phone}`) : null;
  // Two submissions with the same key racing: the loser hits the unique key and replays the winner.
  const id = await core.db.transaction().execute(async (tx) => {
    const now = core.clock.now();
    const limit = await timeLimitFor(tx, v.division, demandType);
    const number = await nextCaseNumber(tx, { prefix: 'RX', division: v.division, at: now });
    const row = await tx.insertInto('hotline_order').values({
      number, division: v.division, channel: input.channel, demand_type: demandType, category_code: v.cat.code, category_path: v.cat.path,
      title: v.title, content: v.content, urgency: urgent ? 'urgent' : 'normal',
      caller_name_enc: v.name ? core.crypto.encrypt(core.keys.field, v.name, 'hotline.caller.name') : null, caller_name_masked: v.name ? maskName(v.name) : null,
      caller_phone_enc: v.phone ? core.crypto.encrypt(core.keys.field, v.phone, 'hotline.caller.phone') : null, caller_phone_bidx: phoneBidx,
      caller_phone_masked: v.phone ? (v.phone.startsWith('0') ? `${v.phone.slice(0, 4)}****${v.phone.slice(-2)}` : maskMobile(v.phone)) : null,
      anonymous: !!input.caller?.anonymous, address: v.address ?? null, lat: input.location.lat ?? null, lng: input.location.lng ?? null,
      status: refused ? 'refused' : 'accepted', refusal_code: input.refusal?.code ?? null, refusal_note: v.note ?? null,
      due_at: refused ? null : deadline(core, now, limit, urgent, v.division), time_limit: JSON.stringify({ ...limit, urgent }),
      source_platform: input.transfer?.sourcePlatform ?? '12345', transfer_type: input.transfer?.transferType ?? null, police_case_no: input.transfer?.policeCaseNo ?? null,
      transfer_suggested: words.length > 0, applicant: citizen ? p.id : null, created_by: caller.actor.id, idempotency_key: idempotencyKey ?? null, request_hash: hash,
      created_at: now, updated_at: now,
    }).returning(['id']).executeTakeFirstOrThrow();
    if (!refused) {
      const inst = await startInstance(core, tx, caller.actor, { key: ORDER_WORKFLOW, division: v.division, title: v.title, number, applicant: citizen ? p.id : null, data: { orderId: row.id, demandType, category: v.cat.code } });
      await tx.updateTable('hotline_order').set({ instance_id: inst.id }).where('id', '=', row.id).execute();
    }
    await recordChange(tx, caller.actor, { action: refused ? 'hotline.order.refuse' : 'hotline.order.accept', object: { type: 'hotline.order', id: row.id }, division: v.division, detail: { number, channel: input.channel, demandType, category: v.cat.code, refusal: input.refusal?.code ?? null } },
      { type: refused ? 'hotline.order.refused' : 'hotline.order.accepted', payload: { number, channel: input.channel, demandType, category: v.cat.code, urgent, refusal: input.refusal?.code ?? null, transferSuggested: words.length > 0 } });
    return row.id;
  }).catch(async (e) => {
    if ((e as { code?: string }).code === '23505' && idempotencyKey) {
      const won = await replay();
      if (won) return won;
    }
    throw e;
  });
  if (typeof id !== 'string') return id;
  const order = (await orderView(core, p, id))!;
  const duplicates = refused ? [] : await findDuplicates(core.db, { id, division: v.division, category: v.cat.code, phoneBidx, text: `${v.title} ${v.content}`, at: order.createdAt });
  return { order, duplicates, transferSuggested: words.length > 0, emergencyWords: words, created: true };
}
