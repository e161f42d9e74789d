/**
 * The executions list in a real browser: filters kept in the URL (state chosen in the UI
 * survives a reload), the chart of the filtered executions, and a bulk kill of running ones.
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

const QUICK = `id: quick
namespace: ui.list
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`;
const BROKEN = `id: broken
namespace: ui.list
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`;
const SLOW = `id: slow
namespace: ui.list.team
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT5M
`;

describe.skipIf(skip !== undefined)('executions list', () => {
  it('filters by state through the UI, keeps the filter in the URL, and kills and restarts executions in bulk', async () => {
    ui = await openUi({ scheduler: false });
    const { store, runtime } = ui.server.local;
    const quick = await deployFlow(store, QUICK);
    const broken = await deployFlow(store, BROKEN);
    const slow = await deployFlow(store, SLOW);
    for (let i = 0; i < 3; i++) await runtime.waitForEnd((await runtime.submit(quick, { inputs: {} })).id);
    await runtime.waitForEnd((await runtime.submit(broken, { inputs: {} })).id);
    const running: string[] = [];
    for (let i = 0; i < 3; i++) running.push((await runtime.submit(slow, { inputs: {} })).id);
    await vi.waitFor(
      async () => {
        for (const id of running) expect((await runtime.execution(id))?.state.current).toBe('RUNNING');
      },
      { timeout: 10_000 },
    );

    const { page } = ui;
    await ui.open('/executions');
    const rows = page.getByTestId('execution-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(7);
    // The chart counts today's 7 executions.
    expect(await page.getByTestId('executions-chart').textContent()).toContain('7 executions');
    expect(
      await page.locator('[data-testid=executions-chart] rect[fill^="var(--state-"]').count(),
    ).toBeGreaterThan(1);
    await ui.screenshots('executions-list');

    await page.locator('[data-testid=executions-filters] button[data-state=FAILED]').click();
    await page.waitForURL(/state=FAILED/);
    await vi.waitFor(async () => expect(await rows.count()).toBe(1), { timeout: 15_000 });
    expect(await rows.first().getAttribute('data-state')).toBe('FAILED');
    await page.reload();
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await page.locator('button[data-state=FAILED]').getAttribute('aria-pressed')).toBe('true');

    // Only running ones, then select them all and kill them.
    await page.locator('button[data-state=FAILED]').click();
    await page.locator('button[data-state=RUNNING]').click();
    await page.waitForURL((url) => url.search === '?state=RUNNING');
    await vi.waitFor(async () => expect(await rows.count()).toBe(3), { timeout: 15_000 });
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('button', { name: 'Kill selected' }).click();
    await page.getByTestId('bulk-result').filter({ hasText: 'Killed 3' }).waitFor();
    await vi.waitFor(
      async () => {
        for (const id of running) expect((await runtime.execution(id))?.state.current).toBe('KILLED');
      },
      { timeout: 15_000 },
    );
    // A namespace filter typed in the UI keeps its children, and the URL says so.
    await page.locator('button[data-state=RUNNING]').click();
    await page.locator('button[data-state=KILLED]').click();
    await page.getByLabel('Namespace').fill('ui.list');
    await page.getByLabel('Namespace').press('Enter');
    await page.waitForURL(/namespace=ui\.list/);
    await vi.waitFor(async () => expect(await rows.count()).toBe(3), { timeout: 15_000 });
    await ui.screenshots('executions-filtered');

    // Restart everything in the namespace: the failed and killed ones restart, the others are
    // refused, each with the server's reason.
    await page.locator('button[data-state=KILLED]').click();
    await page.waitForURL((url) => url.search === '?namespace=ui.list');
    await vi.waitFor(async () => expect(await rows.count()).toBe(7), { timeout: 15_000 });
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('button', { name: 'Restart selected' }).click();
    const result = page.getByTestId('bulk-result');
    await result.filter({ hasText: 'Restarted 4' }).waitFor();
    expect(await result.textContent()).toContain('3 refused');
    expect(await result.textContent()).toContain('SUCCESS');
    await ui.screenshots('executions-bulk');
    await vi.waitFor(
      async () => {
        for (const id of running)
          expect((await runtime.execution(id))?.state.histories.map((h) => h.state)).toContain('RESTARTED');
      },
      { timeout: 15_000 },
    );
  });

  it('filters by label and by date range, typed in the UI and kept in the URL', async () => {
    ui = await openUi({ scheduler: false });
    await deployFlow(ui.server.local.store, QUICK);
    const start = (labels: string) =>
      ui!.server.app.inject({
        method: 'POST',
        url: `/api/v1/main/executions/ui.list/quick?wait=true&${labels}`,
      });
    await start('labels=team:data');
    await start('labels=team:ops');
    await start('');
    const { page } = ui;
    await ui.open('/executions');
    const rows = page.getByTestId('execution-row');
    await vi.waitFor(async () => expect(await rows.count()).toBe(3), { timeout: 15_000 });
    await page.getByPlaceholder('key:value').fill('team:data');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.waitForURL(/label=team%3Adata/);
    await vi.waitFor(async () => expect(await rows.count()).toBe(1), { timeout: 15_000 });
    expect(await rows.first().textContent()).toContain('team: data');
    await page.getByRole('button', { name: 'Remove label team:data' }).click();
    await vi.waitFor(async () => expect(await rows.count()).toBe(3), { timeout: 15_000 });

    // A range that ended yesterday holds none of today's executions.
    // Exact: a row's checkbox is labelled `Select <id>`, and a random id may hold "to".
    await page.getByLabel('To', { exact: true }).fill('2020-01-31');
    await page.waitForURL(/to=2020-01-31/);
    await page.getByText('No execution matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await vi.waitFor(async () => expect(await rows.count()).toBe(3), { timeout: 15_000 });
  });

  it('shows the server refusing a bad filter instead of a blank page', async () => {
    ui = await openUi({ scheduler: false });
    await ui.open('/executions?state=NOPE');
    expect(await ui.page.getByRole('alert').first().textContent()).toContain('WH_REQUEST_INVALID');
  });
});
