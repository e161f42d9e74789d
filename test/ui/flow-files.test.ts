/**
 * Flows from a folder are files first, in a real browser: on a server started with `-f DIR`, an
 * edit saved in the editor is written to the flow's file; a file edited on disk while the flow is
 * open shows a notice that loads it; a delete asks, then removes the file.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { editorText } from './editor-support.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;
let folder: string | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
  if (folder) rmSync(join(folder, '..'), { recursive: true, force: true });
  folder = undefined;
});

const TIMEOUT = 90_000;
const HELLO = 'examples/flows/01_hello_world.yaml';

/** A folder holding copies of two examples (hello_world's file is returned), and the UI on a server watching it. */
async function openOnFolder(): Promise<{ ui: UiHarness; file: string }> {
  folder = join(mkdtempSync(join(tmpdir(), 'wh-ui-files-')), 'flows');
  mkdirSync(folder);
  const file = join(folder, '01_hello_world.yaml');
  copyFileSync(HELLO, file);
  copyFileSync('examples/flows/02_inputs.yaml', join(folder, '02_inputs.yaml'));
  ui = await openUi({ flowPaths: [folder] });
  await ui.open('/flows/company.team/hello_world/edit');
  await ui.page.locator('.editor-pane .monaco-editor').waitFor();
  return { ui, file };
}

describe.skipIf(skip !== undefined)('flows from a folder in the UI', () => {
  it(
    'writes an edit saved in the editor to the flow file, comments and all',
    async () => {
      const { ui, file } = await openOnFolder();
      const { page } = ui;
      const original = readFileSync(file, 'utf8');
      // The file ends with a newline: the cursor lands on the empty last line.
      await page.locator('.editor-pane .monaco-editor .view-lines').click();
      await page.keyboard.press('ControlOrMeta+End');
      await page.keyboard.type('# edited in the browser');
      await page.keyboard.press('Escape');
      await page.getByTestId('unsaved').waitFor();
      await page.getByTestId('save-flow').click();
      await page.getByTestId('unsaved').waitFor({ state: 'detached' });

      const written = readFileSync(file, 'utf8');
      expect(written).toBe(`${original}# edited in the browser`);
      const stored = await ui.server.local.store.getFlow('company.team', 'hello_world');
      expect(stored).toMatchObject({ revision: 2, source: written });
      // The watcher sees the file it wrote and makes no second revision; no notice shows.
      await ui.server.sync!.rescan();
      await page.waitForTimeout(2_500);
      expect((await ui.server.local.store.getFlow('company.team', 'hello_world'))!.revision).toBe(2);
      expect(await page.getByTestId('flow-changed').count()).toBe(0);
    },
    TIMEOUT,
  );

  it(
    'shows a notice when the file changes on disk, loads it, and deletes the flow and its file after asking',
    async () => {
      const { ui, file } = await openOnFolder();
      const { page } = ui;
      writeFileSync(file, readFileSync(file, 'utf8').replace('Your name', 'Your name, from disk'));
      const notice = page.getByTestId('flow-changed');
      await notice.waitFor({ timeout: 15_000 });
      expect(await notice.getAttribute('data-revision')).toBe('2');
      await ui.screenshots('flow-changed-on-disk');
      await page.getByTestId('flow-changed-load').click();
      await notice.waitFor({ state: 'detached' });
      await expect.poll(() => editorText(page)).toContain('Your name, from disk');
      expect(await page.getByTestId('unsaved').count()).toBe(0);

      // Delete asks first; Cancel keeps everything.
      await page.getByTestId('delete-flow').click();
      const dialog = page.getByTestId('flow-delete');
      await dialog.waitFor();
      await ui.screenshots('flow-delete');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(existsSync(file)).toBe(true);

      await page.getByTestId('delete-flow').click();
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await page.waitForURL(/\/flows\?namespace=company\.team$/);
      expect(existsSync(file)).toBe(false);
      expect(await ui.server.local.store.getFlow('company.team', 'hello_world')).toBeUndefined();
    },
    TIMEOUT,
  );

  it(
    'says when the file is removed on disk, and Save creates the flow again in a file of its own',
    async () => {
      const { ui, file } = await openOnFolder();
      const { page } = ui;
      const text = readFileSync(file, 'utf8');
      rmSync(file);
      await page.getByTestId('flow-deleted').waitFor({ timeout: 15_000 });
      await page.getByTestId('save-flow').click();
      await page.getByTestId('flow-deleted').waitFor({ state: 'detached' });
      // A flat folder: the new file is named after the flow's id.
      const recreated = join(folder!, 'hello_world.yaml');
      await expect.poll(() => existsSync(recreated)).toBe(true);
      expect(readFileSync(recreated, 'utf8')).toBe(text);
      expect(await ui.server.local.store.getFlow('company.team', 'hello_world')).toMatchObject({
        source: text,
      });
    },
    TIMEOUT,
  );
});
