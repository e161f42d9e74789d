/**
 * What a new user hit in the first hour with the UI at 1440×900 (issue 20), each checked in a real
 * browser: the flows table fits its page, plugin docs read well (whole type words, inline code,
 * a title that says which plugin, proper family names), the flow editor marks changes only after
 * one and confirms a save, its docs pane asks only for types that exist, long lines wrap beside
 * the topology and the docs, the live execution header ticks with the Gantt's clock, and the log
 * starts at INFO and counts "1 line". One server and one browser for the file: each test is short.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { clearEditor, typeLines } from './editor-support.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
const API = '/api/v1/main';
const EXAMPLES = fileURLToPath(new URL('../../examples/flows', import.meta.url));
let ui: UiHarness;

beforeAll(async () => {
  if (skip !== undefined) return;
  ui = await openUi({ scheduler: false });
}, 60_000);

afterAll(async () => {
  await ui?.close();
});

/** `850 ms`, `1.08 s`, `12.3 s` or `2 min 05 s` in milliseconds. */
function parseDuration(text: string): number {
  const ms = /([\d.]+) ms/.exec(text);
  if (ms) return Number(ms[1]);
  const minutes = /(\d+) min (\d+) s/.exec(text);
  if (minutes) return (Number(minutes[1]) * 60 + Number(minutes[2])) * 1000;
  const seconds = /([\d.]+) s/.exec(text);
  if (seconds) return Number(seconds[1]) * 1000;
  throw new Error(`not a duration: ${text}`);
}

/** The words of the elements matching `selector` that the layout split over two lines ("boolea|n"). */
function brokenWords(selector: string): Promise<string[]> {
  // A string: the tests compile without the DOM's types.
  return ui.page.evaluate<string[]>(
    `(() => {
      const broken = [];
      for (const cell of document.querySelectorAll(${JSON.stringify(selector)})) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.textContent.matchAll(/[A-Za-z0-9_]+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (tops.size > 1) broken.push(match[0]);
          }
        }
      }
      return broken;
    })()`,
  );
}

async function startExecution(namespace: string, flowId: string): Promise<string> {
  const response = await ui.page.request.post(`${API}/executions/${namespace}/${flowId}`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { id: string }).id;
}

async function waitForEnd(executionId: string): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await ui.page.request.get(`${API}/executions/${executionId}`);
        return ((await response.json()) as { state: { current: string } }).state.current;
      },
      { timeout: 20_000 },
    )
    .toBe('SUCCESS');
}

