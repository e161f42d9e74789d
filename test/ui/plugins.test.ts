/** The plugin browser in a real browser: families and types, search, a type's documentation. */
import { afterEach, describe, expect, it } from 'vitest';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

describe.skipIf(skip !== undefined)('plugins', () => {
  it('lists every family and type, searches, and shows a type with properties, outputs and examples', async () => {
    ui = await openUi();
    const { page } = ui;
    await ui.open('/plugins');
    const groups = page.getByTestId('plugin-groups');
    await groups.locator('[data-group="io.kestra.plugin.core"]').waitFor();
    expect(await groups.getByRole('link', { name: 'Log', exact: true }).count()).toBe(1);
    expect(await groups.getByRole('link', { name: 'Schedule', exact: true }).count()).toBe(1);
    expect(await groups.locator('[data-group="io.kestra.plugin.scripts.python"]').count()).toBe(1);
    await ui.screenshot('plugins');

    await page.getByLabel('Search plugin types').fill('sqlite');
    await expect.poll(() => groups.locator('[data-group]').count(), { timeout: 15_000 }).toBe(1);
    await page.getByLabel('Search plugin types').fill('');

    await groups.getByRole('link', { name: 'Log', exact: true }).click();
    await page.waitForURL(/\/plugins\/io\.kestra\.plugin\.core\.log\.Log$/);
    const doc = page.getByTestId('plugin-doc');
    await doc.locator('h2', { hasText: 'Log a message' }).waitFor();
    const message = doc.locator('[data-property="message"]');
    expect(await message.textContent()).toContain('required');
    expect(await message.textContent()).toContain('dynamic');
    const level = doc.locator('[data-property="level"]');
    expect(await level.textContent()).toContain('INFO');
    expect(await level.textContent()).toContain('enum');
    await doc.getByTestId('plugin-example').locator('.monaco-editor').waitFor();
    await expect
      .poll(() => doc.getByTestId('plugin-example').first().locator('.view-lines').innerText(), {
        timeout: 15_000,
      })
      .toContain('io.kestra.plugin.core.log.Log');
    await ui.screenshot('plugin-type');
    await page.getByTestId('theme-toggle').click();
    await ui.screenshot('plugin-type');

    // Outputs of a task that has some; a deep link on reload; an unknown type says so.
    await ui.open('/plugins/io.kestra.plugin.core.debug.Return');
    await doc.locator('[data-output="value"]').waitFor();
    await ui.open('/plugins');
    await groups.waitFor();
    await ui.screenshot('plugins');
    await ui.open('/plugins/no.such.Type');
    expect(await page.getByRole('alert').textContent()).toContain('No plugin type no.such.Type');
  }, 90_000);
});
