/**
 * The Triggers page in a real browser: the list with the cron's human reading, the
 * enable/disable switch (checked through the API), and a backfill of 3 hourly slots started
 * from the dialog whose progress reaches 3/3 (3 executions exist afterwards).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness;

const HOURLY = `id: hourly
namespace: company.team
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: slot {{ trigger.date }}
triggers:
  - id: every_hour
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 * * * *"
`;

const MONTHLY = `id: monthly
namespace: company.finance
tasks:
  - id: report
    type: io.kestra.plugin.core.log.Log
    message: report
triggers:
  - id: first_of_month
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 9 1 * *"
    timezone: Europe/Paris
  - id: on_call
    type: io.kestra.plugin.core.trigger.Webhook
    key: secret-key-123
`;

const API = '/api/v1/main';

interface TriggerState {
  disabled: boolean;
  triggerId: string;
  backfill?: { created: number; total: number; done: boolean };
}

async function triggerState(flowId: string, namespace: string): Promise<TriggerState> {
  const response = await ui.page.request.get(`${API}/triggers/${namespace}/${flowId}`);
  const body = (await response.json()) as { results: TriggerState[] };
  return body.results[0]!;
}

/** Polls until `check` holds (the scheduler reacts on its own time). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(skip !== undefined)('Triggers page', () => {
  beforeAll(async () => {
    ui = await openUi();
    for (const source of [HOURLY, MONTHLY]) {
      const response = await ui.page.request.post(`${API}/flows`, {
        data: source,
        headers: { 'content-type': 'application/x-yaml' },
      });
      expect(response.status(), await response.text()).toBe(200);
    }
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('lists every trigger with a human reading of its cron, and filters', async () => {
    await ui.open('/triggers');
    const monthly = ui.page.getByTestId('trigger-monthly-first_of_month');
    await monthly.waitFor();
    expect(await monthly.textContent()).toContain('At 09:00, on day 1 of the month');
    expect(await monthly.textContent()).toContain('Europe/Paris');
    expect(await ui.page.getByTestId('trigger-hourly-every_hour').textContent()).toContain('Every hour');
    // A Webhook has no schedule, and so no backfill.
    const webhook = ui.page.getByTestId('trigger-monthly-on_call');
    expect(await webhook.textContent()).toContain('Webhook');
    expect(await webhook.getByRole('button', { name: /Backfill/ }).count()).toBe(0);
    // …but it shows the URL it listens on, with a copy button, as the flow editor does.
    const url = `${new URL(ui.page.url()).origin}${API}/executions/webhook/company.finance/monthly/secret-key-123`;
    expect(await webhook.getByTestId('trigger-webhook-url').locator('code').textContent()).toBe(url);
    expect(await webhook.getByRole('button', { name: 'Copy' }).count()).toBe(1);
    expect(await monthly.getByTestId('trigger-webhook-url').count()).toBe(0);
    await ui.screenshots('triggers-list');

    await ui.page.getByLabel('Search triggers').fill('month');
    await ui.page.getByTestId('trigger-hourly-every_hour').waitFor({ state: 'detached' });
    await monthly.waitFor();
    expect(ui.page.url()).toContain('q=month');
    await ui.page.getByLabel('Search triggers').fill('');
    await ui.page.getByLabel('Namespace filter').fill('company.team');
    await monthly.waitFor({ state: 'detached' });
    await ui.page.getByTestId('trigger-hourly-every_hour').waitFor();
  });

  it('disables and enables a trigger', async () => {
    await ui.open('/triggers');
    const toggle = ui.page.getByLabel('Enable first_of_month of monthly');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await eventually(async () => (await triggerState('monthly', 'company.finance')).disabled, 'disabled');
    await ui.page.reload();
    await toggle.waitFor();
    // The switch follows the server's answer, a render after the request: poll it like the API.
    await eventually(async () => !(await toggle.isChecked()), 'the switch to show disabled');
    await toggle.click();
    await eventually(async () => !(await triggerState('monthly', 'company.finance')).disabled, 'enabled');
    await eventually(() => toggle.isChecked(), 'the switch to show enabled');
  });

  it('rejects a bad backfill form with a clear message', async () => {
    await ui.open('/triggers');
    const row = ui.page.getByTestId('trigger-hourly-every_hour');
    await row.getByRole('button', { name: /Backfill/ }).click();
    const dialog = ui.page.getByTestId('backfill-dialog');
    await dialog.getByRole('button', { name: 'Start backfill' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('Give the start');
    await dialog.getByLabel('Backfill start').fill('2026-01-02T10:00:00');
    await dialog.getByLabel('Backfill end').fill('2026-01-01T10:00:00');
    await dialog.getByRole('button', { name: 'Start backfill' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('The end is before the start');
    await dialog.getByLabel('Backfill end').fill('2026-01-02T12:00:00');
    await dialog.getByLabel('Backfill inputs').fill('{oops');
    await dialog.getByRole('button', { name: 'Start backfill' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('not valid JSON');
    await ui.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('runs a backfill of 3 hourly slots with live progress', async () => {
    await ui.open('/triggers');
    const row = ui.page.getByTestId('trigger-hourly-every_hour');
    await row.getByRole('button', { name: /Backfill/ }).click();
    const dialog = ui.page.getByTestId('backfill-dialog');
    await dialog.waitFor();
    // Three whole hours, a day ago, as datetime-local values in the browser's own time zone.
    const [start, end] = await ui.page.evaluate(() => {
      const hour = 3_600_000;
      const first = Math.floor((Date.now() - 24 * hour) / hour) * hour;
      const local = (ms: number) => {
        const d = new Date(ms);
        const pad = (n: number) => String(n).padStart(2, '0');
        return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00`;
      };
      return [local(first), local(first + 2 * hour)];
    });
    await dialog.getByLabel('Backfill start').fill(start);
    await dialog.getByLabel('Backfill end').fill(end);
    await dialog.getByLabel('Backfill labels').fill('backfill=ui');
    await ui.screenshots('backfill-form');
    await dialog.getByRole('button', { name: 'Start backfill' }).click();
    const count = dialog.getByTestId('backfill-count');
    await count.waitFor();
    await eventually(
      async () => (await count.textContent())?.replace(/\s/g, '') === '3/3',
      'progress 3/3',
      30_000,
    );
    await dialog.getByText('Done').waitFor();
    await ui.page.waitForTimeout(400); // the bar's width transition
    await ui.screenshots('backfill-progress');
    const state = await triggerState('hourly', 'company.team');
    expect(state.backfill).toMatchObject({ created: 3, total: 3, done: true });
    await eventually(
      async () => {
        const response = await ui.page.request.get(`${API}/executions/search`, {
          params: { namespace: 'company.team', flowId: 'hourly', size: 50 },
        });
        const body = (await response.json()) as {
          total: number;
          results: { labels: { key: string; value: string }[] }[];
        };
        return (
          body.total === 3 &&
          body.results.every((e) => e.labels.some((l) => l.key === 'backfill' && l.value === 'ui'))
        );
      },
      '3 labelled executions',
      30_000,
    );
  });
});

describe.skipIf(skip !== undefined)('Backfill controls', () => {
  // Without a running scheduler the backfill stays where it is: pause, resume and delete are seen alone.
  beforeAll(async () => {
    ui = await openUi({ scheduler: false });
    const response = await ui.page.request.post(`${API}/flows`, {
      data: HOURLY,
      headers: { 'content-type': 'application/x-yaml' },
    });
    expect(response.status(), await response.text()).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('pauses, resumes and deletes a running backfill', async () => {
    await ui.open('/triggers?q=hourly');
    const row = ui.page.getByTestId('trigger-hourly-every_hour');
    await row.getByRole('button', { name: 'Backfill' }).click();
    const dialog = ui.page.getByTestId('backfill-dialog');
    await dialog.getByLabel('Backfill start').fill('2026-01-01T00:00:00');
    await dialog.getByLabel('Backfill end').fill('2026-01-01T23:59:00');
    await dialog.getByRole('button', { name: 'Start backfill' }).click();
    await dialog.getByTestId('backfill-status').getByText('Running').waitFor();
    expect((await dialog.getByTestId('backfill-count').textContent())?.replace(/\s/g, '')).toBe('0/24');

    await dialog.getByRole('button', { name: 'Pause' }).click();
    await dialog.getByTestId('backfill-status').getByText('Paused').waitFor();
    expect((await triggerState('hourly', 'company.team')).backfill).toMatchObject({ total: 24 });
    const paused = await ui.page.request.get(`${API}/triggers/company.team/hourly`);
    expect(
      ((await paused.json()) as { results: { backfill: { paused: boolean } }[] }).results[0]!.backfill.paused,
    ).toBe(true);
    await dialog.getByRole('button', { name: 'Resume' }).click();
    await dialog.getByTestId('backfill-status').getByText('Running').waitFor();
    await ui.page.keyboard.press('Escape');
    await row.getByRole('button', { name: 'Backfill 0/24' }).waitFor();

    await row.getByRole('button', { name: 'Backfill 0/24' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Start backfill' }).waitFor();
    expect((await triggerState('hourly', 'company.team')).backfill).toBeUndefined();
  });
});
