/**
 * Task types Kestra deprecated but older tutorials and flows still use: each runs as its modern
 * equivalent, and validation warns that it is deprecated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';
import { warningsOf } from '../../helpers.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

let counter = 0;
/** A flow (a new id each call) in `test.legacy` with these tasks (indented as a `tasks:` list). */
function flow(tasks: string): string {
  counter++;
  return `id: legacy_${counter}\nnamespace: test.legacy\ntasks:\n${tasks}`;
}

async function taskLogs(executionId: string, taskId: string): Promise<string[]> {
  return (await rt.store.getLogs(executionId))
    .filter((l) => l.taskId === taskId)
    .map((l) => `${l.level} ${l.message}`);
}

describe('EachSequential', () => {
  const source = flow(`  - id: each
    type: io.kestra.core.tasks.flows.EachSequential
    value: '["a", "b", {"k": 1}]'
    tasks:
      - id: first
        type: io.kestra.core.tasks.debugs.Return
        format: "first {{ taskrun.value }}"
      - id: second
        type: io.kestra.core.tasks.debugs.Return
        format: "second {{ outputs.first[taskrun.value].value }}"
`);

  it('validates with a deprecation warning naming ForEach', () => {
    expect(warningsOf(source)).toContainEqual(
      '5:11 `io.kestra.core.tasks.flows.EachSequential` is deprecated; use `io.kestra.plugin.core.flow.ForEach`',
    );
  });

  it('runs its tasks once per value of a JSON string, in order', async () => {
    const e = await rt.run(source);
    expect(e.state.current).toBe('SUCCESS');
    expect(e.taskRunList.map((r) => `${r.taskId}:${r.value ?? ''}`)).toEqual([
      'each:',
      'first:a',
      'second:a',
      'first:b',
      'second:b',
      'first:{"k":1}',
      'second:{"k":1}',
    ]);
    expect(outputsOf(e, 'second', 'b')).toEqual({ value: 'second first b' });
  });

  it('takes a YAML list under the new name too', async () => {
    const e = await rt.run(
      flow(`  - id: each
    type: io.kestra.plugin.core.flow.EachSequential
    value:
      - x
      - y
    tasks:
      - id: show
        type: io.kestra.plugin.core.log.Log
        message: "item {{ taskrun.value }}"
`),
    );
    expect(statesOf(e)).toEqual({ each: 'SUCCESS', 'show[x]': 'SUCCESS', 'show[y]': 'SUCCESS' });
    expect(await taskLogs(e.id, 'show')).toEqual(['INFO item x', 'INFO item y']);
  });
});

describe('EachParallel', () => {
  it('runs every task of every value, `concurrent` at a time, with a deprecation warning', async () => {
    const source = flow(`  - id: each
    type: io.kestra.core.tasks.flows.EachParallel
    value: ["1", "2", "3"]
    concurrent: 2
    tasks:
      - id: one
        type: io.kestra.plugin.core.debug.Return
        format: "one {{ taskrun.value }}"
      - id: two
        type: io.kestra.plugin.core.debug.Return
        format: "two {{ taskrun.value }}"
`);
    expect(warningsOf(source)).toContainEqual(
      '5:11 `io.kestra.core.tasks.flows.EachParallel` is deprecated; use `io.kestra.plugin.core.flow.ForEach`',
    );
    const e = await rt.run(source);
    expect(e.state.current).toBe('SUCCESS');
    expect(e.taskRunList.filter((r) => r.taskId !== 'each')).toHaveLength(6);
    expect(outputsOf(e, 'two', '3')).toEqual({ value: 'two 3' });
  });

  it('fails when a child fails, as a ForEach does', async () => {
    const e = await rt.run(
      flow(`  - id: each
    type: io.kestra.core.tasks.flows.EachParallel
    value: '["ok", "bad"]'
    tasks:
      - id: check
        type: io.kestra.plugin.core.execution.Fail
        condition: "{{ taskrun.value == 'bad' }}"
`),
    );
    expect(statesOf(e)).toEqual({ each: 'FAILED', 'check[ok]': 'SUCCESS', 'check[bad]': 'FAILED' });
  });
});

describe('Echo', () => {
  it('logs its `format` at its `level`, with a deprecation warning naming Log', async () => {
    const source = flow(`  - id: echo
    type: io.kestra.core.tasks.debugs.Echo
    format: "hello from {{ flow.id }}"
    level: WARN
  - id: plain
    type: io.kestra.plugin.core.debug.Echo
    format: default level
`);
    expect(warningsOf(source)).toEqual([
      '5:11 `io.kestra.core.tasks.debugs.Echo` is deprecated; use `io.kestra.plugin.core.log.Log`',
      '9:11 `io.kestra.plugin.core.debug.Echo` is deprecated; use `io.kestra.plugin.core.log.Log`',
    ]);
    const e = await rt.run(source);
    expect(statesOf(e)).toEqual({ echo: 'SUCCESS', plain: 'SUCCESS' });
    expect(await taskLogs(e.id, 'echo')).toEqual([`WARN hello from ${e.flowId}`]);
    expect(await taskLogs(e.id, 'plain')).toEqual(['INFO default level']);
  });
});

describe('WaitFor', () => {
  it('runs as LoopUntil, with a deprecation warning', async () => {
    const source = flow(`  - id: wait
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ execution.id is defined }}"
    checkFrequency:
      interval: PT0.1S
      maxIterations: 3
    tasks:
      - id: step
        type: io.kestra.plugin.core.debug.Return
        format: "iteration {{ outputs.wait.iterationCount }}"
`);
    expect(warningsOf(source)).toContainEqual(
      '5:11 `io.kestra.plugin.core.flow.WaitFor` is a deprecated name of `io.kestra.plugin.core.flow.LoopUntil`',
    );
    const e = await rt.run(source);
    expect(statesOf(e)).toEqual({ wait: 'SUCCESS', step: 'SUCCESS' });
    expect(outputsOf(e, 'step')).toEqual({ value: 'iteration 1' });
  });
});
