// Reading an uploaded sheet into rows of text cells, for CSV and .xlsx alike, and writing the
// empty templates. CSV: RFC 4180 (quoted fields with "" escapes and line breaks inside quotes),
// with or without a byte-order mark, CRLF / LF / CR line ends, comma- or tab-separated, in UTF-8,
// UTF-16 (with BOM) or GB18030/GBK (what Excel for Chinese Windows writes for "CSV"). .xlsx: the
// first worksheet, via exceljs, after checking the zip so a small upload cannot expand to gigabytes.
import zlib from 'node:zlib';
import type ExcelJS from 'exceljs';

// exceljs costs ~30 MB of memory; it is loaded on the first import or template, not at start.
const excel = async () => (await import('exceljs')).default;
import type { LocalizedText } from '../../core/validators/index.js';
import { COLUMNS, type ImportKind } from './columns.js';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Limits for one upload. */
export const SHEET_LIMITS = {
  /** Raw upload size (both formats). */
  bytes: 5 * 1024 * 1024,
  /** Data rows (the header not counted). */
  rows: 5000,
  /** Columns read from each row; more are ignored. */
  columns: 64,
  /** Total uncompressed size of all entries of an .xlsx. */
  unzippedBytes: 64 * 1024 * 1024,
  zipEntries: 1000,
};

export interface SheetRow {
  /** Row number as a spreadsheet shows it: the header is row 1. */
  row: number;
  cells: string[];
}

/** The file cannot be read at all (as opposed to rows with bad values). */
export class SheetError extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
    this.name = 'SheetError';
  }
}

const bad = (zh: string, en: string) => new SheetError({ 'zh-CN': zh, en });

// ---------------------------------------------------------------------------------------------- CSV

/** Bytes → text: BOM first (UTF-8, UTF-16LE/BE); else strict UTF-8; else GB18030 (a superset of GBK). */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return new TextDecoder('utf-8').decode(buf.subarray(3));
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
}

/** The delimiter of the first line: a tab when it has tabs and no commas (Excel "Unicode text"), else a comma. */
function detectDelimiter(text: string): string {
  const end = text.search(/[\r\n]/);
  const first = end < 0 ? text : text.slice(0, end);
  return first.includes('\t') && !first.includes(',') ? '\t' : ',';
}

/**
 * Parses CSV text into records. Blank lines are kept as records with one empty cell, so that the
 * record number stays the row number a spreadsheet shows. A quote that opens a field must close it;
 * a quote inside an unquoted field is taken literally (as Excel does).
 */
export function parseCsv(input: string, maxRecords = Infinity): string[][] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delim = detectDelimiter(text);
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let atStart = true;
  let quoteRecord = 0;
  const endRecord = () => {
    record.push(field);
    records.push(record);
    record = [];
    field = '';
    atStart = true;
    if (records.length > maxRecords) throw bad(`文件超过 ${maxRecords - 1} 行数据`, `The file has more than ${maxRecords - 1} data rows`);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
      continue;
    }
    if (c === '"' && atStart) {
      inQuotes = true;
      atStart = false;
      quoteRecord = records.length + 1;
      continue;
    }
    if (c === delim) {
      record.push(field);
      field = '';
      atStart = true;
      continue;
    }
    if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      continue;
    }
    field += c;
    atStart = false;
  }
  if (inQuotes) throw bad(`第 ${quoteRecord} 行的引号没有闭合`, `Row ${quoteRecord} has a quote that is never closed`);
  if (record.length > 0 || !atStart || field !== '') endRecord();
  return records;
}

export function readCsv(buf: Buffer): SheetRow[] {
  const records = parseCsv(decodeText(buf), SHEET_LIMITS.rows + 1);
  return records.map((cells, i) => ({ row: i + 1, cells: cells.slice(0, SHEET_LIMITS.columns) }));
}

// --------------------------------------------------------------------------------------------- XLSX

/**
 * Checks an .xlsx (a zip) before it is unpacked: a well-formed central directory, few entries, a
 * bounded total size, and — by inflating each entry with a hard output cap — that no entry expands
 * beyond the size it declares. Throws SheetError otherwise.
 */
