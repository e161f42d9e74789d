/**
 * ForEachItem end to end (real SQLite store and worker): a file of items split into batches, one
 * subflow execution per batch, the `_split` / `_items` / `_merge` task runs Kestra shows, the
 * iteration counts, the merged subflow outputs, `concurrencyLimit`, and a failing batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/engine/model.js';
import { outputsOf, startTestRuntime, statesOf } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

let rt: TestRuntime;

beforeAll(async () => {
  rt = await startTestRuntime();
  await rt.deploy(`
id: batch_child
namespace: test.fei
inputs:
  - id: items
    type: STRING
tasks:
  - id: fail_on_seven
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ read(inputs.items) contains 'item-7' }}"
    errorMessage: item 7 is refused
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT0.2S
  - id: lines
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(inputs.items) | trim | replace({'\\n': ','}) }}"
outputs:
  - id: joined
    type: STRING
    value: "{{ outputs.lines.value }}"
`);
});

afterAll(async () => {
  await rt?.dispose();
});

/** A parent flow writing `count` items (item-1…) and running ForEachItem over them. */
function parentFlow(id: string, count: number, extra = ''): string {
  const content = Array.from({ length: count }, (_, i) => `item-${i + 1}`).join('\\n');
  return `
id: ${id}
namespace: test.fei
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: "${content}${count > 0 ? '\\n' : ''}"
    extension: .txt
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ outputs.write.uri }}"
    namespace: test.fei
    flowId: batch_child
    inputs:
      items: "{{ taskrun.items }}"
${extra}`;
}

/** The executions of the child flow started by one parent execution, oldest first. */
async function childrenOf(parent: Execution, flowId = 'batch_child'): Promise<Execution[]> {
  const page = await rt.store.searchExecutions({ namespace: 'test.fei', flowId, size: 100 });
  const mine = page.results.filter((e) => e.parent?.executionId === parent.id);
  const full = await Promise.all(mine.map((e) => rt.store.getExecution(e.id)));
  return full
    .filter((e): e is Execution => e !== undefined)
    .sort((a, b) => a.state.startDate.localeCompare(b.state.startDate));
}

