// Display masking for personal data (lists, receipts, logs). Masking is for display only: it is not
// a protection for stored data (use encryption and blind indexes for that).
import { validateMobile } from './mobile.js';

/** '530102199001011234' → '5301**********1234'. Keeps the first 4 and last 4 characters. */
export function maskResidentId(id: string): string {
  const chars = Array.from((id ?? '').trim());
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return `${chars.slice(0, 4).join('')}${'*'.repeat(chars.length - 8)}${chars.slice(-4).join('')}`;
}

/** '13812345678' (or '+86 138-1234-5678') → '138****5678'. */
export function maskMobile(mobile: string): string {
  const r = validateMobile(mobile);
  const s = r.ok ? r.value : (mobile ?? '').replace(/\s+/g, '');
  if (s.length < 8) return '*'.repeat(s.length);
  return `${s.slice(0, 3)}${'*'.repeat(s.length - 7)}${s.slice(-4)}`;
}

/** Common two-character surnames (复姓): the whole surname stays visible. */
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯',
  '轩辕', '令狐', '端木', '独孤', '南宫', '西门', '百里', '呼延', '钟离', '澹台', '公冶', '太史', '申屠',
  '赫连', '闻人', '万俟', '拓跋', '司空', '濮阳', '淳于', '单于', '仲孙', '宗政', '公羊', '梁丘', '左丘',
  '东郭', '第五', '鲜于', '闾丘', '亓官', '司寇', '子车', '颛孙', '巫马', '公西', '漆雕', '乐正', '壤驷',
]);
const SEPARATOR = /[\s·•・.\-]/u;

/**
 * '张三' → '张*', '张三丰' → '张**', '欧阳娜娜' → '欧阳**', '买买提·艾力' → '买**·**',
 * 'John Smith' → 'J*** *****'. Keeps the surname (or first letter) and separators.
 */
export function maskName(name: string): string {
  const chars = Array.from((name ?? '').trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  const keep = chars.length > 2 && COMPOUND_SURNAMES.has(chars[0] + chars[1]) ? 2 : 1;
  return chars.map((ch, i) => (i < keep || SEPARATOR.test(ch) ? ch : '*')).join('');
}