describe.skipIf(skip !== undefined)('the first hour in the UI', () => {
  it('shows the flows table whole, Edit and Execute in view without scrolling sideways', async () => {
    for (const file of readdirSync(EXAMPLES).filter((name) => name.endsWith('.yaml')))
      await deployFlow(ui.server.local.store, readFileSync(join(EXAMPLES, file), 'utf8'));
    await ui.open('/flows');
    const table = ui.page.getByTestId('flows-table');
    await table.locator('tbody tr').first().waitFor();
    const sizes = await ui.page.evaluate(
      `(() => {
        const content = document.querySelector('.content');
        const card = document.querySelector('.flows-table-card');
        const table = document.querySelector('[data-testid=flows-table]');
        return { content: [content.scrollWidth, content.clientWidth], table: table.getBoundingClientRect().width, card: card.clientWidth };
      })()`,
    );
    const {
      content,
      table: tableWidth,
      card,
    } = sizes as {
      content: [number, number];
      table: number;
      card: number;
    };
    expect(tableWidth).toBeLessThanOrEqual(card + 1);
    expect(content[0]).toBeLessThanOrEqual(content[1]);
    // Long namespaces wrap after a dot, not inside a word ("company.team.rep|orting").
    expect(await brokenWords('[data-testid=flows-table] tbody td:nth-child(2)')).toEqual([]);
    await ui.screenshot('flows-fit');
    for (const link of await table.getByRole('link', { name: 'Execute' }).all()) {
      const box = await link.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(1440);
    }
  }, 60_000);

  it('documents a plugin with whole type words, inline code, a telling title and proper family names', async () => {
    await ui.open('/plugins/io.kestra.plugin.scripts.python.Script');
    const doc = ui.page.getByTestId('plugin-doc');
    await doc.locator('[data-property="dependencies"]').waitFor();
    // No word of a Type cell is split over two lines ("boolea|n").
    expect(await brokenWords('.prop-table .prop-type')).toEqual([]);
    // Backticks render as code, in property descriptions and in the type's description.
    const dependencies = doc.locator('[data-property="dependencies"] .prop-description');
    expect(await dependencies.textContent()).not.toContain('`');
    expect(await dependencies.locator('code').allTextContents()).toContain('pandas==2.2.0');
    expect(await doc.locator('header p').first().locator('code').count()).toBeGreaterThan(0);
    // The title says which Script this is.
    expect(await ui.page.locator('.page-header h1').textContent()).toBe('Python Script');
    const groups = ui.page.getByTestId('plugin-groups');
    expect(await groups.locator('[data-group="io.kestra.plugin.jdbc.duckdb"] h3').textContent()).toBe(
      'JDBC DuckDB',
    );
    expect(await groups.locator('[data-group="io.kestra.plugin.gcp"] h3').textContent()).toBe('Google Cloud');
    await ui.screenshot('plugin-python-script');
  }, 60_000);

  it('marks changes only after one, asks docs only for known types, wraps long lines and confirms each save', async () => {
    const { page } = ui;
    const pluginRequests: { type: string; status: number }[] = [];
    page.on('response', (response) => {
      const match = /\/api\/v1\/main\/plugins\/([^/?]+)$/.exec(response.url());
      if (match && match[1] !== 'schemas')
        pluginRequests.push({ type: decodeURIComponent(match[1]!), status: response.status() });
    });
    await ui.open('/flows/new');
    await page.locator('.editor-pane .monaco-editor').waitFor();
    await page.getByTestId('graph-pane').waitFor();
    await page.getByTestId('docs-pane').waitFor();
    await page.getByTestId('problems-count').getByText('No problems').waitFor();
    expect(await page.getByTestId('unsaved').count()).toBe(0);

    await clearEditor(page);
    const end = 'END_OF_THE_LONG_LINE';
    await typeLines(page, [
      'id: first_hour',
      'namespace: company.team',
      'tasks:',
      '  - id: hello',
      '    type: io.kestra.plugin.core.log.Log',
      `    message: "${'a rather long message that goes on '.repeat(4)}${end}"`,
      '  - id: run',
      '    type: io.kestra.plugin.scripts.py',
    ]);
    // The cursor rests on a half-typed type: the docs pane must not ask the server for it.
    await page.waitForTimeout(700);
    await page.keyboard.type('thon.Script');
    await page.keyboard.press('Escape');
    await typeLines(page, ['', '    script: print(1)']);
    await page.keyboard.press('ArrowUp');
    await page.getByTestId('docs-pane').locator('h2', { hasText: 'Run a Python script' }).waitFor();
    await page.getByTestId('unsaved').waitFor();
    expect(pluginRequests.filter((r) => r.status !== 200)).toEqual([]);
    expect(pluginRequests.map((r) => r.type)).not.toContain('io.kestra.plugin.scripts.py');

    // With the topology and the docs open, the long line wraps inside the editor.
    const pane = await page.locator('.editor-pane').boundingBox();
    const tail = page.locator('.editor-pane .view-line', { hasText: end });
    const tailBox = await tail.locator('span', { hasText: end }).last().boundingBox();
    expect(tailBox!.x + tailBox!.width).toBeLessThanOrEqual(pane!.x + pane!.width);

    await page.getByTestId('save-flow').click();
    await page.waitForURL(/\/flows\/company\.team\/first_hour\/edit$/);
    await page.getByRole('status').filter({ hasText: 'Saved revision 1' }).waitFor();
    await expect.poll(() => page.getByTestId('unsaved').count()).toBe(0);
    await ui.screenshot('editor-saved');
    await page.locator('.editor-pane .monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await typeLines(page, ['', 'description: saved twice']);
    await page.getByTestId('unsaved').waitFor();
    await page.keyboard.press('ControlOrMeta+S');
    await page.getByRole('status').filter({ hasText: 'Saved revision 2' }).waitFor();
  }, 90_000);

  it("confirms a namespace file's save and a KV entry's save, as the flow editor does", async () => {
    const { page } = ui;
    const NS = 'ui.firsthour';
    const created = await page.request.post(`${API}/namespaces/${NS}/files`, {
      params: { path: '/notes.txt' },
      multipart: { fileContent: { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('draft') } },
    });
    expect(created.status()).toBe(200);
    await ui.open(`/namespaces/${NS}/files?path=notes.txt`);
    const editor = page.getByTestId('code-editor');
    await editor.locator('.view-lines').getByText('draft').waitFor();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' two');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved notes.txt' }).waitFor();

    await ui.open(`/namespaces/${NS}/kv`);
    await page.getByRole('button', { name: 'New entry' }).click();
    const dialog = page.getByTestId('kv-dialog');
    await dialog.getByLabel('Key').fill('greeting');
    await dialog.getByLabel('Value').fill('hello');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved greeting' }).waitFor();
  }, 60_000);

  it('ticks the live duration in the header with the Gantt clock', async () => {
    await deployFlow(
      ui.server.local.store,
      [
        'id: nap',
        'namespace: ui.firsthour',
        'tasks:',
        '  - id: sleep',
        '    type: io.kestra.plugin.core.flow.Sleep',
        '    duration: PT4S',
      ].join('\n'),
    );
    const id = await startExecution('ui.firsthour', 'nap');
    await ui.open(`/executions/ui.firsthour/nap/${id}`);
    await ui.page.locator('[data-testid=gantt-row][data-task=sleep]').waitFor();
    const header = ui.page.locator('.execution-summary span', { hasText: /^Duration/ });
    const scaleEnd = ui.page.locator('.gantt-scale span').last();
    const first = parseDuration((await header.textContent())!);
    await ui.page.waitForTimeout(1600);
    const second = parseDuration((await header.textContent())!);
    expect(second - first).toBeGreaterThan(900);
    // Same clock as the Gantt: they differ by at most one tick.
    expect(Math.abs(second - parseDuration((await scaleEnd.textContent())!))).toBeLessThan(1100);
    await waitForEnd(id);
    await ui.page.locator('[data-testid=execution-state] [data-state=SUCCESS]').waitFor();
    expect(parseDuration((await header.textContent())!)).toBe(parseDuration((await scaleEnd.textContent())!));
  }, 60_000);

  it('starts the log at INFO, as Kestra does, and counts one line in the singular', async () => {
    await deployFlow(
      ui.server.local.store,
      [
        'id: chatty',
        'namespace: ui.firsthour',
        'tasks:',
        '  - id: detail',
        '    type: io.kestra.plugin.core.log.Log',
        '    level: DEBUG',
        '    message: a debug detail',
        '  - id: news',
        '    type: io.kestra.plugin.core.log.Log',
        '    message: the news',
      ].join('\n'),
    );
    const id = await startExecution('ui.firsthour', 'chatty');
    await waitForEnd(id);
    await ui.open(`/executions/ui.firsthour/chatty/${id}/logs`);
    const logs = ui.page.getByTestId('logs');
    await logs.getByTestId('log-line').first().waitFor();
    expect(await ui.page.getByLabel('Minimum level').inputValue()).toBe('INFO');
    const shown = await logs.getByTestId('log-line').allTextContents();
    expect(shown.join('\n')).toContain('the news');
    expect(shown.join('\n')).not.toContain('a debug detail');
    await logs.getByText('Group by task').click();
    expect(await logs.locator('.log-group', { hasText: 'news' }).textContent()).toMatch(/\b1 line$/);
    await ui.page.getByLabel('Minimum level').selectOption('TRACE');
    await logs.getByTestId('log-line').filter({ hasText: 'a debug detail' }).waitFor();
  }, 60_000);
});
