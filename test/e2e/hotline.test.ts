// 12345 journeys in the browser: an operator takes a call with the keyboard alone (caller history
// and a knowledge suggestion appear; another call is answered at once from the knowledge base);
// the dispatcher dispatches to the suggested unit; the unit signs for and replies; the dispatcher
// approves the reply and the operator records the callback. On a 360 px phone a resident files a
// request, follows its progress in "my requests", and asks the chat, which answers from the
// knowledge base with its source and then turns the conversation into a request. axe on every page.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadPrincipal } from '../../src/platform/identity/principal.js';
import { createOrder, dispatch, reviewKbEntry, saveKbEntry } from '../../src/modules/hotline/index.js';
import { axe, context, DESKTOP, inPage, launch, PHONE, screenshot, signIn, startServer, watchConsole, type Server } from './harness.js';

let server: Server;
let browser: Browser;
let unitId = '';
let orderId = '';

const PHONE_NO = '13987650001';
const KB_TITLE = '停水了怎么办：供水抢修与临时供水指南';

async function callerFor(username: string) {
  const a = await server.core.db.selectFrom('account').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return { principal: (await loadPrincipal(server.core, a.id, { mfa: true }))!, actor: { id: `user:${a.id}` }, lang: 'zh-CN' as const };
}

const pages: Page[] = [];
async function open(viewport = DESKTOP) {
  const ctx = await context(browser, viewport);
  const page = await ctx.newPage();
  pages.push(page);
  page.setDefaultTimeout(30_000); // a shared CI machine: long journeys, slow steps
  return { ctx, page, errors: watchConsole(page) };
}

async function scanAndShoot(page: Page, name: string) {
  // An open select list is not part of the page under test.
  await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);
  await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' }).catch(() => {});
  const violations = await axe(page);
  expect(violations, JSON.stringify(violations, null, 1)).toEqual([]);
  await screenshot(page, name);
}

const focusedId = (page: Page) => inPage<string>(page, `document.activeElement?.id ?? ''`);
const noHorizontalScroll = (page: Page) => inPage<boolean>(page, 'document.documentElement.scrollWidth <= window.innerWidth + 1');

