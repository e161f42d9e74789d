/**
 * The blueprints gallery in a real browser: the server's blueprints show with their description,
 * tags and topology; a search and a tag find the Python one; "Use" opens the new-flow editor
 * with its YAML, and saving creates the flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorText } from './editor-support.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness;

describe.skipIf(skip !== undefined)('Blueprints page', () => {
  beforeAll(async () => {
    ui = await openUi();
  });
  afterAll(() => ui?.close());

  it('lists blueprints with tags and topology, from the sidebar and from a Kestra address', async () => {
    const { page } = ui;
    await ui.open('/');
    await page.getByRole('link', { name: 'Blueprints' }).click();
    await page.waitForURL(/\/blueprints$/);
    const cards = page.getByTestId('blueprint');
    await cards.first().waitFor();
    expect(await cards.count()).toBeGreaterThanOrEqual(10);
    const postgres = page.locator('[data-blueprint="postgres-taxi"]');
    await postgres.getByText('NYC taxi ETL into PostgreSQL').waitFor();
    await postgres.locator('.blueprint-tag', { hasText: 'PostgreSQL' }).waitFor();
    // The topology is the editor's graph of the blueprint's YAML: its tasks are boxes.
    await postgres.getByTestId('flow-graph').locator('text', { hasText: 'extract' }).first().waitFor();
    await page.locator('[data-blueprint="hello-world"]').getByTestId('flow-graph').waitFor();
    await ui.screenshots('blueprints');

    await ui.open('/ui/main/blueprints/flow/community');
    await page.waitForURL(/\/blueprints$/);
    await page.getByTestId('blueprints-page').waitFor();
  });

  it('finds the Python blueprint, uses it, saves it and the flow exists', async () => {
    const { page } = ui;
    await ui.open('/blueprints');
    await page.getByTestId('blueprint').first().waitFor();
    await page
      .getByRole('group', { name: 'Tags' })
      .getByRole('button', { name: 'Python', exact: true })
      .click();
    await page.getByLabel('Search blueprints').fill('run a python');
    await expect.poll(() => page.getByTestId('blueprint').count()).toBe(1);
    const python = page.locator('[data-blueprint="python-script"]');
    await python.getByTestId('use-blueprint').click();
    await page.waitForURL(/\/flows\/new\?blueprint=python-script$/);
    await page.locator('.editor-pane .monaco-editor').waitFor();
    await expect.poll(() => editorText(page), { timeout: 15_000 }).toMatch(/^id: python_script/);
    // Long lines wrap in the editor: compare without the wrapping.
    expect((await editorText(page)).replace(/\s+/g, '')).toContain(
      'type:io.kestra.plugin.scripts.python.Script',
    );

    await page.getByTestId('save-flow').click();
    await page.waitForURL(/\/flows\/company\.team\/python_script/);
    const response = await page.request.get('/api/v1/main/flows/company.team/python_script');
    expect(response.status()).toBe(200);
    const flow = (await response.json()) as { tasks: Array<{ id: string; type: string }> };
    expect(flow.tasks.map((t) => t.type)).toEqual([
      'io.kestra.plugin.scripts.python.Script',
      'io.kestra.plugin.core.log.Log',
    ]);
  });
});
