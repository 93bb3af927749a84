// The workbench case page, in a browser: an enterprise applies (HTTP API) for 商品房预售许可 in 昆明市,
// whose workflow has 补正 and a countersign; the window clerk opens it from the inbox, requests 补正
// (the enterprise answers it in the portal on a phone), then accepts; the approver sends it to countersign
// and agrees; the department administrator agrees last with the result; the history shows each
// step and the countersign opinions; a clerk of another division (五华区) gets "not found".
// axe (no serious/critical violation) and a screenshot on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pdf } from '../../src/platform/files/test-fixtures.js';
import { axe, context, DESKTOP, inPage, launch, PHONE, screenshot, signIn, startServer, watchConsole, type Server } from './harness.js';

let server: Server;
let browser: Browser;
const contexts: BrowserContext[] = [];
const ITEM = 'commodity-housing-presale-permit';
let app: { id: string; number: string; instanceId: string };
let token = '';

async function open(viewport = DESKTOP) {
  const ctx = await context(browser, viewport);
  contexts.push(ctx);
  const page = await ctx.newPage();
  return { page, errors: watchConsole(page) };
}

async function scanAndShoot(page: Page, name: string) {
  await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  const violations = await axe(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  await screenshot(page, name);
}

/** The enterprise's side, through the HTTP API with its own bearer token. */
async function http(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${server.base}${url}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body instanceof Buffer ? { 'content-type': 'application/octet-stream' } : body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body instanceof Buffer ? new Uint8Array(body) : body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/** Signs a staff member in on the case page itself (the deep link survives the sign-in). */
async function staffOnCase(username: string, viewport = DESKTOP) {
  const s = await open(viewport);
  await s.page.goto(`${server.base}/workbench/cases/${app.instanceId}`);
  await signIn(s.page, username);
  await s.page.waitForURL(new RegExp(`/workbench/cases/${app.instanceId}$`));
  await s.page.getByRole('heading', { name: `办件 ${app.number}`, level: 1 }).waitFor();
  return s;
}

const actionsOf = (page: Page) => page.getByRole('group', { name: '办理' }).getByRole('button');
const stateTag = (page: Page) => page.locator('section[aria-labelledby="case-summary"]');

async function act(page: Page, action: string, fill: (p: Page) => Promise<void>) {
  await page.getByRole('group', { name: '办理' }).getByRole('button', { name: action, exact: true }).click();
  await page.getByRole('heading', { name: `办理：${action}` }).waitFor();
  await fill(page);
  await page.getByRole('button', { name: `确认${action}`, exact: true }).click();
  await page.getByRole('status').filter({ hasText: `已办理：${action}` }).waitFor();
}

beforeAll(async () => {
  browser = await launch();
  server = await startServer();
}, 300_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('a case through the workbench', () => {
  it('the enterprise applies through the API', async () => {
    const { page } = await open();
    await page.goto(`${server.base}/portal`);
    await signIn(page, 'km_enterprise');
    token = await inPage<string>(page, `JSON.parse(sessionStorage.getItem('yl.tokens')).accessToken`);
    const pre = await http('GET', `/api/services/applications/prefill?itemKey=${ITEM}&division=530100`);
    const materials = [];
    for (const m of pre.item.materials as Array<{ id: string; name: string }>) {
      const f = await http('POST', '/api/files', pdf(m.name), { 'x-file-name': encodeURIComponent(`${m.name}.pdf`) });
      materials.push({ materialId: m.id, fileIds: [f.id] });
    }
    const data = { ...pre.data, contact: { ...(pre.data.contact ?? {}), name: '赵经办', mobile: '13800871011' } };
    const r = await http('POST', '/api/services/applications', { itemKey: ITEM, division: '530100', data, materials, idempotencyKey: `e2e-${Date.now()}` });
    expect(r).toMatchObject({ status: 'submitted', state: 'submitted', handlingDivision: '530100' });
    app = { id: r.id, number: r.number, instanceId: r.instanceId };
  }, 240_000);

  it('the clerk opens it from the inbox, requests 补正, and accepts the corrected application', async () => {
    const { page, errors } = await open();
    await page.goto(`${server.base}/workbench`);
    await signIn(page, 'km_window_clerk');
    await page.getByRole('heading', { name: '待办任务' }).waitFor();
    await page.getByRole('tab', { name: '部门待认领' }).click();
    // The row's number is a link: focus it with the keyboard and open it.
    const link = page.getByRole('link', { name: app.number });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/workbench/cases/${app.instanceId}$`));
    await page.getByRole('heading', { name: `办件 ${app.number}`, level: 1 }).waitFor();
    // Header, the form with its titles (not raw keys), the materials with downloads.
    const summary = stateTag(page);
    await summary.getByText('商品房预售许可').waitFor();
    await summary.getByText('待受理').waitFor();
    await summary.getByText(/剩余 \d+ 个工作日/).waitFor();
    // The applicant (昆明市云岭示范科技有限公司) is masked in the header.
    await summary.getByText(/^昆\*+司$/).waitFor();
    await page.getByRole('heading', { name: '申请表' }).waitFor();
    await page.getByText('单位名称').first().waitFor();
    await page.getByRole('button', { name: '下载 商品房预售方案' }).waitFor();
    expect(await actionsOf(page).allTextContents()).toEqual(['受理', '一次性告知补正', '不予受理']);
    await scanAndShoot(page, 'workbench-case-submitted');

    // 补正: a missing comment is caught at its field, and what was ticked stays.
    await page.getByRole('group', { name: '办理' }).getByRole('button', { name: '一次性告知补正', exact: true }).click();
    await page.getByRole('checkbox', { name: '商品房预售方案' }).check();
    await page.getByRole('button', { name: '确认一次性告知补正' }).click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '此项必填' }).first().waitFor();
    expect(await page.getByRole('checkbox', { name: '商品房预售方案' }).isChecked()).toBe(true);
    await page.getByLabel('一次性告知内容').fill('预售方案缺少竣工交付日期，请补充后重新提交');
    await page.getByLabel('补正要求（逐项告知）').fill('补充竣工交付日期');
    await scanAndShoot(page, 'workbench-case-correction-form');
    await page.getByRole('button', { name: '确认一次性告知补正' }).click();
    await page.getByRole('status').filter({ hasText: '已办理：一次性告知补正' }).waitFor();
    await summary.getByText('待补正').waitFor();
    await summary.getByText('补正中，计时暂停').waitFor();
    expect(await actionsOf(page).count()).toBe(0);

    // The enterprise answers on its phone: the one-time notice lists what to fix; it uploads the
    // corrected 预售方案, says what it changed and sends it; the clock runs again.
    const ent = await open(PHONE);
    await ent.page.goto(`${server.base}/portal/services/mine/${app.id}`);
    await signIn(ent.page, 'km_enterprise');
    const corr = ent.page.locator('section[aria-labelledby="d-corr"]');
    await corr.getByRole('heading', { name: '需要补正' }).waitFor();
    await corr.getByText('补充竣工交付日期').waitFor();
    await corr.getByText('商品房预售方案：').waitFor();
    await ent.page.getByLabel('选择「商品房预售方案」的文件').setInputFiles({ name: '商品房预售方案（补正）.pdf', mimeType: 'application/pdf', buffer: pdf('商品房预售方案（补正）') });
    await corr.getByText('商品房预售方案（补正）.pdf').waitFor();
    await corr.getByLabel('补正说明（选填）').fill('已补充竣工交付日期');
    await scanAndShoot(ent.page, 'portal-correction-answer-360');
    await corr.getByRole('button', { name: '提交补正' }).click();
    await ent.page.getByText('补正材料已提交。').waitFor();
    await corr.waitFor({ state: 'detached' });
    expect(ent.errors).toEqual([]);
    const after = await http('GET', `/api/services/applications/${app.id}`);
    expect(after.status).toBe('submitted');
    const resubmit = (after.case?.history ?? after.history ?? []).find((h: { action?: string }) => h.action === 'resubmit');
    expect(resubmit?.comment).toBe('已补充竣工交付日期');

    // The clerk sees it back and accepts it.
    await page.reload();
    await summary.getByText('待受理').waitFor();
    await act(page, '受理', async (p) => { await p.getByLabel('办理意见').fill('材料齐全，予以受理'); });
    await summary.getByText('承办审核').waitFor();
    await scanAndShoot(page, 'workbench-case-accepted');
    expect(errors).toEqual([]);
  }, 240_000);

  it('the approver sends it to countersign and agrees; the department administrator agrees last with the result', async () => {
    const { page } = await staffOnCase('km_approver');
    await act(page, '提交会签', async () => {});
    await stateTag(page).getByText('会签').first().waitFor();
    await page.getByText(/尚有 2 位会签人未表态/).waitFor();
    await act(page, '会签同意', async (p) => { await p.getByRole('textbox', { name: '会签意见' }).fill('经审查，符合预售条件，同意'); });
    await page.getByText(/尚有 1 位会签人未表态/).waitFor();
    await scanAndShoot(page, 'workbench-case-countersign');

    const admin = await staffOnCase('km_department_admin', PHONE);
    // The last vote decides: without a result the server says so at the result field.
    await admin.page.getByRole('group', { name: '办理' }).getByRole('button', { name: '会签同意', exact: true }).click();
    await admin.page.getByRole('textbox', { name: '会签意见' }).fill('同意');
    await admin.page.getByRole('button', { name: '确认会签同意' }).click();
    await admin.page.locator('.ant-form-item-explain-error').first().waitFor();
    expect(await admin.page.getByRole('textbox', { name: '会签意见' }).inputValue()).toBe('同意');
    await admin.page.getByLabel('结果说明').fill('准予商品房预售许可，预售许可证号 昆预 2026-001');
    await admin.page.getByRole('button', { name: '确认会签同意' }).click();
    await admin.page.getByRole('status').filter({ hasText: '已办理：会签同意' }).waitFor();
    await stateTag(admin.page).getByText('办结（准予）').waitFor();
    await admin.page.getByText('准予商品房预售许可，预售许可证号 昆预 2026-001').first().waitFor();
    await scanAndShoot(admin.page, 'workbench-case-approved-360');

    // The full history, newest first, and both countersign opinions.
    await page.reload();
    const history = page.locator('section[aria-labelledby="case-history"]');
    await history.getByText('会签同意').first().waitFor();
    const steps = await history.locator('.ant-timeline-item strong').allTextContents();
    expect(steps).toEqual(['会签同意', '会签同意', '提交会签', '受理', '提交补正材料', '一次性告知补正', '提交申请']);
    await history.getByText('预售方案缺少竣工交付日期，请补充后重新提交').waitFor();
    await history.getByText('办理人：我').first().waitFor();
    const opinions = page.locator('section[aria-labelledby="case-countersign"]');
    await opinions.getByText('经审查，符合预售条件，同意').waitFor();
    expect(await opinions.getByText('同意', { exact: true }).count()).toBeGreaterThanOrEqual(2);
    await scanAndShoot(page, 'workbench-case-history');
  }, 240_000);

  it('a clerk of another division gets "not found" for the case URL; the staff list finds it by number', async () => {
    const other = await open();
    await other.page.goto(`${server.base}/workbench/cases/${app.instanceId}`);
    await signIn(other.page, 'wh_window_clerk');
    await other.page.getByText('办件不存在，或不在您的办理范围内').waitFor();
    await scanAndShoot(other.page, 'workbench-case-not-found');

    const { page } = await open();
    await page.goto(`${server.base}/workbench/cases`);
    await signIn(page, 'km_window_clerk');
    await page.getByRole('heading', { name: '办件查询', level: 1 }).waitFor();
    await page.getByLabel('办件编号').fill(app.number);
    await page.getByRole('button', { name: '查询办件' }).click();
    await page.getByRole('link', { name: app.number }).waitFor();
    await page.getByRole('status').filter({ hasText: /共 1/ }).waitFor();
    await scanAndShoot(page, 'workbench-case-list');
    await page.getByRole('link', { name: '窗口收件' }).click();
    await page.getByRole('heading', { name: '窗口收件', level: 1 }).waitFor();
    await page.getByLabel('事项编码').fill(ITEM);
    await page.getByRole('button', { name: '载入事项表单' }).click();
    await page.getByLabel('申请人身份证号码').waitFor();
    await page.getByText('单位名称').first().waitFor();
    await scanAndShoot(page, 'workbench-counter-entry');
  }, 240_000);
});
