import { describe, expect, it } from 'vitest';
import { orgCodeCheckChar, usccCheckChar, validateUscc } from './index.js';

// Real codes, each re-checked by computation (see README). 11100000000019692K, also suggested,
// fails the check and is not used.
const REAL = [
  ['91350100M000100Y43', '9', '1', '350100'], // GB 32100 example
  ['11100000000013338W', '1', '1', '100000'], // 住房和城乡建设部
  ['111000000000131433', '1', '1', '100000'], // a ministry-level organ
  ['91110000802100433B', '9', '1', '110000'], // 北京百度网讯科技有限公司
  ['91440300708461136T', '9', '1', '440300'], // 深圳市腾讯计算机系统有限公司
  ['914403001922038216', '9', '1', '440300'], // 华为技术有限公司
  ['91110108551385082Q', '9', '1', '110108'], // 北京小米科技有限责任公司
] as const;

/** Builds a code with correct embedded and final checks from the first 16 characters. */
function make(first16: string): string {
  const withOrg = first16 + orgCodeCheckChar(first16.slice(8, 16));
  return withOrg + usccCheckChar(withOrg);
}

const reason = (s: unknown) => {
  const r = validateUscc(s);
  return r.ok ? 'ok' : r.reason;
};

describe('validateUscc (GB 32100)', () => {
  it.each(REAL)('accepts %s', (code, authority, category, region) => {
    const r = validateUscc(code);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.authorityCode, r.categoryCode, r.regionCode, r.organizationCode]).toEqual([authority, category, region, code.slice(8, 17)]);
  });

  it('describes the authority and category', () => {
    const r = validateUscc('91350100M000100Y43');
    expect(r.ok && r.authorityName['zh-CN']).toBe('工商');
    expect(r.ok && r.categoryName).toEqual({ 'zh-CN': '企业', en: 'Enterprise' });
    const s = validateUscc(make('52530100MJ000000'));
    expect(s.ok && s.categoryName['zh-CN']).toBe('民办非企业单位');
  });

  it('accepts every authority in the standard table', () => {
    for (const head of ['11', '12', '13', '19', '21', '31', '35', '41', '51', '52', '53', '61', '62', '71', '72', '81', '91', '92', '93', 'A1', 'N2', 'Y1']) {
      expect(reason(make(`${head}53010012345678`))).toBe('ok');
    }
  });

  it('normalises case, spaces and full-width characters', () => {
    for (const raw of ['91350100m000100y43', ' 9135 0100 M000 100Y 43 ', '９１３５０１００Ｍ０００１００Ｙ４３']) {
      const r = validateUscc(raw);
      expect(r.ok && r.value).toBe('91350100M000100Y43');
    }
  });

  it('reports empty and malformed input', () => {
    expect(reason('')).toBe('empty');
    expect(reason(null)).toBe('empty');
    expect(reason('91350100M000100Y4')).toBe('format');
    expect(reason('91350100M000100Y433')).toBe('format');
    for (const bad of ['I', 'O', 'S', 'V', 'Z', '-']) expect(reason(`91350100M000100${bad}43`)).toBe('format');
  });

  it('reports an unknown registration authority or category', () => {
    expect(reason(make('B1530100MA000000'))).toBe('authority');
    expect(reason(make('01530100MA000000'))).toBe('authority');
    expect(reason(make('94530100MA000000'))).toBe('category'); // 工商 has 1, 2, 3 only
    expect(reason(make('99530100MA000000'))).toBe('category');
    expect(reason(make('Y2530100MA000000'))).toBe('category');
    expect(reason(make('14530100MA000000'))).toBe('category');
  });

  it('reports a bad region code', () => {
    expect(reason(make('91990100MA000000'))).toBe('region');
    expect(reason(make('91100100MA000000'))).toBe('region'); // 10 only as exactly 100000
    expect(reason(make('9153A100MA000000'))).toBe('region');
  });

  it('reports a bad embedded organisation code check (GB 11714)', () => {
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
    expect(orgCodeCheckChar('00000001')).toBe('9'); // 11 - 2 = 9
    const good = make('91530100MA6K0000');
    const badOrg = good.slice(0, 16) + (good[16] === '1' ? '2' : '1');
    expect(reason(badOrg.slice(0, 17) + usccCheckChar(badOrg.slice(0, 17)))).toBe('orgCode');
  });

  it('reports a wrong final check character with a bilingual message', () => {
    const r = validateUscc('91350100M000100Y44');
    expect(r).toEqual({
      ok: false,
      reason: 'checksum',
      message: { 'zh-CN': '统一社会信用代码校验位不正确', en: 'The check character of the unified social credit code is wrong' },
    });
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('maps a computed check of 31 to 0', () => {
    // Search the checksum space for a body whose sum is ≡ 0 (mod 31).
    let found = '';
    for (let i = 0; i < 10_000 && !found; i++) {
      const code = make(`91530100${String(i).padStart(8, '0')}`);
      if (code.endsWith('0')) found = code;
    }
    expect(found).not.toBe('');
    expect(reason(found)).toBe('ok');
  });
});
