/**
 * Integration: flowable behaviours that need the worker's rendering as well as the executor
 * (a LoopUntil condition that reads its iteration's outputs, ForEach values, Subflow outputs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 4 });
});
afterAll(async () => {
  await rt.dispose();
});

describe('LoopUntil', () => {
  it("renders its condition after each iteration, with that iteration's outputs (our doc example)", async () => {
    const execution = await rt.run(`id: loop_doc
namespace: test.flowables
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.count.value == '4' }}"
    checkFrequency:
      interval: PT0.01S
      maxIterations: 10
    failOnMaxReached: true
    tasks:
      - id: count
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.loop.iterationCount }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'loop')).toEqual({ iterationCount: 4 });
    expect(execution.taskRunList.filter((r) => r.taskId === 'count').map((r) => r.outputs?.value)).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);
  });

  it('is also run under its WaitFor name', async () => {
    const execution = await rt.run(`id: wait_for
namespace: test.flowables
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.ret.value == '2' }}"
    checkFrequency:
      interval: PT0.01S
    tasks:
      - id: ret
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.wait.iterationCount }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'wait')).toEqual({ iterationCount: 2 });
  });
});

describe('ForEach', () => {
  it('fails when an item of its values is null, and runs nothing (Kestra: each-null)', async () => {
    const execution = await rt.run(`id: each_null
namespace: test.flowables
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: '[1, null, {"key": "k"}]'
    tasks:
      - id: item
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
  - id: end
    type: io.kestra.plugin.core.debug.Return
    format: end
`);
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toEqual({ each: 'FAILED' });
    expect((await rt.logs(execution.id)).join('\n')).toContain('null');
  });
});
