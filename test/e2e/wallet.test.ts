// 我的卡包 on a 360 px phone: the demo citizen 张云 (km_citizen) is issued two e-licenses (one later
// revoked) and an e-bill after a payment; one license is authorized to 五华区 and fetched by a window
// clerk. In the browser: a signed-out visitor is asked to sign in; signed in, the wallet shows both
// licenses with their state in words and the bill with its amount in capitals; the license detail
// shows every field (holder code masked), the verify QR and link, the use, and the signed PDF
// downloads; the authorization is withdrawn through the confirm dialog and a new 用证码 is created
// (and used by a clerk); the bill detail and its PDF; keyboard reach of the section links and
// cards; elderly mode without horizontal scrolling;
// another citizen's empty wallet says what to do (also in English); a staff member is told wallets
// belong to citizens and enterprises. axe on every view.
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadPrincipal } from '../../src/platform/identity/principal.js';
import { demoResidentId } from '../../src/platform/identity/seed.js';
import { authorizeUse, defineLicenseType, fetchWithAuthorization, issueBill, issueLicense, revokeLicense, type Caller } from '../../src/platform/licenses/index.js';
import { govUscc } from '../../src/platform/licenses/fixtures/world.js';
import { axe, context, inPage, launch, PHONE, screenshot, signIn, startServer, watchConsole, type Server } from './harness.js';

let server: Server;
let browser: Browser;
let citizen: { ctx: BrowserContext; page: Page; errors: string[] };

const ZHANG_YUN_ID = demoResidentId('530102', '19900101', '001'); // km_citizen
const ESTATE_TYPE = `${govUscc('530000', '01600000')}001`;
const FOOD_TYPE = `${govUscc('530000', '01500000')}001`;
const ESTATE_ISSUER = govUscc('530102', '01600001');
const FOOD_ISSUER = govUscc('530102', '01500001');
let estate = { identifier: '', licenseNumber: '' };
let food = { identifier: '' };
let bill = { billCode: '', billNumber: '', checkCode: '' };
let authorizationId = '';

async function callerFor(username: string): Promise<Caller> {
  const a = await server.core.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return { principal: (await loadPrincipal(server.core, a.id, { mfa: true }))!, actor: { id: `user:${a.id}` }, lang: 'zh-CN' };
}

async function open() {
  const ctx = await context(browser, PHONE);
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000); // a shared 2-core machine: PDFs are signed on demand
  return { ctx, page, errors: watchConsole(page) };
}

const noHorizontalScroll = (page: Page) => inPage<number>(page, 'document.documentElement.scrollWidth - document.documentElement.clientWidth');

/** axe reads colours as drawn: let opening dialogs and fading messages finish their animation first. */
const settled = (page: Page) => expect.poll(() => inPage<string>(page, `document.getAnimations()
  .filter((a) => a.playState === 'running' && a.effect && a.effect.getTiming().iterations !== Infinity)
  .map((a) => (a.animationName || a.transitionProperty || 'animation') + ' on ' + (a.effect.target && a.effect.target.className) + ' ' + JSON.stringify(a.effect.getTiming())).join('; ')`), { timeout: 10_000 }).toBe('');

