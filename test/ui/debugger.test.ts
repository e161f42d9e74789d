/**
 * The execution page's outputs debugger in a real browser: an expression typed renders against
 * the finished execution (outputs, inputs, vars, labels) as it is typed; a broken one shows its
 * error with line and column; a server-only function says so. And the Gantt: a chosen row shows
 * its task run's log lines under it, pushing the rows below down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

const SHOP = `id: shop
namespace: ui.debug
inputs:
  - id: customer
    type: STRING
    defaults: ada
variables:
  greeting: hello
labels:
  team: data
tasks:
  - id: extract
    type: io.kestra.plugin.core.output.OutputValues
    values:
      city: paris
      items: [1, 2]
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "{{ vars.greeting }} {{ inputs.customer }}"
`;

/** Runs the flow to its end through the API; the execution id. */
async function runShop(harness: UiHarness): Promise<string> {
  await deployFlow(harness.server.local.store, SHOP);
  const response = await harness.server.app.inject({
    method: 'POST',
    url: '/api/v1/main/executions/ui.debug/shop?wait=true',
  });
  const body = response.json<{ id: string; state: { current: string } }>();
  expect(body.state.current).toBe('SUCCESS');
  return body.id;
}

describe.skipIf(skip !== undefined)('outputs debugger', () => {
  it('renders what is typed against the execution, and shows a broken expression’s error with its position', async () => {
    ui = await openUi({ scheduler: false });
    const id = await runShop(ui);
    await ui.open(`/executions/ui.debug/shop/${id}/outputs`);
    const input = ui.page.getByTestId('debugger-input');
    const value = ui.page.getByTestId('debugger-value');
    const error = ui.page.getByTestId('debugger-error');

    // It opens on the first task's outputs.
    expect(await value.textContent()).toContain('"city": "paris"');

    await input.fill('{{ outputs.extract.values.city | upper }}');
    await expect.poll(() => value.textContent()).toBe('PARIS');

    // Maps and lists read as indented JSON.
    await input.fill('{{ outputs.extract.values.items }}');
    await expect.poll(() => value.textContent()).toBe('[\n  1,\n  2\n]');

    await input.fill('{{ vars.greeting }} {{ inputs.customer }} of {{ labels.team }} ({{ flow.id }})');
    await expect.poll(() => value.textContent()).toBe('hello ada of data (shop)');

    // Typed one key at a time: each keystroke answers, the unfinished filter is an error.
    await input.fill('');
    await input.pressSequentially('{{ inputs.customer | ');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Line 1, column \d+/);
    expect(await error.textContent()).toContain('WH_EXPR_SYNTAX');
    await input.pressSequentially('title }}');
    await expect.poll(() => value.textContent()).toBe('Ada');

    await input.fill('{{ outputs.nothing.here }}');
    await error.waitFor();
    expect(await error.textContent()).toContain('nothing');

    // kv() needs the server: rendered there on demand (Kestra's eval endpoint).
    await ui.server.local.store.kvPut({
      namespace: 'ui.debug',
      key: 'region',
      type: 'STRING',
      value: 'eu-west',
    });
    await input.fill("{{ kv('region') | upper }}");
    await error.waitFor();
    expect(await error.textContent()).toContain('needs the server');
    await ui.page.getByRole('button', { name: 'Render on the server' }).click();
    await expect.poll(() => ui!.page.getByTestId('debugger-server-value').textContent()).toBe('EU-WEST');

    // So do the hash filters (the browser hashes only asynchronously).
    await input.fill("{{ 'ada' | sha256 | slice(0, 8) }}");
    await error.waitFor();
    await ui.page.getByRole('button', { name: 'Render on the server' }).click();
    await expect.poll(() => ui!.page.getByTestId('debugger-server-value').textContent()).toBe('fdee430d');

    await input.fill('{{ outputs.extract.values | keys }} for {{ inputs.customer | upper }}');
    await expect.poll(() => value.textContent()).toBe('["city","items"] for ADA');
    await ui.screenshots('outputs-debugger');
  });
});

const LOOPS = `id: loops
namespace: ui.debug
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [north, south]
    tasks:
      - id: inner
        type: io.kestra.plugin.core.output.OutputValues
        values:
          side: "{{ taskrun.value }}"
`;

describe.skipIf(skip !== undefined)('outputs debugger and the server agree', () => {
  it('renders ForEach outputs keyed by value, as the eval endpoint does', async () => {
    ui = await openUi({ scheduler: false });
    await deployFlow(ui.server.local.store, LOOPS);
    const started = await ui.server.app.inject({
      method: 'POST',
      url: '/api/v1/main/executions/ui.debug/loops?wait=true',
    });
    const execution = started.json<{ id: string; taskRunList: Array<{ id: string }> }>();
    const lastRun = execution.taskRunList[execution.taskRunList.length - 1]!.id;
    await ui.open(`/executions/ui.debug/loops/${execution.id}/outputs`);
    const input = ui.page.getByTestId('debugger-input');
    const expressions = [
      '{{ outputs.inner.south.values.side }}',
      '{{ outputs.inner | keys | join(",") }}',
      '{{ outputs.inner | json }}',
      '{{ tasks.each.state }} {{ execution.state }} {{ flow.namespace }}',
    ];
    for (const expression of expressions) {
      const server = await ui.server.app.inject({
        method: 'POST',
        url: `/api/v1/main/executions/${execution.id}/eval/${lastRun}`,
        headers: { 'content-type': 'text/plain' },
        payload: expression,
      });
      const { result } = server.json<{ result: string }>();
      expect(result).not.toBe('');
      await input.fill(expression);
      await expect.poll(() => ui!.page.getByTestId('debugger-value').textContent()).toBe(result);
    }
  });
});

describe.skipIf(skip !== undefined)('log lines under a Gantt row', () => {
  it('shows the chosen task run’s lines under its row, and only its own', async () => {
    ui = await openUi({ scheduler: false });
    const id = await runShop(ui);
    await ui.open(`/executions/ui.debug/shop/${id}`);
    const row = (task: string) => ui!.page.locator(`[data-testid=gantt-row][data-task=${task}]`);
    const panel = (task: string) => ui!.page.locator(`[data-testid=gantt-logs][data-task=${task}]`);
    await row('say').click();
    await panel('say').getByTestId('gantt-log-line').first().waitFor();
    expect(await panel('say').textContent()).toContain('hello ada');

    // Another row: its own panel (OutputValues logs nothing), the rows below it moved down.
    await row('extract').click();
    await panel('extract').waitFor();
    expect(await panel('say').count()).toBe(0);
    expect(await panel('extract').textContent()).not.toContain('hello ada');
    const extractPanel = (await panel('extract').boundingBox())!;
    const sayRow = (await row('say').boundingBox())!;
    expect(sayRow.y).toBeGreaterThanOrEqual(extractPanel.y + extractPanel.height - 1);

    // Chosen again, it closes.
    await row('say').click();
    await panel('say').getByTestId('gantt-log-line').first().waitFor();
    await ui.screenshots('gantt-logs');
    await row('say').click();
    await expect.poll(() => panel('say').count()).toBe(0);
  });
});
