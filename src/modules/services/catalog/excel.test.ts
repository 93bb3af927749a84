import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { catalogWorld } from './test-world.js';
import { getItemVersion, loadServicesPack } from './index.js';
import { ITEM_COLUMNS } from './excel-columns.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let w: Awaited<ReturnType<typeof catalogWorld>>;
let exported: Buffer;

beforeAll(async () => {
  w = await catalogWorld();
  await loadServicesPack(w.core);
});
afterAll(() => w.close());

async function sheetRows(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((r) => out.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return out;
}

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('事项');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (who: string, file: Buffer, query = '', lang?: string) => w.app.inject({
  method: 'POST', url: `/api/services/items/import${query}`, payload: file,
  headers: { authorization: `Bearer ${who}`, 'content-type': XLSX, ...(lang ? { 'accept-language': lang } : {}) },
});

describe('Excel export', () => {
  it('exports the items in force in 五华区 (inherited and local), one row per item, in the import layout', async () => {
    const r = await w.app.inject({ method: 'GET', url: '/api/services/items/export?division=530102', headers: { authorization: 'Bearer wh' } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(XLSX);
    exported = r.rawPayload;
    const rows = await sheetRows(exported);
    expect(rows[0]).toEqual(ITEM_COLUMNS.map((c) => c.header));
    const byKey = new Map(rows.slice(1).map((row) => [row[0], row]));
    expect(byKey.size).toBe(34); // 35 pack items, one not implemented in 五华区
    const marriage = byKey.get('marriage-registration')!;
    expect(marriage.slice(1, 5)).toEqual(['内地居民结婚登记', '000117001000', '000117001000530102WH01', '530102']);
    expect(marriage[ITEM_COLUMNS.findIndex((c) => c.key === 'materials')]).toContain('id-card|本人有效的居民身份证|是|申请人自备|1|11100000000013127D001');
    expect((await w.call('wh', 'GET', '/api/services/items/export?division=530302')).statusCode).toBe(403);
    expect((await w.call('clerk', 'GET', '/api/services/items/export?division=530102')).statusCode).toBe(403);
  });
});

describe('Excel import', () => {
  it('re-importing an exported file publishes nothing new (every row unchanged)', async () => {
    const r = await upload('yn', exported);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ ok: true, dryRun: false, rows: 34, published: 0, unchanged: 34, errors: [] });
  });

  it('reports every bad row by row number and column in zh-CN, and writes nothing', async () => {
    const rows = await sheetRows(exported);
    const header = rows[0]!;
    const col = (key: string) => ITEM_COLUMNS.findIndex((c) => c.key === key);
    const base = rows.find((row) => row[0] === 'marriage-registration')!;
    const good = [...base]; good[col('hours')] = '周一至周日 9:00-17:00';
    const tooLong = [...base]; tooLong[0] = 'new-item-a'; tooLong[col('basicCode')] = '000117099000'; tooLong[col('code')] = ''; tooLong[col('legalDays')] = '1'; tooLong[col('promisedDays')] = '3'; tooLong[col('handling')] = '承诺件';
    const badCells = [...base]; badCells[0] = 'new-item-b'; badCells[col('basicCode')] = '000117098000'; badCells[col('code')] = ''; badCells[col('handling')] = '马上办'; badCells[col('visits')] = '两次'; badCells[col('workflowKey')] = 'no.such';
    const outside = [...base]; outside[0] = 'new-item-c'; outside[col('basicCode')] = '000117097000'; outside[col('code')] = ''; outside[col('division')] = '530302';
    const before = await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' });
    const r = await upload('wh', await xlsx([header, good, tooLong, badCells, outside]));
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ ok: false, rows: 4, published: 0 });
    expect(body.errors).toEqual(expect.arrayContaining([
      { row: 3, column: '承诺办结时限', code: 'promised-exceeds-legal', message: '「承诺办结时限」（3 个工作日）不能超过「法定办结时限」（1 个工作日）' },
      { row: 4, column: '办件类型', code: 'enum', message: '办件类型：只能是：即办件、承诺件' },
      { row: 4, column: '到办事现场次数', code: 'type', message: '到办事现场次数：应为整数' },
      expect.objectContaining({ row: 5, column: '区划代码', code: 'out-of-scope' }),
    ]));
    expect(body.errors.filter((e: { row: number }) => e.row === 2)).toEqual([]);
    // The good row was not published either: all rows or none.
    expect((await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' }))!.id).toBe(before!.id);
    expect(await getItemVersion(w.core.db, { key: 'new-item-a', division: '530102' })).toBeNull();
    const en = await upload('wh', await xlsx([header, tooLong]), '', 'en');
    expect(en.json().errors[0]).toMatchObject({ row: 2, column: 'Promised limit', message: 'Promised time limit (3 working days) must not exceed the statutory limit (1)' });
  });

  it('a reference that does not resolve is reported on its row; a dry run counts without writing; then the import publishes', async () => {
    const rows = await sheetRows(exported);
    const col = (key: string) => ITEM_COLUMNS.findIndex((c) => c.key === key);
    const base = rows.find((row) => row[0] === 'marriage-registration')!;
    const dangling = [...base]; dangling[col('workflowKey')] = 'no.such';
    const r1 = await upload('wh', await xlsx([rows[0]!, dangling]));
    expect(r1.json().errors).toEqual([expect.objectContaining({ row: 2, column: '办理流程', code: 'unknown-workflow' })]);

    const before = await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' });
    const changed = [...base]; changed[col('hours')] = '周一至周日 9:00-17:00';
    const dry = await upload('wh', await xlsx([rows[0]!, changed]), '?dryRun=true');
    expect(dry.json()).toEqual({ ok: true, dryRun: true, rows: 1, published: 1, unchanged: 0, errors: [] });
    expect((await getItemVersion(w.core.db, { key: 'marriage-registration', division: '530102' }))!.id).toBe(before!.id);
    const real = await upload('wh', await xlsx([rows[0]!, changed]));
    expect(real.json()).toMatchObject({ ok: true, published: 1 });
    const after = await w.ok(null, 'GET', '/api/services/items/marriage-registration?division=530102');
    expect(after).toMatchObject({ hours: '周一至周日 9:00-17:00', version: before!.version + 1 });
  });

  it('refuses what is not a spreadsheet and a file without a header', async () => {
    const notXlsx = await upload('wh', Buffer.from('hello'));
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().errors[0]).toMatchObject({ pointer: '/body', code: 'file' });
    const json = await w.app.inject({ method: 'POST', url: '/api/services/items/import', payload: { a: 1 }, headers: { authorization: 'Bearer wh' } });
    expect(json.statusCode).toBe(415);
  });
});
