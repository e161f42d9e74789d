/**
 * OutputValues renders its values as Kestra's `render(values).asMap(...)` does: every string,
 * at any depth, becomes text (`'{{ 2 + 3 }}'` is "5", not the number 5), map keys are rendered,
 * and values written as numbers, lists or maps keep their shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

describe('OutputValues task', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.dispose());

  it('renders strings to text at any depth and keeps literal numbers, lists and maps', async () => {
    const execution = await rt.run(`id: output_values_text
namespace: test.outputs
tasks:
  - id: expose
    type: io.kestra.plugin.core.output.OutputValues
    values:
      sum: "{{ 2 + 3 }}"
      flag: "{{ 1 == 1 }}"
      list_text: "{{ [1, 2] }}"
      literal: 42
      "key_{{ 1 + 1 }}": fixed
      nested:
        inner: "{{ 10 * 2 }}"
        items: ["{{ 3 + 4 }}", 8]
  - id: compare
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.expose.values.sum == '5' }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    const run = execution.taskRunList.find((t) => t.taskId === 'expose');
    expect(run?.outputs).toEqual({
      values: {
        sum: '5',
        flag: 'true',
        list_text: '[1,2]',
        literal: 42,
        key_2: 'fixed',
        nested: { inner: '20', items: ['7', 8] },
      },
    });
    expect(execution.taskRunList.find((t) => t.taskId === 'compare')?.outputs).toEqual({ value: 'true' });
  });
});
