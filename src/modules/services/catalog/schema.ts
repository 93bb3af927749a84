// The shape of a service item as it is published (HTTP body, pack file, spreadsheet row), as
// TypeBox / JSON Schema, plus the fixed vocabularies (item types, life events) and the zh-CN / en
// names of every field, so that a validation message names the field a person filled in.
import { Type, type Static } from '@fastify/type-provider-typebox';

/** 事项类型 — the national categories of government power plus public services. */
export const ITEM_TYPES = ['行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励', '行政裁决', '其他行政权力', '公共服务'] as const;

/** Life events (人生事件) and the enterprise lifecycle (企业生命周期) an item can be browsed by. */
export const LIFE_EVENTS = [
  { key: 'birth', audience: 'person', zh: '出生', en: 'Birth' },
  { key: 'education', audience: 'person', zh: '上学', en: 'Education' },
  { key: 'employment', audience: 'person', zh: '就业', en: 'Employment' },
  { key: 'marriage', audience: 'person', zh: '婚育', en: 'Marriage and children' },
  { key: 'housing', audience: 'person', zh: '住房', en: 'Housing' },
  { key: 'medical', audience: 'person', zh: '就医', en: 'Health care' },
  { key: 'travel', audience: 'person', zh: '出行', en: 'Travel' },
  { key: 'retirement', audience: 'person', zh: '退休', en: 'Retirement' },
  { key: 'death', audience: 'person', zh: '身后事', en: 'Death' },
  { key: 'start-business', audience: 'enterprise', zh: '开办', en: 'Starting a business' },
  { key: 'operation', audience: 'enterprise', zh: '经营', en: 'Operating' },
  { key: 'change', audience: 'enterprise', zh: '变更', en: 'Changes' },
  { key: 'closure', audience: 'enterprise', zh: '注销', en: 'Closing down' },
] as const;
export const LIFE_EVENT_KEYS = LIFE_EVENTS.map((e) => e.key);

export const CHANNELS = { window: '窗口办理', online: '网上办理', mail: '快递申请' } as const;
export const SERVICE_OBJECTS = { citizen: '自然人', enterprise: '企业法人', organisation: '其他组织' } as const;
export const HANDLING = { instant: '即办件', promised: '承诺件' } as const;

export const DEFAULT_ACCEPT = ['application/pdf', 'image/jpeg', 'image/png'];
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export const KEY_PATTERN = '^[a-z][a-z0-9-]{1,63}$';
const DefinitionKey = Type.String({ pattern: '^[a-z][a-z0-9._-]{0,63}$' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Enum = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: 'string', enum: [...values] });

export const MaterialInput = Type.Object({
  id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }),
  name: Text(200),
  required: Type.Boolean(),
  source: Text(100),
  copies: Type.Integer({ minimum: 0, maximum: 20 }),
  licenseType: Type.Optional(Type.String({ pattern: '^[0-9A-HJ-NPQRTUWXY]{18}\\d{3}$', description: 'GB/T 36904 证照类型代码（定义机构统一社会信用代码 + 3 位）' })),
  accept: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z]+/([a-z0-9.+-]+|\\*)$' }), { minItems: 1, maxItems: 10, uniqueItems: true })),
  maxBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 50 * 1024 * 1024 })),
  note: Type.Optional(Text(500)),
}, { additionalProperties: false });

export const FeeInput = Type.Object({
  charged: Type.Boolean(),
  items: Type.Array(Type.Object({
    name: Text(100),
    amount: Type.String({ pattern: '^(0|[1-9]\\d{0,9})(\\.\\d{1,2})?$', description: '元 / yuan, e.g. "15.00"' }),
    basis: Text(300),
  }, { additionalProperties: false }), { maxItems: 20 }),
}, { additionalProperties: false });

export const ItemInput = Type.Object({
  key: Type.String({ pattern: KEY_PATTERN, description: '稳定标识 / stable slug, e.g. company-establishment' }),
  division: Type.String({ format: 'division-code' }),
  name: Text(100),
  basicCode: Type.String({ pattern: '^[0-9A-Z]{12}$', description: '基本编码 (12 位)' }),
  code: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{12,36}$', description: '实施编码 (≤ 36 位); 缺省为 基本编码 + 12 位区划代码' })),
  itemType: Enum(ITEM_TYPES),
  department: Type.Object({ code: Type.String({ pattern: '^[0-9A-Za-z_.-]{1,32}$' }), name: Text(100) }, { additionalProperties: false }),
  legalBasis: Type.Array(Text(500), { minItems: 1, maxItems: 20 }),
  conditions: Text(2000),
  legalDays: Type.Integer({ minimum: 0, maximum: 365 }),
  promisedDays: Type.Integer({ minimum: 0, maximum: 365 }),
  limitNote: Type.Optional(Text(500)),
  handling: Enum(Object.keys(HANDLING) as Array<keyof typeof HANDLING>),
  fees: FeeInput,
  channels: Type.Array(Enum(Object.keys(CHANNELS) as Array<keyof typeof CHANNELS>), { minItems: 1, uniqueItems: true }),
  onlineDepth: Type.Integer({ minimum: 0, maximum: 4, description: '网上办理深度 0–4 (四级 = 全程网办)' }),
  visits: Type.Integer({ minimum: 0, maximum: 5 }),
  serviceObjects: Type.Array(Enum(Object.keys(SERVICE_OBJECTS) as Array<keyof typeof SERVICE_OBJECTS>), { minItems: 1, uniqueItems: true }),
  place: Text(300),
  hours: Text(200),
  consultation: Text(300),
  complaint: Text(300),
  onlineUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
  formKey: Type.Union([Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }), Type.Null()]),
  workflowKey: DefinitionKey,
  materials: Type.Array(MaterialInput, { maxItems: 50 }),
  lifeEvents: Type.Array(Enum(LIFE_EVENT_KEYS), { maxItems: 10, uniqueItems: true }),
  keywords: Type.Optional(Type.Array(Text(30), { maxItems: 20, uniqueItems: true })),
}, { additionalProperties: false });
export type ItemInput = Static<typeof ItemInput>;
export type MaterialInput = Static<typeof MaterialInput>;

