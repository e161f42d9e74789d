/**
 * The execute form in a real browser: inputs generated from the flow (SELECT, DATE, FILE…), the
 * server's 422 shown next to each input, then the execution page following the run live to
 * SUCCESS, its log, and its output file previewed and downloaded.
 */
import { readFile } from 'node:fs/promises';
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

const REPORT_FLOW = `id: report
namespace: ui.exec
inputs:
  - id: color
    type: SELECT
    values: [red, green, blue]
    description: The colour of the report
  - id: day
    type: DATE
  - id: data
    type: FILE
  - id: note
    type: STRING
    required: false
    description: Anything to add
  - id: detail
    type: STRING
    required: false
    dependsOn:
      inputs: [note]
  - id: options
    type: JSON
    required: false
    defaults: '{"rows": 2}'
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "report in {{ inputs.color }} for {{ inputs.day }} with {{ inputs.options.rows }} rows"
  - id: pause
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT3S
  - id: copy
    type: io.kestra.plugin.core.storage.Write
    content: "{{ read(inputs.data) }}"
    extension: .csv
`;

const EVERY_TYPE = `id: every
namespace: ui.exec
inputs:
  - { id: text, type: STRING }
  - { id: password, type: SECRET }
  - { id: count, type: INT, min: 1 }
  - { id: ratio, type: FLOAT }
  - { id: flag, type: BOOLEAN, defaults: false }
  - { id: at, type: DATETIME }
  - { id: time, type: TIME }
  - { id: wait, type: DURATION }
  - { id: picks, type: MULTISELECT, values: [a, b, c], allowCustomValue: true }
  - { id: numbers, type: ARRAY, itemType: INT }
  - { id: site, type: URI }
  - { id: mail, type: EMAIL }
  - { id: settings, type: YAML, defaults: "a: 1" }
  - { id: size, type: SELECT, values: [S, M], allowCustomValue: true }
tasks:
  - id: ok
    type: io.kestra.plugin.core.log.Log
    message: ok
`;

const CSV = 'name,count\nada,3\nbob,5\n';