describe('ForEachItem', () => {
  it('starts one subflow execution per batch and merges their outputs', async () => {
    const execution = await rt.run(
      parentFlow(
        'fei_batches',
        5,
        `    batch:
      rows: 2
  - id: merged
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.each_merge.subflowOutputs) }}"`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual([
      'write',
      'each',
      'each_split',
      'each_items',
      'each_merge',
      'merged',
    ]);
    expect(statesOf(execution)).toMatchObject({ each: 'SUCCESS', each_items: 'SUCCESS' });
    const items = outputsOf(execution, 'each_items')!;
    expect(items.numberOfBatches).toBe(3);
    expect(items.iterations).toEqual({ CREATED: 0, RUNNING: 0, SUCCESS: 3 });
    const children = await childrenOf(execution);
    expect(children).toHaveLength(3);
    expect(children.every((c) => c.state.current === 'SUCCESS')).toBe(true);
    // Each child names the task that started it and its batch, and carries the parent's correlation id.
    expect(children.map((c) => c.trigger?.variables.taskRunIteration).sort()).toEqual([0, 1, 2]);
    expect(children[0]!.trigger).toMatchObject({
      id: 'each_items',
      type: 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemExecutable',
      variables: {
        executionId: execution.id,
        namespace: 'test.fei',
        flowId: 'fei_batches',
        taskId: 'each_items',
      },
    });
    expect(children[0]!.labels).toContainEqual({ key: 'system.correlationId', value: execution.id });
    // One line per subflow execution, in batch order, with its flow outputs.
    const merged = String(outputsOf(execution, 'merged')!.value).trim().split('\n');
    expect(merged).toHaveLength(3);
    expect(merged[0]).toContain('item-1,item-2');
    expect(merged[1]).toContain('item-3,item-4');
    expect(merged[2]).toContain('item-5');
  });

  it('runs at most concurrencyLimit subflow executions at once', async () => {
    const execution = await rt.run(
      parentFlow(
        'fei_limited',
        3,
        `    concurrencyLimit: 1
    batch:
      rows: 1`,
      ),
    );
    expect(execution.state.current).toBe('SUCCESS');
    const children = await childrenOf(execution);
    expect(children).toHaveLength(3);
    for (let i = 1; i < children.length; i++)
      expect(Date.parse(children[i]!.state.startDate)).toBeGreaterThanOrEqual(
        Date.parse(children[i - 1]!.state.endDate!),
      );
  });

  it('fails the parent when a batch fails and transmitFailed holds', async () => {
    const execution = await rt.run(
      parentFlow(
        'fei_failing',
        8,
        `    batch:
      rows: 3
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: not reached`,
      ),
    );
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toEqual({
      write: 'SUCCESS',
      each: 'FAILED',
      each_split: 'SUCCESS',
      each_items: 'FAILED',
    });
    const items = outputsOf(execution, 'each_items')!;
    expect(items.numberOfBatches).toBe(3);
    expect(items.iterations).toMatchObject({ RUNNING: 0, SUCCESS: 2, FAILED: 1 });
  });

  it('ends in SUCCESS without subflow executions for an empty file', async () => {
    const execution = await rt.run(parentFlow('fei_empty', 0));
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.taskRunList.map((r) => r.taskId)).toEqual([
      'write',
      'each',
      'each_split',
      'each_items',
      'each_merge',
    ]);
    expect(outputsOf(execution, 'each_items')).toBeUndefined();
    expect(await childrenOf(execution)).toHaveLength(0);
  });

  it('runs inside ForEach, each iteration with its own batches', async () => {
    const execution = await rt.run(`
id: fei_nested
namespace: test.fei
tasks:
  - id: files
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: write
        type: io.kestra.plugin.core.storage.Write
        content: "{{ taskrun.value }}-1\\n{{ taskrun.value }}-2\\n{{ taskrun.value }}-3\\n"
      - id: each
        type: io.kestra.plugin.core.flow.ForEachItem
        items: "{{ outputs.write[taskrun.value].uri }}"
        batch:
          rows: 2
        namespace: test.fei
        flowId: batch_child
        inputs:
          items: "{{ taskrun.items }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    const items = execution.taskRunList.filter((r) => r.taskId === 'each_items');
    expect(items.map((r) => r.outputs?.numberOfBatches)).toEqual([2, 2]);
    const merged = execution.taskRunList.filter((r) => r.taskId === 'each_merge');
    expect(new Set(merged.map((r) => r.outputs?.subflowOutputs)).size).toBe(2);
  });

  it('fails its split, naming the value, when items is not an internal storage URI', async () => {
    const execution = await rt.run(`
id: fei_not_uri
namespace: test.fei
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "/tmp/orders.csv"
    namespace: test.fei
    flowId: batch_child
`);
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toEqual({ each: 'FAILED', each_split: 'FAILED' });
    expect((await rt.logs(execution.id)).join('\n')).toContain('"/tmp/orders.csv"');
  });

  it('kills the running subflow executions with the parent', async () => {
    await rt.deploy(`
id: slow_child
namespace: test.fei
inputs:
  - id: items
    type: STRING
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT30S
`);
    const flow = await rt.deploy(
      parentFlow('fei_killed', 2).replace('flowId: batch_child', 'flowId: slow_child'),
    );
    const execution = await rt.runtime.submit(flow);
    const running = async () => {
      const page = await rt.store.searchExecutions({ namespace: 'test.fei', flowId: 'slow_child', size: 10 });
      const mine = page.results.filter((e) => e.parent?.executionId === execution.id);
      return mine.length === 2 && mine.every((e) => e.state.current === 'RUNNING') ? mine : undefined;
    };
    const children = await until(running);
    await rt.runtime.command(execution.id, { kind: 'kill' });
    expect((await rt.runtime.waitForEnd(execution.id)).state.current).toBe('KILLED');
    for (const child of children)
      expect((await rt.runtime.waitForEnd(child.id)).state.current).toBe('KILLED');
  });

  it('restarts only the failed subflow executions on restart (RETRY_FAILED)', async () => {
    await rt.deploy(`
id: flaky_child
namespace: test.fei
inputs:
  - id: items
    type: STRING
tasks:
  - id: until_fixed
    type: io.kestra.plugin.core.execution.Fail
    condition: "{{ (read(inputs.items) contains 'item-3') and kv('fei_fixed', errorOnMissing=false) == null }}"
`);
    const failed = await rt.run(
      parentFlow('fei_restarted', 4, '    batch:\n      rows: 2').replace(
        'flowId: batch_child',
        'flowId: flaky_child',
      ),
    );
    expect(failed.state.current).toBe('FAILED');
    const before = await childrenOf(failed, 'flaky_child');
    expect(before.map((c) => c.state.current).sort()).toEqual(['FAILED', 'SUCCESS']);
    await rt.store.kvPut({ namespace: 'test.fei', key: 'fei_fixed', type: 'BOOLEAN', value: true });
    await rt.runtime.command(failed.id, { kind: 'restart' });
    const restarted = await until(async () => {
      const e = await rt.runtime.execution(failed.id);
      return e && e.state.histories.some((h) => h.state === 'RESTARTED') && e.state.current === 'SUCCESS'
        ? e
        : undefined;
    });
    expect(outputsOf(restarted, 'each_items')).toMatchObject({
      numberOfBatches: 2,
      iterations: { RUNNING: 0, SUCCESS: 2, FAILED: 0 },
    });
    expect(statesOf(restarted)).toMatchObject({ each_merge: 'SUCCESS' });
    // The same two child executions: the failed one was restarted, the other left alone.
    const after = await childrenOf(failed, 'flaky_child');
    expect(after.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort());
    const again = after.find((c) => c.state.histories.some((h) => h.state === 'RESTARTED'));
    expect(again?.state.current).toBe('SUCCESS');
    expect(after.filter((c) => c.state.histories.some((h) => h.state === 'RESTARTED'))).toHaveLength(1);
  });
});

/** Polls until `check` gives a value (at most 10 s). */
async function until<T>(check: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached within 10 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}
