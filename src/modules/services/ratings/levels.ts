// The national rating scale and indicator sets (GB/T 39735 / 39734, provincial spec quoted in
// domain-standards §2). Standardised and versioned, not locally editable — so they are code.
import type { FieldError } from '../../../core/http/errors.js';

export const LEVELS = [
  { stars: 5, code: 'very-satisfied', 'zh-CN': '非常满意', en: 'Very satisfied' },
  { stars: 4, code: 'satisfied', 'zh-CN': '满意', en: 'Satisfied' },
  { stars: 3, code: 'basically-satisfied', 'zh-CN': '基本满意', en: 'Basically satisfied' },
  { stars: 2, code: 'dissatisfied', 'zh-CN': '不满意', en: 'Dissatisfied' },
  { stars: 1, code: 'very-dissatisfied', 'zh-CN': '非常不满意', en: 'Very dissatisfied' },
] as const;

/** 不满意 and 非常不满意 are 差评; the three others are 好评. */
export const isBad = (stars: number) => stars <= 2;
export const levelOf = (stars: number) => LEVELS.find((l) => l.stars === stars)!;

export type ServiceType = 'online' | 'offline';

/** `overall` (整体满意度) is the rating's level itself; the others are optional stars. Version 1. */
export const INDICATORS: Record<ServiceType, Array<{ code: string; 'zh-CN': string; en: string }>> = {
  online: [
    { code: 'overall', 'zh-CN': '整体满意度', en: 'Overall satisfaction' },
    { code: 'efficiency', 'zh-CN': '办事效率', en: 'Efficiency' },
    { code: 'guide-accuracy', 'zh-CN': '办事指南精确度', en: 'Accuracy of the service guide' },
    { code: 'convenience', 'zh-CN': '办事便捷度', en: 'Convenience' },
    { code: 'usability', 'zh-CN': '平台操作性', en: 'Ease of use of the platform' },
  ],
  offline: [
    { code: 'overall', 'zh-CN': '整体满意度', en: 'Overall satisfaction' },
    { code: 'efficiency', 'zh-CN': '服务效率', en: 'Efficiency' },
    { code: 'service-level', 'zh-CN': '服务水平', en: 'Service level' },
    { code: 'attitude', 'zh-CN': '服务态度', en: 'Attitude' },
  ],
};
export const INDICATOR_VERSION = 1;

export interface RatingInput {
  level: number;
  indicators?: Record<string, number>;
  comment?: string | null;
}

export const COMMENT_MAX = 500;

/**
 * Every problem with a rating's content, at once. The level has no default anywhere: a rater
 * who did not choose has not rated (no hinting, GB/T 39734 §4.1).
 */
export function ratingProblems(input: RatingInput, type: ServiceType, at = '/body'): FieldError[] {
  const out: FieldError[] = [];
  if (!Number.isInteger(input.level) || input.level < 1 || input.level > 5) {
    out.push({ pointer: `${at}/level`, code: 'enum', message: '评价等级须为 1–5（非常不满意 … 非常满意）/ level must be 1–5' });
  }
  const allowed = new Set(INDICATORS[type].map((i) => i.code));
  for (const [code, stars] of Object.entries(input.indicators ?? {})) {
    if (code === 'overall') {
      if (stars !== input.level) out.push({ pointer: `${at}/indicators/overall`, code: 'mismatch', message: '整体满意度须与评价等级一致 / overall must equal the level' });
    } else if (!allowed.has(code)) {
      out.push({ pointer: `${at}/indicators/${code}`, code: 'unknown', message: `「${type === 'online' ? '网上' : '线下'}」评价没有指标 ${code} / no such ${type} indicator` });
    } else if (!Number.isInteger(stars) || stars < 1 || stars > 5) {
      out.push({ pointer: `${at}/indicators/${code}`, code: 'enum', message: '指标评分须为 1–5 / indicator stars must be 1–5' });
    }
  }
  const comment = input.comment ?? '';
  if ([...comment].length > COMMENT_MAX) out.push({ pointer: `${at}/comment`, code: 'maxLength', message: `评价内容不超过 ${COMMENT_MAX} 字 / at most ${COMMENT_MAX} characters` });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(comment)) out.push({ pointer: `${at}/comment`, code: 'pattern', message: '评价内容含有不可见控制字符 / control characters are not allowed' });
  return out;
}

/** The stored indicator map: always with `overall`, only known codes. */
export function normaliseIndicators(input: RatingInput): Record<string, number> {
  return { ...(input.indicators ?? {}), overall: input.level };
}
