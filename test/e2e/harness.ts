// Browser journeys: the real server (buildApp on a fresh test database, seeded with the demo
// accounts, listening on a free port with BASE_URL set to it) and Debian's chromium driven by
// playwright-core. Screenshots go to test-output/e2e/. Missing chromium is a failure, never a skip:
// CI installs it (.ci/run).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testApp } from '../db.js';
import type { Core } from '../../src/core/index.js';
import { systemClock } from '../../src/core/clock.js';
import { seedDemo } from '../../src/seed.js';
import { totp } from '../../src/platform/identity/totp.js';
import { defaultWebDist } from '../../src/web/index.js';

export const PASSWORD = 'Yunling@2026';
export const OUTPUT = path.resolve('test-output', 'e2e');
const require = createRequire(import.meta.url);

export function chromiumPath(): string {
  const given = process.env.CHROMIUM_PATH;
  if (given && fs.existsSync(given)) return given;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      /* try the next name */
    }
  }
  throw new Error('e2e: Debian chromium is not installed. Run `apt-get install -y chromium fonts-wqy-microhei` (.ci/run does), or set CHROMIUM_PATH.');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Server {
  base: string;
  core: Core;
  close(): Promise<void>;
}

export async function startServer(): Promise<Server> {
  if (!fs.existsSync(path.join(defaultWebDist(), 'index.html'))) throw new Error('e2e: web/dist is missing — the global setup builds it (scripts/ensure-built.mjs --web)');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The real clock, as in production (TOTP codes, token lifetimes and deadlines all agree with the browser).
  const t = await testApp({ env: { BASE_URL: base }, clock: systemClock });
  await seedDemo(t.core);
  await t.app.listen({ port, host: '127.0.0.1' });
  return { base, core: t.core, close: t.close };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 900 };

export async function context(browser: Browser, viewport = DESKTOP): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', reducedMotion: 'reduce' });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

/** Signs in through the provider's /login page, enrolling or answering TOTP for roles that need it. */
export async function signIn(page: Page, username: string): Promise<void> {
  try {
    await page.getByTestId('sign-in').click();
    await page.waitForURL(/\/login\?/);
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('#login-form button[type=submit]');
    await page.waitForLoadState('domcontentloaded');
    const secret = await page.locator('#totp-secret').textContent({ timeout: 2_000 }).catch(() => null);
    if (secret) {
      await page.fill('#code', totp(secret.trim(), new Date()));
      await page.click('#login-form button[type=submit]');
    }
    await page.waitForURL((u) => !u.pathname.startsWith('/login') && !u.pathname.startsWith('/auth/') && !u.pathname.startsWith('/oidc'));
    await page.locator('.yl-user').waitFor();
  } catch (err) {
    await screenshot(page, `sign-in-failed-${username}`).catch(() => {});
    const text = await page.locator('body').innerText().catch(() => '');
    throw new Error(`sign-in as ${username} stopped at ${page.url()}: ${text.slice(0, 400)}`, { cause: err });
  }
}

/**
 * Evaluates a JavaScript expression in the page. Browser-side code is written as a string so the
 * server project's type check (Node, no DOM library) is not widened for the whole codebase.
 */
export const inPage = <T>(page: Page, expression: string): Promise<T> => page.evaluate(expression) as Promise<T>;

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Waits until no finite CSS animation or transition is running (antd fades error messages and
 * dialogs in): axe reads colours as drawn, and a half-faded message fails contrast. Spinners
 * (infinite animations) do not count. Gives up quietly after 5 s; axe then judges what is drawn.
 */
export async function animationsDone(page: Page): Promise<void> {
  const running = `document.getAnimations().filter((a) => a.playState === 'running' && a.effect && a.effect.getTiming().iterations !== Infinity).length`;
  for (const until = Date.now() + 5_000; Date.now() < until;) {
    if ((await inPage<number>(page, running)) === 0) return;
    await page.waitForTimeout(50);
  }
}

/**
 * axe-core in the page (evaluated through the DevTools protocol, so the page's CSP stays as served),
 * once the page's animations have finished.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await animationsDone(page);
  await page.evaluate(AXE);
  const violations = await inPage<AxeViolation[]>(page, `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
  })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage: true });
}

/** Fails on errors in the page's console (CSP refusals show up there) and on uncaught exceptions. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