type Label = { 'zh-CN': string; en: string };
const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });

/** Field names for messages, by pointer with array indexes replaced by `*`. */
export const LABELS: Record<string, Label> = {
  '/key': L('事项标识', 'Key'), '/division': L('区划代码', 'Division'), '/name': L('事项名称', 'Name'),
  '/basicCode': L('基本编码', 'Basic code'), '/code': L('实施编码', 'Implementation code'), '/itemType': L('事项类型', 'Item type'),
  '/department': L('实施主体', 'Implementing body'), '/department/code': L('实施主体编码', 'Implementing body code'), '/department/name': L('实施主体名称', 'Implementing body name'),
  '/legalBasis': L('设定依据', 'Legal basis'), '/legalBasis/*': L('设定依据', 'Legal basis'), '/conditions': L('受理条件', 'Acceptance conditions'),
  '/legalDays': L('法定办结时限', 'Statutory time limit'), '/promisedDays': L('承诺办结时限', 'Promised time limit'), '/limitNote': L('时限说明', 'Time limit note'),
  '/handling': L('办件类型', 'Handling type'), '/fees': L('收费', 'Fees'), '/fees/charged': L('是否收费', 'Charged'), '/fees/items': L('收费项目', 'Fee items'),
  '/fees/items/*/name': L('收费项目名称', 'Fee name'), '/fees/items/*/amount': L('收费金额', 'Fee amount'), '/fees/items/*/basis': L('收费依据', 'Fee basis'),
  '/channels': L('办理形式', 'Handling form'), '/channels/*': L('办理形式', 'Handling form'), '/onlineDepth': L('网上办理深度', 'Online depth'),
  '/visits': L('到办事现场次数', 'Visits needed'), '/serviceObjects': L('服务对象', 'Service object'), '/serviceObjects/*': L('服务对象', 'Service object'),
  '/place': L('办理地点', 'Place'), '/hours': L('办理时间', 'Hours'), '/consultation': L('咨询方式', 'Consultation'), '/complaint': L('监督投诉方式', 'Complaints'),
  '/onlineUrl': L('网上办理地址', 'Online URL'), '/formKey': L('申请表单', 'Form'), '/workflowKey': L('办理流程', 'Workflow'),
  '/materials': L('申请材料', 'Materials'), '/materials/*/id': L('材料标识', 'Material id'), '/materials/*/name': L('材料名称', 'Material name'),
  '/materials/*/required': L('是否必需', 'Required'), '/materials/*/source': L('材料来源', 'Source'), '/materials/*/copies': L('份数', 'Copies'),
  '/materials/*/licenseType': L('可替代的电子证照类型', 'E-license type'), '/materials/*/accept': L('文件类型', 'File types'),
  '/materials/*/maxBytes': L('文件大小上限', 'Maximum size'), '/materials/*/note': L('材料说明', 'Material note'),
  '/lifeEvents': L('主题分类', 'Life events'), '/lifeEvents/*': L('主题分类', 'Life events'), '/keywords': L('关键词', 'Keywords'), '/keywords/*': L('关键词', 'Keywords'),
};

/** 「材料名称」 / 第 2 项申请材料「材料名称」 for a pointer inside the item (without /body). */
export function labelOf(pointer: string, lang: 'zh-CN' | 'en'): string | null {
  const generic = pointer.replace(/\/\d+(?=\/|$)/g, '/*');
  const label = LABELS[generic] ?? LABELS[generic.replace(/\/\*$/, '')];
  if (!label) return null;
  const m = /^\/(materials|fees\/items)\/(\d+)\//.exec(pointer);
  if (!m) return lang === 'en' ? label.en : `「${label['zh-CN']}」`;
  const n = Number(m[2]) + 1;
  if (lang === 'en') return `${m[1] === 'materials' ? 'Material' : 'Fee item'} ${n}: ${label.en}`;
  return `第 ${n} 项${m[1] === 'materials' ? '申请材料' : '收费项目'}「${label['zh-CN']}」`;
}
