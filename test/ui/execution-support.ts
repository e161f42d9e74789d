/** Helpers of the execution pages' browser tests. */
import type { UiHarness } from './support.js';

/** Screenshots in the current theme and in the other one, then back. */
export async function bothThemes(harness: UiHarness, name: string): Promise<void> {
  await harness.screenshot(name);
  await harness.page.getByTestId('theme-toggle').click();
  await harness.screenshot(name);
  await harness.page.getByTestId('theme-toggle').click();
}
