// Journeys of a resident on a phone (360 px): the portal anonymous, language switch and elderly
// mode (both remembered), keyboard-only use, sign-in through the platform's provider and sign-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axe, context, inPage, launch, PASSWORD, PHONE, screenshot, signIn, startServer, watchConsole, type Server } from './harness.js';

let server: Server;
let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let consoleErrors: string[];

beforeAll(async () => {
  browser = await launch(); // first: without chromium, fail before starting anything
  server = await startServer();
  ctx = await context(browser, PHONE);
  page = await ctx.newPage();
  consoleErrors = watchConsole(page);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('portal on a 360 px phone', () => {
  it('shows the shell with landmarks, in Chinese, without horizontal scrolling or console errors', async () => {
    await page.goto(`${server.base}/`);
    await page.waitForURL(/\/portal$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('办事大厅');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.title()).toBe('办事大厅 - 云岭');
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('nav[aria-label="主导航"]').count()).toBe(1);
    expect(await page.locator('main#main').count()).toBe(1);
    // Anonymous visitors see only the portal in the navigation.
    expect(await page.locator('nav[aria-label="主导航"] a').allTextContents()).toEqual(['办事大厅']);
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'portal-360-zh');
    expect(consoleErrors).toEqual([]);
  });

  it('reaches the main content and the sign-in button by keyboard alone, with a visible focus', async () => {
    await page.reload();
    await page.locator('h1').waitFor();
    await page.keyboard.press('Tab');
    const skip = await inPage(page, `({ text: document.activeElement?.textContent, href: document.activeElement?.getAttribute('href') })`);
    expect(skip).toEqual({ text: '跳到主要内容', href: '#main' });
    const ring = await inPage<string>(page, 'getComputedStyle(document.activeElement).outlineStyle');
    expect(ring).toBe('solid');
    await page.keyboard.press('Enter');
    expect(await inPage<string>(page, 'document.activeElement?.id')).toBe('main');
    // From the top of the page: the sign-in button (in the header, before the main content) is
    // reachable with Tab.
    await page.reload();
    await page.locator('h1').waitFor();
    let found = false;
    for (let i = 0; i < 10 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await inPage<boolean>(page, `document.activeElement?.getAttribute('data-testid') === 'sign-in'`);
    }
    expect(found).toBe(true);
  });

  it('switches to English and keeps it after a reload', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Services');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.title()).toBe('Services - Yunling');
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Services');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'portal-360-en');
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('办事大厅');
  });

  it('turns on elderly mode: larger text, one column, remembered, and the sign-in page follows', async () => {
    const before = await inPage<number>(page, `parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)`);
    const bodyBefore = await inPage<number>(page, `parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)`);
    await page.getByRole('switch', { name: '长辈模式' }).click();
    await expect.poll(() => inPage<boolean>(page, `document.documentElement.classList.contains('yl-elderly')`)).toBe(true);
    const after = await inPage<number>(page, `parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)`);
    const bodyAfter = await inPage<number>(page, `parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)`);
    expect(after).toBeGreaterThan(before);
    expect(bodyAfter).toBeGreaterThanOrEqual(18);
    expect(bodyAfter).toBeGreaterThan(bodyBefore);
    await page.reload();
    await expect.poll(() => inPage<boolean>(page, `document.documentElement.classList.contains('yl-elderly')`)).toBe(true);
    expect(await page.getByRole('switch', { name: '长辈模式' }).getAttribute('aria-checked')).toBe('true');
    await page.getByRole('heading', { name: '常用服务' }).waitFor();
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'portal-360-elderly');
  });

  it('signs a resident in through the provider (elderly sign-in page) and out again', async () => {
    await page.goto(`${server.base}/portal`);
    await page.getByTestId('sign-in').click();
    await page.waitForURL(/\/login\?/);
    expect(await page.getAttribute('html', 'class')).toBe('elderly');
    await page.goBack();
    await page.locator('h1').waitFor();
    await signIn(page, 'km_citizen');
    await expect.poll(() => page.locator('h1').textContent()).toBe('您好，张云');
    expect(new URL(page.url()).pathname).toBe('/portal');
    // A citizen's navigation offers no staff or admin areas.
    expect(await page.locator('nav[aria-label="主导航"] a').allTextContents()).toEqual(['办事大厅']);
    await page.getByRole('heading', { name: '我的消息' }).waitFor();
    expect(await axe(page)).toEqual([]);
    await screenshot(page, 'portal-360-signed-in');
    // Staff areas refuse a citizen who types their address.
    await page.goto(`${server.base}/admin`);
    await page.getByText('您没有权限执行此操作。').waitFor();
    await page.goto(`${server.base}/portal`);
    await page.getByRole('button', { name: '退出登录' }).click();
    // The provider asks to confirm signing out, then returns to the portal signed out.
    await page.waitForURL(/\/oidc\/session\/end/);
    await page.locator('button[type=submit], input[type=submit]').first().click();
    await page.waitForURL(/\/portal$/);
    await page.getByTestId('sign-in').waitFor();
    expect(await inPage<string | null>(page, `sessionStorage.getItem('yl.tokens')`)).toBeNull();
    // Through the provider's pages and back: no CSP refusal, no script error.
    expect(consoleErrors).toEqual([]);
  });

  it('carries a sign-in on the platform\'s own /login page over to the app', async () => {
    const other = await context(browser, PHONE);
    const p = await other.newPage();
    await p.goto(`${server.base}/login?next=%2Fportal`);
    await p.fill('#username', 'wh_enterprise');
    await p.fill('#password', PASSWORD);
    await p.click('#login-form button[type=submit]');
    await p.waitForURL(/\/portal$/);
    await expect.poll(() => p.locator('h1').textContent()).toBe('您好，五华区云岭示范科技有限公司');
    expect(await inPage<boolean>(p, `!!sessionStorage.getItem('yl.tokens')`)).toBe(true);
    await other.close();
  });

  it('shows a page-not-found page in the app for unknown app paths', async () => {
    await page.goto(`${server.base}/portal/no/such/page`);
    await page.locator('h1').waitFor();
    await page.goto(`${server.base}/workbench-nope`);
    expect(await page.locator('body').textContent()).toContain('NOT_FOUND');
  });
});
