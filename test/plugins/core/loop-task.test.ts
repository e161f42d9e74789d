/**
 * The Loop task on a real runtime: `item.value` / `item.index` / `item.key` reach every task of
 * an iteration, nested ones too; `item.parent` / `item.parents` name the enclosing Loops
 * (outermost first); a task reads its own iteration's outputs as `outputs.<id>`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import type { Execution } from '../../../src/engine/model.js';

const valuesOf = (execution: Execution, taskId: string) =>
  execution.taskRunList
    .filter((t) => t.taskId === taskId)
    .map((t) => t.outputs?.value)
    .sort();

describe('Loop task', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.dispose());

  it('gives item.value and item.index to every task of an iteration, nested ones included', async () => {
    const execution = await rt.run(`id: loop_items
namespace: test.loop
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: ["north", "south", {"zone": 3}]
    tasks:
      - id: first
        type: io.kestra.plugin.core.debug.Return
        format: "{{ item.index }}={{ item.value }}"
      - id: check
        type: io.kestra.plugin.core.flow.If
        condition: "{{ item.value == 'south' }}"
        then:
          - id: nested
            type: io.kestra.plugin.core.debug.Return
            format: "nested {{ item.value }} after {{ outputs.first.value }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(valuesOf(execution, 'first')).toEqual(['0=north', '1=south', '2={"zone":3}']);
    expect(valuesOf(execution, 'nested')).toEqual(['nested south after 1=south']);
    expect(execution.taskRunList).toHaveLength(1 + 3 + 3 + 1);
  });

  it('iterates a map with item.key, and names enclosing loops with item.parent and item.parents', async () => {
    const execution = await rt.run(`id: loop_nested
namespace: test.loop
tasks:
  - id: regions
    type: io.kestra.plugin.core.flow.Loop
    values: { eu: paris, us: boston }
    concurrencyLimit: 1
    tasks:
      - id: years
        type: io.kestra.plugin.core.flow.Loop
        values: "{{ [2025, 2026] }}"
        tasks:
          - id: months
            type: io.kestra.plugin.core.flow.Loop
            values: [jan]
            tasks:
              - id: name
                type: io.kestra.plugin.core.debug.Return
                format: "{{ item.parents[0].key }}:{{ item.parents[0].value }}_{{ item.parent.value }}#{{ item.parent.index }}_{{ item.value }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(valuesOf(execution, 'name')).toEqual([
      'eu:paris_2025#0_jan',
      'eu:paris_2026#1_jan',
      'us:boston_2025#0_jan',
      'us:boston_2026#1_jan',
    ]);
  });

  it('iterates the lines of a kestra:// file, JSON or Ion, one value each', async () => {
    const execution = await rt.run(`id: loop_file
namespace: test.loop
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: |
      {"id": 1}
      {id:2,name:"b"}

      "plain"
    extension: .ion
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: "{{ outputs.write.uri }}"
    tasks:
      - id: line
        type: io.kestra.plugin.core.debug.Return
        format: "{{ item.index }}:{{ item.value }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(valuesOf(execution, 'line')).toEqual(['0:{"id":1}', '1:{"id":2,"name":"b"}', '2:plain']);
  });

  it('fails on values that are neither a list nor a map', async () => {
    const execution = await rt.run(`id: loop_bad_values
namespace: test.loop
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: "{{ 42 }}"
    tasks:
      - id: never
        type: io.kestra.plugin.core.debug.Return
        format: never
`);
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toMatch(/values/);
  });
});
