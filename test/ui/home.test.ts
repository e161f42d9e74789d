/**
 * The home page in a real browser: after a few executions (one succeeding, one failing with an
 * error line, one running, one queued behind it) and a Schedule, each section shows them: the
 * chart counts them by state, the failure shows its first error line and links to the
 * execution, running and queued are listed, the schedule's next fire and the slowest flows too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness;
const API = '/api/v1/main';

const FLOWS = [
  `id: greet
namespace: company.home
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`,
  `id: breaks
namespace: company.home
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "disk quota exceeded on /data"
`,
  `id: long_job
namespace: company.home
concurrency:
  limit: 1
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT5M
`,
  `id: nightly
namespace: company.home
tasks:
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: report
triggers:
  - id: every_night
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 3 * * *"
`,
];

async function start(flowId: string, wait: boolean): Promise<{ id: string; state: { current: string } }> {
  const response = await ui.page.request.post(`${API}/executions/company.home/${flowId}?wait=${wait}`, {
    multipart: {},
  });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { id: string; state: { current: string } };
}

describe.skipIf(skip !== undefined)('Home page', () => {
  let failedId: string;
  beforeAll(async () => {
    ui = await openUi();
    for (const source of FLOWS) {
      const response = await ui.page.request.post(`${API}/flows`, {
        data: source,
        headers: { 'content-type': 'application/x-yaml' },
      });
      expect(response.status(), await response.text()).toBe(200);
    }
    expect((await start('greet', true)).state.current).toBe('SUCCESS');
    const failed = await start('breaks', true);
    expect(failed.state.current).toBe('FAILED');
    failedId = failed.id;
    await start('long_job', false);
    await start('long_job', false);
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('is the page at / with a Home link in the navigation', async () => {
    await ui.open('/');
    await ui.page.getByTestId('home-page').waitFor();
    expect(new URL(ui.page.url()).pathname).toBe('/');
    await ui.page.getByRole('link', { name: 'Home', exact: true }).click();
    expect(new URL(ui.page.url()).pathname).toBe('/');
  });

  it('charts the executions of the last 7 days by state, and of the last 24 hours per hour', async () => {
    await ui.open('/');
    const chart = ui.page.getByTestId('home-timeline');
    await expect.poll(() => chart.getAttribute('data-total'), { timeout: 10_000 }).toBe('4');
    expect(await chart.locator('[data-testid=chart-column]').count()).toBe(7);
    for (const state of ['SUCCESS', 'FAILED'])
      expect(await chart.locator(`rect[data-state=${state}]`).count()).toBe(1);
    await ui.page.getByRole('button', { name: 'Last 24 hours' }).click();
    await expect.poll(() => chart.locator('[data-testid=chart-column]').count()).toBe(24);
    await expect.poll(() => chart.getAttribute('data-total')).toBe('4');
  });

  it('lists the failure with its first error line, linking to the execution', async () => {
    await ui.open('/');
    const failure = ui.page.getByTestId('home-failure');
    await failure.first().waitFor();
    expect(await failure.count()).toBe(1);
    await expect
      .poll(() => failure.locator('.home-error').textContent())
      .toContain('disk quota exceeded on /data');
    await failure.getByRole('link', { name: failedId }).click();
    await ui.page.waitForURL(`**/executions/company.home/breaks/${failedId}/**`);
  });

  it('lists what runs and waits now, the next scheduled fire and the slowest flows', async () => {
    await ui.open('/');
    const active = ui.page.getByTestId('home-active-row');
    await expect.poll(() => active.count(), { timeout: 10_000 }).toBe(2);
    // The second run of long_job waits behind the first (concurrency limit 1).
    const badges = active.locator('[data-state]');
    const states = async () => {
      const found: string[] = [];
      for (let i = 0; i < (await badges.count()); i += 1)
        found.push((await badges.nth(i).getAttribute('data-state')) ?? '');
      return found.sort();
    };
    await expect.poll(states, { timeout: 10_000 }).toEqual(['QUEUED', 'RUNNING']);

    const next = ui.page.getByTestId('home-next-row');
    await next.first().waitFor();
    expect(await next.first().textContent()).toContain('every_night');
    expect(await next.first().textContent()).toMatch(/in \d+ (s|min|h)/);

    const slowest = ui.page.getByTestId('home-slowest-row');
    await slowest.first().waitFor();
    const flows = await slowest.locator('.home-flow').allTextContents();
    expect(flows.sort()).toEqual(['company.home.breaks', 'company.home.greet']);
    await ui.screenshots('home');
  });
});
