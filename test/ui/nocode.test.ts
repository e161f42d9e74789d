/**
 * The no-code (form) view of the flow editor in a real browser: a flow built and run without a
 * line of YAML typed by hand, and the switch between YAML and forms on a flow of 200 tasks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFlow, editorText } from './editor-support.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

const TIMEOUT = 90_000;
const LOG = 'io.kestra.plugin.core.log.Log';

describe.skipIf(skip !== undefined)('no-code flow editor', () => {
  it(
    'builds the hello-world flow with an input and a Log task from forms, saves and runs it',
    async () => {
      ui = await openUi();
      const { page } = ui;
      await ui.open('/flows/new');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      await page.getByTestId('view-nocode').click();
      await page.getByTestId('nocode-editor').waitFor();

      // The flow's id and namespace.
      await page.getByTestId('nocode-flow-id').locator('input').fill('hello_nocode');
      await page.getByTestId('nocode-flow-namespace').locator('input').fill('course.nocode');

      // The template's task goes; a STRING input comes.
      await page.getByTestId('nocode-task-0').getByRole('button', { name: 'Delete' }).click();
      await page.getByTestId('nocode-task-0').waitFor({ state: 'detached' });
      await page.getByTestId('nocode-add-input').click();
      await page.getByTestId('nocode-input-0-id').locator('input').fill('name');
      expect(await page.getByTestId('nocode-input-0-type').locator('select').inputValue()).toBe('STRING');
      await page.getByTestId('nocode-input-0-defaults').locator('input').fill('World');

      // Two Log tasks from the plugin list; the second moves up, then goes.
      await page.getByTestId('nocode-task-type').fill(LOG);
      await page.getByTestId('nocode-task-add').click();
      await page.getByTestId('nocode-task-type').fill(LOG);
      await page.getByTestId('nocode-task-add').click();
      await page.getByTestId('nocode-task-1').getByRole('button', { name: 'Move up' }).click();
      expect(await page.getByTestId('nocode-task-0').locator('.nocode-fold').textContent()).toContain(
        'log_2',
      );
      await page.getByTestId('nocode-task-0').getByRole('button', { name: 'Delete' }).click();
      await page.getByTestId('nocode-task-1').waitFor({ state: 'detached' });

      // The Log task's form comes from its JSON Schema: `message` required, `level` an enum.
      const task = page.getByTestId('nocode-task-0');
      expect(await task.locator('.nocode-fold').textContent()).toContain('log');
      expect(await task.getByTestId('nocode-task-0-message').locator('.nocode-required').count()).toBe(1);
      const levels = await task.getByTestId('nocode-task-0-level').locator('option').allTextContents();
      expect(levels).toContain('DEBUG');
      // Fields that take expressions suggest the flow's inputs.
      expect(await task.getByTestId('nocode-task-0-message').locator('input').getAttribute('list')).toBe(
        'nocode-expressions',
      );
      expect(await page.locator('#nocode-expressions option[value="{{ inputs.name }}"]').count()).toBe(1);
      await task
        .getByTestId('nocode-task-0-message')
        .locator('input')
        .fill('Hello {{ inputs.name }} from no-code');
      // The docs pane follows the task whose form has the focus.
      await page.getByTestId('docs-pane').locator('.docs-panel').waitFor();
      await page
        .getByTestId('problems-count')
        .filter({ hasText: /^No problems/ })
        .waitFor();
      // The topology follows the forms.
      await page.locator('[data-testid=graph-pane] [data-task-id=log]').waitFor();

      // The YAML view shows what the forms wrote.
      await page.getByTestId('view-yaml').click();
      await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('id: hello_nocode');
      const yaml = await editorText(page);
      expect(yaml).toContain('id: hello_nocode');
      expect(yaml).toContain('namespace: course.nocode');
      expect(yaml.indexOf('inputs:')).toBeLessThan(yaml.indexOf('tasks:'));
      expect(yaml).not.toContain('log_2');

      await page.getByTestId('save-flow').click();
      await page.waitForURL(/\/flows\/course\.nocode\/hello_nocode\/edit$/);
      const stored = await ui.server.local.store.getFlow('course.nocode', 'hello_nocode');
      expect(stored?.source).toContain('    message: Hello {{ inputs.name }} from no-code\n');
      await page.getByTestId('execute-flow').click();
      await page.getByTestId('execute-form').waitFor();
      await page.locator('[data-input=name] input').fill('Ada');
      await page.getByRole('button', { name: 'Execute' }).click();
      await page.waitForURL(/\/executions\/course\.nocode\/hello_nocode\/[\w-]+$/);
      await page.locator('[data-testid=execution-state] [data-state=SUCCESS]').waitFor({ timeout: 20_000 });
      await page.getByRole('main').getByRole('link', { name: 'Logs' }).click();
      await page.getByTestId('log-line').filter({ hasText: 'Hello Ada from no-code' }).waitFor();
    },
    TIMEOUT,
  );

  it(
    "switches a 200-task flow both ways quickly, and a form edit keeps the other tasks' comments",
    async () => {
      ui = await openUi({ scheduler: false });
      const { page } = ui;
      const tasks = Array.from({ length: 200 }, (_, i) => [
        `  - id: t${i} # task ${i}`,
        `    type: ${LOG}`,
        `    message: message ${i}`,
      ]).flat();
      await createFlow(page, 'company.big', 'many', tasks);
      await ui.open('/flows/company.big/many/edit');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      // The schema is loaded by the YAML view already; the first switch measures the forms alone.
      const timings: number[] = [];
      for (let round = 0; round < 3; round++) {
        let start = Date.now();
        await page.getByTestId('view-nocode').click();
        await page.getByTestId('nocode-task-199').waitFor();
        timings.push(Date.now() - start);
        start = Date.now();
        await page.getByTestId('view-yaml').click();
        await page.locator('.editor-pane .monaco-editor').waitFor({ state: 'visible' });
        timings.push(Date.now() - start);
      }
      console.log(`200-task flow, YAML → no-code / no-code → YAML (ms, 3 rounds): ${timings.join(' / ')}`);

      // An edit in the form rewrites the YAML and keeps the comments of the other tasks.
      await page.getByTestId('view-nocode').click();
      await page.getByTestId('nocode-task-150').locator('.nocode-fold').click();
      await page.getByTestId('nocode-task-150-message').locator('input').fill('changed');
      await page.getByTestId('view-yaml').click();
      await page.getByTestId('unsaved').waitFor();
      await page.getByTestId('save-flow').click();
      await page.getByTestId('unsaved').waitFor({ state: 'detached' });
      const stored = await ui.server.local.store.getFlow('company.big', 'many');
      expect(stored?.source).toContain('  - id: t150 # task 150\n');
      expect(stored?.source).toContain('message: changed');
      expect(stored?.source).toContain('  - id: t151 # task 151\n');
    },
    TIMEOUT,
  );
});
