/**
 * The flow editor in a real browser: typing with completion, live validation markers, save,
 * YAML syntax errors refused with the server's message, revisions diff, the live topology and
 * the docs panel.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { clearEditor, editorText, typeLines } from './editor-support.js';
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
      await expect.poll(() => editorText(page)).toMatch(/message: ?Hello from the editor/);

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
      await typeLines(page, ['id: broken', 'namespace: company.team', 'tasks: [unclosed']);
      await page.locator('.editor-pane .squiggly-error').first().waitFor();
      await page.getByTestId('save-flow').click();
      const error = page.getByTestId('save-error');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/not saved/);
      expect((await error.textContent())!.length).toBeGreaterThan(40);
      // The text stays as typed, and nothing was stored.
      await expect.poll(() => editorText(page)).toContain('tasks: [unclosed');
      expect(await ui.server.local.store.getFlow('company.team', 'broken')).toBeFalsy();
      await ui.screenshot('editor-syntax-error');
    },
    TIMEOUT,
  );
});
