/**
 * The flow editor in a real browser: typing with completion, live validation markers, save,
 * YAML syntax errors refused with the server's message, revisions diff, the live topology and
 * the docs panel.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearEditor, createFlow, editorText, typeLines } from './editor-support.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

const TIMEOUT = 90_000;

describe.skipIf(skip !== undefined)('flow editor', () => {
  it(
    'creates a flow by typing with completion, shows and clears a marker, saves it',
    async () => {
      ui = await openUi();
      const { page } = ui;
      await ui.open('/flows/new');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      await clearEditor(page);
      await typeLines(page, [
        'id: typed_flow',
        'namespace: company.team',
        'tasks:',
        '  - id: greet',
        '    type: io.kestra.plugin.core.log.Log',
        '    messa',
      ]);
      // Completion from the flow JSON Schema: the Log task's `message` property.
      await page.keyboard.press('Control+Space');
      const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'message' }).first();
      await suggestion.waitFor();
      await page.keyboard.press('Enter');
      await page.keyboard.type('Hello from the editor');
      await expect
        .poll(() => editorText(page), { timeout: 15_000 })
        .toMatch(/message: ?Hello from the editor/);

      // A property the Log task does not have: a marker and an error count, then gone once removed.
      await typeLines(page, ['', '    colour: red']);
      await page.locator('.editor-pane .squiggly-error').first().waitFor();
      await page.locator('[data-testid="problems-count"][data-errors="1"]').waitFor();
      await ui.screenshot('editor-marker');
      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+End');
      await page.keyboard.press('Delete');
      await page.keyboard.press('Backspace');
      await page.locator('.editor-pane .squiggly-error').first().waitFor({ state: 'detached' });
      await page.locator('[data-testid="problems-count"][data-errors="0"]').waitFor();
      expect(await page.getByTestId('unsaved').textContent()).toContain('Unsaved');

      // Save with the keyboard: the flow is stored and the page becomes the flow's editor.
      await page.keyboard.press('ControlOrMeta+S');
      await page.waitForURL(/\/flows\/company\.team\/typed_flow\/edit$/);
      await page.getByTestId('unsaved').waitFor({ state: 'detached' });
      const stored = await ui.server.local.store.getFlow('company.team', 'typed_flow');
      expect(stored?.source).toContain('message: Hello from the editor');
      expect(stored?.source).not.toContain('colour');

      await ui.open('/flows');
      await page.locator('[data-flow="company.team.typed_flow"]').waitFor();
    },
    TIMEOUT,
  );

  it(
    'shows markers for a YAML syntax error and refuses to save with the server message',
    async () => {
      ui = await openUi();
      const { page } = ui;
      await ui.open('/flows/new');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      await clearEditor(page);
      await typeLines(page, [
        'id: broken',
        'namespace: company.team',
        'description: a: b',
        'tasks:',
        '  - id: one',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: hi',
      ]);
      // The marker sits on the line of the syntax error, with the parser's message.
      await page.locator('.editor-pane .squiggly-error').first().waitFor();
      // Validation runs as the lines are typed: wait for the verdict on the whole text.
      await vi.waitFor(
        async () =>
          expect(await page.getByTestId('problems-count').getAttribute('title')).toContain(
            'line 3: YAML syntax error',
          ),
        { timeout: 15_000 },
      );
      await page.locator('[data-testid="problems-count"][data-errors="1"]').waitFor();
      await page.getByTestId('save-flow').click();
      const error = page.getByTestId('save-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('The flow was not saved');
      expect(await error.textContent()).toContain('YAML syntax error: Nested mappings are not allowed');
      // The text stays as typed, and nothing was stored.
      await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('description: a: b');
      expect(await ui.server.local.store.getFlow('company.team', 'broken')).toBeFalsy();
      await ui.screenshot('editor-syntax-error');
    },
    TIMEOUT,
  );

  it(
    'keeps revisions and shows the diff between two of them',
    async () => {
      ui = await openUi();
      const { page } = ui;
      await createFlow(page, 'company.team', 'revised', [
        '  - id: first',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: one',
      ]);
      await ui.open('/flows/company.team/revised');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      for (const message of ['two', 'three']) {
        // Go to the end of the text and add a task, then save with the button.
        await page.locator('.editor-pane .monaco-editor .view-lines').click();
        await page.keyboard.press('ControlOrMeta+End');
        await typeLines(page, [
          '',
          `  - id: log_${message}`,
          '    type: io.kestra.plugin.core.log.Log',
          `    message: ${message}`,
        ]);
        await page.getByTestId('unsaved').waitFor();
        await page.getByTestId('save-flow').click();
        await page.getByTestId('unsaved').waitFor({ state: 'detached' });
      }
      const stored = await ui.server.local.store.flowRevisions('company.team', 'revised');
      expect(stored.map((f) => f.revision)).toEqual([1, 2, 3]);

      await page.getByRole('link', { name: 'Revisions' }).click();
      await page.waitForURL(/\/revisions$/);
      await page.getByTestId('diff-editor').locator('.monaco-diff-editor').waitFor();
      expect(await page.locator('.revisions-list tbody tr').count()).toBe(3);
      // Default: the last two revisions; revision 3 added the task log_three.
      await page
        .locator('.monaco-diff-editor .line-insert, .monaco-diff-editor .char-insert')
        .first()
        .waitFor();
      await expect
        .poll(() => page.locator('.monaco-diff-editor .editor.modified .view-lines').innerText(), {
          timeout: 15_000,
        })
        .toContain('log_three');
      // Compare revision 1 with 3: both added tasks are on the right, neither on the left.
      await page.getByLabel('Left').selectOption('1');
      await expect
        .poll(() => page.locator('.monaco-diff-editor .editor.original .view-lines').innerText(), {
          timeout: 15_000,
        })
        .not.toContain('log_two');
      // Revision 1 → 3: the two added tasks (3 lines each) are one inserted block on the right.
      await expect
        .poll(() => page.locator('.monaco-diff-editor .editor.modified .line-insert').count(), {
          timeout: 15_000,
        })
        .toBeGreaterThanOrEqual(6);
      await ui.screenshot('flow-revisions');
      await page.getByTestId('theme-toggle').click();
      await ui.screenshot('flow-revisions');

      // Unsaved edits survive a visit to the revisions tab.
      await page.getByRole('link', { name: 'Editor', exact: true }).click();
      await page.locator('.editor-pane .monaco-editor .view-lines').click();
      await page.keyboard.press('ControlOrMeta+End');
      await typeLines(page, [
        '',
        '  - id: not_saved_yet',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: wip',
      ]);
      await page.getByTestId('unsaved').waitFor();
      await page.getByRole('link', { name: 'Revisions' }).click();
      await page.getByTestId('diff-editor').waitFor();
      await page.getByRole('link', { name: 'Editor', exact: true }).click();
      await page.getByTestId('unsaved').waitFor();
      await expect.poll(() => editorText(page), { timeout: 15_000 }).toContain('not_saved_yet');
    },
    TIMEOUT,
  );

  it(
    'draws the topology, updates it while typing, and shows the docs of the task under the cursor',
    async () => {
      ui = await openUi();
      const { page } = ui;
      await createFlow(page, 'company.team', 'drawn', [
        '  - id: hello',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: hi',
        '  - id: fan_out',
        '    type: io.kestra.plugin.core.flow.Parallel',
        '    tasks:',
        '      - id: left',
        '        type: io.kestra.plugin.core.debug.Return',
        '        format: l',
        '      - id: right',
        '        type: io.kestra.plugin.core.debug.Return',
        '        format: r',
        'triggers:',
        '  - id: daily',
        '    type: io.kestra.plugin.core.trigger.Schedule',
        '    cron: "0 9 * * *"',
      ]);
      await ui.open('/flows/company.team/drawn');
      const graph = page.getByTestId('flow-graph');
      await graph.locator('[data-task-id="right"]').waitFor();
      for (const id of ['hello', 'fan_out', 'left'])
        expect(await graph.locator(`[data-task-id="${id}"]`).textContent()).toContain(id);
      expect(await graph.locator('[data-trigger-id="daily"]').count()).toBe(1);
      expect(await graph.locator('[data-cluster="fan_out"]').count()).toBe(1);

      // A task typed at the end appears in the graph once the typing stops.
      await page.locator('.editor-pane .monaco-editor .view-lines').click();
      await page.keyboard.press('ControlOrMeta+End');
      await typeLines(page, [
        '',
        'afterExecution:',
        '  - id: typed_last',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: bye',
      ]);
      await graph.locator('[data-task-id="typed_last"]').waitFor();

      // The docs panel follows the cursor: on the Parallel task's line, then on a Return task.
      await page
        .locator('.editor-pane .view-line', { hasText: 'io.kestra.plugin.core.flow.Parallel' })
        .click();
      const docs = page.getByTestId('docs-pane');
      await docs.locator('.plugin-doc-type', { hasText: 'io.kestra.plugin.core.flow.Parallel' }).waitFor();
      await page.locator('.editor-pane .view-line', { hasText: 'format: l' }).click();
      await docs.locator('.plugin-doc-type', { hasText: 'io.kestra.plugin.core.debug.Return' }).waitFor();
      expect(await docs.locator('[data-property="format"]').count()).toBe(1);
      // A click on a task in the graph moves the cursor to it: the docs follow.
      await graph.locator('[data-task-id="hello"]').click();
      await docs.locator('.plugin-doc-type', { hasText: 'io.kestra.plugin.core.log.Log' }).waitFor();
      await graph.locator('[data-task-id="right"]').click();
      await docs.locator('.plugin-doc-type', { hasText: 'io.kestra.plugin.core.debug.Return' }).waitFor();
      await ui.screenshot('flow-editor');
      await page.getByTestId('theme-toggle').click();
      await ui.screenshot('flow-editor');

      // The graph can be hidden (the YAML gets the room) and comes back.
      await page.getByRole('checkbox', { name: 'Topology' }).uncheck();
      await page.getByTestId('graph-pane').waitFor({ state: 'detached' });
      await page.getByRole('checkbox', { name: 'Topology' }).check();
      await graph.locator('[data-task-id="typed_last"]').waitFor();
    },
    TIMEOUT,
  );

  it(
    'completes task types and shows hover docs from the flow schema',
    async () => {
      ui = await openUi();
      const { page } = ui;
      await ui.open('/flows/new');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      // The new-flow template has a Log task: hovering its `message` shows the property's docs.
      await page.locator('.editor-pane .view-line span', { hasText: /^message$/ }).hover();
      await page.locator('.monaco-hover', { hasText: 'The message, or a list of messages' }).waitFor();

      await page.locator('.editor-pane .monaco-editor .view-lines').click();
      await page.keyboard.press('ControlOrMeta+End');
      await typeLines(page, ['', '  - id: second', '    type: io.kestra.plugin.core.debug.Ret']);
      // A type that does not exist (yet): the server marks it.
      await page.locator('[data-testid="problems-count"][data-errors="1"]').waitFor();
      expect(await page.getByTestId('problems-count').getAttribute('title')).toContain('line 10');
      await page.locator('.editor-pane .squiggly-error').first().waitFor();
      await page.keyboard.press('Control+Space');
      await page
        .locator('.suggest-widget .monaco-list-row', { hasText: 'io.kestra.plugin.core.debug.Return' })
        .first()
        .waitFor();
      await page.keyboard.press('Enter');
      await expect
        .poll(() => editorText(page), { timeout: 15_000 })
        .toMatch(/type: io\.kestra\.plugin\.core\.debug\.Return\s*$/);
      // The completed type is valid: no problem, and the graph draws the task with it.
      await page
        .getByTestId('flow-graph')
        .locator('[data-task-id="second"]', { hasText: 'Return' })
        .waitFor();
      await page.locator('[data-testid="problems-count"][data-errors="0"]').waitFor();
    },
    TIMEOUT,
  );
});
