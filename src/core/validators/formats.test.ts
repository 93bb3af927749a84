import { describe, expect, it } from 'vitest';
import { formats } from './index.js';

describe('JSON Schema format checkers', () => {
  it('accept canonical values', () => {
    expect(formats['resident-id']('11010519491231002X')).toBe(true);
    expect(formats.uscc('91350100M000100Y43')).toBe(true);
    expect(formats['mobile-cn']('13812345678')).toBe(true);
    for (const c of ['530000', '530102', '530102001', '530102001001']) expect(formats['division-code'](c)).toBe(true);
  });

  it('reject invalid values', () => {
    expect(formats['resident-id']('110105194912310021')).toBe(false);
    expect(formats.uscc('91350100M000100Y44')).toBe(false);
    expect(formats['mobile-cn']('12812345678')).toBe(false);
    expect(formats['division-code']('5301')).toBe(false);
  });

  it('reject valid but un-normalised input (normalise before storing)', () => {
    expect(formats['resident-id']('11010519491231002x')).toBe(false);
    expect(formats.uscc('91350100m000100y43')).toBe(false);
    expect(formats['mobile-cn']('+8613812345678')).toBe(false);
    expect(formats['division-code'](' 530102')).toBe(false);
    expect(formats['mobile-cn'](123 as unknown as string)).toBe(false);
  });
});
