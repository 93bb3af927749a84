// 大写金额: the examples of the payment-settlement rules and the usual traps (zeros, 万/亿 sections).
import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount, rmbCapital } from './capital.js';

describe('Chinese capital amounts (大写金额)', () => {
  it.each([
    ['120', '壹佰贰拾元整'],
    ['0', '零元整'],
    ['0.5', '伍角'],
    ['0.05', '伍分'],
    ['10', '壹拾元整'],
    ['10.5', '壹拾元伍角'],
    ['1000.05', '壹仟元零伍分'],
    ['1680.32', '壹仟陆佰捌拾元叁角贰分'],
    ['107000.53', '壹拾万柒仟元伍角叁分'],
    ['100005', '壹拾万零伍元整'],
    ['1004.2', '壹仟零肆元贰角'],
    ['325.04', '叁佰贰拾伍元零肆分'],
    ['100000000', '壹亿元整'],
    ['100010000', '壹亿零壹万元整'],
    ['1200000000.99', '壹拾贰亿元玖角玖分'],
    ['6007.14', '陆仟零柒元壹角肆分'],
    ['16409.02', '壹万陆仟肆佰零玖元零贰分'],
    ['100700', '壹拾万零柒佰元整'],
    ['100007000', '壹亿零柒仟元整'],
  ])('%s → %s', (amount, capital) => {
    expect(rmbCapital(parseAmount(amount)!)).toBe(capital);
  });

  it('parses and formats amounts as integer fen, refusing anything else', () => {
    expect(parseAmount('120.5')).toBe(12050n);
    expect(formatAmount(12050n)).toBe('120.50');
    expect(formatAmount(5n)).toBe('0.05');
    for (const bad of ['', '-1', '1.234', '01', '1e3', ' 1', '１２', '1,000']) expect(parseAmount(bad)).toBeNull();
  });
});
