// 统一社会信用代码 (GB 32100-2015): authority (1) + category (1) + region (6, GB/T 2260)
// + organisation code (9, GB 11714 with its own check) + check (1).
import { clean, fail, PROVINCE_CODES, type LocalizedText, type ValidationResult } from './types.js';

export type UsccReason = 'empty' | 'format' | 'authority' | 'category' | 'region' | 'orgCode' | 'checksum';

export interface UsccInfo {
  authorityCode: string;
  authorityName: LocalizedText;
  categoryCode: string;
  categoryName: LocalizedText;
  /** Region code of the registering authority; 100000 for national-level registrations. */
  regionCode: string;
  /** The embedded GB 11714 organisation code, 9 characters (8 body + check). */
  organizationCode: string;
}

export type UsccResult = ValidationResult<UsccInfo, UsccReason>;

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

type Names = [zh: string, en: string];
const t = ([zh, en]: Names): LocalizedText => ({ 'zh-CN': zh, en });
const OTHER: Names = ['其他', 'Other'];

/** GB 32100-2015 Table 1 (with the later A and N codes): authority → its category codes. */
const AUTHORITIES: Record<string, { name: Names; categories: Record<string, Names> }> = {
  '1': { name: ['机构编制', 'Institutional establishment'], categories: { '1': ['机关', 'Government organ'], '2': ['事业单位', 'Public institution'], '3': ['编办直接管理机构编制的群众团体', 'Mass organisation under the establishment office'], '9': OTHER } },
  '2': { name: ['外交', 'Foreign affairs'], categories: { '1': ['外国常驻新闻机构', 'Resident foreign news agency'], '9': OTHER } },
  '3': { name: ['司法行政', 'Judicial administration'], categories: { '1': ['律师执业机构', 'Law firm'], '2': ['公证处', 'Notary office'], '3': ['基层法律服务所', 'Grassroots legal service office'], '4': ['司法鉴定机构', 'Forensic appraisal institution'], '5': ['仲裁委员会', 'Arbitration commission'], '9': OTHER } },
  '4': { name: ['文化', 'Culture'], categories: { '1': ['外国在华文化中心', 'Foreign cultural centre in China'], '9': OTHER } },
  '5': { name: ['民政', 'Civil affairs'], categories: { '1': ['社会团体', 'Social organisation'], '2': ['民办非企业单位', 'Private non-enterprise unit'], '3': ['基金会', 'Foundation'], '9': OTHER } },
  '6': { name: ['旅游', 'Tourism'], categories: { '1': ['外国旅游部门常驻代表机构', 'Resident office of a foreign tourism authority'], '2': ['港澳台地区旅游部门常驻内地（大陆）代表机构', 'Resident mainland office of a Hong Kong, Macao or Taiwan tourism authority'], '9': OTHER } },
  '7': { name: ['宗教', 'Religious affairs'], categories: { '1': ['宗教活动场所', 'Place of religious activity'], '2': ['宗教院校', 'Religious school'], '9': OTHER } },
  '8': { name: ['工会', 'Trade union'], categories: { '1': ['基层工会', 'Grassroots trade union'], '9': OTHER } },
  '9': { name: ['工商', 'Market regulation (industry and commerce)'], categories: { '1': ['企业', 'Enterprise'], '2': ['个体工商户', 'Individual business'], '3': ['农民专业合作社', 'Farmers’ cooperative'] } },
  A: { name: ['中央军委改革和编制办公室', 'CMC Reform and Establishment Office'], categories: { '1': ['军队事业单位', 'Military public institution'], '9': OTHER } },
  N: { name: ['农业', 'Agriculture'], categories: { '1': ['组级集体经济组织', 'Group-level collective economic organisation'], '2': ['村级集体经济组织', 'Village-level collective economic organisation'], '3': ['乡镇级集体经济组织', 'Township-level collective economic organisation'], '9': OTHER } },
  Y: { name: ['其他', 'Other'], categories: { '1': OTHER } },
};

/** Check character (position 18) for the first 17 characters; assumes they are in the alphabet. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** GB 11714 organisation-code check character for an 8-character body (digits, A=10 … Z=35). */
export function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

export function validateUscc(input: unknown): UsccResult {
  const s = clean(input).toUpperCase();
  if (s === '') return fail('empty', '请输入统一社会信用代码', 'Please enter the unified social credit code');
  if (s.length !== 18 || [...s].some((ch) => !ALPHABET.includes(ch))) {
    return fail(
      'format',
      '统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）',
      'The unified social credit code must be 18 digits or capital letters (excluding I, O, S, V and Z)',
    );
  }
  const authority = AUTHORITIES[s[0]];
  if (!authority) {
    return fail('authority', '统一社会信用代码的登记管理部门代码（第1位）不正确', 'The registration authority code (1st character) of the unified social credit code is not valid');
  }
  const category = authority.categories[s[1]];
  if (!category) {
    return fail('category', '统一社会信用代码的机构类别代码（第2位）不正确', 'The organisation category code (2nd character) of the unified social credit code is not valid');
  }
  const regionCode = s.slice(2, 8);
  if (!/^\d{6}$/.test(regionCode) || !(PROVINCE_CODES.has(regionCode.slice(0, 2)) || regionCode === '100000')) {
    return fail('region', '统一社会信用代码的行政区划码（第3至8位）不正确', 'The region code (characters 3–8) of the unified social credit code is not valid');
  }
  const organizationCode = s.slice(8, 17);
  if (orgCodeCheckChar(organizationCode.slice(0, 8)) !== organizationCode[8]) {
    return fail('orgCode', '统一社会信用代码中的组织机构代码（第9至17位）校验不正确', 'The organisation code (characters 9–17) inside the unified social credit code fails its check');
  }
  if (usccCheckChar(s) !== s[17]) {
    return fail('checksum', '统一社会信用代码校验位不正确', 'The check character of the unified social credit code is wrong');
  }
  return {
    ok: true,
    value: s,
    authorityCode: s[0],
    authorityName: t(authority.name),
    categoryCode: s[1],
    categoryName: t(category),
    regionCode,
    organizationCode,
  };
}
