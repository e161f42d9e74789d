/** Driving the Monaco flow editor from tests: type line by line as a person would. */
import type { Page } from 'playwright-core';

/** The editor's visible text (Monaco renders non-breaking spaces). */
export async function editorText(page: Page, scope = '.editor-pane'): Promise<string> {
  const text = await page.locator(`${scope} .monaco-editor .view-lines`).first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Clears the flow editor and leaves the cursor in it. */
export async function clearEditor(page: Page): Promise<void> {
  await page.locator('.editor-pane .monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
}

/**
 * Types lines at the cursor, key by key, and replaces the indentation Monaco carries over to a new
 * line by the line's own. The line break is typed as text, not pressed as Enter: Monaco asks for
 * quick suggestions on a timer after the last key, so on a loaded machine the popup can open after
 * the Escape that was meant to close it, and an Enter would then accept a suggestion instead of
 * breaking the line (the next line's Shift+Home and Delete then removed the line just typed).
 */
export async function typeLines(page: Page, lines: string[]): Promise<void> {
  for (const [index, line] of lines.entries()) {
    if (index > 0) {
      await page.keyboard.press('Escape');
      await page.keyboard.press('End');
      await page.keyboard.insertText('\n');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
    }
    await page.keyboard.type(line);
  }
  await page.keyboard.press('Escape');
}

/** Saves a flow through the API (YAML with the given task lines under `tasks:`). */
export async function createFlow(
  page: Page,
  namespace: string,
  id: string,
  taskLines: string[],
  extraLines: string[] = [],
): Promise<void> {
  const source = [`id: ${id}`, `namespace: ${namespace}`, ...extraLines, 'tasks:', ...taskLines, ''].join(
    '\n',
  );
  const response = await page.request.post('/api/v1/main/flows', {
    data: source,
    headers: { 'content-type': 'application/x-yaml' },
  });
  if (!response.ok()) throw new Error(`flow ${id} not created: ${await response.text()}`);
}
