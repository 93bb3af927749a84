// The hotline's fixed vocabularies (channels, demand types, refusal and return codes, emergency
// words) and the category tree shipped in packs/hotline/categories.yaml. Codes are stable and
// stored on orders; names are for display.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHANNELS = ['phone', 'web', 'app', 'mini-program', 'sms', 'email', 'police-110'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DEMAND_TYPES = ['咨询', '求助', '投诉', '举报', '意见建议', '表扬'] as const;
export type DemandType = (typeof DEMAND_TYPES)[number];

/** 不予受理 (domain-standards §1.2): the only reasons an intake may be refused. */
export const REFUSAL_REASONS: Record<string, string> = {
  'litigation': '属于诉讼、仲裁、纪检监察、行政复议、政府信息公开或信访程序的事项',
  'secret': '涉及国家秘密、商业秘密、个人隐私或违背公序良俗',
  'emergency': '紧急事项，已转110/119/120处置',
  'repeat': '已办结且无新情况、新理由的重复诉求',
  'unauthorised-query': '未经授权查询他人工单',
};

/** 退单 reasons (§1.3). Every return also carries its legal basis. */
export const RETURN_REASONS: Record<string, string> = {
  'wrong-territory': '属地不符',
  'unclear-ownership': '权属不清',
  'overlapping-duty': '职能交叉',
  'not-our-duty': '非本单位职责',
};

/** Words that make an intake suggest a transfer to 110 (§1.4): the operator decides. */
export const EMERGENCY_WORDS = ['打架', '斗殴', '持刀', '抢劫', '盗窃', '杀人', '绑架', '着火', '火灾', '爆炸', '跳楼', '自杀', '车祸', '煤气泄漏', '燃气泄漏', '有人受伤', '非法拘禁', '家暴', '砍人', '报警'];

export interface Category {
  code: string;
  name: string;
  /** Names from the root, joined with "/" (the 类目 path of §1.3). */
  path: string;
  parent: string | null;
  leaf: boolean;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const packFile = path.resolve(here, '../../../packs/hotline/categories.yaml');
let tree: Map<string, Category> | null = null;

/** The category tree, read once from the pack (YAML is loaded lazily: most requests never need it). */
export async function categories(): Promise<Map<string, Category>> {
  if (tree) return tree;
  const { parse } = await import('yaml');
  const raw = parse(fs.readFileSync(packFile, 'utf8')) as { categories: Array<{ code: string; name: string }> };
  const m = new Map<string, Category>();
  for (const c of raw.categories) {
    const parent = c.code.length > 2 ? c.code.slice(0, -2) : null;
    const p = parent ? m.get(parent) : null;
    if (parent && !p) throw new Error(`packs/hotline/categories.yaml: ${c.code} has no parent ${parent}`);
    if (m.has(c.code)) throw new Error(`packs/hotline/categories.yaml: duplicate ${c.code}`);
    m.set(c.code, { code: c.code, name: String(c.name), path: p ? `${p.path}/${c.name}` : String(c.name), parent, leaf: true });
    if (p) p.leaf = false;
  }
  tree = m;
  return m;
}

export function emergencyWordsIn(text: string): string[] {
  return EMERGENCY_WORDS.filter((w) => text.includes(w));
}
