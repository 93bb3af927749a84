// How a bill is shown (to its issuer, its payer, the public), and how its signature is checked
// against the stored canonical text AND the columns, like licenses (view.ts).
import { timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Core } from '../../../core/index.js';
import type { Executor } from '../../../core/db/types.js';
import { AppError, type Lang } from '../../../core/http/errors.js';
import { maskName } from '../../../core/validators/index.js';
import { canonicalJson } from '../canonical.js';
import { cryptoFor, publicKeyOf } from '../keys.js';
import { holderIndexOf, notHolder } from '../wallet.js';
import type { Caller } from '../access.js';
import { formatAmount } from './capital.js';
import { BILL_TYPES, type BillDocument, type BillItem } from './document.js';
import type { LicenseBillTable } from './tables.js';

export type BillRow = Selectable<LicenseBillTable>;

export interface BillView {
  billCode: string;
  billNumber: string;
  checkCode: string;
  billType: { code: string; name: string };
  division: string;
  payee: { name: string; code: string };
  payer: { name: string; codeType: '111' | '001' | null; codeMasked: string | null };
  items: BillItem[];
  total: string;
  totalCapital: string;
  payment: { channel: string; channelName: string; paidAt: string; transactionId: string };
  issuedAt: string;
  caseRef: string | null;
  remark: string | null;
  keyId: string;
  algorithm: string;
}

const docOf = (r: BillRow): BillDocument => JSON.parse(r.canonical) as BillDocument;

export function billView(r: BillRow, lang: Lang): BillView {
  const d = docOf(r);
  const typeName = BILL_TYPES[r.bill_type]?.[lang] ?? d.billType.name;
  return {
    billCode: r.bill_code, billNumber: r.bill_number, checkCode: r.check_code, billType: { code: r.bill_type, name: typeName }, division: r.division,
    payee: { name: r.payee_name, code: r.payee_code }, payer: { name: r.payer_name, codeType: r.payer_code_type, codeMasked: r.payer_code_masked },
    items: d.items, total: d.total, totalCapital: d.totalCapital, payment: d.payment, issuedAt: d.issuedAt,
    caseRef: r.case_ref, remark: d.remark, keyId: r.key_id, algorithm: d.algorithm,
  };
}

export const payerCode = (core: Core, r: BillRow): string | null =>
  r.payer_code_enc ? core.crypto.decrypt(core.keys.field, r.payer_code_enc, Buffer.from('license_bill.payer_code')).toString('utf8') : null;

/** Signature over the document with the payee's published key. Never throws. */
export async function verifyBillDocument(ex: Executor, doc: BillDocument, signature: Uint8Array): Promise<boolean> {
  try {
    if (doc?.docType !== 'fiscal-e-bill') return false;
    const key = await publicKeyOf(ex, doc.keyId);
    if (!key || key.algorithm !== doc.algorithm || key.issuerCode !== doc.payee?.code) return false;
    return cryptoFor(key.algorithm).verify({ algorithm: key.algorithm as 'SM2-with-SM3' | 'Ed25519', publicKey: key.publicKey }, Buffer.from(canonicalJson(doc), 'utf8'), signature);
  } catch {
    return false;
  }
}

/** The stored bill is authentic: canonical text unaltered, columns agree with it, signature verifies. */
export async function verifyBillRow(core: Core, ex: Executor, r: BillRow): Promise<boolean> {
  try {
    const d = docOf(r);
    if (canonicalJson(d) !== r.canonical) return false;
    const columns = d.billCode === r.bill_code && d.billNumber === r.bill_number && d.checkCode === r.check_code && d.billType.code === r.bill_type
      && d.division === r.division && d.payee.code === r.payee_code && d.payee.name === r.payee_name && d.payer.name === r.payer_name
      && d.payer.codeType === r.payer_code_type && d.payer.code === payerCode(core, r) && d.total === formatAmount(BigInt(r.total_fen))
      && d.payment.channel === r.channel && d.payment.transactionId === r.transaction_id && d.keyId === r.key_id;
    return columns && (await verifyBillDocument(ex, d, r.signature));
  } catch {
    return false; // unparsable text or an undecryptable payer code is tampering too
  }
}

export interface BillVerification {
  billCode: string;
  billNumber: string;
  signatureValid: boolean;
  status: 'valid';
  billType: { code: string; name: string };
  payee: { name: string; code: string };
  payer: { name: string; codeMasked: string | null };
  items: BillItem[];
  total: string;
  totalCapital: string;
  payment: { channelName: string; paidAt: string };
  issuedAt: string;
  division: string;
  keyId: string;
  algorithm: string;
  checkedAt: string;
}

export const billNotFound = () => new AppError('NOT_FOUND', { 'zh-CN': '未查到该票据：请核对票据代码、票据号码和校验码', en: 'No bill with this code, number and check code' });

export async function findBill(ex: Executor, billCode: string, billNumber: string): Promise<BillRow | undefined> {
  if (!/^\d{8}$/.test(billCode) || !/^\d{10}$/.test(billNumber)) return undefined;
  return ex.selectFrom('license_bill').selectAll().where('bill_code', '=', billCode).where('bill_number', '=', billNumber).executeTakeFirst();
}

const sameCode = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Public check (查验) with 票据代码 + 票据号码 + 校验码, as on the fiscal e-bill platforms. A wrong
 * check code answers exactly like an unknown bill, so bills cannot be enumerated.
 */
export async function verifyBill(core: Core, billCode: string, billNumber: string, checkCode: string, lang: Lang): Promise<BillVerification> {
  const r = await findBill(core.db, billCode, billNumber);
  if (!r || !sameCode(r.check_code, String(checkCode ?? '').trim().toUpperCase())) throw billNotFound();
  const signatureValid = await verifyBillRow(core, core.db, r);
  let d: Partial<BillDocument> = {};
  try {
    d = docOf(r);
  } catch { /* reported as an invalid signature */ }
  return {
    billCode: r.bill_code, billNumber: r.bill_number, signatureValid, status: 'valid',
    billType: { code: r.bill_type, name: BILL_TYPES[r.bill_type]?.[lang] ?? r.bill_type },
    payee: { name: r.payee_name, code: r.payee_code }, payer: { name: maskName(r.payer_name), codeMasked: r.payer_code_masked },
    items: d.items ?? [], total: d.total ?? '', totalCapital: d.totalCapital ?? '',
    payment: { channelName: d.payment?.channelName ?? '', paidAt: d.payment?.paidAt ?? '' }, issuedAt: d.issuedAt ?? '',
    division: r.division, keyId: r.key_id, algorithm: d.algorithm ?? '', checkedAt: core.clock.now().toISOString(),
  };
}

/** The payer's bills (wallet): by the blind index of their resident ID / credit code. */
export async function myBills(core: Core, caller: Caller): Promise<BillView[]> {
  const idx = await holderIndexOf(core, core.db, caller);
  if (!idx) throw notHolder();
  const rows = await core.db.selectFrom('license_bill').selectAll().where('payer_code_bidx', '=', idx).orderBy('issued_at', 'desc').orderBy('bill_number', 'desc').execute();
  return rows.map((r) => billView(r, caller.lang));
}
