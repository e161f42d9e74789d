/**
 * The no-code view's nested lists in a real browser: tasks inside flowables and flow triggers
 * built, moved, deleted and edited from forms, the YAML following with its comments kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Page } from 'playwright-core';
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
const SEQUENTIAL = 'io.kestra.plugin.core.flow.Sequential';
const SCHEDULE = 'io.kestra.plugin.core.trigger.Schedule';

/** The flow's stored YAML, read through the API. */
async function savedSource(page: Page, namespace: string, id: string): Promise<string> {
  const response = await page.request.get(`/api/v1/main/flows/${namespace}/${id}`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { source: string }).source;
}

/** Adds a card of `type` with the add control of the list `list` (a test id prefix). */
async function addCard(page: Page, list: string, type: string): Promise<void> {
  await page.getByTestId(`${list}-type`).fill(type);
  await page.getByTestId(`${list}-add`).click();
}

/** A flow with a Sequential of three Log tasks, and a comment on a task elsewhere. */
async function openNestedFlow(harness: UiHarness): Promise<Page> {
  const { page } = harness;
  await createFlow(page, 'company.nested', 'grouped', [
    `  - id: first # keep this comment`,
    `    type: ${LOG}`,
    `    message: before the group`,
    `  - id: group`,
    `    type: ${SEQUENTIAL}`,
    `    tasks:`,
    `      - id: a`,
    `        type: ${LOG}`,
    `        message: A`,
    `      - id: b # b's comment`,
    `        type: ${LOG}`,
    `        message: B`,
    `      - id: c`,
    `        type: ${LOG}`,
    `        message: C`,
  ]);
  await harness.open('/flows/company.nested/grouped/edit');
  await page.locator('.editor-pane .monaco-editor').waitFor();
  await page.getByTestId('view-nocode').click();
  await page.getByTestId('nocode-editor').waitFor();
  return page;
}

/** Saves from the toolbar and waits until the save is done. */
async function save(page: Page): Promise<void> {
  await page.getByTestId('unsaved').waitFor();
  await page.getByTestId('save-flow').click();
  await page.getByTestId('unsaved').waitFor({ state: 'detached' });
}

