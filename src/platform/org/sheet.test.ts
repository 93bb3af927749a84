import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { cellText, checkZip, csvTemplate, decodeText, parseCsv, readCsv, readXlsx, SheetError, xlsxTemplate } from './sheet.js';
import { findColumn, STAFF_COLUMNS } from './columns.js';

/** A minimal zip writer (stored or deflated entries; sizes as given, so they can lie). */
function zip(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const comp = zlib.deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(comp.length, 18); lh.writeUInt32LE(size, 22); lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(comp.length, 20); ch.writeUInt32LE(size, 24); ch.writeUInt16LE(name.length, 28); ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, comp);
    central.push(ch, name);
    offset += lh.length + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(entries.length, 8); eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12); eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

describe('CSV', () => {
  it('parses quoted fields with commas, doubled quotes and line breaks, CRLF, LF and CR', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\n1,,3\r4,5,6';
    expect(parseCsv(text)).toEqual([['a', 'b', 'c'], ['x, y', 'say "hi"', 'two\r\nlines'], ['1', '', '3'], ['4', '5', '6']]);
  });

  it('keeps blank lines as records so that record numbers stay row numbers, and ignores one final line break', () => {
    expect(parseCsv('h\r\n\r\nv\r\n')).toEqual([['h'], [''], ['v']]);
    expect(readCsv(Buffer.from('h\n\nv\n')).map((r) => r.row)).toEqual([1, 2, 3]);
    expect(parseCsv('a,""')).toEqual([['a', '']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('takes a quote inside an unquoted field literally and refuses an unclosed quote, naming its row', () => {
    expect(parseCsv('5"号楼,x')).toEqual([['5"号楼', 'x']]);
    expect(() => parseCsv('a\nb\n"open,x\n')).toThrowError(SheetError);
    try {
      parseCsv('a\nb\n"open,x\n');
    } catch (err) {
      expect((err as SheetError).text['zh-CN']).toBe('第 3 行的引号没有闭合');
    }
  });

  it('reads tab-separated text (Excel "Unicode text") and UTF-16 with a BOM', () => {
    expect(parseCsv('a\tb\n1\t2')).toEqual([['a', 'b'], ['1', '2']]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('区划代码\t部门编码\r\n530102\tA1\r\n', 'utf16le')]);
    expect(readCsv(utf16).map((r) => r.cells)).toEqual([['区划代码', '部门编码'], ['530102', 'A1']]);
  });

  it('decodes UTF-8 with or without BOM, and GBK as Excel for Chinese Windows saves it', () => {
    expect(decodeText(Buffer.from('\uFEFF部门', 'utf8'))).toBe('部门');
    expect(decodeText(Buffer.from('部门', 'utf8'))).toBe('部门');
    const gbk = Buffer.from('c7f8bbaeb4fac2eb2cb2bfc3c5b1e0c2eb2cb2bfc3c5c3fbb3c60d0a3533303130322c47424b312ccee5bbaac7f8d0c5b7c3bed60d0a', 'hex');
    expect(readCsv(gbk).map((r) => r.cells)).toEqual([['区划代码', '部门编码', '部门名称'], ['530102', 'GBK1', '五华区信访局']]);
  });

  it('refuses more rows than the limit', () => {
    expect(() => parseCsv('h\n1\n2\n3\n', 3)).toThrowError(/more than 2 data rows/);
  });
});

describe('headers', () => {
  it('match the template header, an English name or an alias, ignoring spaces, full-width forms and required markers', () => {
    expect(findColumn(STAFF_COLUMNS, ' 用户名* ')?.key).toBe('username');
    expect(findColumn(STAFF_COLUMNS, '手机号码（必填）')?.key).toBe('mobile');
    expect(findColumn(STAFF_COLUMNS, 'Initial Password')?.key).toBe('password');
    expect(findColumn(STAFF_COLUMNS, '备注')).toBeUndefined();
  });
});

describe('xlsx', () => {
  it('reads the first worksheet, turning numbers, rich text, formulas and hyperlinks into text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(['用户名', '手机号', '区划代码']);
    ws.addRow([{ richText: [{ text: 'wang' }, { text: '.wu' }] }, 13912345678, { formula: '530100+2', result: 530102 }]);
    ws.addRow([]);
    ws.addRow([{ text: 'li', hyperlink: 'mailto:li@example.cn' }, '', 530103]);
    const rows = await readXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows).toEqual([
      { row: 1, cells: ['用户名', '手机号', '区划代码'] },
      { row: 2, cells: ['wang.wu', '13912345678', '530102'] },
      { row: 4, cells: ['li', '', '530103'] },
    ]);
    expect(cellText(new Date('2026-01-02T00:00:00Z'))).toBe('2026-01-02');
  });

  it('refuses files that are not zips, zip bombs, and entries that inflate beyond their declared size', async () => {
    await expect(readXlsx(Buffer.from('区划代码,部门编码\n'))).rejects.toThrowError(SheetError);
    const big = Buffer.alloc(80 * 1024 * 1024);
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', data: big }]);
    expect(bomb.length).toBeLessThan(200_000);
    expect(() => checkZip(bomb)).toThrowError(/too large once unpacked/);
    const liar = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(10 * 1024 * 1024), declaredSize: 1000 }]);
    expect(() => checkZip(liar)).toThrowError(/damaged or too large/);
    expect(() => checkZip(zip([{ name: 'a.xml', data: Buffer.from('<a/>') }]))).not.toThrow();
  });

  it('templates carry the header row (CSV with BOM and CRLF; xlsx as text-formatted columns with a guide sheet)', async () => {
    expect(csvTemplate('departments').toString('utf8')).toBe('\uFEFF区划代码,部门编码,部门名称,上级部门编码\r\n');
    const rows = await readXlsx(await xlsxTemplate('staff'));
    expect(rows).toEqual([{ row: 1, cells: ['用户名', '姓名', '手机号', '区划代码', '部门编码', '职务', '角色', '初始密码'] }]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsxTemplate('staff')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['人员', '填写说明']);
    expect(wb.worksheets[0]!.getColumn(3).numFmt).toBe('@');
  });
});
