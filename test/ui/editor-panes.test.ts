/**
 * The flow editor's side panes in a real browser: a pane resized by its handle keeps its width
 * after a reload, a pane collapses to a strip and opens again, the Files pane edits and saves a
 * namespace file beside the YAML, and a webhook trigger's URL shows above the editor.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFlow } from './editor-support.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

const TIMEOUT = 90_000;
const API = '/api/v1/main';
const LOG_TASK = ['  - id: hello', '    type: io.kestra.plugin.core.log.Log', '    message: hi'];

describe.skipIf(skip !== undefined)('flow editor panes', () => {
  it(
    'resizes a pane by its handle, keeps the width after a reload, and collapses and reopens a pane',
    async () => {
      ui = await openUi();
      const { page } = ui;
      await createFlow(page, 'company.team', 'panes', LOG_TASK);
      await ui.open('/flows/company.team/panes/edit');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      const graph = page.getByTestId('graph-pane');
      const before = (await graph.boundingBox())!.width;
      const handle = (await page.getByTestId('resize-graph').boundingBox())!;
      const y = handle.y + handle.height / 2;
      await page.mouse.move(handle.x + handle.width / 2, y);
      await page.mouse.down();
      // Dragged right, the pane narrows (dragged left it widens, up to the YAML's minimum width).
      await page.mouse.move(handle.x + 60, y, { steps: 5 });
      await page.mouse.move(handle.x + 100, y, { steps: 5 });
      await page.mouse.up();
      const after = (await graph.boundingBox())!.width;
      expect(after).toBeLessThan(before - 80);

      await page.reload();
      await page.locator('.editor-pane .monaco-editor').waitFor();
      expect(Math.abs((await graph.boundingBox())!.width - after)).toBeLessThan(3);

      // From the keyboard: a focused handle moves with the arrow keys (left widens the pane).
      await page.getByRole('separator', { name: 'Resize Topology' }).focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      expect(Math.abs((await graph.boundingBox())!.width - (after + 40))).toBeLessThan(3);

      // Collapsed, the pane leaves a strip; the YAML gets the room; the strip opens it again.
      const editorBefore = (await page.locator('.editor-pane').boundingBox())!.width;
      await page.getByRole('button', { name: 'Collapse Docs' }).click();
      await page.getByTestId('docs-pane').waitFor({ state: 'detached' });
      expect(await page.getByRole('checkbox', { name: 'Docs' }).isChecked()).toBe(false);
      expect((await page.locator('.editor-pane').boundingBox())!.width).toBeGreaterThan(editorBefore + 200);
      await page.getByTestId('expand-docs').click();
      await page.getByTestId('docs-pane').waitFor();

      // All panes open at 1440×900: the YAML stays wide enough to read.
      await page.getByRole('checkbox', { name: 'Files' }).check();
      await page.getByTestId('files-pane').waitFor();
      expect((await page.locator('.editor-pane').boundingBox())!.width).toBeGreaterThanOrEqual(440);
    },
    TIMEOUT,
  );

  it(
    'opens a namespace file in the Files pane, edits and saves it beside the YAML',
    async () => {
      ui = await openUi();
      const { page } = ui;
      // A webhook trigger too, so the screenshot shows its URL above the editor.
      await createFlow(page, 'company.team', 'with_files', LOG_TASK, [
        'triggers:',
        '  - id: on_call',
        '    type: io.kestra.plugin.core.trigger.Webhook',
        '    key: 4wjtkzwVGBM9yKnjm3yv8r',
      ]);
      const upload = await page.request.post(`${API}/namespaces/company.team/files`, {
        params: { path: '/scripts/main.py' },
        multipart: {
          fileContent: { name: 'main.py', mimeType: 'text/plain', buffer: Buffer.from('print(1)\n') },
        },
      });
      expect(upload.status()).toBe(200);
      await ui.open('/flows/company.team/with_files/edit');
      await page.locator('.editor-pane .monaco-editor').waitFor();
      await page.getByRole('checkbox', { name: 'Files' }).check();
      const pane = page.getByTestId('files-pane');
      await pane.getByTestId('file-scripts').click();
      await pane.getByTestId('file-scripts/main.py').click();
      const editor = pane.getByTestId('code-editor');
      await editor.locator('.view-lines').getByText('print').waitFor();
      expect(await editor.getAttribute('data-language')).toBe('python');
      await editor.locator('.view-lines').click();
      await page.keyboard.press('ControlOrMeta+End');
      await page.keyboard.type('answer = 42');
      await pane.getByTestId('file-dirty').waitFor();
      await pane.getByRole('button', { name: 'Save' }).click();
      await pane.getByTestId('file-dirty').waitFor({ state: 'detached' });
      const saved = await page.request.get(`${API}/namespaces/company.team/files`, {
        params: { path: '/scripts/main.py' },
      });
      expect(await saved.text()).toBe('print(1)\nanswer = 42');
      // The flow's YAML is untouched and still has nothing to save.
      expect(await page.getByTestId('unsaved').count()).toBe(0);
      await ui.screenshots('editor-files-pane');
    },
    TIMEOUT,
  );

  it(
    'shows the URL of a webhook trigger with a copy button, and says when its key is an expression',
    async () => {
      ui = await openUi();
      const { page } = ui;
      await createFlow(page, 'company.team', 'hooked', LOG_TASK, [
        'triggers:',
        '  - id: incoming',
        '    type: io.kestra.plugin.core.trigger.Webhook',
        '    key: s3cr3t-key',
        '  - id: secret_key',
        '    type: io.kestra.plugin.core.trigger.Webhook',
        `    key: "{{ secret('WEBHOOK_KEY') }}"`,
      ]);
      await ui.open('/flows/company.team/hooked/edit');
      const urls = page.getByTestId('webhook-url');
      await urls.first().waitFor();
      expect(await urls.count()).toBe(2);
      const expected = `${ui.url}${API}/executions/webhook/company.team/hooked/s3cr3t-key`;
      expect(await urls.nth(0).locator('code').textContent()).toBe(expected);
      await ui.context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await urls.nth(0).getByRole('button', { name: 'Copy' }).click();
      await page.getByText('Webhook URL copied').waitFor();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(expected);
      expect(await urls.nth(1).textContent()).toContain('expression');
      expect(await urls.nth(1).textContent()).toContain("secret('WEBHOOK_KEY')");
      // The URL answers: calling it starts an execution.
      const call = await page.request.post(expected, { data: { hello: 'world' } });
      expect(call.status()).toBe(200);
    },
    TIMEOUT,
  );
});
