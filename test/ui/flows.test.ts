/**
 * The flows list in a real browser: search, the namespace tree, labels, the last execution's
 * state of each flow, paging, and the links to the editor, execute and create pages.
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

const LOG = ['  - id: log', '    type: io.kestra.plugin.core.log.Log', '    message: hi'];

describe.skipIf(skip !== undefined)('flows list', () => {
  it('lists flows with labels and last states, filters by text and namespace, links to the editor', async () => {
    ui = await openUi();
    const { page } = ui;
    await createFlow(page, 'company.team', 'orders', LOG, ['labels:', '  team: sales', '  env: prod']);
    await createFlow(page, 'company.team.data', 'nightly_load', LOG);
    await createFlow(page, 'other', 'cleanup', LOG);
    const response = await page.request.post('/api/v1/main/executions/company.team/orders');
    expect(response.ok()).toBe(true);

    await ui.open('/flows');
    const table = page.getByTestId('flows-table');
    await table.locator('[data-flow="company.team.orders"]').waitFor();
    expect(await table.locator('tbody tr').count()).toBe(3);
    const orders = table.locator('[data-flow="company.team.orders"]');
    expect(await orders.locator('.chip').allTextContents()).toEqual(['team: sales', 'env: prod']);
    await orders.locator('[data-state]').waitFor({ timeout: 20_000 });
    await ui.screenshot('flows-list');

    // Text search.
    await page.getByLabel('Search flows').fill('night');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    expect(await table.textContent()).toContain('nightly_load');
    await page.getByLabel('Search flows').fill('sales');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    await page.getByLabel('Search flows').fill('');

    // The namespace tree: company holds company.team and company.team.data.
    const tree = page.getByTestId('namespace-tree');
    await tree.locator('[data-namespace="company"]').click();
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(2);
    await tree.locator('[data-namespace="company.team.data"]').click();
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    expect(page.url()).toContain('namespace=company.team.data');
    // A flow created from here starts in the selected namespace.
    expect(await page.getByTestId('create-flow').getAttribute('href')).toBe(
      '/flows/new?namespace=company.team.data',
    );
    await page.getByText('All namespaces').click();
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(3);
    await page.getByTestId('theme-toggle').click();
    await orders.locator('[data-state]').waitFor();
    await ui.screenshot('flows-list');

    // Links: execute (helper page), edit, create.
    expect(await orders.getByRole('link', { name: 'Execute' }).getAttribute('href')).toBe(
      '/flows/company.team/orders/execute',
    );
    await orders.getByRole('link', { name: 'orders' }).click();
    await page.waitForURL(/\/flows\/company\.team\/orders$/);
    await page.locator('.editor-pane .monaco-editor').waitFor();
    // The flow's executions tab lists the run and links to its page.
    await page.getByRole('link', { name: 'Executions', exact: true }).last().click();
    await page.waitForURL(/\/flows\/company\.team\/orders\/executions$/);
    const runs = page.getByTestId('flow-executions');
    await runs.locator('tbody tr').first().waitFor();
    expect(await runs.locator('tbody a').first().getAttribute('href')).toMatch(
      /^\/executions\/company\.team\/orders\/[\w-]+$/,
    );
    await ui.open('/flows');
    await page.getByTestId('create-flow').click();
    await page.waitForURL(/\/flows\/new$/);
  }, 90_000);

  it('pages through many flows', async () => {
    ui = await openUi();
    const { page } = ui;
    for (let i = 0; i < 30; i++) await createFlow(page, 'bulk', `flow_${String(i).padStart(2, '0')}`, LOG);
    await ui.open('/flows');
    const table = page.getByTestId('flows-table');
    await table.locator('tbody tr').first().waitFor();
    expect(await table.locator('tbody tr').count()).toBe(25);
    await page.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(5);
    expect(await page.getByText('Page 2 of 2').count()).toBe(1);
  }, 90_000);
});
