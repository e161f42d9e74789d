/**
 * FlowGraph on real flows: every example flow (DAGs, switch cases, errors, nested flowables,
 * triggers) is drawn with all its tasks, in the editor's panel.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'flows');
let ui: UiHarness | undefined;

beforeAll(async () => {
  if (skip === undefined) ui = await openUi();
});
afterAll(() => ui?.close());

interface Graph {
  nodes: Array<{ type: string; task?: { id: string } }>;
}

describe.skipIf(skip !== undefined)('flow graph', () => {
  it('draws every task of every example flow', async () => {
    const { page } = ui!;
    for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'))) {
      const source = readFileSync(join(EXAMPLES, file), 'utf8');
      const { id, namespace } = parse(source) as { id: string; namespace: string };
      const saved = await page.request.post('/api/v1/main/flows', {
        data: source,
        headers: { 'content-type': 'application/x-yaml' },
      });
      expect(saved.ok(), `${file}: ${await saved.text()}`).toBe(true);
      const graph = (await (
        await page.request.get(`/api/v1/main/flows/${namespace}/${id}/graph`)
      ).json()) as Graph;
      const taskIds = graph.nodes.filter((n) => n.type === 'GraphTask').map((n) => n.task!.id);
      await ui!.open(`/flows/${namespace}/${id}`);
      const drawn = page.getByTestId('flow-graph');
      await drawn.waitFor();
      await expect
        .poll(() => drawn.locator('[data-task-id]').count(), { message: file, timeout: 15_000 })
        .toBe(taskIds.length);
      if (file.startsWith('07') || file.startsWith('08')) await ui!.screenshot(`graph-${file.slice(0, 2)}`);
    }
  }, 120_000);
});