async function check(page: Page, name: string) {
  await settled(page);
  const violations = await axe(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  expect(await noHorizontalScroll(page), `${name}: horizontal scrolling at 360 px`).toBeLessThanOrEqual(0);
  await screenshot(page, name);
}

async function seedWallet() {
  const core = server.core;
  const admin = await callerFor('km_department_admin');
  await defineLicenseType(core, admin, {
    code: ESTATE_TYPE, name: '不动产权证书', definerName: '云南省自然资源厅', holderKinds: ['111', '001'], validity: { permanent: true }, trustLevel: 'A',
    faceSchema: { type: 'object', required: ['坐落', '用途'], properties: { 坐落: { type: 'string' }, 用途: { type: 'string' }, 面积: { type: 'number', title: '建筑面积（平方米）' } }, additionalProperties: false },
  });
  await defineLicenseType(core, admin, {
    code: FOOD_TYPE, name: '食品经营许可证', definerName: '云南省市场监督管理局', holderKinds: ['111', '001'], validity: { years: 5 }, trustLevel: 'A',
    faceSchema: { type: 'object', required: ['经营场所'], properties: { 经营场所: { type: 'string' }, 经营范围: { type: 'string' } }, additionalProperties: false },
  });
  const approver = await callerFor('km_approver');
  const holder = { name: '张云', codeType: '111' as const, code: ZHANG_YUN_ID };
  const issue = (input: Parameters<typeof issueLicense>[3]) => core.db.transaction().execute((tx) => issueLicense(core, tx, approver, input));
  const e = await issue({
    typeCode: ESTATE_TYPE, issuerCode: ESTATE_ISSUER, issuerName: '昆明市五华区自然资源局', division: '530102', holder,
    licenseNumber: '云(2026)五华区不动产权第0012345号', faceData: { 坐落: '五华区翠湖南路 8 号 2 单元 301 室', 用途: '住宅', 面积: 89.5 }, caseRef: 'YN530102-20261127-000101',
  });
  estate = { identifier: e.identifier, licenseNumber: e.licenseNumber };
  food = await issue({ typeCode: FOOD_TYPE, issuerCode: FOOD_ISSUER, issuerName: '昆明市五华区市场监督管理局', division: '530102', holder, faceData: { 经营场所: '五华区文林街 12 号', 经营范围: '预包装食品销售' } });
  await revokeLicense(core, approver, food.identifier, '经营者申请注销');
  // 用证授权: the holder lets 五华区 use the estate certificate; a window clerk fetches it with the code.
  const me = await callerFor('km_citizen');
  const auth = await authorizeUse(core, me, estate.identifier, { division: '530102', purpose: '办理不动产抵押登记', expiresAt: new Date(Date.now() + 7 * 86400_000).toISOString() });
  authorizationId = auth.id;
  await fetchWithAuthorization(core, await callerFor('km_window_clerk'), estate.identifier, auth.code, '抵押登记材料核验');
  // Payment confirmation → 财政电子票据 (a window clerk holds licenses:bill.issue).
  const { bill: b } = await issueBill(core, await callerFor('km_window_clerk'), {
    transactionId: `WX42000012342026112700${String(Date.now()).slice(-6)}`, billType: '01', division: '530102',
    payee: { name: '昆明市五华区自然资源局', code: ESTATE_ISSUER }, payer: { name: '张云', codeType: '111', code: ZHANG_YUN_ID },
    items: [
      { code: '103050101', name: '不动产登记费', quantity: 1, unit: '件', unitPrice: '80.00', amount: '80.00' },
      { code: '103050102', name: '证书工本费', quantity: 4, unit: '本', unitPrice: '10.00', amount: '40.00' },
    ],
    amount: '120.00', channel: 'wechat', paidAt: new Date(Date.now() - 60_000).toISOString(), caseRef: 'YN530102-20261127-000101',
  });
  bill = { billCode: b.billCode, billNumber: b.billNumber, checkCode: b.checkCode };
}

beforeAll(async () => {
  browser = await launch(); // first: without chromium, fail before starting anything
  server = await startServer();
  await seedWallet();
  citizen = await open();
}, 180_000);
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await screenshot(citizen.page, `wal-FAILED-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('我的卡包 on a phone', () => {
  it('asks a signed-out visitor to sign in, then shows the wallet from the portal home', async () => {
    const p = citizen.page;
    await p.goto(`${server.base}/portal/wallet`);
    await p.getByRole('heading', { name: '请登录后查看您的电子证照和电子票据。' }).waitFor();
    await check(p, 'wal-signed-out-360');
    await signIn(p, 'km_citizen');
    await p.goto(`${server.base}/portal`);
    await p.getByRole('link', { name: '我的卡包' }).click();
    await p.waitForURL(/\/portal\/wallet$/);
    await p.getByRole('heading', { level: 1, name: '我的卡包' }).waitFor();
    const cards = p.getByTestId('wal-licenses').locator('li');
    await expect.poll(() => cards.count()).toBe(2);
    const estateCard = cards.filter({ hasText: '不动产权证书' });
    expect(await estateCard.getByTestId('wal-state').textContent()).toBe('有效');
    await estateCard.getByText('云(2026)五华区不动产权第0012345号').waitFor();
    await estateCard.getByText('昆明市五华区自然资源局').waitFor();
    await estateCard.getByText(/长期有效/).waitFor();
    const foodCard = cards.filter({ hasText: '食品经营许可证' });
    expect(await foodCard.getByTestId('wal-state').textContent()).toBe('已注销');
    await foodCard.getByText(/\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}/).waitFor();
    await check(p, 'wal-licenses-360');
  });

  it('reaches the section links and the cards by keyboard', async () => {
    const p = citizen.page;
    await p.goto(`${server.base}/portal/wallet`);
    await p.getByTestId('wal-licenses').locator('li').first().waitFor();
    const seen: string[] = [];
    for (let i = 0; i < 60 && !seen.includes('不动产权证书'); i++) {
      await p.keyboard.press('Tab');
      seen.push((await inPage<string>(p, `(document.activeElement && document.activeElement.textContent || '').trim()`)));
    }
    expect(seen).toEqual(expect.arrayContaining(['证照', '票据', '授权记录', '不动产权证书']));
    expect(seen.indexOf('证照')).toBeLessThan(seen.indexOf('不动产权证书'));
    await p.keyboard.press('Enter'); // the focused card opens its detail
    await p.waitForURL(/\/portal\/wallet\/licenses\//);
    await p.getByRole('heading', { level: 1, name: '不动产权证书' }).waitFor();
  });

  it('shows the license detail: every field, masked holder code, face data, verify QR and link, its use', async () => {
    const p = citizen.page;
    const facts = p.getByTestId('wal-license-facts');
    for (const text of ['电子证照标识', estate.identifier, '持证主体代码', '公民身份号码', '颁证单位代码', ESTATE_ISSUER, '签名密钥编号', 'YN530102-20261127-000101', '长期有效']) await facts.getByText(text, { exact: true }).first().waitFor();
    const factsText = (await facts.textContent())!;
    expect(factsText).not.toContain(ZHANG_YUN_ID);
    expect(factsText).toMatch(/5301\*+\d{3}[\dX]/);
    await p.getByTestId('wal-face').getByText('建筑面积（平方米）').waitFor();
    await p.getByTestId('wal-face').getByText('五华区翠湖南路 8 号 2 单元 301 室').waitFor();
    await p.getByRole('img', { name: '证照核验二维码，内容为核验页地址' }).waitFor();
    expect(await p.getByTestId('wal-verify-link').getAttribute('href')).toBe(`/verify/${estate.identifier}`);
    const verify = await p.request.get(`${server.base}/verify/${estate.identifier}`);
    expect(verify.status()).toBe(200);
    const uses = p.getByTestId('wal-license-uses');
    await uses.getByText('抵押登记材料核验').waitFor();
    await uses.getByText('昆明市窗口').waitFor();
    await uses.getByText('已提供').waitFor();
    await check(p, 'wal-license-detail-360');
  });

  it('downloads the signed license PDF with a sensible name', async () => {
    const p = citizen.page;
    const [response, download] = await Promise.all([
      p.waitForResponse((r) => r.url().endsWith(`/api/licenses/${estate.identifier}/pdf`), { timeout: 90_000 }),
      p.waitForEvent('download', { timeout: 90_000 }),
      p.getByTestId('wal-license-pdf').click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    expect(download.suggestedFilename()).toBe('不动产权证书-云(2026)五华区不动产权第0012345号.pdf');
    const bytes = fs.readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await p.getByText('已下载：不动产权证书-云(2026)五华区不动产权第0012345号.pdf').waitFor();
  }, 120_000);

  it('withdraws an authorization after a confirm dialog; the list updates', async () => {
    const p = citizen.page;
    const auths = p.getByTestId('wal-license-auths');
    const item = auths.getByTestId('wal-auth').filter({ hasText: '办理不动产抵押登记' });
    await item.getByText('五华区').waitFor();
    // The phone loses its connection: the failure is said under this authorization, which stays active.
    await citizen.ctx.setOffline(true);
    await item.getByRole('button', { name: '撤销授权' }).click();
    await p.getByRole('dialog', { name: '撤销这项授权吗？' }).getByRole('button', { name: '确认撤销' }).click();
    await item.getByRole('alert').getByText(/网络连接失败/).waitFor();
    expect(await item.getByTestId('wal-state').textContent()).toBe('生效中');
    await citizen.ctx.setOffline(false);
    // The browser logs the refused request; nothing else went wrong so far.
    expect(citizen.errors.splice(0).filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    await item.getByRole('button', { name: '撤销授权' }).click();
    const dialog = p.getByRole('dialog', { name: '撤销这项授权吗？' });
    await dialog.getByText(/不能再凭用证码调用这张证照/).waitFor();
    await check(p, 'wal-revoke-dialog-360');
    await dialog.getByRole('button', { name: '确认撤销' }).click();
    await p.getByTestId('wal-auth-done').getByText('已撤销授权：办理不动产抵押登记').waitFor();
    await p.getByText('这张证照目前没有生效中的授权。').waitFor();
    expect(await auths.getByTestId('wal-auth').count()).toBe(0);
    const row = await server.core.db.selectFrom('license_authorization').select('revoked_at').where('id', '=', authorizationId).executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
  });

  it('creates a 用证码 that a window clerk can use; 授权记录 lists it beside the withdrawn one', async () => {
    const p = citizen.page;
    await p.getByRole('button', { name: '生成用证码' }).click();
    const form = p.getByTestId('wal-grant-form');
    await form.getByRole('button', { name: '确认生成' }).click();
    await form.getByText('请填写授权事由').waitFor(); // the purpose is required, said at the field
    await p.getByLabel('事由').fill('办理不动产转移登记');
    await form.getByText('30 天').click();
    await check(p, 'wal-grant-form-360');
    await form.getByRole('button', { name: '确认生成' }).click();
    const shown = p.getByTestId('wal-new-code');
    await shown.getByText('此码只显示这一次', { exact: false }).waitFor();
    const code = (await shown.locator('.wal-code-value').textContent())!.trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    await p.getByTestId('wal-license-auths').getByTestId('wal-auth').filter({ hasText: '办理不动产转移登记' }).waitFor();
    const fetched = await fetchWithAuthorization(server.core, await callerFor('wh_window_clerk'), estate.identifier, code, '转移登记材料核验');
    expect(fetched.identifier).toBe(estate.identifier);
    const grant = await server.core.db.selectFrom('license_authorization').select(['expires_at', 'grantee_division']).where('purpose', '=', '办理不动产转移登记').executeTakeFirstOrThrow();
    expect(grant.grantee_division).toBe('530102');
    expect(Math.round((new Date(grant.expires_at).getTime() - Date.now()) / 86400_000)).toBe(30);
    await check(p, 'wal-grant-code-360');
    // 授权记录 lists the withdrawn one and the new one, with the uses of the license.
    await p.getByRole('link', { name: '返回我的卡包' }).click();
    await p.getByRole('navigation', { name: '卡包分类' }).getByRole('link', { name: '授权记录' }).click();
    const all = p.getByTestId('wal-auths').getByTestId('wal-auth').filter({ hasText: '办理不动产抵押登记' });
    expect(await all.getByTestId('wal-state').textContent()).toBe('已撤销');
    await all.getByText(`不动产权证书 ${estate.licenseNumber}`).waitFor();
    expect(await all.getByRole('button', { name: '撤销授权' }).count()).toBe(0);
    const active = p.getByTestId('wal-auths').getByTestId('wal-auth').filter({ hasText: '办理不动产转移登记' });
    expect(await active.getByTestId('wal-state').textContent()).toBe('生效中');
    await p.getByTestId('wal-uses').getByText('抵押登记材料核验').waitFor();
    await p.getByTestId('wal-uses').getByText('转移登记材料核验').waitFor();
    await check(p, 'wal-authorizations-360');
  });

  it('lists the e-bill with its amount in figures and capitals, and opens its detail and PDF', async () => {
    const p = citizen.page;
    await p.getByRole('navigation', { name: '卡包分类' }).getByRole('link', { name: '票据' }).click();
    const card = p.getByTestId('wal-bills').locator('li').filter({ hasText: '昆明市五华区自然资源局' });
    await card.getByText('120.00 元').waitFor();
    await card.getByText('壹佰贰拾元整').waitFor();
    await card.getByText(`${bill.billCode}-${bill.billNumber}`).waitFor();
    await card.getByText(/\d{4}年\d{1,2}月\d{1,2}日/).waitFor();
    await check(p, 'wal-bills-360');
    await card.getByRole('link', { name: '昆明市五华区自然资源局' }).click();
    await p.getByRole('heading', { level: 1, name: '非税收入一般缴款书' }).waitFor();
    expect(await p.getByTestId('wal-bill-total').textContent()).toBe('120.00 元 · 壹佰贰拾元整');
    const facts = p.getByTestId('wal-bill-facts');
    for (const text of [bill.billCode, bill.billNumber, bill.checkCode, '微信支付', 'YN530102-20261127-000101']) await facts.getByText(text, { exact: true }).waitFor();
    expect(await facts.textContent()).not.toContain(ZHANG_YUN_ID);
    await p.getByTestId('wal-bill-items').getByText('证书工本费').waitFor();
    const href = await p.getByTestId('wal-bill-verify-link').getAttribute('href');
    expect(href).toBe(`/verify/bill/${bill.billCode}/${bill.billNumber}?checkCode=${bill.checkCode}`);
    const page = await p.request.get(`${server.base}${href}`);
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain('壹佰贰拾元整');
    await check(p, 'wal-bill-detail-360');
    const [response, download] = await Promise.all([
      p.waitForResponse((r) => r.url().endsWith(`/api/licenses/bills/${bill.billCode}/${bill.billNumber}/pdf`), { timeout: 90_000 }),
      p.waitForEvent('download', { timeout: 90_000 }),
      p.getByTestId('wal-bill-pdf').click(),
    ]);
    expect(response.status()).toBe(200);
    expect(download.suggestedFilename()).toBe(`非税收入一般缴款书-${bill.billCode}-${bill.billNumber}.pdf`);
    expect(fs.readFileSync((await download.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 120_000);

  it('stays within 360 px in elderly mode', async () => {
    const p = citizen.page;
    await p.getByRole('switch', { name: '长辈模式' }).click();
    await expect.poll(() => inPage<boolean>(p, `document.documentElement.classList.contains('yl-elderly')`)).toBe(true);
    await check(p, 'wal-bill-detail-elderly');
    await p.goto(`${server.base}/portal/wallet`);
    await p.getByTestId('wal-licenses').locator('li').first().waitFor();
    await check(p, 'wal-licenses-elderly');
    await p.getByRole('link', { name: '不动产权证书' }).click();
    await p.getByTestId('wal-license-facts').waitFor();
    await check(p, 'wal-license-detail-elderly');
    await p.getByRole('switch', { name: '长辈模式' }).click();
    expect(citizen.errors).toEqual([]);
  });

  it('tells a citizen with an empty wallet what to do', async () => {
    const other = await open();
    await other.page.goto(`${server.base}/portal/wallet`);
    await signIn(other.page, 'wh_citizen');
    await other.page.getByTestId('wal-lic-empty').getByText(/事项办结并发证后/).waitFor();
    await other.page.getByRole('link', { name: '去在线办事' }).waitFor();
    await check(other.page, 'wal-empty-licenses-360');
    await other.page.getByRole('link', { name: '票据', exact: true }).click();
    await other.page.getByTestId('wal-bill-empty').waitFor();
    await other.page.getByRole('link', { name: '授权记录', exact: true }).click();
    await other.page.getByText(/您还没有授权任何部门使用您的证照/).waitFor();
    await check(other.page, 'wal-empty-authorizations-360');
    // The same page in English.
    await other.page.getByRole('button', { name: 'English' }).click();
    await other.page.getByRole('heading', { level: 1, name: 'My wallet' }).waitFor();
    await other.page.getByText(/You have not authorized anyone to use your licenses/).waitFor();
    await check(other.page, 'wal-empty-authorizations-en');
    expect(other.errors).toEqual([]);
    await other.ctx.close();
  });

  it('tells a staff member that wallets belong to citizens and enterprises', async () => {
    const staff = await open();
    await staff.page.goto(`${server.base}/portal/wallet`);
    await signIn(staff.page, 'km_window_clerk');
    await staff.page.getByRole('heading', { name: /工作人员账号没有卡包/ }).waitFor();
    await check(staff.page, 'wal-staff-360');
    await staff.ctx.close();
  });
});
