/**
 * Integration: real flows through the SQLite store, the executor loop and the worker.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WindhoverError } from '../../src/errors.js';
import { outputsOf, startTestRuntime, statesOf } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  // The runtime reads its environment when it starts.
  process.env.ENV_WH_TEST_COLOUR = 'teal';
  process.env.SECRET_WH_TEST_TOKEN = Buffer.from('s3cr3t').toString('base64');
  rt = await startTestRuntime({ workerConcurrency: 8 });
});
afterAll(async () => {
  await rt.dispose();
});

const EXAMPLES = join(import.meta.dirname, '../../examples/flows');

describe('examples', () => {
  it('hello world: logs, outputs rendered from task outputs', async () => {
    const execution = await rt.run(readFileSync(join(EXAMPLES, '01_hello_world.yaml'), 'utf8'));
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.outputs).toEqual({ shouted: 'WORLD' });
    expect(await rt.logs(execution.id)).toContain('INFO say_hello Hello, world!');
  });

  it('inputs: every type typed and rendered', async () => {
    const execution = await rt.run(readFileSync(join(EXAMPLES, '02_inputs.yaml'), 'utf8'));
    expect(execution.state.current).toBe('SUCCESS');
    expect((await rt.logs(execution.id)).join('\n')).toContain('taxi=yellow year=2019 month=1');
  });

  it('ForEach and Parallel', async () => {
    const execution = await rt.run(readFileSync(join(EXAMPLES, '06_foreach_parallel.yaml'), 'utf8'));
    expect(execution.state.current).toBe('SUCCESS');
    expect(statesOf(execution)).toMatchObject({
      'file_name[01]': 'SUCCESS',
      'file_name[03]': 'SUCCESS',
      right: 'SUCCESS',
    });
  });

  it('every example validates and deploys', async () => {
    for (const file of readdirSync(EXAMPLES)) await rt.deploy(readFileSync(join(EXAMPLES, file), 'utf8'));
  });
});

describe('run context', () => {
  it('loop outputs: outputs.t[value], currentEachOutput, parents[0].taskrun.value', async () => {
    const execution = await rt.run(`
id: loops
namespace: test.engine
tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.ForEach
        values: [1, 2]
        tasks:
          - id: pair
            type: io.kestra.plugin.core.debug.Return
            format: "{{ parents[0].taskrun.value }}{{ taskrun.value }}"
          - id: again
            type: io.kestra.plugin.core.debug.Return
            format: "{{ currentEachOutput(outputs.pair).value }}!"
  - id: all
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.pair.b['2'].value }} {{ outputs.again.a['1'].value }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'all')).toEqual({ value: 'b2 a1!' });
    expect(execution.taskRunList.filter((r) => r.taskId === 'pair').map((r) => r.outputs?.value)).toEqual([
      'a1',
      'a2',
      'b1',
      'b2',
    ]);
  });

  it('flow, execution, task, taskrun, labels, vars, tasks.<id>.state and envs', async () => {
    const execution = await rt.run(
      `
id: context
namespace: test.engine
labels:
  team: data
variables:
  greeting: "hi {{ inputs.who }}"
inputs:
  - id: who
    type: STRING
tasks:
  - id: first
    type: io.kestra.plugin.core.debug.Return
    format: "{{ flow.namespace }}.{{ flow.id }} {{ task.id }} {{ taskrun.attemptsCount }} {{ labels.team }} {{ envs.wh_test_colour }}"
  - id: second
    type: io.kestra.plugin.core.debug.Return
    format: "{{ render(vars.greeting) }} / {{ vars.greeting }} / {{ tasks.first.state }} / {{ execution.id | length }}"
`,
      { who: 'ann' },
    );
    expect(outputsOf(execution, 'first')).toEqual({ value: 'test.engine.context first 0 data teal' });
    expect(outputsOf(execution, 'second')).toEqual({
      value: `hi ann / hi {{ inputs.who }} / SUCCESS / ${execution.id.length}`,
    });
  });

  it('reads the KV store and secrets from expressions, and sets labels', async () => {
    await rt.store.kvPut({ namespace: 'test.engine', key: 'bucket', type: 'STRING', value: 'my-bucket' });
    const execution = await rt.run(`
id: kv_and_secrets
namespace: test.engine
tasks:
  - id: read
    type: io.kestra.plugin.core.debug.Return
    format: "{{ kv('bucket') }} {{ kv.bucket }} {{ secret('WH_TEST_TOKEN') | length }}"
  - id: label
    type: io.kestra.plugin.core.execution.Labels
    labels:
      bucket: "{{ outputs.read.value | split(' ') | first }}"
`);
    expect(outputsOf(execution, 'read')).toEqual({ value: 'my-bucket my-bucket 6' });
    expect(execution.labels).toContainEqual({ key: 'bucket', value: 'my-bucket' });
  });

  it('masks secret values in the logs of the task that read them', async () => {
    const execution = await rt.run(`
id: masked
namespace: test.engine
tasks:
  - id: leak
    type: io.kestra.plugin.core.log.Log
    message: "token={{ secret('WH_TEST_TOKEN') }} upper={{ secret('WH_TEST_TOKEN') | upper }}"
`);
    expect(await rt.logs(execution.id)).toContain('INFO leak token=****** upper=S3CR3T');
  });

  it('typed properties: an integer rendered from text, a list from a JSON text', async () => {
    const execution = await rt.run(`
id: typed
namespace: test.engine
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: "{{ [3, 4] | json }}"
    tasks:
      - id: r
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ false }}"
    checkFrequency:
      maxIterations: "{{ 1 + 1 }}"
      interval: PT0.01S
    tasks:
      - id: count
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.loop.iterationCount }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(statesOf(execution)).toMatchObject({ 'r[3]': 'SUCCESS', 'r[4]': 'SUCCESS' });
    expect(outputsOf(execution, 'loop')).toEqual({ iterationCount: 2 });
    expect(execution.taskRunList.filter((r) => r.taskId === 'count').map((r) => r.outputs?.value)).toEqual([
      '1',
      '2',
    ]);
  });
});

describe('bad input never crashes the process', () => {
  it('refuses a flow that fails validation, with the validator messages', async () => {
    const error = await rt
      .deploy(
        'id: bad\nnamespace: t\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Log\n    mesage: hi\n',
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WindhoverError);
    expect((error as WindhoverError).code).toBe('WH_FLOW_INVALID');
    expect((error as WindhoverError).message).toMatch(/mesage.*did you mean `message`/);
  });

  it('creates no execution for invalid inputs', async () => {
    const flow = await rt.deploy(
      'id: typed_inputs\nnamespace: test.bad\ninputs:\n  - id: n\n    type: INT\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ inputs.n }}"\n',
    );
    expect(() => rt.runtime.prepareInputs(flow, { n: 'twelve' })).toThrow(/Invalid input for `n`/);
    expect((await rt.store.searchExecutions({ namespace: 'test.bad' })).total).toBe(0);
  });

  it('a plugin that throws: FAILED task run with the error in the log', async () => {
    const execution = await rt.run(
      'id: throws\nnamespace: test.bad\ntasks:\n  - id: t\n    type: test.windhover.Throw\n    message: disk on fire\n',
    );
    expect(statesOf(execution)).toEqual({ t: 'FAILED' });
    expect(execution.state.current).toBe('FAILED');
    expect(await rt.logs(execution.id)).toContain('ERROR t disk on fire');
  });

  it('a plugin that never settles: the timeout fails it', async () => {
    const execution = await rt.run(
      'id: hangs\nnamespace: test.bad\ntasks:\n  - id: t\n    type: test.windhover.Hang\n    timeout: PT0.2S\n',
    );
    expect(statesOf(execution)).toEqual({ t: 'FAILED' });
    expect((await rt.logs(execution.id)).join('\n')).toContain(
      'Timeout: the task did not finish within PT0.2S',
    );
  });

  it('a template error: FAILED with the expression error', async () => {
    const execution = await rt.run(
      'id: template\nnamespace: test.bad\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ outputs.nope.value }}"\n',
    );
    expect(statesOf(execution)).toEqual({ t: 'FAILED' });
    expect((await rt.logs(execution.id)).join('\n')).toMatch(/ERROR t Rendering failed: .*nope/);
  });

  it('a property that renders to the wrong type: FAILED, naming the property', async () => {
    const execution = await rt.run(`
id: wrong_type
namespace: test.bad
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [1]
    tasks:
      - id: wait
        type: io.kestra.plugin.core.flow.Sleep
        duration: "{{ 'soon' }}"
`);
    expect(execution.state.current).toBe('FAILED');
    expect((await rt.logs(execution.id)).join('\n')).toContain('Property `duration`: expected');
  });
});

describe('commands', () => {
  it('pause then resume with onResume inputs', async () => {
    const flow = await rt.deploy(`
id: pause
namespace: test.commands
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.wait.onResume.reason }}"
`);
    const execution = await rt.runtime.submit(flow);
    await until(async () => (await rt.runtime.execution(execution.id))?.state.current === 'PAUSED');
    await rt.runtime.command(execution.id, { kind: 'resume', inputs: { reason: 'approved' } });
    const ended = await rt.runtime.waitForEnd(execution.id);
    expect(ended.state.current).toBe('SUCCESS');
    expect(outputsOf(ended, 'after')).toEqual({ value: 'approved' });
  });

  it('kill stops a running task and the execution ends KILLED', async () => {
    const flow = await rt.deploy(
      'id: kill\nnamespace: test.commands\ntasks:\n  - id: slow\n    type: test.windhover.Hang\n  - id: never\n    type: io.kestra.plugin.core.log.Log\n    message: no\n',
    );
    const execution = await rt.runtime.submit(flow);
    await until(async () => (await rt.runtime.execution(execution.id))?.taskRunList.length === 1);
    await rt.runtime.command(execution.id, { kind: 'kill' });
    const ended = await rt.runtime.waitForEnd(execution.id);
    expect(ended.state.current).toBe('KILLED');
    expect(statesOf(ended)).toEqual({ slow: 'KILLED' });
  });

  it('kill cascades to a subflow', async () => {
    await rt.deploy(
      'id: child_hang\nnamespace: test.commands\ntasks:\n  - id: slow\n    type: test.windhover.Hang\n',
    );
    const flow = await rt.deploy(
      'id: parent_of_hang\nnamespace: test.commands\ntasks:\n  - id: sub\n    type: io.kestra.plugin.core.flow.Subflow\n    namespace: test.commands\n    flowId: child_hang\n',
    );
    const execution = await rt.runtime.submit(flow);
    let childId: string | undefined;
    await until(async () => {
      childId = (await rt.runtime.execution(execution.id))?.taskRunList[0]?.outputs?.executionId as
        string | undefined;
      return childId !== undefined && (await rt.runtime.execution(childId))?.taskRunList.length === 1;
    });
    await rt.runtime.command(execution.id, { kind: 'kill' });
    expect((await rt.runtime.waitForEnd(execution.id)).state.current).toBe('KILLED');
    expect((await rt.runtime.waitForEnd(childId!)).state.current).toBe('KILLED');
  });

  it('subflow with outputs, and restart of a failed execution', async () => {
    await rt.deploy(`
id: child
namespace: test.commands
inputs:
  - id: n
    type: INT
tasks:
  - id: double
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.n * 2 }}"
outputs:
  - id: doubled
    type: INT
    value: "{{ outputs.double.value }}"
`);
    const execution = await rt.run(`
id: parent
namespace: test.commands
tasks:
  - id: sub
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.commands
    flowId: child
    inputs:
      n: 21
  - id: check
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ outputs.sub.outputs.doubled != 42 }}"
  - id: flaky
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ taskrun.attemptsCount == 0 }}"
    errorMessage: first attempt fails
`);
    expect(outputsOf(execution, 'sub')).toMatchObject({ state: 'SUCCESS', outputs: { doubled: 42 } });
    expect(statesOf(execution)).toEqual({ sub: 'SUCCESS', check: 'SUCCESS', flaky: 'FAILED' });
    await rt.runtime.command(execution.id, { kind: 'restart' });
    const restarted = await until(async () => {
      const e = await rt.runtime.execution(execution.id);
      return e && e.state.histories.some((h) => h.state === 'RESTARTED') && e.state.current === 'SUCCESS'
        ? e
        : undefined;
    });
    expect(restarted.taskRunList.find((r) => r.taskId === 'flaky')?.attempts).toHaveLength(2);
    expect(restarted.taskRunList.filter((r) => r.taskId === 'sub')).toHaveLength(1);
  });

  it('replay from a task run: earlier task runs are kept, the rest runs again', async () => {
    const first = await rt.run(`
id: replayed
namespace: test.commands
tasks:
  - id: a
    type: io.kestra.plugin.core.debug.Return
    format: "{{ execution.id }}"
  - id: b
    type: io.kestra.plugin.core.debug.Return
    format: "{{ execution.id }}"
`);
    const b = first.taskRunList.find((r) => r.taskId === 'b')!;
    const replay = await rt.runtime.replay(first.id, { fromTaskRunId: b.id });
    const ended = await rt.runtime.waitForEnd(replay.id);
    expect(ended.originalId).toBe(first.id);
    expect(outputsOf(ended, 'a')).toEqual({ value: first.id });
    expect(outputsOf(ended, 'b')).toEqual({ value: ended.id });
  });
});

/** Polls until `check` returns something truthy (or fails after 10 s). */
async function until<T>(check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached within 10 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('results through the store (as separate worker processes will send them)', () => {
  it('runs loops, retries and outputs the same way', async () => {
    const other = await startTestRuntime({ resultsThroughStore: true, workerConcurrency: 4 });
    try {
      const execution = await other.run(`
id: through_store
namespace: test.engine
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    concurrencyLimit: 0
    tasks:
      - id: r
        type: io.kestra.plugin.core.debug.Return
        format: "{{ taskrun.value }}"
  - id: flaky
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ taskrun.attemptsCount < 2 }}"
    retry:
      type: constant
      interval: PT0.01S
      maxAttempts: 3
outputs:
  - id: joined
    type: STRING
    value: "{{ outputs.r.a.value }}{{ outputs.r.b.value }}{{ outputs.r.c.value }}"
`);
      expect(execution.state.current).toBe('SUCCESS');
      expect(execution.outputs).toEqual({ joined: 'abc' });
      expect(execution.taskRunList.find((r) => r.taskId === 'flaky')?.attempts).toHaveLength(3);
      expect(await other.store.countJobs()).toEqual({ pending: 0, claimed: 0 });
      expect(await other.store.pendingEvents(10)).toEqual([]);
    } finally {
      await other.dispose();
    }
  });
});
