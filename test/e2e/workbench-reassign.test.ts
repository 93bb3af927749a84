// 改派 by name, in a browser: a case waits for acceptance in 昆明市; the window clerk claims it; the
// department administrator (a supervisor, on a 360 px phone) sees who holds it by name and
// department, and reassigns it by typing a colleague's name and picking them with the keyboard;
// the colleague opens the case and the history names everyone. axe and a screenshot on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createAccount } from '../../src/platform/identity/accounts.js';
import { startInstance } from '../../src/platform/workflow/index.js';
import { axe, context, DESKTOP, launch, PASSWORD, PHONE, screenshot, signIn, startServer, watchConsole, type Server } from './harness.js';

let server: Server;
let browser: Browser;
const contexts: BrowserContext[] = [];
let caseId = '';
const OFFICE = '昆明市政务服务局';

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

async function staffOnCase(username: string, viewport = DESKTOP) {
  const s = await open(viewport);
  await s.page.goto(`${server.base}/workbench/cases/${caseId}`);
  await signIn(s.page, username);
  await s.page.waitForURL(new RegExp(`/workbench/cases/${caseId}$`));
  await s.page.getByRole('heading', { name: '办件 E2E-GP-0001', level: 1 }).waitFor();
  return s;
}

const tasks = (page: Page) => page.locator('section[aria-labelledby="case-tasks"]');
const history = (page: Page) => page.locator('section[aria-labelledby="case-history"]');

beforeAll(async () => {
  browser = await launch();
  server = await startServer();
  const core = server.core;
  const actor = { id: 'system:e2e' };
  // The window clerk sits in the city's government services office; a second clerk joins it.
  const office = await core.db.insertInto('department').values({ division: '530100', code: 'E2E-ZWFW', name: OFFICE }).returning('id').executeTakeFirstOrThrow();
  await core.db.updateTable('account').set({ department_id: office.id }).where('username', '=', 'km_window_clerk').execute();
  await createAccount(core, actor, { type: 'staff', username: 'km_clerk_li', password: PASSWORD, name: '李受理', division: '530100', roles: ['window_clerk'], departmentId: office.id, mobile: '13800879901' });
  const row = await core.db.transaction().execute((tx) => startInstance(core, tx, actor, { key: 'svc.promised-1', division: '530100', title: '改派演示办件', number: 'E2E-GP-0001', data: {} }));
  caseId = row.id;
}, 300_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.close();
});

describe('reassigning a task by a colleague\'s name', () => {
  it('the clerk claims the task', async () => {
    const { page, errors } = await staffOnCase('km_window_clerk');
    await tasks(page).getByRole('button', { name: '认领任务' }).click();
    await page.getByText('已认领任务').waitFor();
    await tasks(page).getByText('办理人：我').waitFor();
    expect(errors).toEqual([]);
  }, 240_000);

  it('a supervisor on a phone sees the holder by name and reassigns to a colleague picked by name', async () => {
    const { page, errors } = await staffOnCase('km_department_admin', PHONE);
    await tasks(page).getByText(`办理人：昆明市窗口 · ${OFFICE}`).waitFor();
    await history(page).getByText(`办理人：昆明市窗口 · ${OFFICE}`).waitFor();
    await tasks(page).getByRole('button', { name: '改派' }).click();
    const picker = page.getByRole('combobox', { name: '改派给' });
    await picker.waitFor();
    // Nothing picked: said at the field.
    await page.getByRole('button', { name: '确认改派' }).click();
    await page.getByText('请选择改派给哪位同事').waitFor();
    // The current holder is not offered; the colleague is found by typing part of the name.
    await picker.focus();
    await page.keyboard.type('李');
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await options.filter({ hasText: '李受理' }).waitFor();
    expect(await options.allTextContents()).toEqual([`李受理 · ${OFFICE}`]);
    await scanAndShoot(page, 'workbench-reassign-pick-360');
    await page.keyboard.press('Enter');
    // Enter picks the highlighted colleague: the select now shows them.
    await page.locator('form .ant-select').getByTitle(`李受理 · ${OFFICE}`).waitFor();
    await page.getByRole('button', { name: '确认改派' }).click();
    await page.getByText('已改派').first().waitFor();
    await tasks(page).getByText(`办理人：李受理 · ${OFFICE}`).waitFor();
    await history(page).getByText(`改派给 李受理 · ${OFFICE}`).waitFor();
    await scanAndShoot(page, 'workbench-reassign-done-360');
    expect(errors).toEqual([]);
  }, 240_000);

  it('the colleague opens the case: the task is theirs and the history names who did what', async () => {
    const { page, errors } = await staffOnCase('km_clerk_li');
    await tasks(page).getByText('办理人：我').waitFor();
    const rows = history(page).locator('.ant-timeline-item');
    await expect.poll(() => rows.count()).toBe(3);
    const texts = await rows.allInnerTexts();
    expect(texts[0]).toContain('改派');
    expect(texts[0]).toContain('办理人：昆明市管理员');
    expect(texts[0]).toContain('改派给 我');
    expect(texts[1]).toContain(`办理人：昆明市窗口 · ${OFFICE}`);
    expect(texts.join('\n')).not.toMatch(/工作人员（[0-9a-f]{8}）/);
    await scanAndShoot(page, 'workbench-reassign-history');
    expect(errors).toEqual([]);
  }, 240_000);
});