describe.skipIf(skip !== undefined)('no-code nested lists', () => {
  it(
    'builds a Sequential holding a Log task and a Schedule trigger from forms only, and saves them',
    async () => {
      ui = await openUi({ scheduler: false });
      const { page } = ui;
      await ui.open('/flows/new');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      await page.getByTestId('view-nocode').click();
      await page.getByTestId('nocode-editor').waitFor();
      await page.getByTestId('nocode-flow-id').locator('input').fill('nested_nocode');
      await page.getByTestId('nocode-flow-namespace').locator('input').fill('course.nocode');
      // The template's task goes; a Sequential comes, with a Log task inside it.
      await page.getByTestId('nocode-task-0').getByRole('button', { name: 'Delete' }).first().click();
      await page.getByTestId('nocode-task-0').waitFor({ state: 'detached' });
      await addCard(page, 'nocode-task', SEQUENTIAL);
      await addCard(page, 'nocode-task-0-tasks', LOG);
      const log = page.getByTestId('nocode-task-0-tasks-0');
      expect(await log.locator('.nocode-fold strong').first().textContent()).toBe('log');
      await page.getByTestId('nocode-task-0-tasks-0-message').locator('input').fill('inside the group');
      // A Schedule trigger, its form from the trigger's schema: `cron` is required.
      await addCard(page, 'nocode-trigger', SCHEDULE);
      const cron = page.getByTestId('nocode-trigger-0-cron');
      expect(await cron.locator('.nocode-required').count()).toBe(1);
      await cron.locator('input').fill('0 9 * * 1');
      await page
        .getByTestId('problems-count')
        .filter({ hasText: /^No problems/ })
        .waitFor();
      // The docs' screenshot: the Sequential's nested Log task and the trigger's form in view.
      await page.locator('[data-testid=graph-pane] [data-task-id=log]').waitFor();
      await page.getByTestId('nocode-task-0-tasks-0-message').locator('input').focus();
      // The docs pane follows the innermost card with the focus: the Log task, not the Sequential.
      await page.getByTestId('docs-pane').getByText('Log a message').first().waitFor();
      // A string: the test project has no DOM types.
      await page.evaluate(
        "document.querySelector('[data-testid=nocode-editor]').scrollTo({ top: 0, behavior: 'instant' })",
      );
      await ui.screenshots('editor-nocode');

      await page.getByTestId('save-flow').click();
      await page.waitForURL(/\/flows\/course\.nocode\/nested_nocode\/edit$/);
      const flow = parse(await savedSource(page, 'course.nocode', 'nested_nocode')) as Record<
        string,
        unknown
      >;
      expect(flow).toEqual({
        id: 'nested_nocode',
        namespace: 'course.nocode',
        tasks: [
          {
            id: 'sequential',
            type: SEQUENTIAL,
            tasks: [{ id: 'log', type: LOG, message: 'inside the group' }],
          },
        ],
        triggers: [{ id: 'schedule', type: SCHEDULE, cron: '0 9 * * 1' }],
      });
    },
    TIMEOUT,
  );

  it(
    'moves and deletes a task inside a flowable',
    async () => {
      ui = await openUi({ scheduler: false });
      const page = await openNestedFlow(ui);
      const nested = (index: number) => page.getByTestId(`nocode-task-1-tasks-${index}`);
      await nested(2).getByRole('button', { name: 'Move up' }).click();
      await expect.poll(() => nested(1).locator('.nocode-fold strong').first().textContent()).toBe('c');
      await nested(0).getByRole('button', { name: 'Delete' }).click();
      await nested(2).waitFor({ state: 'detached' });
      await save(page);
      const flow = parse(await savedSource(page, 'company.nested', 'grouped')) as {
        tasks: Array<{ id: string; tasks?: Array<{ id: string }> }>;
      };
      expect(flow.tasks.map((t) => t.id)).toEqual(['first', 'group']);
      expect(flow.tasks[1]?.tasks?.map((t) => t.id)).toEqual(['c', 'b']);
    },
    TIMEOUT,
  );

  it(
    "edits a nested task's field: the YAML changes and a comment elsewhere stays",
    async () => {
      ui = await openUi({ scheduler: false });
      const page = await openNestedFlow(ui);
      await page.getByTestId('nocode-task-1-tasks-1-message').locator('input').fill('B changed');
      await page.getByTestId('view-yaml').click();
      await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('message: B changed');
      const yaml = await editorText(page);
      expect(yaml).toContain('- id: first # keep this comment');
      expect(yaml).toContain("- id: b # b's comment");
      await save(page);
      const source = await savedSource(page, 'company.nested', 'grouped');
      expect(source).toContain('  - id: first # keep this comment\n');
      expect(source).toContain('        message: B changed\n');
    },
    TIMEOUT,
  );

  it(
    "adds a Switch case and a task in it, from the folded lists of the Switch's card",
    async () => {
      ui = await openUi({ scheduler: false });
      const page = await openNestedFlow(ui);
      await addCard(page, 'nocode-task', 'io.kestra.plugin.core.flow.Switch');
      const card = page.getByTestId('nocode-task-2');
      await page.getByTestId('nocode-task-2-value').locator('input').fill('{{ inputs.kind }}');
      // `cases` is optional and empty: it waits under the card's "More task lists".
      await card.getByText('More task lists').click();
      await page.getByTestId('nocode-task-2-cases-new-case').fill('csv');
      await page.getByTestId('nocode-task-2-cases-add-case').click();
      await addCard(page, 'nocode-task-2-cases-csv', LOG);
      await page.getByTestId('nocode-task-2-cases-csv-0-message').locator('input').fill('a CSV');
      await page.getByTestId('view-yaml').click();
      await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('a CSV');
      const flow = parse(await editorText(page)) as { tasks: Array<Record<string, unknown>> };
      expect(flow.tasks[2]).toEqual({
        id: 'switch',
        type: 'io.kestra.plugin.core.flow.Switch',
        value: '{{ inputs.kind }}',
        cases: { csv: [{ id: 'log', type: LOG, message: 'a CSV' }] },
      });
    },
    TIMEOUT,
  );
});
