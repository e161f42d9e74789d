/**
 * The execution page's outputs debugger in a real browser: an expression typed renders against
 * the finished execution (outputs, inputs, vars, labels) as it is typed; a broken one shows its
 * error with line and column; a server-only function says so.
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

    await input.fill("{{ kv('token') }}");
    await error.waitFor();
    expect(await error.textContent()).toContain('needs the server');

    await input.fill('{{ outputs.extract.values | keys }} for {{ inputs.customer | upper }}');
    await expect.poll(() => value.textContent()).toBe('["city","items"] for ADA');
    await ui.screenshots('outputs-debugger');
  });
});