export function checkZip(buf: Buffer, limits = SHEET_LIMITS): void {
  const notXlsx = () => bad('文件不是有效的 .xlsx 格式（旧版 .xls 请另存为 .xlsx 或 CSV）', 'The file is not a valid .xlsx (save an old .xls as .xlsx or CSV)');
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) throw notXlsx();
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx();
  const entries = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff || cdOffset + cdSize > eocd) throw notXlsx();
  if (entries > limits.zipEntries) throw bad('文件内容过多', 'The file has too many parts');
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== 0x02014b50) throw notXlsx();
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    p += 46 + nameLen + extraLen + commentLen;
    if (compressed === 0xffffffff || size === 0xffffffff) throw notXlsx();
    total += size;
    if (total > limits.unzippedBytes) throw bad('文件解压后过大', 'The file is too large once unpacked');
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw notXlsx();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) throw notXlsx();
    const data = buf.subarray(start, start + compressed);
    if (method === 0) {
      if (compressed !== size) throw notXlsx();
    } else if (method === 8) {
      let out: Buffer;
      try {
        out = zlib.inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
      } catch {
        throw bad('文件已损坏或解压后过大', 'The file is damaged or too large once unpacked');
      }
      if (out.length !== size) throw notXlsx();
    } else throw notXlsx();
  }
}

/** A cell's value as the text a person sees (formulas give their cached result). */
export function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText((v as { result?: ExcelJS.CellValue }).result);
    if ('text' in v) return cellText((v as { text: ExcelJS.CellValue }).text);
    if ('error' in v) return '';
  }
  return '';
}

export async function readXlsx(buf: Buffer): Promise<SheetRow[]> {
  checkZip(buf);
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw bad('无法读取 Excel 文件，请确认文件未损坏且未加密', 'The Excel file cannot be read; check that it is not damaged or encrypted');
  }
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: SheetRow[] = [];
  let failed: SheetError | null = null;
  ws.eachRow({ includeEmpty: false }, (r, number) => {
    if (failed) return;
    if (rows.length > SHEET_LIMITS.rows) {
      failed = bad(`文件超过 ${SHEET_LIMITS.rows} 行数据`, `The file has more than ${SHEET_LIMITS.rows} data rows`);
      return;
    }
    const values = r.values as ExcelJS.CellValue[];
    const cells: string[] = [];
    for (let c = 1; c < Math.min(values.length, SHEET_LIMITS.columns + 1); c++) cells.push(cellText(values[c]));
    rows.push({ row: number, cells });
  });
  if (failed) throw failed;
  return rows;
}

export async function readSheet(buf: Buffer, type: 'csv' | 'xlsx'): Promise<SheetRow[]> {
  return type === 'csv' ? readCsv(buf) : readXlsx(buf);
}

// ---------------------------------------------------------------------------------------- templates

export const TEMPLATE_NAMES: Record<ImportKind, { zh: string; en: string }> = {
  departments: { zh: '部门导入模板', en: 'departments-template' },
  staff: { zh: '人员导入模板', en: 'staff-template' },
};

/** CSV template: the header line, with a UTF-8 BOM so that Excel opens it as UTF-8, and CRLF. */
export function csvTemplate(kind: ImportKind): Buffer {
  return Buffer.from(`\uFEFF${COLUMNS[kind].map((c) => c.header).join(',')}\r\n`, 'utf8');
}

/** .xlsx template: the header row (bold, frozen), every column formatted as text so that codes and
 *  mobile numbers keep their leading digits, and a 填写说明 sheet describing each column. */
export async function xlsxTemplate(kind: ImportKind): Promise<Buffer> {
  const wb = new (await excel()).Workbook();
  wb.creator = '云岭 Yunling';
  const ws = wb.addWorksheet(kind === 'departments' ? '部门' : '人员', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS[kind].map((c) => ({ header: c.header, key: c.key, width: Math.max(14, c.header.length * 4), style: { numFmt: '@' } }));
  ws.getRow(1).font = { bold: true };
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '列', width: 16 }, { header: '必填', width: 8 }, { header: '说明', width: 70 }];
  help.getRow(1).font = { bold: true };
  for (const c of COLUMNS[kind]) help.addRow([c.header, c.required ? '是' : '否', c.note['zh-CN']]);
  help.addRow([]);
  help.addRow(['', '', '请在第一个工作表中填写，第 1 行为表头；任何一行有误时整个文件都不会导入，可先用 dryRun=true 预检。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
