// Bulk import of existing licenses (存量证照) from CSV or Excel (.xlsx, first worksheet, read with
// the org import's reader: exceljs after a zip-bomb check): one file, one type, one issuer, one
// jurisdiction (query parameters); one row per license. Every row is checked with the same rules
// as an API issuance and reported per row; only a file without a single error is written, in
// ONE transaction (all rows or none). Each imported license is signed like any other.
import type { Core } from '../../core/index.js';
import { AppError } from '../../core/http/errors.js';
import { assertMayIn, ISSUE, t, type Caller } from './access.js';
import { checkIssue, issueLicense, type IssueInput } from './issue.js';
import { getLicenseType } from './types.js';
import { readXlsx, SheetError, XLSX_TYPE } from '../org/sheet.js';

export { XLSX_TYPE };
export type ImportFormat = 'csv' | 'xlsx';

export const IMPORT_LIMITS = { bytes: 5 * 1024 * 1024, rows: 5000 };

export interface ImportTarget {
  typeCode: string;
  issuerCode: string;
  issuerName: string;
  division: string;
}

export interface ImportRowError {
  row: number;
  column: string;
  code: string;
  message: string;
}

export interface ImportReport {
  ok: boolean;
  dryRun: boolean;
  rows: number;
  created: number;
  identifiers: string[];
  errors: ImportRowError[];
}

/** RFC 4180: quoted fields, "" escapes, line breaks inside quotes, CRLF/LF; UTF-8 with or without BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unclosed quote');
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.some((v) => v.trim() !== ''));
}

const FIXED: Record<string, string> = { 持证主体: 'holderName', 持证主体代码类型: 'holderType', 持证主体代码: 'holderCode', 证照编号: 'number', 颁证日期: 'issuedOn', 有效期起: 'validFrom', 有效期止: 'validUntil' };
const COLUMN_OF: Record<string, string> = { '/holder/name': '持证主体', '/holder/codeType': '持证主体代码类型', '/holder/code': '持证主体代码', '/licenseNumber': '证照编号', '/issuedOn': '颁证日期', '/validFrom': '有效期起', '/validUntil': '有效期止' };

/** Rows of the file with the row number a spreadsheet shows (header = row 1 for .xlsx). */
async function readRows(file: Buffer, format: ImportFormat, L: Caller['lang']): Promise<Array<{ row: number; cells: string[] }>> {
  if (format === 'xlsx') {
    try {
      return (await readXlsx(file)).filter((r) => r.cells.some((v) => v.trim() !== ''));
    } catch (e) {
      if (e instanceof SheetError) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body', code: 'xlsx', message: t(L, e.text) }]);
      throw e;
    }
  }
  try {
    return parseCsv(file.toString('utf8')).map((cells, i) => ({ row: i + 1, cells }));
  } catch {
    throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body', code: 'csv', message: t(L, { 'zh-CN': '文件不是有效的 CSV（引号未闭合）', en: 'Not a valid CSV file (unclosed quote)' }) }]);
  }
}

