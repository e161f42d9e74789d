/**
 * The Namespaces pages in a real browser: the list from the flows, the KV admin (create, edit
 * with a new value and a new type, a JSON entry with a TTL, bad values refused, delete one and a
 * selection; typed values checked through the API) and the files editor (create, edit, save,
 * reload, rename, upload, delete).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness;

const API = '/api/v1/main';
const NS = 'company.team';

const FLOW = `id: hello
namespace: ${NS}
description: Says hello
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hello
`;

async function kvValue(key: string): Promise<{ status: number; body: unknown }> {
  const response = await ui.page.request.get(`${API}/namespaces/${NS}/kv/${key}`);
  return { status: response.status(), body: await response.json() };
}

describe.skipIf(skip !== undefined)('Namespaces pages', () => {
  beforeAll(async () => {
    ui = await openUi({ scheduler: false });
    const response = await ui.page.request.post(`${API}/flows`, {
      data: FLOW,
      headers: { 'content-type': 'application/x-yaml' },
    });
    expect(response.status(), await response.text()).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  it('lists the namespaces of the flows, their parents, and the flows of one', async () => {
    await ui.open('/namespaces');
    await ui.page.getByTestId('namespace-company').waitFor();
    const row = ui.page.getByTestId(`namespace-${NS}`);
    expect(await row.textContent()).toContain('1');
    await ui.page.getByLabel('Namespace to open').fill('Bad Name');
    await ui.page.getByRole('button', { name: 'Open' }).click();
    expect(await ui.page.getByRole('alert').textContent()).toContain('is not a namespace');
    await row.getByRole('link', { name: 'Flows' }).click();
    await ui.page.waitForURL(/\/namespaces\/company\.team\/flows$/);
    const flow = ui.page.getByTestId('ns-flow-hello');
    await flow.waitFor();
    expect(await flow.textContent()).toContain('Says hello');
    expect(await flow.getByRole('link', { name: 'Edit' }).getAttribute('href')).toBe(`/flows/${NS}/hello`);

    await ui.open(`/namespaces/${NS}/nope`);
    expect(await ui.page.getByRole('alert').textContent()).toContain('No tab nope');
    await ui.open('/namespaces/Not%20Valid');
    expect(await ui.page.getByRole('alert').textContent()).toContain('is not a namespace');
  });

  it('creates, edits and deletes KV entries with typed values', async () => {
    await ui.open(`/namespaces/${NS}`);
    await ui.page.getByRole('button', { name: 'New entry' }).click();
    let dialog = ui.page.getByTestId('kv-dialog');
    await dialog.getByLabel('Key').fill('greeting');
    await dialog.getByLabel('Type').selectOption('STRING');
    await dialog.getByLabel('Value').fill('hello world');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const greeting = ui.page.getByTestId('kv-greeting');
    await greeting.getByText('"hello world"').waitFor();
    expect(await greeting.textContent()).toContain('STRING');
    expect(await kvValue('greeting')).toEqual({
      status: 200,
      body: { type: 'STRING', value: 'hello world' },
    });

    // Edit: a new value.
    await greeting.getByRole('button', { name: 'Edit' }).click();
    dialog = ui.page.getByTestId('kv-dialog');
    expect(await dialog.getByLabel('Value').inputValue()).toBe('hello world');
    expect(await dialog.getByLabel('Key').isDisabled()).toBe(true);
    await dialog.getByLabel('Value').fill('bonjour');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await greeting.getByText('"bonjour"').waitFor();
    expect((await kvValue('greeting')).body).toEqual({ type: 'STRING', value: 'bonjour' });

    // A JSON entry: a bad value is refused with the parser's message, then a good one is kept, with a TTL.
    await ui.page.getByRole('button', { name: 'New entry' }).click();
    dialog = ui.page.getByTestId('kv-dialog');
    await dialog.getByLabel('Key').fill('settings');
    await dialog.getByLabel('Type').selectOption('JSON');
    await dialog.getByLabel('Value').fill('{"region": eu}');
    await dialog.getByRole('button', { name: 'Create' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('Invalid JSON');
    await dialog.getByLabel('Value').fill('{"region": "eu", "replicas": 3}');
    await dialog.getByLabel('TTL').fill('1 week');
    await dialog.getByRole('button', { name: 'Create' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('not an ISO-8601 duration');
    await dialog.getByLabel('TTL').fill('P7D');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const settings = ui.page.getByTestId('kv-settings');
    await settings.getByText('{"region":"eu","replicas":3}').waitFor();
    expect(await settings.textContent()).not.toContain('never');
    expect((await kvValue('settings')).body).toEqual({ type: 'JSON', value: { region: 'eu', replicas: 3 } });

    // Edit with a change of type: the STRING becomes a NUMBER; a bad number is refused.
    await greeting.getByRole('button', { name: 'Edit' }).click();
    dialog = ui.page.getByTestId('kv-dialog');
    await dialog.getByLabel('Type').selectOption('NUMBER');
    await dialog.getByLabel('Value').fill('4x2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('is not a number');
    await dialog.getByLabel('Value').fill('42');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await greeting.getByText('NUMBER').waitFor();
    expect((await kvValue('greeting')).body).toEqual({ type: 'NUMBER', value: 42 });

    await ui.screenshots('kv-list');
    await settings.getByRole('button', { name: 'Edit' }).click();
    await ui.page.getByTestId('kv-dialog').getByLabel('Value').waitFor();
    await ui.screenshots('kv-edit');
    await ui.page.keyboard.press('Escape');

    // Delete one, with a confirmation.
    await greeting.getByRole('button', { name: 'Delete' }).click();
    await ui.page.getByTestId('kv-confirm').getByRole('button', { name: 'Delete' }).click();
    await greeting.waitFor({ state: 'detached' });
    expect((await kvValue('greeting')).status).toBe(404);

    // Delete a selection.
    for (const key of ['a1', 'a2']) {
      const put = await ui.page.request.put(`${API}/namespaces/${NS}/kv/${key}`, {
        data: 'true',
        headers: { 'content-type': 'text/plain' },
      });
      expect(put.status()).toBe(200);
    }
    await ui.page.reload();
    await ui.page.getByLabel('Select a1').check();
    await ui.page.getByLabel('Select a2').check();
    await ui.page.getByRole('button', { name: 'Delete selected (2)' }).click();
    await ui.page.getByTestId('kv-confirm').getByRole('button', { name: 'Delete' }).click();
    await ui.page.getByTestId('kv-a1').waitFor({ state: 'detached' });
    expect((await kvValue('a1')).status).toBe(404);
    expect((await kvValue('a2')).status).toBe(404);
    expect((await kvValue('settings')).status).toBe(200);
  });

  it('creates a namespace file, edits and saves it, and keeps it on reload', async () => {
    await ui.open(`/namespaces/${NS}/files`);
    await ui.page.getByText('No files yet').waitFor();
    await ui.page.getByRole('button', { name: 'New file' }).click();
    const pathDialog = ui.page.getByTestId('path-dialog');
    await pathDialog.getByLabel('Path').fill('../x');
    await pathDialog.getByRole('button', { name: 'Create' }).click();
    expect(await pathDialog.getByRole('alert').textContent()).toContain('".."');
    await pathDialog.getByLabel('Path').fill('scripts/hello.py');
    await pathDialog.getByRole('button', { name: 'Create' }).click();
    await pathDialog.waitFor({ state: 'detached' });
    await ui.page.waitForURL(/path=scripts%2Fhello\.py/);
    const editor = ui.page.getByTestId('code-editor');
    await editor.waitFor();
    expect(await editor.getAttribute('data-language')).toBe('python');
    await editor.locator('.view-lines').click();
    await ui.page.keyboard.type('answer = 42');
    await ui.page.getByTestId('file-dirty').waitFor();
    await ui.page.getByRole('button', { name: 'Save' }).click();
    await ui.page.getByTestId('file-dirty').waitFor({ state: 'detached' });
    const saved = await ui.page.request.get(`${API}/namespaces/${NS}/files`, {
      params: { path: '/scripts/hello.py' },
    });
    expect(await saved.text()).toBe('answer = 42');

    await ui.page.reload();
    await ui.page.getByTestId('file-scripts/hello.py').waitFor();
    await editor.locator('.view-lines').getByText('answer').waitFor();
    expect((await editor.locator('.view-lines').textContent())?.replace(/\u00a0/g, ' ')).toContain(
      'answer = 42',
    );
    await ui.screenshots('files-editor');

    // Unsaved changes are not dropped silently when another file is opened.
    const other = await ui.page.request.post(`${API}/namespaces/${NS}/files`, {
      params: { path: '/other.txt' },
      multipart: { fileContent: { name: 'other.txt', mimeType: 'text/plain', buffer: Buffer.from('other') } },
    });
    expect(other.status()).toBe(200);
    await ui.page.reload();
    await editor.locator('.view-lines').getByText('answer').waitFor();
    await editor.locator('.view-lines').click();
    await ui.page.keyboard.press('End');
    await ui.page.keyboard.type(' # changed');
    await ui.page.getByTestId('file-dirty').waitFor();
    ui.page.once('dialog', (prompt) => void prompt.dismiss());
    await ui.page.getByTestId('file-other.txt').click();
    expect(ui.page.url()).toContain('path=scripts%2Fhello.py');
    await ui.page.getByTestId('file-dirty').waitFor();
    ui.page.once('dialog', (prompt) => void prompt.accept());
    await ui.page.getByTestId('file-other.txt').click();
    await ui.page.waitForURL(/path=other\.txt/);
    await editor.locator('.view-lines').getByText('other').waitFor();
    await ui.page.getByTestId('file-scripts/hello.py').click();

    // Upload into the selected file's folder, rename, then delete.
    await ui.page.getByLabel('Upload files').setInputFiles({
      name: 'data.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('a,b\n1,2\n'),
    });
    await ui.page.getByTestId('file-scripts/data.csv').waitFor();
    await ui.page.getByRole('button', { name: 'Rename' }).click();
    await ui.page.getByTestId('path-dialog').getByLabel('Path').fill('scripts/numbers.csv');
    await ui.page.getByTestId('path-dialog').getByRole('button', { name: 'Rename' }).click();
    await ui.page.getByTestId('file-scripts/numbers.csv').waitFor();
    const moved = await ui.page.request.get(`${API}/namespaces/${NS}/files`, {
      params: { path: '/scripts/numbers.csv' },
    });
    expect(await moved.text()).toBe('a,b\n1,2\n');
    await ui.page.getByRole('button', { name: 'Delete' }).click();
    await ui.page.getByTestId('file-delete').getByRole('button', { name: 'Delete' }).click();
    await ui.page.getByTestId('file-scripts/numbers.csv').waitFor({ state: 'detached' });
    const gone = await ui.page.request.get(`${API}/namespaces/${NS}/files`, {
      params: { path: '/scripts/numbers.csv' },
    });
    expect(gone.status()).toBe(404);
  });

  it('offers a file too large for the editor as a download, not a frozen tab', async () => {
    const big = await ui.page.request.post(`${API}/namespaces/${NS}/files`, {
      params: { path: '/big.log' },
      multipart: {
        fileContent: { name: 'big.log', mimeType: 'text/plain', buffer: Buffer.alloc(3 * 1_048_576, 'x') },
      },
    });
    expect(big.status()).toBe(200);
    await ui.open(`/namespaces/${NS}/files?path=big.log`);
    await ui.page.getByTestId('file-too-large').waitFor();
    expect(await ui.page.getByTestId('file-too-large').textContent()).toContain('3.0 MB');
    expect(await ui.page.getByTestId('code-editor').count()).toBe(0);
  });
});
