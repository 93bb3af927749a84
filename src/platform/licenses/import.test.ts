// Bulk import of existing licenses (存量证照): per-row report, all rows or none, signed like any other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, LI_ID, SHOP_USCC, TYPE_CODE, WUHUA_BUREAU, ZHANG_ID, type World } from './fixtures/world.js';
import { parseCsv, XLSX_TYPE } from './import.js';
import ExcelJS from 'exceljs';

describe('bulk import of existing licenses', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
    await w.defineType();
  });
  afterAll(() => w.close());

  const url = (dryRun = false) => `/api/licenses/import?typeCode=${TYPE_CODE}&issuerCode=${WUHUA_BUREAU}&issuerName=${encodeURIComponent('昆明市五华区市场监督管理局')}&division=530102${dryRun ? '&dryRun=true' : ''}`;
  const post = (csv: string, dryRun = false, who: 'approver' | 'qj_approver' = 'approver') =>
    w.app.inject({ method: 'POST', url: url(dryRun), headers: { authorization: `Bearer lc:${who}`, 'content-type': 'text/csv' }, payload: csv });
  const HEADER = '持证主体*,持证主体代码类型*,持证主体代码*,证照编号,颁证日期,有效期止,名称,经营场所,经营范围,从业人数';

  it('parses RFC 4180 CSV (BOM, quotes, escaped quotes, line breaks in quotes, CRLF)', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, ""y""","line1\nline2"\r\n\r\n')).toEqual([['a', 'b'], ['x, "y"', 'line1\nline2']]);
  });

  it('reports every bad row and column, and writes nothing', async () => {
    const csv = [HEADER,
      `张三,111,${ZHANG_ID},JY001,2020-05-01,2025-04-30,张三小吃,五华区1号,热食类,3`,
      `李四,111,530102199001011239,JY002,2021-01-01,2026-12-31,李四小吃,,热食类,x`,
      `云岭小吃店,009,${SHOP_USCC},JY003,2021-01-01,,云岭小吃,五华区3号,热食类,2`,
      `张三,111,${ZHANG_ID},JY001,2020-05-01,2025-04-30,张三小吃,五华区1号,热食类,3`,
    ].join('\r\n');
    const r = await post(csv);
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ ok: false, created: 0, rows: 4 });
    const cells = body.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`);
    expect(cells).toEqual(expect.arrayContaining(['3:持证主体代码', '3:经营场所', '3:从业人数', '4:持证主体代码类型', '5:证照编号']));
    expect(cells.some((c: string) => c.startsWith('2:'))).toBe(false);
    const n = await w.core.db.selectFrom('license').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('imports a clean file in one go (dry run first), each license signed and verifiable, keeping the old dates', async () => {
    const csv = [HEADER,
      `张三,111,${ZHANG_ID},JY101,2020-05-01,2025-04-30,张三小吃,五华区1号,热食类,3`,
      `李四,111,${LI_ID},JY102,2024-01-01,长期,李四小吃,五华区2号,冷食类,1`,
    ].join('\n');
    expect((await post(csv, true)).json()).toMatchObject({ ok: true, dryRun: true, created: 2, identifiers: [] });
    const r = (await post(csv)).json();
    expect(r).toMatchObject({ ok: true, created: 2 });
    const [a, b] = r.identifiers;
    expect(await w.ok('anonymous', 'GET', `/api/licenses/${a}/verify`)).toMatchObject({ signatureValid: true, status: 'expired', issuedOn: '2020-05-01', licenseNumber: 'JY101' });
    expect(await w.ok('anonymous', 'GET', `/api/licenses/${b}/verify`)).toMatchObject({ signatureValid: true, status: 'valid', validUntil: null });
    expect((await w.ok('li', 'GET', '/api/licenses/mine')).items.map((l: { identifier: string }) => l.identifier)).toEqual([b]);
  });

  it('refuses an importer outside the jurisdiction and a file without the required columns', async () => {
    expect((await post(`${HEADER}\n张三,111,${ZHANG_ID},JY9,,,a,b,c,1`, false, 'qj_approver')).statusCode).toBe(403);
    const r = (await post('名称,经营场所\n甲,乙')).json();
    expect(r.errors.map((e: { code: string; column: string }) => `${e.code}:${e.column}`)).toEqual(['missing-column:持证主体', 'missing-column:持证主体代码类型', 'missing-column:持证主体代码']);
  });

  async function xlsx(rows: unknown[][], opts: { blankRowAfterHeader?: boolean } = {}): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('存量证照');
    ws.addRow(HEADER.split(','));
    if (opts.blankRowAfterHeader) ws.addRow([]);
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const postXlsx = (file: Buffer, dryRun = false) =>
    w.app.inject({ method: 'POST', url: url(dryRun), headers: { authorization: 'Bearer lc:approver', 'content-type': XLSX_TYPE }, payload: file });

  it('imports a real .xlsx (Excel date cells, numbers, text) and reports bad rows by their spreadsheet row number', async () => {
    const SHOP2 = '91530102MA6K0000XX';
    const bad = await xlsx([
      ['王五', '111', '530102199001011239', 'JYX01', new Date(Date.UTC(2022, 2, 1)), '长期', '王五小吃', '五华区5号', '热食类', 2],
      ['赵六小吃店', '001', SHOP2, 'JYX02', '2022-03-02', '2027-03-01', '赵六小吃', '', '冷食类', 'x'],
    ], { blankRowAfterHeader: true });
    const r = await postXlsx(bad);
    expect(r.statusCode, r.body).toBe(200);
    const report = r.json();
    expect(report).toMatchObject({ ok: false, created: 0, rows: 2 });
    const cells = report.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`);
    // Row 2 is blank in the sheet, so the data rows are 3 and 4.
    expect(cells).toEqual(expect.arrayContaining(['3:持证主体代码', '4:持证主体代码', '4:经营场所', '4:从业人数']));

    const good = await xlsx([
      ['王五', '111', ZHANG_ID, 'JYX11', new Date(Date.UTC(2022, 2, 1)), '长期', '王五小吃', '五华区5号', '热食类', 2],
      ['云岭小吃店', '001', SHOP_USCC, 'JYX12', '2023-06-30', '2028-06-29', '云岭小吃', '五华区6号', '冷食类', 4],
    ]);
    expect((await postXlsx(good, true)).json()).toMatchObject({ ok: true, dryRun: true, created: 2 });
    const done = (await postXlsx(good)).json();
    expect(done).toMatchObject({ ok: true, created: 2 });
    const v = await w.ok('anonymous', 'GET', `/api/licenses/${done.identifiers[0]}/verify`);
    expect(v).toMatchObject({ signatureValid: true, issuedOn: '2022-03-01', validUntil: null, licenseNumber: 'JYX11' });
    const full = await w.ok('approver', 'GET', `/api/licenses/${done.identifiers[1]}`);
    expect(full.faceData).toEqual({ 名称: '云岭小吃', 经营场所: '五华区6号', 经营范围: '冷食类', 从业人数: 4 });
  });

  it('refuses a file that is not a readable .xlsx with a clear reason', async () => {
    const r = await postXlsx(Buffer.from('PK\u0003\u0004 not really a zip'));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ pointer: '/body', code: 'xlsx' });
  });
});
