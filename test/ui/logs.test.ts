/**
 * The Logs page in a real browser: every execution's lines, newest first, filtered by minimum
 * level (INFO by default), text and flow, each line linking to its execution; the list is
 * virtualised and reads further pages as it is scrolled.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

const LEVELS_FLOW = `id: levels
namespace: ui.logs
tasks:
  - id: quiet
    type: io.kestra.plugin.core.log.Log
    level: DEBUG
    message: debug detail of levels
  - id: says
    type: io.kestra.plugin.core.log.Log
    message: info needle from levels
  - id: warns
    type: io.kestra.plugin.core.log.Log
    level: WARN
    message: warning from levels
  - id: errs
    type: io.kestra.plugin.core.log.Log
    level: ERROR
    message: error needle from levels
`;
const OTHER_FLOW = `id: other
namespace: ui.logs.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello from other
`;

describe.skipIf(skip !== undefined)('logs page', () => {
  it('shows every execution’s lines from INFO up, filters by level, text and flow, and links each line to its execution', async () => {
    ui = await openUi({ scheduler: false });
    const { store, runtime } = ui.server.local;
    const levels = await deployFlow(store, LEVELS_FLOW);
    const other = await deployFlow(store, OTHER_FLOW);
    await runtime.waitForEnd((await runtime.submit(levels, { inputs: {} })).id);
    const otherId = (await runtime.waitForEnd((await runtime.submit(other, { inputs: {} })).id)).id;

    const { page } = ui;
    // Kestra's address of the page leads here.
    await ui.open('/ui/main/logs');
    await page.waitForURL(/\/logs$/);
    const lines = page.getByTestId('log-line');
    const texts = async () => (await lines.allTextContents()).join('\n');
    await vi.waitFor(async () => expect(await texts()).toContain('hello from other'), { timeout: 15_000 });
    // INFO by default: the DEBUG line is one choice away.
    expect(await page.getByLabel('Minimum level').inputValue()).toBe('INFO');
    expect(await texts()).toContain('info needle from levels');
    expect(await texts()).toContain('error needle from levels');
    expect(await texts()).not.toContain('debug detail');
    // Newest first: the other flow ran last.
    expect(await lines.first().textContent()).toContain('other');
    await ui.screenshots('logs');

    await page.getByLabel('Minimum level').selectOption('DEBUG');
    await vi.waitFor(async () => expect(await texts()).toContain('debug detail of levels'));
    await page.getByLabel('Minimum level').selectOption('WARN');
    await page.waitForURL(/level=WARN/);
    await vi.waitFor(async () => expect(await texts()).not.toContain('info needle'));
    expect(await texts()).toContain('warning from levels');
    expect(await texts()).toContain('error needle from levels');
    expect(await texts()).not.toContain('hello from other');

    await page.getByLabel('Minimum level').selectOption('INFO');
    await page.getByLabel('Search the messages').fill('needle');
    await page.waitForURL(/q=needle/);
    await vi.waitFor(async () => expect(await lines.count()).toBe(2));
    expect(await texts()).toContain('info needle from levels');
    expect(await texts()).toContain('error needle from levels');

    await page.getByLabel('Search the messages').fill('');
    await page.waitForURL((url) => !url.search.includes('q='));
    // A time range after the runs: nothing; back to any time: the lines again.
    await page.getByLabel('Time range').selectOption('custom');
    await page.getByLabel('From').fill('2999-01-01T00:00');
    await page.waitForURL(/from=2999/);
    await page.getByText('No log line matches these filters.').waitFor();
    await page.getByLabel('Time range').selectOption('24h');
    await vi.waitFor(async () => expect(await texts()).toContain('hello from other'));
    await page.getByLabel('Time range').selectOption('');
    await page.getByLabel('Flow').selectOption({ label: 'ui.logs.team.other' });
    await page.waitForURL(/flowId=other/);
    await vi.waitFor(async () => expect(await texts()).not.toContain('levels'));
    expect(await texts()).toContain('hello from other');
    // The filters survive a reload (they live in the URL).
    await page.reload();
    await vi.waitFor(async () => expect(await texts()).toContain('hello from other'));
    expect(await texts()).not.toContain('levels');

    const link = page.getByTestId('log-execution').filter({ hasText: 'other' }).first();
    await link.click();
    await page.waitForURL(new RegExp(`/executions/ui\\.logs\\.team/other/${otherId}/logs`));
    await page.getByTestId('logs').waitFor();
  });

  it('keeps a long log virtualised and reads the next lines as it is scrolled', async () => {
    ui = await openUi({ scheduler: false });
    const { store } = ui.server.local;
    const start = Date.parse('2026-01-01T00:00:00Z');
    const lines = Array.from({ length: 20_000 }, (_, i) => ({
      executionId: 'bulk-execution',
      namespace: 'ui.bulk',
      flowId: 'bulk',
      level: 'INFO' as const,
      message: `bulk line ${i}`,
      timestamp: new Date(start + i * 1000).toISOString(),
    }));
    await store.appendLogs(lines);

    const { page } = ui;
    await ui.open('/logs');
    const rows = page.getByTestId('log-line');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain('bulk line 19999');
    expect(await page.getByTestId('log-count').textContent()).toContain('20,000 lines');
    // Only the rows in view are in the page, not 20,000.
    expect(await rows.count()).toBeLessThan(100);
    for (let i = 0; i < 30; i++) {
      await page.evaluate(
        "(() => { const list = document.querySelector('[data-testid=log-list]'); list.scrollTop = list.scrollHeight; })()",
      );
      await page.waitForTimeout(100);
      if ((await page.getByTestId('log-line').last().textContent())?.includes('bulk line 0')) break;
    }
    await vi.waitFor(async () => expect(await rows.last().textContent()).toContain('bulk line 0'), {
      timeout: 15_000,
    });
    expect(await rows.count()).toBeLessThan(100);
  }, 60_000);
});
