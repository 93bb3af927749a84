// The signed form of a 财政电子票据 (fiscal e-bill), shaped after the bills the fiscal e-bill
// platforms issue: bill type, 票据代码 + 票据号码 + 校验码, payer, payee unit (收款单位) and its
// credit code, items, the total in figures and in capital (大写), the payment (channel, time,
// transaction id) and the signing key. Canonical JSON like licenses (keys sorted, NFC).
import type { Text } from '../access.js';

/** 票据种类: code (2 digits, part of the bill code) → name. */
export const BILL_TYPES: Record<string, Text> = {
  '01': { 'zh-CN': '非税收入一般缴款书', en: 'General non-tax revenue payment form' },
  '02': { 'zh-CN': '非税收入通用票据', en: 'General non-tax revenue bill' },
  '03': { 'zh-CN': '行政事业单位资金往来结算票据', en: 'Public institution settlement bill' },
  '04': { 'zh-CN': '公益事业捐赠票据', en: 'Public-welfare donation bill' },
  '05': { 'zh-CN': '医疗收费票据', en: 'Medical fee bill' },
};

/** 交款方式: code → label printed on the bill. */
export const PAYMENT_CHANNELS: Record<string, Text> = {
  wechat: { 'zh-CN': '微信支付', en: 'WeChat Pay' },
  alipay: { 'zh-CN': '支付宝', en: 'Alipay' },
  unionpay: { 'zh-CN': '银联在线', en: 'UnionPay online' },
  'bank-transfer': { 'zh-CN': '银行转账', en: 'Bank transfer' },
  'counter-card': { 'zh-CN': '窗口刷卡', en: 'Card at the counter' },
  cash: { 'zh-CN': '现金', en: 'Cash' },
};

export interface BillItem {
  /** 项目编码 (optional), 项目名称, 数量, 单位, 标准 (unit price, optional), 金额. Amounts "0.00". */
  code?: string;
  name: string;
  quantity: number;
  unit: string;
  unitPrice?: string;
  amount: string;
}

export interface BillDocument {
  v: 1;
  docType: 'fiscal-e-bill';
  billType: { code: string; name: string };
  billCode: string; // 票据代码, 8 digits
  billNumber: string; // 票据号码, 10 digits
  checkCode: string; // 校验码, 6 characters
  issuedAt: string; // 开票日期 (ISO, UTC)
  division: string;
  payer: { name: string; codeType: '111' | '001' | null; code: string | null }; // 交款人
  payee: { name: string; code: string }; // 收款单位, 统一社会信用代码
  items: BillItem[];
  total: string; // 合计 (小写)
  totalCapital: string; // 合计 (大写)
  payment: { channel: string; channelName: string; paidAt: string; transactionId: string };
  caseRef: string | null;
  remark: string | null;
  keyId: string;
  algorithm: string;
}

/** 票据代码 = city-level fiscal division (4 digits) + bill type (2) + year (2), e.g. 53010126. */
export const billCodeOf = (division: string, type: string, year: string) => `${division.slice(0, 4)}${type}${year.slice(2, 4)}`;

/** "53010126-0000000001" — how a bill is named in logs, audit and file names. */
export const billRef = (code: string, number: string) => `${code}-${number}`;
