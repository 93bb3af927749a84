// The spreadsheet layout of items: one row per item, one column per element. Lists inside a cell
// are one entry per line (设定依据, 收费项目, 申请材料) or separated by 、 , ， ; (办理形式, 服务对象,
// 主题分类, 关键词); the fields of one material / fee line are separated by |. Export writes exactly
// what import reads, so an exported file can be edited and imported back.
import type { Lang } from '../../../core/http/errors.js';
import { CHANNELS, DEFAULT_ACCEPT, DEFAULT_MAX_BYTES, HANDLING, LIFE_EVENTS, SERVICE_OBJECTS } from './schema.js';
import type { ItemGuide } from './contract.js';

export interface CellProblem { code: string; zh: string; en: string }
type Raw = Record<string, unknown>;

export interface ItemColumn {
  key: string;
  header: string;
  en: string;
  required: boolean;
  note: string;
  width: number;
  write(g: ItemGuide): string;
  /** Puts the parsed cell into the item being built; returns a problem for text it cannot read. */
  read(text: string, into: Raw): CellProblem | null;
}

const splitList = (s: string) => s.split(/[、,，;；\n]/).map((x) => x.trim()).filter(Boolean);
const lines = (s: string) => s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
const reverse = <T extends Record<string, string>>(m: T) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v, k])) as Record<string, keyof T>;
const yesNo = (s: string): boolean | null => (/^(是|y|yes|true|1)$/i.test(s) ? true : /^(否|n|no|false|0)$/i.test(s) ? false : null);

function text(key: string, header: string, en: string, required: boolean, note: string, width = 24, path: string[] = [key]): ItemColumn {
  return {
    key, header, en, required, note, width,
    write: (g) => String(path.reduce<unknown>((o, k) => (o as Raw | null)?.[k], g) ?? ''),
    read: (t, into) => {
      if (t === '') return null;
      let o = into;
      for (const k of path.slice(0, -1)) o = (o[k] ??= {}) as Raw;
      o[path[path.length - 1]!] = t;
      return null;
    },
  };
}

function integer(key: string, header: string, en: string, note: string): ItemColumn {
  return {
    key, header, en, required: true, note, width: 14,
    write: (g) => String((g as unknown as Raw)[key]),
    read: (t, into) => {
      if (t === '') return null;
      if (!/^\d+$/.test(t)) return { code: 'type', zh: '应为整数', en: 'must be a whole number' };
      into[key] = Number(t);
      return null;
    },
  };
}

function vocabulary(key: string, header: string, en: string, map: Record<string, string>, note: string): ItemColumn {
  const byLabel = reverse(map);
  return {
    key, header, en, required: true, note, width: 20,
    write: (g) => ((g as unknown as Raw)[key] as string[]).map((v) => map[v] ?? v).join('、'),
    read: (t, into) => {
      const values = splitList(t);
      const unknown = values.filter((v) => !byLabel[v] && !map[v]);
      if (unknown.length) return { code: 'enum', zh: `无法识别：${unknown.join('、')}（可填：${Object.values(map).join('、')}）`, en: `Unknown: ${unknown.join(', ')} (allowed: ${Object.values(map).join(', ')})` };
      into[key] = values.map((v) => byLabel[v] ?? v);
      return null;
    },
  };
}

const LIFE_EVENT_LABELS = Object.fromEntries(LIFE_EVENTS.map((e) => [e.key, e.zh]));

