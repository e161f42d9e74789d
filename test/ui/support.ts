/**
 * Browser tests of the web UI: a real server (runtime, scheduler, API and the built UI from
 * dist/ui, see `pretest`) on 127.0.0.1, and Debian's Chromium driven by playwright-core.
 *
 * Chromium is found at /usr/bin/chromium (or WINDHOVER_TEST_CHROMIUM). Where it is missing the
 * tests skip with the reason, unless WINDHOVER_TEST_REQUIRE_BROWSER=1 (set by .ci/run, which
 * installs it), which makes a missing browser fail the run.
 * Screenshots go to test-artifacts/ui/ (not committed).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer } from '../server/support.js';
import type { TestServer, TestServerOptions } from '../server/support.js';

export const CHROMIUM = process.env.WINDHOVER_TEST_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.WINDHOVER_TEST_REQUIRE_BROWSER === '1';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'ui');
/** The built UI the server serves: dist/ui, or WINDHOVER_TEST_UI_ROOT (a build of one's own, see ui/vite.config.ts). */
export const UI_ROOT = process.env.WINDHOVER_TEST_UI_ROOT ?? join(ROOT, 'dist', 'ui');
const UI_BUILT = existsSync(join(UI_ROOT, 'index.html'));

/** Why browser tests cannot run here (undefined when they can). */
export function browserUnavailable(): string | undefined {
  const reason = !existsSync(CHROMIUM)
    ? `no Chromium at ${CHROMIUM} (apt-get install chromium)`
    : !UI_BUILT
      ? 'the UI is not built (npm run build:ui)'
      : undefined;
  if (reason && REQUIRED)
    throw new Error(`${reason}; WINDHOVER_TEST_REQUIRE_BROWSER=1 requires it (see .ci/run)`);
  if (reason) console.warn(`skipping browser tests: ${reason}`);
  return reason;
}

/** Starts Chromium headless, as this machine allows it (no sandbox, no GPU, no background network). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export interface UiHarness {
  server: TestServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The server's base URL (http://127.0.0.1:port). */
  url: string;
  /** Opens a path of the UI and waits for the app to render. */
  open(path: string): Promise<void>;
  /** Saves a screenshot of the page as test-artifacts/ui/<name>-<theme>.png. */
  screenshot(name: string): Promise<void>;
  /** Screenshots in both themes: the theme is flipped in place (open dialogs stay), then back. */
  screenshots(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A listening server with the built UI and a browser page on it. */
export async function openUi(options: TestServerOptions = {}): Promise<UiHarness> {
  const server = await startTestServer({ uiRoot: UI_ROOT, ...options, listen: true });
  const url = server.url!;
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: url });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  mkdirSync(ARTIFACTS, { recursive: true });
  const screenshot = async (name: string) => {
    const theme = (await page.locator('html').getAttribute('data-theme')) ?? 'light';
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${theme}.png`), fullPage: false });
  };
  // A string: the test project has no DOM types.
  const flipTheme = () =>
    page.evaluate(
      "document.documentElement.dataset.theme = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'",
    );
  return {
    server,
    browser,
    context,
    page,
    url,
    open: async (path) => {
      await page.goto(path);
      await page.waitForSelector('#root > *');
    },
    screenshot,
    screenshots: async (name) => {
      await screenshot(name);
      await flipTheme();
      await screenshot(name);
      await flipTheme();
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
