// TypeBox shapes of the license routes (OpenAPI is generated from them).
import { Type } from '@fastify/type-provider-typebox';

export const tags = ['电子证照 licenses'];
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const NullableDay = Type.Union([Day, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);
export const HolderCodeType = Type.Union([Type.Literal('111'), Type.Literal('001')], { description: '111 公民身份号码 / 001 统一社会信用代码' });
const Status = Type.Union([Type.Literal('valid'), Type.Literal('expired'), Type.Literal('revoked'), Type.Literal('superseded')]);
export const IdentifierParams = Type.Object({ identifier: Type.String({ maxLength: 200, description: '电子证照标识 GB/T 36904' }) });

const Validity = Type.Object({
  years: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  months: Type.Optional(Type.Integer({ minimum: 1, maximum: 1200 })),
  permanent: Type.Optional(Type.Boolean({ description: '长期有效' })),
}, { additionalProperties: false });

export const LicenseTypeBody = Type.Object({
  code: Type.String({ pattern: '^[0-9A-Z]{18}\\d{3}$', description: '定义机构统一社会信用代码 + 3位数字' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  definerName: Type.String({ minLength: 1, maxLength: 100 }),
  holderKinds: Type.Array(HolderCodeType, { minItems: 1, maxItems: 2 }),
  faceSchema: Type.Object({}, { additionalProperties: true, description: '照面信息 JSON Schema (type: object)' }),
  validity: Validity,
  trustLevel: Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C'), Type.Literal('D')]),
}, { additionalProperties: false });
export const LicenseType = Type.Object({ ...LicenseTypeBody.properties, createdAt: Type.String() });

export const IssueBody = Type.Object({
  typeCode: Type.String({ minLength: 1, maxLength: 21 }),
  issuerCode: Type.String({ minLength: 1, maxLength: 18 }),
  issuerName: Type.String({ minLength: 1, maxLength: 100 }),
  division: Type.String({ format: 'division-code' }),
  holder: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), codeType: HolderCodeType, code: Type.String({ minLength: 1, maxLength: 18 }) }, { additionalProperties: false }),
  licenseNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  issuedOn: Type.Optional(Day),
  validFrom: Type.Optional(Day),
  validUntil: Type.Optional(NullableDay),
  faceData: Type.Object({}, { additionalProperties: true }),
  caseRef: Type.Optional(Type.String({ maxLength: 64 })),
  supersedes: Type.Optional(Type.String({ maxLength: 200 })),
  idempotencyKey: Type.Optional(Type.String({ minLength: 8, maxLength: 100, description: '客户端生成的请求编号，重复提交返回同一张证照' })),
}, { additionalProperties: false });

export const License = Type.Object({
  identifier: Type.String(), typeCode: Type.String(), version: Type.Integer(), licenseNumber: Type.String(),
  holder: Type.Object({ name: Type.String(), codeType: HolderCodeType, codeMasked: Type.String() }),
  issuer: Type.Object({ name: Type.String(), code: Type.String() }), division: Type.String(),
  issuedOn: Type.String(), validFrom: Type.String(), validUntil: NullableString, status: Status, statusReason: NullableString,
  supersededBy: NullableString, faceData: Type.Object({}, { additionalProperties: true }), keyId: Type.String(), caseRef: NullableString, createdAt: Type.String(),
});

export const SignedDocument = Type.Object({}, { additionalProperties: true, description: '签名的规范化证照数据 / the signed document' });
export const LicenseWithDocument = Type.Object({ ...License.properties, document: SignedDocument, signature: Type.String({ description: 'base64' }) });

export const Verification = Type.Object({
  identifier: Type.String(), signatureValid: Type.Boolean(), status: Status, statusReason: NullableString, supersededBy: NullableString,
  typeCode: Type.String(), typeName: Type.String(), licenseNumber: Type.String(),
  issuer: Type.Object({ name: Type.String(), code: Type.String() }),
  holder: Type.Object({ name: Type.String({ description: '脱敏 / masked' }), codeType: HolderCodeType, code: Type.String({ description: '脱敏 / masked' }) }),
  issuedOn: Type.String(), validFrom: Type.String(), validUntil: NullableString, division: Type.String(), trustLevel: Type.String(),
  keyId: Type.String(), algorithm: Type.String(), checkedAt: Type.String(),
});

export const PublishedKey = Type.Object({ keyId: Type.String(), issuerCode: Type.String(), algorithm: Type.String(), publicKeyPem: Type.String(), createdAt: Type.String(), retiredAt: NullableString });
