// Journeys of a 五华区 department administrator through the admin area: find a user and grant a
// role (never one above their own), edit the department tree, compare two versions of a form and of
// a workflow, check a draft without publishing; axe and a screenshot of every admin page, and the
// users page at 360 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Caller } from '../../src/core/http/auth.js';
import { publishForm } from '../../src/platform/forms/service.js';
import { loadFormFile } from '../../src/platform/forms/load.js';
import { SAMPLE } from '../../src/platform/forms/fixtures/test-sample.js';
import { publishDefinition } from '../../src/platform/workflow/definitions.js';
import { axe, context, inPage, launch, PHONE, screenshot, signIn, startServer, watchConsole, type Server } from './harness.js';

let server: Server;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let errors: string[];

const SYSTEM: Caller = {
  principal: { id: 'system:e2e', name: 'e2e', kind: 'system', permissions: new Set(['*']), scopes: ['530000'] },
  actor: { id: 'system:e2e' }, lang: 'zh-CN',
};
const DEFINITION = {
  key: 'demo.licence', title: { 'zh-CN': '演示许可', en: 'Demo licence' }, initial: 'submitted',
  states: [{ id: 'submitted', name: { 'zh-CN': '待受理' }, assignment: { role: 'window_clerk' } }, { id: 'done', name: { 'zh-CN': '已办结' }, kind: 'final', outcome: 'approved' }],
  actions: [{ id: 'accept', name: { 'zh-CN': '受理' }, from: ['submitted'], to: 'done', roles: ['window_clerk'] }],
};