export async function importLicenses(core: Core, caller: Caller, target: ImportTarget, file: Buffer, dryRun: boolean, format: ImportFormat = 'csv'): Promise<ImportReport> {
  const L = caller.lang;
  assertMayIn(caller.principal, ISSUE, target.division);
  const table = await readRows(file, format, L);
  const [headerRow, ...dataRows] = table;
  const header = headerRow?.cells;
  const data = dataRows.map((r) => r.cells);
  if (!header || !data.length) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body', code: 'empty', message: t(L, { 'zh-CN': '文件须有表头和至少一行数据', en: 'The file needs a header row and at least one data row' }) }]);
  if (data.length > IMPORT_LIMITS.rows) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/body', code: 'rows', message: t(L, { 'zh-CN': `最多 ${IMPORT_LIMITS.rows} 行`, en: `At most ${IMPORT_LIMITS.rows} rows` }) }]);
  const type = await getLicenseType(core.db, target.typeCode);
  if (!type) throw new AppError('VALIDATION_FAILED', undefined, [{ pointer: '/query/typeCode', code: 'unknown', message: t(L, { 'zh-CN': '证照类型不存在', en: 'Unknown license type' }) }]);
  const names = header.map((h) => h.trim().replace(/[*＊]|（必填）|\(required\)/g, ''));
  const props = (type.faceSchema.properties ?? {}) as Record<string, { title?: string; type?: string }>;
  const faceKey = (n: string) => (n in props ? n : Object.keys(props).find((k) => props[k]?.title === n));
  const errors: ImportRowError[] = [];
  const headerAt = headerRow!.row;
  for (const need of ['持证主体', '持证主体代码类型', '持证主体代码']) if (!names.includes(need)) errors.push({ row: headerAt, column: need, code: 'missing-column', message: t(L, { 'zh-CN': `缺少列：${need}`, en: `Missing column: ${need}` }) });
  if (errors.length) return { ok: false, dryRun, rows: data.length, created: 0, identifiers: [], errors };
  const inputs: IssueInput[] = data.map((cells) => {
    const fixed: Record<string, string> = {};
    const face: Record<string, unknown> = {};
    names.forEach((n, i) => {
      const v = (cells[i] ?? '').trim();
      if (FIXED[n]) fixed[FIXED[n]!] = v;
      else {
        const k = faceKey(n);
        if (k && v !== '') face[k] = props[k]?.type === 'integer' || props[k]?.type === 'number' ? (Number.isFinite(Number(v)) ? Number(v) : v) : v;
      }
    });
    return {
      ...target, holder: { name: fixed.holderName ?? '', codeType: fixed.holderType as '111' | '001', code: fixed.holderCode ?? '' }, faceData: face,
      ...(fixed.number ? { licenseNumber: fixed.number } : {}), ...(fixed.issuedOn ? { issuedOn: fixed.issuedOn } : {}),
      ...(fixed.validFrom ? { validFrom: fixed.validFrom } : {}), ...(fixed.validUntil ? { validUntil: fixed.validUntil === '长期' ? null : fixed.validUntil } : {}),
    };
  });
  const seen = new Map<string, number>();
  for (const [i, input] of inputs.entries()) {
    const row = dataRows[i]!.row;
    if (input.holder.codeType !== '111' && input.holder.codeType !== '001') {
      errors.push({ row, column: '持证主体代码类型', code: 'enum', message: t(L, { 'zh-CN': '应为 111（公民身份号码）或 001（统一社会信用代码）', en: 'Must be 111 (resident ID) or 001 (credit code)' }) });
      continue;
    }
    if (!input.holder.name) errors.push({ row, column: '持证主体', code: 'required', message: t(L, { 'zh-CN': '必填', en: 'Required' }) });
    const dupKey = `${input.holder.code.toUpperCase()}|${input.licenseNumber ?? ''}`;
    if (input.licenseNumber && seen.has(dupKey)) errors.push({ row, column: '证照编号', code: 'duplicate', message: t(L, { 'zh-CN': `与第 ${seen.get(dupKey)} 行重复`, en: `Repeats row ${seen.get(dupKey)}` }) });
    seen.set(dupKey, row);
    const checked = await checkIssue(core, core.db, caller, input, '');
    for (const e of checked.errors) {
      const column = COLUMN_OF[e.pointer] ?? (e.pointer.startsWith('/faceData/') ? (props[e.pointer.split('/')[2]!]?.title ?? e.pointer.split('/')[2]!) : e.pointer.slice(1));
      errors.push({ row, column, code: e.code, message: e.message });
    }
    if (errors.length >= 1000) break;
  }
  if (errors.length || dryRun) return { ok: errors.length === 0, dryRun, rows: data.length, created: errors.length ? 0 : dryRun ? inputs.length : 0, identifiers: [], errors };
  const identifiers = await core.db.transaction().execute(async (tx) => {
    const out: string[] = [];
    for (const input of inputs) out.push((await issueLicense(core, tx, caller, input)).identifier);
    return out;
  });
  return { ok: true, dryRun, rows: data.length, created: identifiers.length, identifiers, errors: [] };
}
