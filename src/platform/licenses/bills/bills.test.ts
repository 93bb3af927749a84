// 财政电子票据: issued once per payment transaction, signed with the payee's key, verifiable in
// public with code + number + check code, refused when altered, in the payer's wallet, as a PDF
// that pdfsig verifies; every bad field named. Real app, real database, real pdfsig.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, SHOP_USCC, WUHUA_BUREAU, ZHANG_ID, type World } from '../fixtures/world.js';
import { poppler } from '../fixtures/poppler.js';
import { chinaDate } from '../access.js';

describe('e-bills (财政电子票据)', () => {
  let w: World;
  let paidAt: string;
  let tx = 0;
  beforeAll(async () => {
    w = await makeWorld();
    paidAt = new Date(w.core.clock.now().getTime() - 60_000).toISOString();
    // A payments system registered as an API client (client-credentials principal as identity builds it).
    w.app.authenticators.unshift(async (r) => (r.headers.authorization === 'Bearer pay:client'
      ? { id: 'client:payments', name: '统一公共支付平台', kind: 'client', permissions: new Set(['licenses:bill.issue']), scopes: ['530100'] }
      : null));
  });
  afterAll(() => w.close());

  const body = (over: Record<string, unknown> = {}) => ({
    transactionId: `WX4200001234202611${String(++tx).padStart(6, '0')}`, billType: '01', division: '530102',
    payee: { name: '昆明市五华区市场监督管理局', code: WUHUA_BUREAU },
    payer: { name: '张三', codeType: '111', code: ZHANG_ID },
    items: [
      { code: '103040101', name: '食品经营许可证工本费', quantity: 1, unit: '本', unitPrice: '20.00', amount: '20.00' },
      { code: '103040102', name: '检验检测费', quantity: 2, unit: '次', unitPrice: '50', amount: '100' },
    ],
    amount: '120.00', channel: 'wechat', paidAt, caseRef: 'YN530102-20261127-000009', ...over,
  });
  const confirm = (b: unknown, who = 'Bearer lc:clerk') => w.app.inject({ method: 'POST', url: '/api/licenses/bills', headers: { authorization: who }, payload: b as object });

  it('issues a signed bill after a payment, verifiable in public with code, number and check code (payer masked)', async () => {
    const r = await confirm(body());
    expect(r.statusCode, r.body).toBe(201);
    const bill = r.json();
    const year = chinaDate(new Date(paidAt)).slice(2, 4);
    expect(bill).toMatchObject({
      billCode: `530101${year}`, billType: { code: '01', name: '非税收入一般缴款书' }, total: '120.00', totalCapital: '壹佰贰拾元整',
      payee: { code: WUHUA_BUREAU }, payer: { name: '张三', codeType: '111', codeMasked: expect.stringMatching(/^5301\*+\d{4}$/) },
      payment: { channel: 'wechat', channelName: '微信支付' }, algorithm: 'SM2-with-SM3',
    });
    expect(bill.billNumber).toMatch(/^\d{10}$/);
    expect(bill.checkCode).toMatch(/^[2-9A-Z]{6}$/);
    const v = await w.ok('anonymous', 'GET', `/api/licenses/bills/${bill.billCode}/${bill.billNumber}/verify?checkCode=${bill.checkCode.toLowerCase()}`);
    expect(v).toMatchObject({ signatureValid: true, status: 'valid', total: '120.00', totalCapital: '壹佰贰拾元整', payer: { name: '张*' }, payee: { name: '昆明市五华区市场监督管理局' } });
    expect(JSON.stringify(v)).not.toContain(ZHANG_ID);
    // A wrong check code answers like an unknown bill.
    expect((await w.call('anonymous', 'GET', `/api/licenses/bills/${bill.billCode}/${bill.billNumber}/verify?checkCode=AAAAAA`)).statusCode).toBe(404);
    // The HTML page from the QR code.
    const page = await w.call('anonymous', 'GET', `/verify/bill/${bill.billCode}/${bill.billNumber}?checkCode=${bill.checkCode}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('票据真实：签名验证通过');
    expect(page.body).toContain('壹佰贰拾元整');
    // Audited, with an outbox event, in the same transaction.
    const ref = `${bill.billCode}-${bill.billNumber}`;
    const audit = await sql<{ action: string }>`SELECT action FROM audit_log WHERE object_id = ${ref}`.execute(w.core.db);
    expect(audit.rows.map((x) => x.action)).toContain('licenses.bill.issue');
    const events = await sql<{ type: string }>`SELECT type FROM outbox WHERE aggregate_id = ${ref}`.execute(w.core.db);
    expect(events.rows.map((x) => x.type)).toContain('licenses.bill.issued');
    // Offline copy: the signed document + signature verify against the payee's published key.
    const row = await w.core.db.selectFrom('license_bill').select(['canonical', 'signature']).where('bill_number', '=', bill.billNumber).where('bill_code', '=', bill.billCode).executeTakeFirstOrThrow();
    const keys = await w.ok('anonymous', 'GET', `/api/licenses/keys?issuerCode=${WUHUA_BUREAU}`);
    expect(keys.items.map((k: { keyId: string }) => k.keyId)).toContain(bill.keyId);
    const offline = await w.ok('anonymous', 'POST', '/api/licenses/bills/verify', { document: JSON.parse(row.canonical), signature: row.signature.toString('base64') });
    expect(offline).toEqual({ signatureValid: true, registered: true, matchesRegistry: true });
    const forged = { ...JSON.parse(row.canonical), total: '12.00' };
    expect((await w.ok('anonymous', 'POST', '/api/licenses/bills/verify', { document: forged, signature: row.signature.toString('base64') })).signatureValid).toBe(false);
  });

  it('a repeated payment confirmation gives the same bill once; the same transaction with other data is refused', async () => {
    const b = body();
    const [first, again] = await Promise.all([confirm(b), confirm(b)]);
    expect([first.statusCode, again.statusCode].sort()).toEqual([200, 201]);
    expect(first.json().billNumber).toBe(again.json().billNumber);
    const third = await confirm(b, 'Bearer pay:client');
    expect(third.statusCode).toBe(200);
    expect(third.json().checkCode).toBe(first.json().checkCode);
    const n = await w.core.db.selectFrom('license_bill').select((eb) => eb.fn.countAll<number>().as('n')).where('transaction_id', '=', b.transactionId).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
    const conflict = await confirm({ ...b, amount: '20.00', items: [b.items[0]] });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('refuses an altered bill: an edited column or edited signed text fails the signature check', async () => {
    const bill = (await confirm(body({ payer: { name: '昆明云岭小吃店', codeType: '001', code: SHOP_USCC } }))).json();
    const url = `/api/licenses/bills/${bill.billCode}/${bill.billNumber}/verify?checkCode=${bill.checkCode}`;
    expect((await w.ok('anonymous', 'GET', url)).signatureValid).toBe(true);
    const where = sql`bill_code = ${bill.billCode} AND bill_number = ${bill.billNumber}`;
    await sql`UPDATE license_bill SET canonical = replace(canonical, '"total":"120.00"', '"total":"12.00"') WHERE ${where}`.execute(w.core.db);
    expect((await w.ok('anonymous', 'GET', url)).signatureValid).toBe(false);
    await sql`UPDATE license_bill SET canonical = replace(canonical, '"total":"12.00"', '"total":"120.00"') WHERE ${where}`.execute(w.core.db);
    expect((await w.ok('anonymous', 'GET', url)).signatureValid).toBe(true);
    await sql`UPDATE license_bill SET payee_name = '某某单位' WHERE ${where}`.execute(w.core.db);
    const v = await w.ok('anonymous', 'GET', url);
    expect(v.signatureValid).toBe(false);
    const page = await w.call('anonymous', 'GET', `/verify/bill/${bill.billCode}/${bill.billNumber}?checkCode=${bill.checkCode}&lang=en`);
    expect(page.body).toContain('Signature check FAILED');
  });

  it('names every bad field at once (zh-CN and en), and writes nothing', async () => {
    const future = new Date(w.core.clock.now().getTime() + 3600_000).toISOString();
    const bad = body({
      payee: { name: '某局', code: '123' }, payer: { name: '李四', codeType: '111', code: '530102199001011230' },
      items: [{ name: '工本费', quantity: 1, unit: '本', amount: '0' }, { name: '检测费', quantity: 2, unit: '次', unitPrice: '50.00', amount: '90.00' }],
      amount: '95.00', paidAt: future,
    });
    const r = await confirm(bad);
    expect(r.statusCode, r.body).toBe(400);
    const pointers = r.json().errors.map((e: { pointer: string; code: string }) => `${e.pointer}:${e.code}`);
    expect(pointers).toEqual(expect.arrayContaining(['/body/payee/code:uscc', '/body/payer/code:resident-id', '/body/items/0/amount:amount', '/body/items/1/amount:mismatch', '/body/paidAt:future']));
    const en = await w.app.inject({ method: 'POST', url: '/api/licenses/bills', headers: { authorization: 'Bearer lc:clerk', 'accept-language': 'en' }, payload: body({ items: [{ name: 'a', quantity: 1, unit: 'x', amount: '10.00' }], amount: '20.00' }) });
    expect(en.json().errors).toEqual([expect.objectContaining({ pointer: '/body/amount', code: 'sum-mismatch', message: expect.stringContaining('10.00') })]);
    // Shape errors (unknown bill type and channel, missing payer, malformed amount) are named too.
    const shape = await confirm({ ...body({ billType: '99', channel: 'paypal', amount: '1.234' }), payer: undefined });
    expect(shape.statusCode).toBe(400);
    const sp = shape.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(sp).toEqual(expect.arrayContaining(['/body/billType', '/body/channel', '/body/amount', '/body/payer']));
    const n = await w.core.db.selectFrom('license_bill').select((eb) => eb.fn.countAll<number>().as('n')).where('transaction_id', 'in', [bad.transactionId]).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
  });

  it('only the payments client or cashiers of the division issue bills', async () => {
    expect((await confirm(body(), 'Bearer lc:qj_clerk')).statusCode).toBe(403); // another county
    expect((await confirm(body(), 'Bearer lc:zhang')).statusCode).toBe(403); // a citizen
    expect((await confirm(body(), 'Bearer lc:approver')).statusCode).toBe(403); // no licenses:bill.issue
    expect((await confirm(body(), 'Bearer pay:client')).statusCode).toBe(201);
    expect((await confirm(body({ division: '530302' }), 'Bearer pay:client')).statusCode).toBe(403); // outside the client's division
  });

  it('the payer sees their bills in the wallet and downloads a signed PDF that pdfsig verifies', async () => {
    const bill = (await confirm(body({ amount: '20.00', items: [{ name: '食品经营许可证工本费', quantity: 1, unit: '本', amount: '20.00' }] }))).json();
    const mine = await w.ok('zhang', 'GET', '/api/licenses/mine/bills');
    expect(mine.items.map((b: { billNumber: string }) => b.billNumber)).toContain(bill.billNumber);
    expect((await w.ok('li', 'GET', '/api/licenses/mine/bills')).items).toEqual([]);
    expect((await w.call('li', 'GET', `/api/licenses/bills/${bill.billCode}/${bill.billNumber}/pdf`)).statusCode).toBe(404);
    const r = await w.call('zhang', 'GET', `/api/licenses/bills/${bill.billCode}/${bill.billNumber}/pdf`);
    expect(r.statusCode, r.body).toBe(200);
    const pdf = r.rawPayload;
    const sig = poppler('pdfsig', pdf);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).toContain('Signer Certificate Common Name: 昆明市五华区市场监督管理局票据专用章');
    const text = poppler('pdftotext', pdf);
    for (const s of ['非税收入一般缴款书（电子）', '贰拾元整', bill.billNumber, bill.checkCode]) expect(text).toContain(s);
    const altered = Buffer.from(pdf);
    const at = pdf.toString('latin1').indexOf('stream') + 20;
    altered[at] = altered[at]! ^ 0x01;
    expect(poppler('pdfsig', altered)).toMatch(/Digest Mismatch|Signature is Invalid|not valid/i);
    // Staff of the division may fetch it too; staff of another county may not.
    expect((await w.call('clerk', 'GET', `/api/licenses/bills/${bill.billCode}/${bill.billNumber}/pdf`)).statusCode).toBe(200);
    expect((await w.call('qj_clerk', 'GET', `/api/licenses/bills/${bill.billCode}/${bill.billNumber}/pdf`)).statusCode).toBe(404);
  });
});
