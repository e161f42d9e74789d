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

describe('Subflow', () => {
  it("renders its legacy `outputs` in the child's context, whatever the child's state (FlowCaseTest)", async () => {
    await rt.deploy(`id: legacy_child
namespace: test.flowables
inputs:
  - { id: fail, type: BOOLEAN, defaults: false }
tasks:
  - id: pick
    type: io.kestra.plugin.core.debug.Return
    format: "picked {{ inputs.fail }}"
  - id: maybe_fail
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ inputs.fail }}"
`);
    const parent = (fail: boolean) => `id: legacy_parent_${fail}
namespace: test.flowables
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.flowables
    flowId: legacy_child
    inputs: { fail: ${fail} }
    outputs:
      extracted: "{{ outputs.pick.value }}"
`;
    const ok = await rt.run(parent(false));
    expect(ok.state.current).toBe('SUCCESS');
    expect(outputsOf(ok, 'call')).toMatchObject({ state: 'SUCCESS', outputs: { extracted: 'picked false' } });
    const failed = await rt.run(parent(true));
    expect(failed.state.current).toBe('FAILED');
    expect(outputsOf(failed, 'call')).toMatchObject({
      state: 'FAILED',
      outputs: { extracted: 'picked true' },
    });
  });

  it('fails the task, not the child, when its legacy `outputs` cannot be rendered', async () => {
    const execution = await rt.run(`id: legacy_bad
namespace: test.flowables
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.flowables
    flowId: legacy_child
    outputs:
      extracted: "{{ outputs.nothing_here.value }}"
`);
    expect(execution.state.current).toBe('FAILED');
    const childId = String(outputsOf(execution, 'call')?.executionId);
    expect((await rt.store.getExecution(childId))?.state.current).toBe('SUCCESS');
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      "The Subflow task's `outputs` could not be rendered",
    );
  });

  it('retries a failed child as a new child execution, 3 attempts (RetryCaseTest.retrySubflow)', async () => {
    await rt.deploy(`id: always_fails
namespace: test.flowables
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
`);
    const execution = await rt.run(`id: retry_subflow
namespace: test.flowables
retry:
  type: constant
  interval: PT0.01S
  maxAttempt: 3
tasks:
  - id: subflow
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.flowables
    flowId: always_fails
`);
    expect(execution.state.current).toBe('FAILED');
    expect(execution.taskRunList[0]!.attempts).toHaveLength(3);
    const children = await rt.store.searchExecutions({ namespace: 'test.flowables', flowId: 'always_fails' });
    expect(children.total).toBe(3);
  });
});