const menu = () => page.locator('nav[aria-label="管理功能"]');
async function go(name: string) {
  await menu().getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
}
async function scanAndShoot(name: string) {
  const violations = await axe(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  await screenshot(page, name);
}

beforeAll(async () => {
  browser = await launch();
  server = await startServer();
  // Two versions of a form and of a workflow, to compare.
  const form = await loadFormFile(SAMPLE);
  await publishForm(server.core, SYSTEM, { ...form, division: '530000' });
  await publishForm(server.core, SYSTEM, { ...form, division: '530000', title: { 'zh-CN': '出生登记（修订）', en: 'Birth registration (revised)' } });
  await publishDefinition(server.core, SYSTEM, { division: '530000', definition: DEFINITION });
  await publishDefinition(server.core, SYSTEM, { division: '530000', definition: { ...DEFINITION, title: { 'zh-CN': '演示许可（修订）', en: 'Demo licence (revised)' } } });
  ctx = await context(browser);
  page = await ctx.newPage();
  errors = watchConsole(page);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a department administrator', () => {
  it('sees the admin pages their permissions allow', async () => {
    await page.goto(`${server.base}/admin`);
    await signIn(page, 'wh_department_admin');
    await page.waitForURL(/\/admin\/workflows$/);
    expect(await menu().locator('a').allTextContents()).toEqual(['流程定义', '用户管理', '角色与权限', '组织机构', '行政区划', '表单定义']);
  });

  it('finds a user and grants a role in their division, offered only roles they may grant', async () => {
    await go('用户管理');
    await scanAndShoot('admin-users');
    await page.getByLabel('姓名、用户名或手机号').fill('五华区窗口');
    await page.getByRole('button', { name: '查找' }).click();
    await page.getByRole('button', { name: '五华区窗口' }).click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('五华区窗口（wh_window_clerk）').waitFor();
    await drawer.getByRole('cell', { name: '窗口工作人员' }).waitFor();
    await scanAndShoot('admin-user-detail');
    await drawer.getByLabel('角色', { exact: true }).click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await options.first().waitFor();
    const offered = await options.allTextContents();
    expect(offered).toContain('审批人员');
    // No role above their own: neither the system administrator nor the auditor (audit log) is offered.
    expect(offered).not.toContain('系统管理员');
    expect(offered).not.toContain('审计员');
    await options.filter({ hasText: '审批人员' }).click();
    await drawer.getByRole('button', { name: '授予角色' }).click();
    await page.getByText('已授予角色').waitFor();
    await drawer.getByRole('cell', { name: '审批人员' }).waitFor();
    const id = (await server.core.db.selectFrom('account').select('id').where('username', '=', 'wh_window_clerk').executeTakeFirstOrThrow()).id;
    const grants = await server.core.db.selectFrom('role_assignment').select(['role_code', 'division']).where('account_id', '=', id).where('revoked_at', 'is', null).orderBy('granted_at').execute();
    expect(grants).toEqual([{ role_code: 'window_clerk', division: '530102' }, { role_code: 'approver', division: '530102' }]);
    await drawer.getByRole('button', { name: '关闭' }).first().click();
  });

  it('lists the roles with their permissions', async () => {
    await go('角色与权限');
    await page.getByRole('cell', { name: /系统管理员/ }).waitFor();
    await scanAndShoot('admin-roles');
  });

  it('creates, renames and staffs a department', async () => {
    await go('组织机构');
    await page.getByLabel('部门编码').fill('E2E-01');
    await page.getByLabel('部门名称').fill('五华区测试局');
    await page.getByRole('button', { name: '新建部门' }).click();
    await page.getByRole('tree').getByText('五华区测试局（E2E-01）').click();
    const rename = page.getByLabel('部门名称').first();
    await rename.fill('五华区测试管理局');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('tree').getByText('五华区测试管理局（E2E-01）').waitFor();
    await page.getByLabel('新职务名称').fill('科长');
    await page.getByRole('button', { name: '添加职务' }).click();
    await page.locator('.ant-tag').getByText('科长').waitFor();
    const row = await server.core.db.selectFrom('department').select(['name', 'division']).where('code', '=', 'E2E-01').executeTakeFirstOrThrow();
    expect(row).toEqual({ name: '五华区测试管理局', division: '530102' });
    await scanAndShoot('admin-departments');
  });

  it('browses the division tree', async () => {
    await go('行政区划');
    await page.getByRole('tree').getByText('云南省').waitFor();
    await scanAndShoot('admin-divisions');
  });

  it('compares two versions of a form, and checks a draft without publishing it', async () => {
    await go('表单定义');
    await page.getByRole('button', { name: 'birth-registration' }).click();
    await page.getByText(/从 v1 · 530000 到 v2 · 530000：新增 \d+ 行，删除 \d+ 行/).waitFor();
    await page.locator('.yl-diff pre').getByText('出生登记（修订）').waitFor();
    await page.getByLabel('表单定义（JSON 或 YAML）').fill('key: Bad Key\ntitle:\n  zh-CN: 测试\nschema:\n  type: array\n');
    await page.getByRole('button', { name: '只校验' }).click();
    await page.getByText(/发现 \d+ 处问题/).waitFor();
    await page.getByText('/definition/key').waitFor();
    await scanAndShoot('admin-forms');
  });

  it('compares two versions of a workflow and checks a draft', async () => {
    await go('流程定义');
    await page.getByRole('button', { name: 'demo.licence' }).click();
    await page.getByText(/从 v1 · 530000 到 v2 · 530000：新增 \d+ 行，删除 \d+ 行/).waitFor();
    await page.getByLabel('流程定义（JSON）').fill(JSON.stringify(DEFINITION));
    await page.getByRole('button', { name: '只校验' }).click();
    await page.getByText('校验通过，可以发布').waitFor();
    await scanAndShoot('admin-workflows-diff');
    expect(errors).toEqual([]);
  });

  it('works at 360 px wide without scrolling sideways', async () => {
    // The same signed-in page, narrowed (a second sign-in would reuse the TOTP code, which is refused).
    await page.setViewportSize(PHONE);
    await page.goto(`${server.base}/admin/users`);
    await page.getByRole('heading', { name: '用户管理', level: 1 }).waitFor();
    await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
    const wide = await inPage<string[]>(page, `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > ${PHONE.width + 1})
      .slice(0, 10).map((e) => e.tagName + '.' + String(e.className).slice(0, 60) + ' ' + Math.round(e.getBoundingClientRect().right))`);
    expect(await inPage<number>(page, 'document.documentElement.scrollWidth'), wide.join('\n')).toBeLessThanOrEqual(PHONE.width);
    await scanAndShoot('admin-users-360');
  });
});
