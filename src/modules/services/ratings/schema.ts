// Request and response shapes of the ratings routes (TypeBox → JSON Schema → OpenAPI).
import { Type } from '@fastify/type-provider-typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const Division = Type.String({ format: 'division-code' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const RatingFields = {
  level: Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 · 4 满意 · 3 基本满意 · 2 不满意 · 1 非常不满意（无默认值 / no default）' }),
  indicators: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z][a-z-]{1,31}$' }), Type.Integer({ minimum: 1, maximum: 5 }), { description: '指标评分，见 GET /api/services/ratings/scale / indicator stars' })),
  comment: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};

export const TokenRatingBody = Type.Object({ token: Type.String({ minLength: 10, maxLength: 400 }), ...RatingFields }, { additionalProperties: false });
export const RatingBody = Type.Object(RatingFields, { additionalProperties: false });

const staffFields = {
  ...RatingFields,
  division: Division,
  departmentCode: Type.String({ minLength: 1, maxLength: 64, description: '承办部门编码 / department code' }),
  caseNumber: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
  itemKey: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  itemName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  idempotencyKey: Type.String({ minLength: 8, maxLength: 100, description: '防重复提交编号（每次评价新生成）/ one per rating, reused on retry' }),
};
export const CounterBody = Type.Object({ ...staffFields, window: Type.String({ minLength: 1, maxLength: 32, description: '窗口号 / window' }) }, { additionalProperties: false });
export const HotlineBody = Type.Object({
  ...staffFields,
  callerMobile: Type.Optional(Nullable(Type.String({ maxLength: 20, description: '来电号码（回访用，加密保存）/ caller number, encrypted' }))),
}, { additionalProperties: false });

export const AppealDecisionBody = Type.Object({ upheld: Type.Boolean(), comment: Type.String({ minLength: 2, maxLength: 2000 }) }, { additionalProperties: false });

const Counts = {
  total: Type.Integer(), levels: Type.Record(Type.String(), Type.Integer()), good: Type.Integer(), bad: Type.Integer(), rectified: Type.Integer(), calledBack: Type.Integer(),
  satisfactionRate: Type.Union([Type.Number(), Type.Null()]), rectifiedRate: Type.Union([Type.Number(), Type.Null()]), callbackRate: Type.Union([Type.Number(), Type.Null()]),
};
const Group = Type.Object({ key: Type.String(), name: Type.Union([Type.String(), Type.Null()]), ...Counts });
export const StatsOut = Type.Object({
  division: Type.Union([Type.String(), Type.Null()]), groupBy: Type.String(), from: Type.Union([Type.String(), Type.Null()]), to: Type.Union([Type.String(), Type.Null()]),
  totals: Type.Object(Counts), groups: Type.Array(Group), excluded: Type.Integer({ description: '申诉成立、不计入统计的评价数 / excluded by upheld appeals' }),
});
export const PublicOut = Type.Object({ division: Type.String(), divisionName: Type.String(), totals: Type.Object(Counts), byDepartment: Type.Array(Group), byItem: Type.Array(Group) });