describe.skipIf(skip !== undefined)('execute form', () => {
  it('runs a flow with SELECT, DATE and FILE inputs and follows it live to its log and output file', async () => {
    ui = await openUi({ scheduler: false });
    await deployFlow(ui.server.local.store, REPORT_FLOW);
    const { page } = ui;
    await ui.open('/flows/ui.exec/report/execute');
    await page.getByTestId('execute-form').waitFor();
    // dependsOn: `detail` shows only once `note` has a value.
    expect(await page.locator('[data-input=detail]').count()).toBe(0);
    expect(await page.locator('[data-input=color] .required').count()).toBe(1);
    expect(await page.locator('[data-input=note] .required').count()).toBe(0);
    expect(await page.locator('[data-input=color]').textContent()).toContain('The colour of the report');

    // Nothing filled in: the server's message for each required input shows next to it.
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.locator('[data-input=color] .input-error').waitFor();
    expect(await page.locator('[data-input=day] .input-error').textContent()).toContain('day');
    expect(await page.locator('[data-input=note] .input-error').count()).toBe(0);

    await page.locator('[data-input=color] select').selectOption('green');
    await page.locator('[data-input=day] input').fill('2026-11-27');
    await page.locator('[data-input=data] input[type=file]').setInputFiles({
      name: 'rows.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });
    // The JSON input is a bundled Monaco editor holding the default.
    await page.locator('[data-input=options] .monaco-editor').waitFor();
    expect(await page.locator('[data-input=options] .view-lines').textContent()).toContain('"rows"');
    await page.locator('[data-input=note] input').fill('weekly');
    await page.locator('[data-input=detail]').waitFor();
    await page.getByRole('button', { name: 'Add a label' }).click();
    await page.getByLabel('Label 1 key').fill('team');
    await page.getByLabel('Label 1 value').fill('data');
    await ui.screenshots('execute-form');

    await page.getByRole('button', { name: 'Execute' }).click();
    await page.waitForURL(/\/executions\/ui\.exec\/report\/[\w-]+$/);
    // A marker on the window: it survives only if the page is never reloaded.
    await page.evaluate('window.sameDocument = true');
    const state = page.locator('[data-testid=execution-state] [data-state]');
    await state.waitFor();
    expect(await state.getAttribute('data-state')).not.toBe('SUCCESS');
    await page.locator('[data-testid=execution-state] [data-state=SUCCESS]').waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.sameDocument')).toBe(true);
    expect(await page.locator('.execution-summary').textContent()).toContain('team: data');
    expect(await page.getByTestId('gantt-row').count()).toBe(3);
    await ui.screenshots('execution-gantt');

    await page.getByRole('main').getByRole('link', { name: 'Logs' }).click();
    await page
      .getByTestId('log-line')
      .filter({ hasText: 'report in green for 2026-11-27 with 2 rows' })
      .waitFor();
    await ui.screenshots('execution-logs');

    await page.getByRole('link', { name: 'Outputs' }).click();
    const copy = page.locator('[data-testid=task-outputs][data-task=copy]');
    await copy.getByRole('button', { name: 'Preview' }).click();
    await copy.getByTestId('file-preview').locator('td', { hasText: 'ada' }).waitFor();
    expect(await copy.getByTestId('file-preview').locator('th').allTextContents()).toEqual(['name', 'count']);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      copy.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(await readFile(await download.path(), 'utf8')).toBe(CSV);
    await ui.screenshots('execution-outputs');

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('overview').waitFor();
    expect(await page.getByTestId('overview').textContent()).toContain('2026-11-27');
    await page.getByRole('link', { name: 'Topology' }).click();
    await page.locator('[data-testid=topology] [data-task-id=pause][data-state=SUCCESS]').waitFor();
    await page.locator('[data-testid=topology] [data-task-id=copy]').click();
    expect(await page.getByTestId('topology-runs').textContent()).toContain('copy');
    await ui.screenshots('execution-topology');
  });

  it('sends every input type the way the server reads it', async () => {
    ui = await openUi({ scheduler: false });
    await deployFlow(ui.server.local.store, EVERY_TYPE);
    const { page } = ui;
    await ui.open('/flows/ui.exec/every/execute');
    const field = (id: string) => page.locator(`[data-input=${id}]`);
    await field('text').locator('input').fill('hello');
    await field('password').locator('input[type=password]').fill('s3cret');
    await field('count').locator('input').fill('0');
    await field('ratio').locator('input').fill('1.5');
    await field('flag').locator('input[type=checkbox]').check();
    await field('at').locator('input').fill('2026-01-02T03:04');
    await field('time').locator('input').fill('10:15');
    await field('wait').locator('input').fill('PT90M');
    await field('picks').getByLabel('a', { exact: true }).check();
    await field('picks').getByLabel('c', { exact: true }).check();
    await field('picks').getByPlaceholder('Other values, comma-separated').fill('zed');
    await field('picks').getByPlaceholder('Other values, comma-separated').blur();
    await field('numbers').locator('textarea').fill('1\n2\n3');
    await field('site').locator('input').fill('https://example.com/x');
    await field('mail').locator('input').fill('ada@example.com');
    await field('size').locator('input').fill('XL');
    await field('settings').locator('.monaco-editor').waitFor();

    // `count` below its minimum: the server's message shows under it, the rest is kept.
    await page.getByRole('button', { name: 'Execute' }).click();
    await field('count').locator('.input-error').waitFor();
    expect(await page.locator('.input-error').count()).toBe(1);
    await field('count').locator('input').fill('42');
    expect(await field('count').locator('.input-error').count()).toBe(0);
    await page.getByRole('button', { name: 'Execute' }).click();
    await page.waitForURL(/\/executions\/ui\.exec\/every\/[\w-]+$/);
    const id = page.url().split('/').pop()!;
    const execution = (
      await ui.server.app.inject({ method: 'GET', url: `/api/v1/main/executions/${id}` })
    ).json<{ inputs: Record<string, unknown> }>();
    const at = await page.evaluate<string>("new Date('2026-01-02T03:04').toISOString()");
    const { at: sentAt, password, ...rest } = execution.inputs;
    expect(Date.parse(sentAt as string)).toBe(Date.parse(at));
    expect(password).toBeDefined();
    expect(rest).toEqual({
      text: 'hello',
      count: 42,
      ratio: 1.5,
      flag: true,
      time: '10:15',
      wait: 'PT1H30M',
      picks: ['a', 'c', 'zed'],
      numbers: [1, 2, 3],
      site: 'https://example.com/x',
      mail: 'ada@example.com',
      settings: { a: 1 },
      size: 'XL',
    });
  });

  it('says so when the flow does not exist', async () => {
    ui = await openUi({ scheduler: false });
    await ui.open('/flows/ui.exec/missing/execute');
    expect(await ui.page.getByRole('alert').textContent()).toContain('WH_FLOW_NOT_FOUND');
  });
});
