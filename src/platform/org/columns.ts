// The columns of the two import sheets. The Chinese header is what the template writes and what
// the report names; English names and a few aliases are accepted in uploaded files as well.
import type { LocalizedText } from '../../core/validators/index.js';

export type ImportKind = 'departments' | 'staff';

export interface Column {
  key: string;
  /** Header as written in the template and named in the report. */
  header: string;
  en: string;
  required: boolean;
  aliases: string[];
  /** One line of guidance for the template's 填写说明 sheet. */
  note: LocalizedText;
}

export const DEPARTMENT_COLUMNS: Column[] = [
  { key: 'division', header: '区划代码', en: 'Division code', required: true, aliases: ['行政区划代码', 'division'], note: { 'zh-CN': '6、9 或 12 位行政区划代码，须在您的管辖范围内', en: 'Division code (6, 9 or 12 digits) within your scope' } },
  { key: 'code', header: '部门编码', en: 'Department code', required: true, aliases: ['部门代码', 'code'], note: { 'zh-CN': '同一行政区划内唯一；字母、数字或 _ . -，最多 32 位', en: 'Unique within the division; letters, digits or _ . -, at most 32' } },
  { key: 'name', header: '部门名称', en: 'Department name', required: true, aliases: ['name'], note: { 'zh-CN': '最多 100 字', en: 'At most 100 characters' } },
  { key: 'parentCode', header: '上级部门编码', en: 'Parent department code', required: false, aliases: ['上级部门代码', 'parent', 'parentcode'], note: { 'zh-CN': '可空；须为同一行政区划中已有的部门或本文件中的部门', en: 'Optional; a department of the same division, existing or in this file' } },
];

export const STAFF_COLUMNS: Column[] = [
  { key: 'username', header: '用户名', en: 'Username', required: true, aliases: ['username'], note: { 'zh-CN': '3–64 位字母、数字或 _ . @ -，不能与已有账号重复', en: '3–64 letters, digits or _ . @ -; must be new' } },
  { key: 'name', header: '姓名', en: 'Name', required: true, aliases: ['name'], note: { 'zh-CN': '最多 100 字', en: 'At most 100 characters' } },
  { key: 'mobile', header: '手机号', en: 'Mobile', required: false, aliases: ['手机号码', 'mobile'], note: { 'zh-CN': '可空；11 位大陆手机号码', en: 'Optional; mainland mobile number (11 digits)' } },
  { key: 'division', header: '区划代码', en: 'Division code', required: true, aliases: ['行政区划代码', 'division'], note: { 'zh-CN': '人员所在行政区划，须在您的管辖范围内', en: 'The staff member\'s division, within your scope' } },
  { key: 'department', header: '部门编码', en: 'Department code', required: false, aliases: ['部门代码', 'department'], note: { 'zh-CN': '可空；该行政区划中已有的部门编码（请先导入部门）', en: 'Optional; an existing department of that division (import departments first)' } },
  { key: 'post', header: '职务', en: 'Post', required: false, aliases: ['post'], note: { 'zh-CN': '可空；如 科长。填写时须同时填写部门编码；部门中没有该职务时自动添加', en: 'Optional, e.g. 科长; needs a department; added to the department when missing' } },
  { key: 'roles', header: '角色', en: 'Roles', required: false, aliases: ['roles'], note: { 'zh-CN': '可空；角色代码，多个用逗号分隔，如 window_clerk,approver', en: 'Optional; role codes separated by commas, e.g. window_clerk,approver' } },
  { key: 'password', header: '初始密码', en: 'Initial password', required: true, aliases: ['密码', 'password'], note: { 'zh-CN': '8–128 位，至少包含字母、数字、符号中的两类', en: '8–128 characters, at least two of letters, digits, symbols' } },
];

export const COLUMNS: Record<ImportKind, Column[]> = { departments: DEPARTMENT_COLUMNS, staff: STAFF_COLUMNS };

/** Header text → comparable form: NFKC, no spaces, no required-markers (* / （必填）), lower case. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .replace(/\((必填|选填|可选|可空)\)$/, '')
    .toLowerCase();
}

export function findColumn(columns: Column[], text: string): Column | undefined {
  const k = headerKey(text);
  if (!k) return undefined;
  return columns.find((c) => headerKey(c.header) === k || headerKey(c.en) === k || c.aliases.some((a) => headerKey(a) === k));
}
