// Excel export and import of items. Import checks every row first (shape, 承诺 ≤ 法定, scope,
// repeated keys, basic codes, form and workflow references) and reports each problem by row and
// column; only a file without any problem is published — all rows in ONE transaction.
import type { Core } from '../../../core/index.js';
import type { Tx } from '../../../core/db/types.js';
import { AppError, type Lang } from '../../../core/http/errors.js';
import type { SheetRow } from '../../../platform/org/sheet.js';
import { headerKey } from '../../../platform/org/columns.js';
import { ITEM_COLUMNS, colText, columnOf, type ItemColumn } from './excel-columns.js';
import { itemProblems } from './validate.js';
import { mayManage, publishInTx, referenceProblems, type Caller } from './service.js';
import { chainOf, listResolved } from './repo.js';
import { toItemGuide } from './contract.js';
import type { ItemInput } from './schema.js';

const excel = async () => (await import('exceljs')).default;
export const MAX_REPORTED_ERRORS = 1000;

export interface ItemImportError { row: number; column: string; code: string; message: string }
export interface ItemImportReport { ok: boolean; dryRun: boolean; rows: number; published: number; unchanged: number; errors: ItemImportError[]; truncated?: boolean }

const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

function findColumn(text: string): ItemColumn | undefined {
  const k = headerKey(text);
  return k ? ITEM_COLUMNS.find((c) => headerKey(c.header) === k || headerKey(c.en) === k || c.key.toLowerCase() === k) : undefined;
}

/** The items in force in `division` as an .xlsx (sheet 事项 + 填写说明). */
export async function exportItems(core: Core, division: string): Promise<Buffer> {
  const chain = chainOf(division);
  const rows = [];
  for (let offset = 0; ; offset += 500) {
    const page = await listResolved(core.db, { chain, limit: 500, offset });
    rows.push(...page.rows);
    if (page.rows.length < 500) break;
  }
  const wb = new (await excel()).Workbook();
  wb.creator = '云岭 Yunling';
  const ws = wb.addWorksheet('事项', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = ITEM_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width, style: { numFmt: '@', alignment: { wrapText: true, vertical: 'top' } } }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows.sort((a, b) => a.key.localeCompare(b.key))) {
    const g = toItemGuide(r);
    ws.addRow(Object.fromEntries(ITEM_COLUMNS.map((c) => [c.key, c.write(g)])));
  }
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '列', width: 16 }, { header: '必填', width: 8 }, { header: '说明', width: 80 }];
  help.getRow(1).font = { bold: true };
  for (const c of ITEM_COLUMNS) help.addRow([c.header, c.required ? '是' : '否', c.note]);
  help.addRow([]);
  help.addRow(['', '', '第一个工作表第 1 行为表头；任何一行有误时整个文件都不会导入，可先用 dryRun=true 预检。未改动的事项不会产生新版本。']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Row → item, with the problems of cells that could not be read. */
function rowToItem(r: SheetRow, index: Map<string, number>): { raw: Record<string, unknown>; problems: Array<{ column: ItemColumn; code: string; zh: string; en: string }> } {
  const raw: Record<string, unknown> = {};
  const problems: Array<{ column: ItemColumn; code: string; zh: string; en: string }> = [];
  for (const c of ITEM_COLUMNS) {
    const i = index.get(c.key);
    if (i === undefined) continue;
    const p = c.read((r.cells[i] ?? '').trim(), raw);
    if (p) problems.push({ column: c, ...p });
  }
  return { raw, problems };
}

export async function importItems(core: Core, caller: Caller, rows: SheetRow[], opts: { dryRun: boolean }): Promise<ItemImportReport | null> {
  const lang = caller.lang;
  const nonBlank = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = nonBlank[0];
  if (!header) return null;
  const errors: ItemImportError[] = [];
  const add = (row: number, column: ItemColumn, code: string, message: string) => errors.push({ row, column: colText(lang, column), code, message });
  const index = new Map<string, number>();
  header.cells.forEach((text, i) => {
    const c = findColumn(text);
    if (!c) return;
    if (index.has(c.key)) add(header.row, c, 'duplicate-column', t(lang, `表头中“${c.header}”列重复`, `The header has the column ${c.en} twice`));
    else index.set(c.key, i);
  });
  for (const c of ITEM_COLUMNS) if (c.required && !index.has(c.key)) add(header.row, c, 'missing-column', t(lang, `缺少必填列“${c.header}”`, `The required column ${c.header} (${c.en}) is missing`));
  const data = nonBlank.slice(1);
  const report = (published = 0, unchanged = 0): ItemImportReport => ({
    ok: errors.length === 0, dryRun: opts.dryRun, rows: data.length, published, unchanged,
    errors: errors.slice(0, MAX_REPORTED_ERRORS), ...(errors.length > MAX_REPORTED_ERRORS ? { truncated: true } : {}),
  });
  if (errors.length) return report();

  const parsed: Array<{ row: number; item: ItemInput }> = [];
  const seen = new Map<string, number>();
  for (const r of data) {
    const { raw, problems } = rowToItem(r, index);
    for (const p of problems) add(r.row, p.column, p.code, `${p.column.header}：${lang === 'en' ? p.en : p.zh}`);
    const bad = new Set(problems.map((p) => p.column.key));
    for (const e of itemProblems(raw, lang)) {
      const column = columnOf(e.pointer);
      if (!bad.has(column.key)) add(r.row, column, e.code, e.message);
    }
    const item = raw as ItemInput;
    if (typeof item.division === 'string' && /^\d{6}$/.test(item.division) && !mayManage(caller.principal, item.division)) {
      add(r.row, columnOf('/division'), 'out-of-scope', t(lang, `您无权管理行政区划 ${item.division} 的政务服务事项`, `You may not manage service items of division ${item.division}`));
    }
    const id = `${item.key}\u0000${item.division}`;
    const first = seen.get(id);
    if (first !== undefined) add(r.row, columnOf('/key'), 'duplicate', t(lang, `与第 ${first} 行重复（同一事项、同一区划）`, `Repeats row ${first} (same item and division)`));
    else seen.set(id, r.row);
    parsed.push({ row: r.row, item });
  }
  if (errors.length) return report();

  // References need the database; they are checked in the transaction that will write, so what is
  // checked is what is written. Any problem — or a dry run — rolls the whole file back.
  const counts = { published: 0, unchanged: 0 };
  const rollback = new Error('rollback');
  await core.db.transaction().execute(async (tx: Tx) => {
    for (const { row, item } of parsed) {
      const p = await referenceProblems(tx, item, lang, '');
      for (const e of [...p.validation, ...p.references]) add(row, columnOf(e.pointer), e.code, e.message);
    }
    if (errors.length) throw rollback;
    for (const { row, item } of parsed) {
      try {
        const r = await publishInTx(core, tx, caller, item, '');
        if (r.created) counts.published++;
        else counts.unchanged++;
      } catch (err) {
        // e.g. two rows of one new item with different basic codes: the second sees the first.
        if (!(err instanceof AppError) || !err.errors) throw err;
        for (const e of err.errors) add(row, columnOf(e.pointer), e.code, e.message);
      }
    }
    if (errors.length) throw rollback;
    // A dry run writes everything, counts it, and rolls it back: the counts are exactly what a real run would do.
    if (opts.dryRun) throw rollback;
  }).catch((err) => {
    if (err !== rollback) throw err;
  });
  return errors.length ? report() : report(counts.published, counts.unchanged);
}