export const ITEM_COLUMNS: ItemColumn[] = [
  text('key', '事项标识', 'Key', true, '稳定标识，小写字母、数字和 -，如 company-establishment', 28),
  text('name', '事项名称', 'Name', true, '最多 100 字', 28),
  text('basicCode', '基本编码', 'Basic code', true, '12 位数字或大写字母', 16),
  text('code', '实施编码', 'Implementation code', false, '可空；缺省为 基本编码 + 12 位区划代码', 28),
  text('division', '区划代码', 'Division', true, '实施该事项的行政区划，须在您的管辖范围内', 12),
  text('itemType', '事项类型', 'Item type', true, '行政许可、行政确认、行政给付、公共服务等', 14),
  text('departmentCode', '实施主体编码', 'Body code', true, '组织机构目录中的部门编码', 14, ['department', 'code']),
  text('departmentName', '实施主体名称', 'Body name', true, '如 昆明市市场监督管理局', 24, ['department', 'name']),
  {
    key: 'legalBasis', header: '设定依据', en: 'Legal basis', required: true, note: '每行一条', width: 40,
    write: (g) => g.legalBasis.join('\n'),
    read: (t, into) => { if (t) into.legalBasis = lines(t); return null; },
  },
  text('conditions', '受理条件', 'Conditions', true, '最多 2000 字', 40),
  integer('legalDays', '法定办结时限', 'Statutory limit', '工作日'),
  integer('promisedDays', '承诺办结时限', 'Promised limit', '工作日，不得超过法定办结时限；即办件填 0'),
  text('limitNote', '时限说明', 'Limit note', false, '可空', 24),
  {
    key: 'handling', header: '办件类型', en: 'Handling', required: true, note: '即办件 或 承诺件', width: 10,
    write: (g) => HANDLING[g.handling],
    read: (t, into) => {
      if (!t) return null;
      const v = reverse(HANDLING)[t] ?? (t in HANDLING ? t : null);
      if (!v) return { code: 'enum', zh: '只能是：即办件、承诺件', en: 'must be 即办件 or 承诺件' };
      into.handling = v;
      return null;
    },
  },
  {
    key: 'charged', header: '是否收费', en: 'Charged', required: true, note: '是 或 否', width: 10,
    write: (g) => (g.fees.charged ? '是' : '否'),
    read: (t, into) => {
      if (!t) return null;
      const v = yesNo(t);
      if (v === null) return { code: 'enum', zh: '只能是：是、否', en: 'must be 是 or 否' };
      ((into.fees ??= { items: [] }) as Raw).charged = v;
      return null;
    },
  },
  {
    key: 'feeItems', header: '收费项目', en: 'Fee items', required: false, note: '每行一项：名称|金额（元）|收费依据', width: 40,
    write: (g) => g.fees.items.map((f) => `${f.name}|${f.amount}|${f.basis}`).join('\n'),
    read: (t, into) => {
      const fees = (into.fees ??= { items: [] }) as Raw;
      const out: Raw[] = [];
      for (const [i, l] of lines(t).entries()) {
        const p = l.split('|').map((x) => x.trim());
        if (p.length !== 3) return { code: 'format', zh: `第 ${i + 1} 行应为“名称|金额|收费依据”`, en: `Line ${i + 1} must be name|amount|basis` };
        out.push({ name: p[0], amount: p[1], basis: p[2] });
      }
      fees.items = out;
      return null;
    },
  },
  vocabulary('channels', '办理形式', 'Handling form', CHANNELS, '窗口办理、网上办理、快递申请，可多选'),
  integer('onlineDepth', '网上办理深度', 'Online depth', '0–4，四级为全程网办'),
  integer('visits', '到办事现场次数', 'Visits', '0–5'),
  vocabulary('serviceObjects', '服务对象', 'Service object', SERVICE_OBJECTS, '自然人、企业法人、其他组织，可多选'),
  text('place', '办理地点', 'Place', true, '', 28),
  text('hours', '办理时间', 'Hours', true, '', 28),
  text('consultation', '咨询方式', 'Consultation', true, '', 20),
  text('complaint', '监督投诉方式', 'Complaints', true, '', 20),
  text('onlineUrl', '网上办理地址', 'Online URL', false, '可空', 20),
  {
    key: 'formKey', header: '申请表单', en: 'Form', required: false, note: '已发布表单的标识；可空', width: 20,
    write: (g) => g.formKey ?? '',
    read: (t, into) => { into.formKey = t || null; return null; },
  },
  text('workflowKey', '办理流程', 'Workflow', true, '已发布流程的标识，如 svc.promised-1', 16),
  {
    key: 'materials', header: '申请材料', en: 'Materials', required: false, width: 60,
    note: '每行一项：材料标识|材料名称|是否必需（是/否）|来源|份数|可替代的电子证照类型（可空）[|文件类型（逗号分隔）|大小上限（字节）|说明]',
    write: (g) => g.materials.map((m) => {
      const base = [m.id, m.name, m.required ? '是' : '否', m.source, m.copies, m.licenseType ?? ''];
      const custom = m.accept.join(',') !== DEFAULT_ACCEPT.join(',') || m.maxBytes !== DEFAULT_MAX_BYTES || m.note;
      return (custom ? [...base, m.accept.join(','), m.maxBytes, m.note ?? ''] : base).join('|');
    }).join('\n'),
    read: (t, into) => {
      const out: Raw[] = [];
      for (const [i, l] of lines(t).entries()) {
        const p = l.split('|').map((x) => x.trim());
        if (p.length < 5 || p.length > 9) return { code: 'format', zh: `第 ${i + 1} 行应为“标识|名称|是否必需|来源|份数|电子证照类型”`, en: `Line ${i + 1} must be id|name|required|source|copies|licenseType` };
        const required = yesNo(p[2]!);
        if (required === null) return { code: 'format', zh: `第 ${i + 1} 行“是否必需”只能是 是 或 否`, en: `Line ${i + 1}: required must be 是 or 否` };
        if (!/^\d+$/.test(p[4]!) || (p[7] && !/^\d+$/.test(p[7]))) return { code: 'format', zh: `第 ${i + 1} 行“份数”和“大小上限”应为整数`, en: `Line ${i + 1}: copies and size must be whole numbers` };
        out.push({
          id: p[0], name: p[1], required, source: p[3], copies: Number(p[4]), ...(p[5] ? { licenseType: p[5] } : {}),
          ...(p[6] ? { accept: p[6].split(',').map((x) => x.trim()).filter(Boolean) } : {}), ...(p[7] ? { maxBytes: Number(p[7]) } : {}), ...(p[8] ? { note: p[8] } : {}),
        });
      }
      into.materials = out;
      return null;
    },
  },
  vocabulary('lifeEvents', '主题分类', 'Life events', LIFE_EVENT_LABELS, `可空，可多选：${LIFE_EVENTS.map((e) => e.zh).join('、')}`),
  {
    key: 'keywords', header: '关键词', en: 'Keywords', required: false, note: '可空；检索用的别名，用顿号分隔', width: 24,
    write: (g) => g.keywords.join('、'),
    read: (t, into) => { into.keywords = splitList(t); return null; },
  },
];
ITEM_COLUMNS.find((c) => c.key === 'lifeEvents')!.required = false;

/** Which column a problem at a pointer inside the item belongs to. */
export function columnOf(pointer: string): ItemColumn {
  const seg = pointer.split('/').filter(Boolean);
  const key = seg[0] === 'department' ? (seg[1] === 'name' ? 'departmentName' : 'departmentCode')
    : seg[0] === 'fees' ? (seg[1] === 'items' ? 'feeItems' : 'charged')
    : seg[0] ?? 'key';
  return ITEM_COLUMNS.find((c) => c.key === key) ?? ITEM_COLUMNS[0]!;
}

export const colText = (lang: Lang, c: ItemColumn) => (lang === 'en' ? c.en : c.header);
