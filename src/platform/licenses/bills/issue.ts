// Issuing a 财政电子票据 after a payment. The payments side (a registered client, or cashier staff
// with licenses:bill.issue in the division) confirms a payment; the bill is issued ONCE per
// (channel, transaction id): the same confirmation again returns the same bill, a different one
// with the same transaction id is refused (409). Every bad field is reported at once.
import { createHash, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { recordChange } from '../../../core/audit/record.js';
import { AppError, type FieldError } from '../../../core/http/errors.js';
import { getDivision } from '../../../core/divisions/service.js';
import { maskResidentId, validateResidentId, validateUscc } from '../../../core/validators/index.js';
import { assertMayIn, BILL_ISSUE, chinaDate, t, type Caller } from '../access.js';
import { canonicalJson } from '../canonical.js';
import { issuerKey } from '../keys.js';
import { holderBlindIndex } from '../view.js';
import { formatAmount, parseAmount, rmbCapital } from './capital.js';
import { BILL_TYPES, billCodeOf, billRef, PAYMENT_CHANNELS, type BillDocument, type BillItem } from './document.js';
import { billView, type BillRow, type BillView } from './view.js';

export interface BillInput {
  /** The payment system's transaction id; with `channel`, the idempotency key. */
  transactionId: string;
  billType: string;
  division: string;
  payee: { name: string; code: string };
  payer: { name: string; codeType?: '111' | '001'; code?: string };
  items: BillItem[];
  /** Amount paid, "120.00"; must equal the sum of the items. */
  amount: string;
  channel: string;
  paidAt: string;
  caseRef?: string;
  remark?: string;
}

const CHECK_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const bad = (pointer: string, code: string, message: string): FieldError => ({ pointer, code, message });
const requestHash = (input: BillInput) => createHash('sha256').update(canonicalJson(input)).digest('base64url');

/** Every problem of a payment confirmation (pointers under /body), nothing written. */
export async function checkBill(core: Core, ex: Executor, caller: Caller, input: BillInput): Promise<{ errors: FieldError[]; totalFen: bigint }> {
  const L = caller.lang;
  const errors: FieldError[] = [];
  if (!BILL_TYPES[input.billType]) errors.push(bad('/body/billType', 'enum', t(L, { 'zh-CN': `票据种类应为 ${Object.keys(BILL_TYPES).join('、')} 之一`, en: `Bill type must be one of ${Object.keys(BILL_TYPES).join(', ')}` })));
  if (!PAYMENT_CHANNELS[input.channel]) errors.push(bad('/body/channel', 'enum', t(L, { 'zh-CN': '不支持的交款方式', en: 'Unknown payment channel' })));
  const division = await getDivision(ex, input.division);
  if (!division) errors.push(bad('/body/division', 'unknown', t(L, { 'zh-CN': '行政区划代码不存在', en: 'Unknown division code' })));
  if (!validateUscc(input.payee.code).ok) errors.push(bad('/body/payee/code', 'uscc', t(L, { 'zh-CN': '收款单位代码不是有效的统一社会信用代码', en: 'The payee code is not a valid unified social credit code' })));
  const p = input.payer;
  if (p.codeType && !p.code) errors.push(bad('/body/payer/code', 'required', t(L, { 'zh-CN': '填写了代码类型时须填写交款人代码', en: 'A payer code type needs a payer code' })));
  else if (p.code && !p.codeType) errors.push(bad('/body/payer/codeType', 'required', t(L, { 'zh-CN': '请注明交款人代码类型（111 公民身份号码 / 001 统一社会信用代码）', en: 'Say which kind of code the payer code is (111 / 001)' })));
  else if (p.code && p.codeType === '111' && !validateResidentId(p.code).ok) errors.push(bad('/body/payer/code', 'resident-id', t(L, { 'zh-CN': '交款人代码不是有效的公民身份号码', en: 'Not a valid resident ID number' })));
  else if (p.code && p.codeType === '001' && !validateUscc(p.code).ok) errors.push(bad('/body/payer/code', 'uscc', t(L, { 'zh-CN': '交款人代码不是有效的统一社会信用代码', en: 'Not a valid unified social credit code' })));
  let sum = 0n;
  input.items.forEach((it, i) => {
    const amount = parseAmount(it.amount);
    if (amount === null || amount === 0n) {
      errors.push(bad(`/body/items/${i}/amount`, 'amount', t(L, { 'zh-CN': '金额应为大于 0 的数字，最多两位小数，如 120.00', en: 'An amount above 0 with at most two decimals, e.g. 120.00' })));
      return;
    }
    sum += amount;
    if (it.unitPrice !== undefined) {
      const price = parseAmount(it.unitPrice);
      if (price === null) errors.push(bad(`/body/items/${i}/unitPrice`, 'amount', t(L, { 'zh-CN': '收费标准应为数字，最多两位小数', en: 'A unit price with at most two decimals' })));
      else if (BigInt(Math.round(Number(price) * it.quantity)) !== amount) errors.push(bad(`/body/items/${i}/amount`, 'mismatch', t(L, { 'zh-CN': `金额应等于数量 × 标准（${formatAmount(BigInt(Math.round(Number(price) * it.quantity)))}）`, en: `The amount must be quantity × unit price (${formatAmount(BigInt(Math.round(Number(price) * it.quantity)))})` })));
    }
  });
  const total = parseAmount(input.amount);
  if (total === null || total === 0n) errors.push(bad('/body/amount', 'amount', t(L, { 'zh-CN': '实收金额应为大于 0 的数字，最多两位小数', en: 'The amount paid must be above 0 with at most two decimals' })));
  else if (total !== sum && !errors.some((e) => e.pointer.startsWith('/body/items/') && e.code === 'amount')) {
    errors.push(bad('/body/amount', 'sum-mismatch', t(L, { 'zh-CN': `实收金额与各项目金额合计 ${formatAmount(sum)} 不一致`, en: `The amount paid differs from the items' total ${formatAmount(sum)}` })));
  }
  const paid = Date.parse(input.paidAt);
  if (Number.isNaN(paid)) errors.push(bad('/body/paidAt', 'format', t(L, { 'zh-CN': '交款时间格式应为 ISO 8601', en: 'paidAt must be an ISO 8601 date-time' })));
  else if (paid > core.clock.now().getTime() + 5 * 60_000) errors.push(bad('/body/paidAt', 'future', t(L, { 'zh-CN': '交款时间不能晚于当前时间', en: 'paidAt is in the future' })));
  if (division) assertMayIn(caller.principal, BILL_ISSUE, input.division);
  return { errors, totalFen: total ?? 0n };
}

async function nextNumber(tx: Executor, billCode: string): Promise<string> {
  const r = await tx.insertInto('license_bill_sequence').values({ bill_code: billCode, last: 1 })
    .onConflict((oc) => oc.column('bill_code').doUpdateSet({ last: sql`license_bill_sequence.last + 1` }))
    .returning('last').executeTakeFirstOrThrow();
  return String(r.last).padStart(10, '0');
}

const priorBill = (ex: Executor, input: BillInput) =>
  ex.selectFrom('license_bill').selectAll().where('channel', '=', input.channel).where('transaction_id', '=', input.transactionId).executeTakeFirst();

function repeat(prior: BillRow, input: BillInput, caller: Caller): { bill: BillView; created: false } {
  if (prior.request_hash !== requestHash(input)) {
    throw new AppError('IDEMPOTENCY_CONFLICT', { 'zh-CN': `交易流水号 ${input.transactionId} 已开具票据，且内容不同`, en: `A bill was already issued for transaction ${input.transactionId} with different content` });
  }
  return { bill: billView(prior, caller.lang), created: false };
}

async function issueInTx(core: Core, tx: Executor, caller: Caller, input: BillInput): Promise<{ bill: BillView; created: boolean }> {
  const prior = await priorBill(tx, input);
  if (prior) return repeat(prior, input, caller);
  const { errors, totalFen } = await checkBill(core, tx, caller, input);
  if (errors.length) throw new AppError('VALIDATION_FAILED', undefined, errors);
  const key = await issuerKey(core, tx, input.payee.code);
  const paidAt = new Date(input.paidAt);
  const billCode = billCodeOf(input.division, input.billType, chinaDate(paidAt));
  const billNumber = await nextNumber(tx, billCode);
  const checkCode = Array.from({ length: 6 }, () => CHECK_ALPHABET[randomInt(CHECK_ALPHABET.length)]).join('');
  const payerCode = input.payer.code ? input.payer.code.trim().toUpperCase() : null;
  const doc: BillDocument = {
    v: 1, docType: 'fiscal-e-bill', billType: { code: input.billType, name: BILL_TYPES[input.billType]!['zh-CN'] },
    billCode, billNumber, checkCode, issuedAt: core.clock.now().toISOString(), division: input.division,
    payer: { name: input.payer.name.normalize('NFC'), codeType: payerCode ? input.payer.codeType! : null, code: payerCode },
    payee: { name: input.payee.name, code: input.payee.code.toUpperCase() },
    items: input.items.map((it) => ({ ...(it.code ? { code: it.code } : {}), name: it.name, quantity: it.quantity, unit: it.unit, ...(it.unitPrice !== undefined ? { unitPrice: formatAmount(parseAmount(it.unitPrice)!) } : {}), amount: formatAmount(parseAmount(it.amount)!) })),
    total: formatAmount(totalFen), totalCapital: rmbCapital(totalFen),
    payment: { channel: input.channel, channelName: PAYMENT_CHANNELS[input.channel]!['zh-CN'], paidAt: paidAt.toISOString(), transactionId: input.transactionId },
    caseRef: input.caseRef ?? null, remark: input.remark ?? null, keyId: key.keyId, algorithm: key.pair.algorithm,
  };
  const canonical = canonicalJson(doc);
  const signature = core.crypto.sign(key.pair, Buffer.from(canonical, 'utf8'));
  const row = await tx.insertInto('license_bill').values({
    bill_code: billCode, bill_number: billNumber, check_code: checkCode, bill_type: input.billType, division: input.division,
    payee_code: doc.payee.code, payee_name: doc.payee.name, payer_name: doc.payer.name, payer_code_type: doc.payer.codeType,
    payer_code_enc: payerCode ? core.crypto.encrypt(core.keys.field, payerCode, Buffer.from('license_bill.payer_code')) : null,
    payer_code_bidx: payerCode ? holderBlindIndex(core, payerCode) : null,
    payer_code_masked: payerCode ? (doc.payer.codeType === '111' ? maskResidentId(payerCode) : payerCode) : null,
    total_fen: totalFen, channel: input.channel, transaction_id: input.transactionId, paid_at: paidAt, issued_at: doc.issuedAt,
    canonical, signature, key_id: key.keyId, request_hash: requestHash(input), case_ref: input.caseRef ?? null, created_by: caller.actor.id,
  }).returningAll().executeTakeFirstOrThrow();
  const ref = billRef(billCode, billNumber);
  await recordChange(tx, caller.actor, { action: 'licenses.bill.issue', object: { type: 'bill', id: ref }, division: input.division, purpose: input.caseRef ?? null, detail: { billType: input.billType, payeeCode: doc.payee.code, total: doc.total, channel: input.channel, transactionId: input.transactionId } },
    { type: 'licenses.bill.issued', payload: { billCode, billNumber, billType: input.billType, division: input.division, payeeCode: doc.payee.code, total: doc.total, channel: input.channel, transactionId: input.transactionId, caseRef: input.caseRef ?? null } });
  return { bill: billView(row, caller.lang), created: true };
}

const isRace = (e: unknown) => (e as { code?: string }).code === '23505';

/** Issues the bill of a payment in its own transaction; a concurrent duplicate returns the first. */
export async function issueBill(core: Core, caller: Caller, input: BillInput): Promise<{ bill: BillView; created: boolean }> {
  try {
    return await core.db.transaction().execute((tx) => issueInTx(core, tx, caller, input));
  } catch (e) {
    if (!isRace(e)) throw e;
    const prior = await priorBill(core.db, input);
    if (!prior) throw e;
    return repeat(prior, input, caller);
  }
}
