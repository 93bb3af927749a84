// TypeBox shapes of the e-bill routes.
import { Type } from '@fastify/type-provider-typebox';
import { AMOUNT_PATTERN } from './capital.js';
import { BILL_TYPES, PAYMENT_CHANNELS } from './document.js';

export const billTags = ['电子票据 e-bills'];
const Amount = Type.String({ pattern: AMOUNT_PATTERN, maxLength: 15, description: '金额（元），最多两位小数，如 "120.00"' });
const NullableString = Type.Union([Type.String(), Type.Null()]);

const Item = Type.Object({
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: '项目编码' })),
  name: Type.String({ minLength: 1, maxLength: 100, description: '项目名称' }),
  quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e9, description: '数量' }),
  unit: Type.String({ minLength: 1, maxLength: 10, description: '单位，如 次、件、本' }),
  unitPrice: Type.Optional(Amount),
  amount: Amount,
}, { additionalProperties: false });

export const BillBody = Type.Object({
  transactionId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\x21-\\x7e]+$', description: '支付交易流水号（与 channel 一起作幂等键）' }),
  billType: Type.String({ enum: Object.keys(BILL_TYPES), description: Object.entries(BILL_TYPES).map(([k, v]) => `${k} ${v['zh-CN']}`).join('; ') }),
  division: Type.String({ format: 'division-code', description: '开票所属行政区划' }),
  payee: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), code: Type.String({ minLength: 1, maxLength: 18 }) }, { additionalProperties: false, description: '收款单位及其统一社会信用代码' }),
  payer: Type.Object({
    name: Type.String({ minLength: 1, maxLength: 100 }),
    codeType: Type.Optional(Type.Union([Type.Literal('111'), Type.Literal('001')])),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 18 })),
  }, { additionalProperties: false, description: '交款人（有代码时票据进入其证照夹）' }),
  items: Type.Array(Item, { minItems: 1, maxItems: 50 }),
  amount: Amount,
  channel: Type.String({ enum: Object.keys(PAYMENT_CHANNELS), description: Object.entries(PAYMENT_CHANNELS).map(([k, v]) => `${k} ${v['zh-CN']}`).join('; ') }),
  paidAt: Type.String({ format: 'date-time' }),
  caseRef: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  remark: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

const ItemOut = Type.Object({ code: Type.Optional(Type.String()), name: Type.String(), quantity: Type.Number(), unit: Type.String(), unitPrice: Type.Optional(Type.String()), amount: Type.String() });
const Named = Type.Object({ code: Type.String(), name: Type.String() });

export const Bill = Type.Object({
  billCode: Type.String({ description: '票据代码' }), billNumber: Type.String({ description: '票据号码' }), checkCode: Type.String({ description: '校验码' }),
  billType: Named, division: Type.String(), payee: Type.Object({ name: Type.String(), code: Type.String() }),
  payer: Type.Object({ name: Type.String(), codeType: Type.Union([Type.Literal('111'), Type.Literal('001'), Type.Null()]), codeMasked: NullableString }),
  items: Type.Array(ItemOut), total: Type.String(), totalCapital: Type.String({ description: '大写金额' }),
  payment: Type.Object({ channel: Type.String(), channelName: Type.String(), paidAt: Type.String(), transactionId: Type.String() }),
  issuedAt: Type.String(), caseRef: NullableString, remark: NullableString, keyId: Type.String(), algorithm: Type.String(),
});

export const BillVerification = Type.Object({
  billCode: Type.String(), billNumber: Type.String(), signatureValid: Type.Boolean(), status: Type.Literal('valid'), billType: Named,
  payee: Type.Object({ name: Type.String(), code: Type.String() }),
  payer: Type.Object({ name: Type.String({ description: '脱敏 / masked' }), codeMasked: NullableString }),
  items: Type.Array(ItemOut), total: Type.String(), totalCapital: Type.String(),
  payment: Type.Object({ channelName: Type.String(), paidAt: Type.String() }), issuedAt: Type.String(), division: Type.String(),
  keyId: Type.String(), algorithm: Type.String(), checkedAt: Type.String(),
});

export const BillParams = Type.Object({
  billCode: Type.String({ maxLength: 8, description: '票据代码（8 位数字）' }),
  billNumber: Type.String({ maxLength: 10, description: '票据号码（10 位数字）' }),
});
export const CheckQuery = Type.Object({ checkCode: Type.String({ minLength: 1, maxLength: 12, description: '校验码' }) });
