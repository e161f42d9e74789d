/**
 * The UI's frame in a real browser: deep links on reload, the 404 page, both themes, login when
 * the server has credentials, and the banner when the API stops answering.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

describe.skipIf(skip !== undefined)('UI shell', () => {
  it('serves deep links on reload and shows a 404 page for unknown URLs', async () => {
    ui = await openUi();
    await ui.open('/flows');
    await ui.page.locator('nav').getByText('Executions').waitFor();
    await ui.open('/no/such/page');
    await ui.page.getByTestId('not-found').waitFor();
    await ui.screenshot('not-found');
    const api = await ui.page.request.get('/api/v1/main/nope');
    expect(api.status()).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('WH_NOT_FOUND');
  });

  it('switches between light and dark themes and keeps the choice', async () => {
    ui = await openUi();
    await ui.open('/flows');
    const theme = () => ui!.page.locator('html').getAttribute('data-theme');
    const before = await theme();
    await ui.page.getByTestId('theme-toggle').click();
    const after = await theme();
    expect(after).not.toBe(before);
    await ui.page.reload();
    expect(await theme()).toBe(after);
  });

  it('asks for credentials when the server has them, without the browser dialog', async () => {
    ui = await openUi({ auth: { username: 'admin', password: 's3cret' } });
    await ui.open('/flows');
    await ui.page.waitForURL(/\/login/);
    await ui.page.getByLabel('Username').fill('admin');
    await ui.page.getByLabel('Password').fill('wrong');
    await ui.page.getByRole('button', { name: 'Log in' }).click();
    expect(await ui.page.getByRole('alert').textContent()).toContain('Wrong username or password');
    await ui.page.getByLabel('Password').fill('s3cret');
    await ui.page.getByRole('button', { name: 'Log in' }).click();
    await ui.page.waitForURL(/\/flows$/);
    await ui.screenshot('login-done');
  });

  it('shows a banner while the API does not answer', async () => {
    ui = await openUi();
    await ui.open('/flows');
    await ui.page.route('**/api/**', (route) => route.abort('connectionrefused'));
    // The flows page asks the API for its list.
    await ui.page.reload();
    await ui.page.getByTestId('server-down').waitFor();
    await ui.screenshot('server-down');
    await ui.page.unroute('**/api/**');
    await ui.page.getByTestId('server-down').waitFor({ state: 'detached', timeout: 20_000 });
  });
});