beforeAll(async () => {
  browser = await launch();
  server = await startServer();
  const core = server.core;
  // The demo seed's handling unit 五华区水务局, its account wh_hotline_unit and the rule that suggests it for 供水.
  const dept = await core.db.selectFrom('department').select('id').where('division', '=', '530102').where('code', '=', 'WH-SWJ').executeTakeFirstOrThrow();
  unitId = dept.id;
  expect(await core.db.selectFrom('hotline_dispatch_rule').select('department_id').where('division', '=', '530102').where('category_prefix', '=', '1201').executeTakeFirst()).toEqual({ department_id: unitId });
  // One published knowledge entry, reviewed by the dispatcher.
  const disp = await callerFor('wh_hotline_dispatcher');
  const kb = await saveKbEntry(core, disp, {
    division: '530102', categoryPath: '水电气讯/供水/停水', title: KB_TITLE, kind: '热点问答', issuingUnit: '五华区水务局',
    content: '停水了怎么办？计划停水会提前公告；突发停水请拨打供水抢修热线 0871-96106，抢修期间可到临时供水点取水。', keywords: ['停水', '供水抢修'],
  } as never);
  await reviewKbEntry(core, disp, kb.id, { approve: true });
  // An earlier call from the same number: the console shows it as caller history.
  await createOrder(core, await callerFor('wh_hotline_operator'), {
    channel: 'phone', demandType: '咨询', categoryCode: '120101', content: '上个月咨询过小区二次供水水箱清洗的时间。', caller: { name: '刘先生', phone: PHONE_NO }, location: { division: '530102' },
  });
});
// A failed step leaves a picture of every page the test had open (test-output/e2e/failed-*).
afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    for (const [i, p] of pages.entries()) await screenshot(p, `failed-hotline-${ctx.task.name.slice(0, 24)}-${i}`).catch(() => {});
  }
  pages.length = 0;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the hotline staff', () => {
  it('an operator takes a call with the keyboard alone, seeing the caller history and a knowledge suggestion', async () => {
    const { page, errors } = await open();
    await page.goto(`${server.base}/workbench/hotline`);
    await signIn(page, 'wh_hotline_operator');
    await page.waitForURL(/\/workbench\/hotline\/console$/);
    await page.getByRole('heading', { name: '话务员台', level: 1 }).waitFor();
    await page.keyboard.press('Alt+KeyP');
    expect(await focusedId(page)).toBe('hl-phone');
    await page.keyboard.type(PHONE_NO);
    await page.getByTestId('caller-history').getByText('该号码有 1 条既往工单').waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('hl-name');
    await page.keyboard.type('刘先生');
    await page.keyboard.press('Tab'); // 匿名
    await page.keyboard.press('Tab'); // 诉求类型: 咨询 → 求助
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Alt+KeyC');
    expect(await focusedId(page)).toBe('hl-category');
    await page.keyboard.type('停水');
    await page.locator('.ant-select-item-option-active').getByText('水电气讯/供水/停水').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#hl-category').locator('xpath=ancestor::div[contains(@class,"ant-select")][1]').getByText('水电气讯/供水/停水').waitFor();
    // Tab on (the first Tab may close the list) to the division.
    for (let i = 0; i < 3 && (await focusedId(page)) !== 'hl-division'; i++) await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('hl-division');
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('hl-address');
    await page.keyboard.type('五华区青年路100号');
    await page.keyboard.press('Alt+KeyT');
    expect(await focusedId(page)).toBe('hl-content');
    await page.keyboard.type('青年路100号小区停水了怎么办，已经停了一天，家里有老人。');
    await page.getByTestId('kb-suggestions').getByText('供水抢修与临时供水指南').waitFor();
    await scanAndShoot(page, 'hotline-console');
    await page.keyboard.press('Alt+KeyS');
    await page.getByRole('heading', { name: '登记结果' }).waitFor();
    await page.getByText('工单已进入派单员的待派单队列。').waitFor();
    const href = await page.locator('#hl-after').getByRole('link', { name: '查看工单' }).getAttribute('href');
    orderId = href!.split('/').pop()!;
    await scanAndShoot(page, 'hotline-console-saved');

    // The next call is answered at once from the knowledge base (Alt+A), still keyboard only.
    await page.keyboard.press('Alt+KeyN');
    expect(await focusedId(page)).toBe('hl-phone');
    await page.keyboard.type(PHONE_NO);
    await page.keyboard.press('Alt+KeyC');
    await page.keyboard.type('停水');
    await page.locator('.ant-select-item-option-active').waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Alt+KeyT');
    await page.keyboard.type('青年路100号小区停水了怎么办，已经停了一天。');
    // Same caller, same topic, still open: the duplicate warning names the first order.
    await page.getByTestId('duplicates').locator('li').filter({ hasText: '同一来电人' }).waitFor();
    // The demo knowledge base suggests its own 停水 entry too: Alt+A answers from the first suggestion.
    await page.getByTestId('kb-suggestions').locator('li').first().getByRole('button', { name: '用此条答复（即时办结）' }).waitFor();
    await scanAndShoot(page, 'hotline-console-duplicate');
    await page.keyboard.press('Alt+KeyA');
    await page.getByText('已用知识库答复，工单即时办结。').waitFor();
    await page.locator('#hl-after').getByText('即时办结').first().waitFor();
    expect(errors).toEqual([]);
  }, 180_000);

  it('the dispatcher dispatches to the suggested unit from the supervisor view', async () => {
    const { page } = await open();
    await page.goto(`${server.base}/workbench/hotline/supervisor`);
    await signIn(page, 'wh_hotline_dispatcher');
    await page.getByRole('heading', { name: '督办视图', level: 1 }).waitFor();
    await page.getByTestId('figures').waitFor();
    await page.locator(`a[href="/workbench/hotline/orders/${orderId}"]`).waitFor();
    await scanAndShoot(page, 'hotline-supervisor');
    await page.locator(`a[href="/workbench/hotline/orders/${orderId}"]`).click();
    await page.getByText('建议派给：五华区水务局').waitFor();
    await scanAndShoot(page, 'hotline-order-dispatch');
    await page.getByRole('button', { name: '派单', exact: true }).click();
    await page.getByTestId('order-status').getByText('已派单待签收').waitFor();
  }, 120_000);

  it('the unit signs for the order and replies; the caller\'s number is masked', async () => {
    const { page } = await open();
    await page.goto(`${server.base}/workbench/hotline`);
    await signIn(page, 'wh_hotline_unit');
    await page.waitForURL(/\/workbench\/hotline\/inbox$/);
    await page.getByRole('heading', { name: '承办单位收件箱', level: 1 }).waitFor();
    await page.locator(`a[href="/workbench/hotline/orders/${orderId}"]`).waitFor();
    await scanAndShoot(page, 'hotline-unit-inbox');
    await page.locator(`a[href="/workbench/hotline/orders/${orderId}"]`).click();
    await page.getByText('139****0001').waitFor();
    expect(await page.getByText(PHONE_NO).count()).toBe(0);
    // A return needs a coded reason and its legal basis: the missing basis is named at its field.
    await page.locator('#hl-return-reason').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '非本单位职责' }).click();
    await page.getByRole('button', { name: '退单', exact: true }).click();
    await page.locator('.ant-form-item').filter({ has: page.locator('#hl-return-basis') }).locator('.ant-form-item-explain-error').getByText('不能为空').waitFor();
    await page.locator('#hl-return-basis').fill('《云南省城市供水管理条例》第五条');
    await page.getByRole('button', { name: '退单', exact: true }).click();
    await page.getByTestId('order-status').getByText('退单待审定').waitFor();
    // The dispatcher overrules the return: the order is force-assigned back to the unit.
    const disp = await open();
    await disp.page.goto(`${server.base}/workbench/hotline/orders/${orderId}`);
    await signIn(disp.page, 'wh_hotline_dispatcher');
    await disp.page.locator('.hl-timeline').getByText('非本单位职责：《云南省城市供水管理条例》第五条').waitFor();
    await scanAndShoot(disp.page, 'hotline-return-arbitration');
    await disp.page.getByRole('button', { name: '强制派单给原单位' }).click();
    await disp.page.getByTestId('order-status').getByText('已派单待签收').waitFor();
    await page.reload();
    await page.getByText('该工单已由热线审定强制派单，不能再退单。').waitFor();
    await page.getByRole('button', { name: '签收工单' }).click();
    await page.getByTestId('order-status').getByText('办理中').waitFor();
    await scanAndShoot(page, 'hotline-unit-order');
    await page.locator('#hl-reply').fill('已安排抢修，当日18时恢复供水，并在小区门口设置临时供水点。');
    await page.getByRole('button', { name: '提交答复' }).click();
    await page.getByTestId('order-status').getByText('答复待审核').waitFor();
  }, 180_000);

  it('the dispatcher approves the reply and the operator records the callback', async () => {
    const { page } = await open();
    await page.goto(`${server.base}/workbench/hotline/orders/${orderId}`);
    await signIn(page, 'wh_hotline_dispatcher');
    await page.getByRole('heading', { name: '审核答复' }).waitFor();
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByTestId('order-status').getByText('待回访').waitFor();

    const op = await open();
    await op.page.goto(`${server.base}/workbench/hotline/orders/${orderId}`);
    await signIn(op.page, 'wh_hotline_operator');
    await op.page.getByRole('heading', { name: '回访' }).waitFor();
    await scanAndShoot(op.page, 'hotline-callback');
    await op.page.getByRole('button', { name: '记录回访' }).click();
    await op.page.getByTestId('order-status').getByText('已办结').waitFor();
    for (const step of ['受理', '派单', '签收', '承办单位答复', '热线审核通过', '回访办结']) await op.page.locator('.hl-timeline').getByText(step, { exact: true }).waitFor();
    await scanAndShoot(op.page, 'hotline-order-closed');
  }, 120_000);
});

