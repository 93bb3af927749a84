// Journeys of staff and administrators on a desktop: the administrator (TOTP at first sign-in)
// through every admin page, publishing a workflow with the server's field errors shown in place;
// a window clerk claiming a task with the keyboard only; an auditor's narrower menu; the big screen;
// an expired session and a lost network that keep what the user typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadPrincipal } from '../../src/platform/identity/principal.js';
import { start } from '../../src/platform/workflow/engine.js';
import { publishDefinition, resolveDefinition } from '../../src/platform/workflow/definitions.js';
import { axe, context, DESKTOP, inPage, launch, screenshot, signIn, startServer, watchConsole, type Server } from './harness.js';

let server: Server;
let browser: Browser;
let admin: { ctx: BrowserContext; page: Page; errors: string[] };

const DEFINITION = {
  key: 'demo.permit', title: { 'zh-CN': '演示许可', en: 'Demo permit' }, initial: 'submitted',
  states: [{ id: 'submitted', name: { 'zh-CN': '待受理' }, assignment: { role: 'window_clerk' } }, { id: 'done', name: { 'zh-CN': '已办结' }, kind: 'final', outcome: 'approved' }],
  actions: [{ id: 'accept', name: { 'zh-CN': '受理' }, from: ['submitted'], to: 'done', roles: ['window_clerk'] }],
};

async function open(viewport = DESKTOP) {
  const ctx = await context(browser, viewport);
  const page = await ctx.newPage();
  return { ctx, page, errors: watchConsole(page) };
}

async function accountId(username: string): Promise<string> {
  const r = await server.core.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return r.id;
}

