/**
 * The Logs page as executions run: at the top it follows (new lines appear as they are written),
 * a toggle pauses it, and scrolled down the list stays put; the text filter shows the results of
 * the last text typed, even when an earlier search answers later, and follows the address.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import type { LogEntry } from '../../src/engine/model.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

const SLOW_FLOW = `id: slow
namespace: ui.live
tasks:
  - id: begin
    type: io.kestra.plugin.core.log.Log
    message: live line before the pause
  - id: pause
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT2S
  - id: end
    type: io.kestra.plugin.core.log.Log
    message: live line after the pause
`;

/** A line of execution `bulk` at `at`, as a worker writes it. */
function line(message: string, at: number): LogEntry {
  return {
    executionId: 'live-bulk',
    namespace: 'ui.live',
    flowId: 'bulk',
    level: 'INFO',
    message,
    timestamp: new Date(at).toISOString(),
  };
}

/** Longer than two polls of the page (FOLLOW_INTERVAL_MS, 1 s): a line it would add has come. */
const TWO_POLLS_MS = 2_500;

describe.skipIf(skip !== undefined)('logs page, live', () => {
  it('shows the lines of a running execution as they are written while at the top; Pause stops it, Follow catches up', async () => {
    ui = await openUi({ scheduler: false });
    const { store, runtime } = ui.server.local;
    const flow = await deployFlow(store, SLOW_FLOW);
    const { page } = ui;
    await ui.open('/logs');
    await page.getByText('No log line matches these filters.').waitFor();
    expect(await page.getByTestId('log-follow').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('log-follow-state').textContent()).toContain('Following');

    // Opened before the execution started: its lines come without a reload.
    const execution = await runtime.submit(flow, { inputs: {} });
    const lines = page.getByTestId('log-line');
    await lines.filter({ hasText: 'live line before the pause' }).waitFor({ timeout: 10_000 });
    await lines.filter({ hasText: 'live line after the pause' }).waitFor({ timeout: 10_000 });
    await runtime.waitForEnd(execution.id);
    // Newest first.
    const texts = await lines.allTextContents();
    const at = (text: string) => texts.findIndex((shown) => shown.includes(text));
    expect(at('live line after the pause')).toBeLessThan(at('live line before the pause'));
    await ui.screenshots('logs-live');

    await page.getByTestId('log-follow').click();
    expect(await page.getByTestId('log-follow').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByTestId('log-follow-state').textContent()).toContain('Paused');
    await store.appendLogs([line('written while paused', Date.now())]);
    await page.waitForTimeout(TWO_POLLS_MS);
    expect(await lines.allTextContents()).not.toContainEqual(expect.stringContaining('written while paused'));

    await page.getByTestId('log-follow').click();
    await vi.waitFor(
      async () => expect(await lines.first().textContent()).toContain('written while paused'),
      {
        timeout: 5_000,
      },
    );
  }, 60_000);

  it('does not move a list scrolled down: new lines wait, and show once back at the top', async () => {
    ui = await openUi({ scheduler: false });
    const { store } = ui.server.local;
    const start = Date.now() - 600_000;
    await store.appendLogs(Array.from({ length: 300 }, (_, i) => line(`older line ${i}`, start + i * 1000)));
    const { page } = ui;
    await ui.open('/logs');
    const lines = page.getByTestId('log-line');
    await vi.waitFor(async () => expect(await lines.first().textContent()).toContain('older line 299'));

    await page.evaluate("document.querySelector('[data-testid=log-list]').scrollTop = 2000");
    await vi.waitFor(async () =>
      expect(await page.getByTestId('log-follow-state').textContent()).toContain('wait while scrolled'),
    );
    const row = page.locator('[data-index="100"]');
    const before = await row.textContent();
    expect(before).toContain('older line 199');
    await store.appendLogs([line('written while scrolled down', Date.now())]);
    await page.waitForTimeout(TWO_POLLS_MS);
    // Nothing was put above what is in view: the same row is at the same place.
    expect(await row.textContent()).toBe(before);
    expect(await page.evaluate("document.querySelector('[data-testid=log-list]').scrollTop")).toBe(2000);

    await page.evaluate("document.querySelector('[data-testid=log-list]').scrollTop = 0");
    await vi.waitFor(
      async () => expect(await lines.first().textContent()).toContain('written while scrolled down'),
      { timeout: 5_000 },
    );
    expect(await page.getByTestId('log-count').textContent()).toContain('301 lines');
  }, 60_000);
});

describe.skipIf(skip !== undefined)('logs page, text filter', () => {
  it('shows the results of the last text typed even when an earlier search answers last', async () => {
    ui = await openUi({ scheduler: false });
    const start = Date.now() - 60_000;
    await ui.server.local.store.appendLogs([
      line('alpha comes first', start),
      line('alphabet soup', start + 1000),
      line('beta comes second', start + 2000),
    ]);
    const { page } = ui;
    // The search for "alpha" answers 2 s late: after the one for "beta" typed next.
    await page.route(/\/logs\/search\?.*q=alpha/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await route.continue().catch(() => undefined); // Aborted by the page meanwhile.
    });
    await ui.open('/logs');
    const lines = page.getByTestId('log-line');
    await vi.waitFor(async () => expect(await lines.count()).toBe(3));
    const box = page.getByLabel('Search the messages');
    await box.fill('alpha');
    await page.waitForURL(/q=alpha/);
    await box.fill('beta');
    await page.waitForURL(/q=beta/);
    await vi.waitFor(async () => expect(await lines.allTextContents()).toHaveLength(1));
    // Past the late answer: still the last text's lines.
    await page.waitForTimeout(2_500);
    const shown = await lines.allTextContents();
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain('beta comes second');
    expect(await page.getByTestId('log-count').textContent()).toContain('1 line');
  }, 60_000);

  it('shows in the text box the text the address searches, when a link changes it', async () => {
    ui = await openUi({ scheduler: false });
    const start = Date.now() - 60_000;
    await ui.server.local.store.appendLogs([line('needle here', start), line('hay there', start + 1000)]);
    const { page } = ui;
    await ui.open('/logs');
    const lines = page.getByTestId('log-line');
    const box = page.getByLabel('Search the messages');
    await box.fill('needle');
    await page.waitForURL(/q=needle/);
    await vi.waitFor(async () => expect(await lines.count()).toBe(1));
    // The sidebar's Logs link: every line, and an empty box (not a text that no longer filters).
    await page.getByRole('navigation').getByRole('link', { name: 'Logs' }).click();
    await page.waitForURL((url) => url.pathname === '/logs' && !url.search.includes('q='));
    await vi.waitFor(async () => expect(await lines.count()).toBe(2));
    expect(await box.inputValue()).toBe('');
    // And typing again searches again.
    await box.fill('hay');
    await page.waitForURL(/q=hay/);
    await vi.waitFor(async () =>
      expect(await lines.allTextContents()).toEqual([expect.stringContaining('hay there')]),
    );
  }, 60_000);
});