describe('a resident on a 360 px phone', () => {
  it('files a request on the web and follows its progress in "my requests"', async () => {
    const { page } = await open(PHONE);
    await page.goto(`${server.base}/portal/hotline`);
    await page.getByText('请登录后查看和提交 12345 诉求。').waitFor();
    await signIn(page, 'wh_citizen');
    await page.getByRole('heading', { name: '我的诉求', level: 1 }).waitFor();
    await scanAndShoot(page, 'hotline-portal-mine-empty');
    await page.getByRole('link', { name: '提交新诉求' }).click();
    await page.getByRole('heading', { name: '提交诉求', level: 1 }).waitFor();
    await page.getByText('求助', { exact: true }).click();
    await page.locator('#hl-new-category').fill('停水');
    await page.locator('.ant-select-item-option-active').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#hl-new-division').fill('昆明');
    await page.locator('.ant-select-item-option-active').getByText('昆明市').waitFor();
    await page.keyboard.press('Enter');
    const county = page.getByRole('combobox', { name: '第 2 级行政区划' });
    await county.fill('五华');
    await page.locator('.ant-select-item-option-active').getByText('五华区').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#hl-new-content').fill('翠湖小区今天早上开始停水，没有看到停水通知。');
    expect(await noHorizontalScroll(page)).toBe(true);
    await scanAndShoot(page, 'hotline-portal-new');
    await page.getByRole('button', { name: '提交诉求' }).click();
    await page.getByRole('heading', { name: '办理进度' }).waitFor();
    const id = page.url().split('/').pop()!;
    // The hotline dispatches it; the resident sees the step in the timeline.
    await dispatch(server.core, await callerFor('wh_hotline_dispatcher'), id, { departmentId: unitId, comment: '内部备注' });
    await page.reload();
    await page.getByTestId('request-status').getByText('已派单待签收').waitFor();
    await page.locator('.hl-timeline').getByText('派单', { exact: true }).waitFor();
    expect(await page.getByText('内部备注').count()).toBe(0);
    await scanAndShoot(page, 'hotline-portal-request');
    await page.getByRole('link', { name: '返回我的诉求' }).click();
    await page.getByTestId('my-requests').getByText('已派单待签收').waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    await scanAndShoot(page, 'hotline-portal-mine');
    // 长辈模式: larger text, one column, still no horizontal scrolling.
    await page.getByRole('switch', { name: '长辈模式' }).click();
    await expect.poll(() => inPage<boolean>(page, `document.documentElement.classList.contains('yl-elderly')`)).toBe(true);
    expect(await noHorizontalScroll(page)).toBe(true);
    await scanAndShoot(page, 'hotline-portal-mine-elderly');
    await page.getByRole('switch', { name: '长辈模式' }).click();
  }, 120_000);

  it('asks the chat: an answer with its source, then the conversation becomes a request', async () => {
    const { page, errors } = await open(PHONE);
    await page.goto(`${server.base}/portal/hotline/chat`);
    await signIn(page, 'wh_citizen');
    await page.getByRole('heading', { name: '智能客服', level: 1 }).waitFor();
    expect(await page.getByTestId('chat-log').getAttribute('aria-live')).toBe('polite');
    await page.locator('#hl-chat-input').fill('停水了怎么办');
    await page.keyboard.press('Enter');
    await page.getByTestId('chat-log').getByText(`来源：${KB_TITLE}`).waitFor();
    await page.getByTestId('chat-log').getByText('供水抢修热线 0871-96106', { exact: false }).waitFor();
    await scanAndShoot(page, 'hotline-chat-answer');
    await page.getByRole('button', { name: '转人工 / 提交诉求' }).click();
    await page.locator('#hl-chat-category').fill('停水');
    await page.locator('.ant-select-item-option-active').waitFor();
    await page.keyboard.press('Enter');
    await page.locator('#hl-chat-division').fill('昆明');
    await page.locator('.ant-select-item-option-active').getByText('昆明市').waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('combobox', { name: '第 2 级行政区划' }).fill('五华');
    await page.locator('.ant-select-item-option-active').getByText('五华区').waitFor();
    await page.keyboard.press('Enter');
    expect(await noHorizontalScroll(page)).toBe(true);
    await scanAndShoot(page, 'hotline-chat-order');
    await page.getByRole('button', { name: '提交诉求' }).click();
    await page.getByRole('heading', { name: '办理进度' }).waitFor();
    await page.getByRole('heading', { name: '停水了怎么办', level: 1 }).waitFor();
    await page.locator('main p').filter({ hasText: '【智能客服对话记录】' }).waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