async function scanAndShoot(page: Page, name: string) {
  const violations = await axe(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  await screenshot(page, name);
}

beforeAll(async () => {
  browser = await launch(); // first: without chromium, fail before starting anything
  server = await startServer();
  admin = await open();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('administrator', () => {
  it('signs in with a second factor and sees every area', async () => {
    await admin.page.goto(`${server.base}/admin`);
    await admin.page.getByText('请先登录后再使用此功能。').waitFor();
    await signIn(admin.page, 'admin');
    await admin.page.waitForURL(/\/admin\/health$/);
    expect(await admin.page.locator('nav[aria-label="主导航"] a').allTextContents()).toEqual(['办事大厅', '工作台', '系统管理', '数据大屏']);
    expect(await admin.page.locator('nav[aria-label="管理功能"] a').allTextContents()).toEqual(['运行状态', '通知发件箱', '审计日志', '流程定义', '接入系统', '用户管理', '角色与权限', '组织机构', '行政区划', '表单定义']);
  });

  it('shows system health, the outbox, the audit keys and the OIDC clients, each page accessible', async () => {
    const p = admin.page;
    await p.getByRole('heading', { name: '运行状态' }).waitFor();
    await p.getByText('就绪', { exact: true }).waitFor();
    await scanAndShoot(p, 'admin-health');
    for (const [path, heading, shot] of [['outbox', '通知发件箱', 'admin-outbox'], ['audit', '审计日志', 'admin-audit'], ['clients', '接入系统', 'admin-clients']] as const) {
      await p.locator('nav[aria-label="管理功能"]').getByRole('link', { name: heading }).click();
      await p.waitForURL(new RegExp(`/admin/${path}$`));
      await p.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await p.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
      await scanAndShoot(p, shot);
    }
    // The web app's own client is in the registry.
    await p.getByRole('cell', { name: '云岭网页应用 Yunling web app' }).waitFor();
  });

  it('shows the server\'s field errors next to the fields they name', async () => {
    const p = admin.page;
    await p.getByLabel('系统名称').fill('某县不动产登记系统');
    await p.getByLabel('回调地址（每行一个）').fill('not a url');
    await p.getByRole('button', { name: '登记接入系统' }).click();
    const field = p.locator('.ant-form-item').filter({ has: p.getByLabel('回调地址（每行一个）') });
    await field.locator('.ant-form-item-explain-error').getByText('须为完整的网址').waitFor();
    await scanAndShoot(p, 'admin-clients-field-error');
    await p.getByLabel('回调地址（每行一个）').fill('https://bdc.example.gov.cn/callback');
    await p.getByRole('button', { name: '登记接入系统' }).click();
    await p.getByText('已登记。密钥只显示这一次').waitFor();
    await p.getByRole('cell', { name: '某县不动产登记系统' }).waitFor();
  });

  it('publishes a workflow definition: problems at the definition field, then a new version', async () => {
    const p = admin.page;
    await p.locator('nav[aria-label="管理功能"]').getByRole('link', { name: '流程定义' }).click();
    await p.getByRole('heading', { name: '流程定义', level: 1 }).waitFor();
    const definition = p.getByLabel('流程定义（JSON）');
    await definition.fill('{ not json');
    await p.getByRole('button', { name: '发布新版本' }).click();
    await p.getByText('不是有效的 JSON').waitFor();
    await definition.fill(JSON.stringify({ ...DEFINITION, initial: 'nowhere' }));
    await p.getByRole('button', { name: '发布新版本' }).click();
    const field = p.locator('.ant-form-item').filter({ has: definition });
    await field.locator('.ant-form-item-explain-error').getByText('初始状态「nowhere」未定义').waitFor();
    await scanAndShoot(p, 'admin-workflows-field-error');
    await definition.fill(JSON.stringify(DEFINITION, null, 2));
    await p.getByLabel('行政区划', { exact: true }).last().fill('530100');
    await p.getByRole('button', { name: '发布新版本' }).click();
    await p.getByText('已发布 demo.permit 第 1 版').waitFor();
    await p.getByRole('cell', { name: '已发布' }).waitFor();
    await scanAndShoot(p, 'admin-workflows');
  });

  it('shows the big screen', async () => {
    const p = admin.page;
    await p.getByRole('link', { name: '数据大屏' }).click();
    await p.getByRole('heading', { name: '数据大屏', level: 1 }).waitFor();
    await p.getByText('更新于').waitFor();
    await scanAndShoot(p, 'screen');
  });

  it('shows the admin pages in English too', async () => {
    const p = admin.page;
    await p.goto(`${server.base}/admin/outbox`);
    await p.getByRole('button', { name: 'English' }).click();
    await p.getByRole('heading', { name: 'Notification outbox', level: 1 }).waitFor();
    expect(await p.locator('nav[aria-label="Administration menu"] a').allTextContents()).toEqual(['System health', 'Notification outbox', 'Audit log', 'Workflow definitions', 'OIDC clients', 'Users', 'Roles and permissions', 'Departments', 'Divisions', 'Forms']);
    await scanAndShoot(p, 'admin-outbox-en');
    await p.getByRole('button', { name: '中文' }).click();
    await p.getByRole('heading', { name: '通知发件箱', level: 1 }).waitFor();
  });

  it('says so when the network is lost, and recovers', async () => {
    const p = admin.page;
    await p.goto(`${server.base}/admin/health`);
    await p.getByText('就绪', { exact: true }).waitFor();
    await admin.ctx.setOffline(true);
    await p.getByRole('button', { name: '刷新' }).click();
    await expect.poll(() => p.getByRole('alert').filter({ hasText: '网络连接失败' }).count()).toBeGreaterThan(0);
    await admin.ctx.setOffline(false);
    await p.getByRole('button', { name: '重试' }).first().click();
    await expect.poll(() => p.getByRole('alert').filter({ hasText: '网络连接失败' }).count()).toBe(0);
  });

  it('keeps what was typed when the session expires, and offers to sign in again', async () => {
    const p = admin.page;
    await p.goto(`${server.base}/admin/workflows`);
    const definition = p.getByLabel('流程定义（JSON）');
    await definition.fill('{"key": "draft.kept"}');
    // The provider forgets this browser's tokens (as after 7 days, or a sign-out elsewhere).
    await server.core.db.deleteFrom('oidc_payload').where('model', 'in', ['AccessToken', 'RefreshToken']).execute();
    await p.getByRole('button', { name: '发布新版本' }).click();
    await p.getByRole('alert').filter({ hasText: '登录已过期' }).first().waitFor();
    expect(await definition.inputValue()).toBe('{"key": "draft.kept"}');
    await scanAndShoot(p, 'admin-session-expired');
    // Signing in again (the provider still knows this browser: no password) comes back to the same page and draft.
    await p.getByRole('button', { name: '重新登录' }).click();
    await p.waitForURL(/\/admin\/workflows$/);
    await p.locator('.yl-user').waitFor();
    await expect.poll(() => definition.inputValue()).toBe('{"key": "draft.kept"}');
    // The page settles after the redirect (requests in flight during the expiry may still answer): the warning goes.
    await expect.poll(() => p.getByRole('alert').filter({ hasText: '登录已过期' }).count()).toBe(0);
    expect(admin.errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|401/.test(e))).toEqual([]);
  });
});

describe('window clerk', () => {
  it('claims a queued task with the keyboard alone', async () => {
    const clerk = await accountId('km_window_clerk');
    const principal = (await loadPrincipal(server.core, clerk))!;
    // Published through the admin pages above; published here when this test runs alone.
    if (!(await resolveDefinition(server.core.db, DEFINITION.key, '530100'))) {
      const adminId = await accountId('admin');
      await publishDefinition(server.core, { principal: (await loadPrincipal(server.core, adminId, { mfa: true }))!, actor: { id: `user:${adminId}` }, lang: 'zh-CN' }, { division: '530100', definition: DEFINITION });
    }
    await start(server.core, { principal, actor: { id: `user:${clerk}` }, lang: 'zh-CN' }, { key: 'demo.permit', division: '530100', title: '演示许可申请（张云）', applicant: null });

    const { page } = await open();
    await page.goto(`${server.base}/workbench`);
    await signIn(page, 'km_window_clerk');
    await page.waitForURL(/\/workbench$/);
    await page.getByRole('heading', { name: '待办任务' }).waitFor();
    expect(await page.locator('nav[aria-label="主导航"] a').allTextContents()).toEqual(['办事大厅', '工作台']);
    await scanAndShoot(page, 'workbench');

    // Keyboard only: Tab to the tab list, arrow to "部门待认领", Enter; Tab on to "认领", Enter.
    const focused = () => inPage<string>(page, `document.activeElement?.textContent?.trim() ?? ''`);
    await page.locator('main#main').focus();
    // (antd's tab carries a visually hidden "Tab n of m" before its label.)
    for (let i = 0; i < 10 && !(await focused()).endsWith('我的待办'); i++) await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/我的待办$/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: '演示许可申请（张云）' }).waitFor();
    for (let i = 0; i < 15 && (await focused()) !== '认领'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('认领');
    await scanAndShoot(page, 'workbench-department');
    await page.keyboard.press('Enter');
    await page.getByText('已认领：演示许可申请（张云）').waitFor();
    await page.getByRole('tab', { name: '我的待办' }).click();
    await page.getByRole('cell', { name: '演示许可申请（张云）' }).waitFor();
  });
});

describe('auditor', () => {
  it('sees only the read-only admin pages', async () => {
    const { page } = await open();
    await page.goto(`${server.base}/admin`);
    await signIn(page, 'km_auditor');
    await page.waitForURL(/\/admin\/health$/);
    expect(await page.locator('nav[aria-label="管理功能"] a').allTextContents()).toEqual(['运行状态', '通知发件箱', '审计日志', '用户管理', '角色与权限', '组织机构', '行政区划']);
    await page.goto(`${server.base}/admin/clients`);
    await page.getByText('页面不存在').waitFor();
  });
});
