import { describe, expect, it } from 'vitest';
import { maskMobile, maskName, maskResidentId } from './index.js';

describe('masking', () => {
  it('maskResidentId keeps the first 4 and last 4', () => {
    expect(maskResidentId('530102199003071234')).toBe('5301**********1234');
    expect(maskResidentId('11010519491231002X')).toBe('1101**********002X');
    expect(maskResidentId('12345678')).toBe('********');
    expect(maskResidentId('')).toBe('');
  });

  it('maskMobile shows 3 + 4 digits and normalises first', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskMobile('+86 138-1234-5678')).toBe('138****5678');
    expect(maskMobile('12345')).toBe('*****');
    expect(maskMobile('087165123456')).toBe('087*****3456');
  });

  it('maskName keeps the surname, including compound surnames', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('欧阳修')).toBe('欧阳*');
    expect(maskName('诸葛亮')).toBe('诸葛*');
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('王')).toBe('*');
    expect(maskName('买买提·艾力')).toBe('买**·**');
    expect(maskName('John Smith')).toBe('J*** *****');
    expect(maskName('𠮷野家')).toBe('𠮷**'); // astral-plane character counted once
    expect(maskName('  李四  ')).toBe('李*');
    expect(maskName('')).toBe('');
  });
});
