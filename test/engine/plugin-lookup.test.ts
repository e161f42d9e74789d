/**
 * The worker finds a task type's plugin once per runtime: the jobs after the first of a type
 * take it from the runtime's own map rather than asking the catalog (and the on-demand import
 * check) again, a cost every task paid.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginCatalog } from '../../src/flow/catalog.js';
import { startTestRuntime } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';
import { testCatalog } from './support/test-plugins.js';

const RETURN = 'io.kestra.plugin.core.debug.Return';

let runtime: TestRuntime | undefined;
afterEach(async () => {
  await runtime?.dispose();
  runtime = undefined;
});

describe('task plugin lookups', () => {
  it('asks the catalog for a task type once, however many tasks of it run', async () => {
    const asked: string[] = [];
    const counting: PluginCatalog = {
      lookup: (kind, name) => {
        if (kind === 'task') asked.push(name);
        return testCatalog.lookup(kind, name);
      },
      names: (kind) => testCatalog.names(kind),
      all: (kind) => testCatalog.all(kind),
    };
    runtime = await startTestRuntime({ catalog: counting });
    const tasks = ['a', 'b', 'c', 'd']
      .map((id) => `  - id: ${id}\n    type: ${RETURN}\n    format: "{{ taskrun.id }}"`)
      .join('\n');
    const first = await runtime.run(`id: lookups\nnamespace: company.team\ntasks:\n${tasks}\n`);
    const second = await runtime.run(`id: lookups\nnamespace: company.team\ntasks:\n${tasks}\n`);
    expect([first.state.current, second.state.current]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(first.taskRunList.map((r) => r.outputs?.value)).toEqual(first.taskRunList.map((r) => r.id));
    expect(asked.filter((name) => name === RETURN)).toHaveLength(1);
  });
});
