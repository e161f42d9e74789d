/**
 * Flow triggers with real flows through the runtime: an upstream execution ending starts the
 * downstream flow with `trigger.outputs` and the upstream's identity; preconditions over two
 * upstream flows fire once both ended in the window, then start over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../../src/flow/model.js';
import { openHarness, removeData } from './support.js';
import type { Harness } from './support.js';

let harness: Harness | undefined;

afterEach(async () => {
  if (!harness) return;
  await harness.close();
  removeData(harness.dataDir);
  harness = undefined;
});

const upstream = (id: string, namespace = 'test.up') => `id: ${id}
namespace: ${namespace}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: upstream
outputs:
  - id: day
    type: STRING
    value: "2025-01-0{{ 1 + 1 }}"
`;

/** Runs a flow to its end, then lets the scheduler react. */
async function run(flow: Flow): Promise<string> {
  const runtime = harness!.local.runtime;
  const execution = await runtime.submit(flow, { labels: [{ key: 'team', value: 'data' }] });
  await runtime.waitForEnd(execution.id);
  await harness!.clock.settle();
  return execution.id;
}

describe('Flow trigger', () => {
  it('starts the downstream flow with the upstream outputs and identity', async () => {
    harness = await openHarness('2025-01-01T10:00:00Z');
    const extract = await harness.deploy(upstream('extract'));
    await harness.deploy(`id: transform
namespace: test.down
inputs:
  - id: day
    type: STRING
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.day }} after {{ trigger.executionId }}"
triggers:
  - id: after_extract
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      day: "{{ trigger.outputs.day }}"
    labels:
      stage: transform
    preconditions:
      id: extract_done
      flows:
        - namespace: test.up
          flowId: extract
          states: [SUCCESS]
`);
    const upstreamId = await run(extract);
    const [downstream] = await harness.executions('transform');
    expect(downstream).toBeDefined();
    expect(downstream!.inputs).toEqual({ day: '2025-01-02' });
    expect(downstream!.trigger?.variables.executionLabels).toEqual({ team: 'data' });
    expect(downstream!.trigger).toMatchObject({
      id: 'after_extract',
      type: 'io.kestra.plugin.core.trigger.Flow',
      variables: {
        executionId: upstreamId,
        namespace: 'test.up',
        flowId: 'extract',
        flowRevision: 1,
        state: 'SUCCESS',
        outputs: { day: '2025-01-02' },
        executionLabels: { team: 'data' },
      },
    });
    expect(downstream!.labels).toEqual(
      expect.arrayContaining([
        { key: 'stage', value: 'transform' },
        { key: 'system.correlationId', value: upstreamId },
      ]),
    );
    const ended = await harness.local.runtime.waitForEnd(downstream!.id);
    expect(ended.state.current).toBe('SUCCESS');
  });

  it('does not start on a state it does not listen to, nor for a flow the conditions refuse', async () => {
    harness = await openHarness('2025-01-01T10:00:00Z');
    const extract = await harness.deploy(upstream('extract'));
    const other = await harness.deploy(upstream('other', 'elsewhere'));
    await harness.deploy(`id: on_failure
namespace: test.down
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: failed
triggers:
  - id: failures
    type: io.kestra.plugin.core.trigger.Flow
    states: [FAILED]
`);
    await harness.deploy(`id: on_namespace
namespace: test.down
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: ok
triggers:
  - id: ns
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionNamespace
        namespace: test
        comparison: PREFIX
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in: [SUCCESS]
`);
    await run(extract);
    await run(other);
    expect(await harness.executions('on_failure')).toHaveLength(0);
    const started = await harness.executions('on_namespace');
    expect(started.map((e) => e.trigger?.variables.flowId)).toEqual(['extract']);
  });

  it('starts on an upstream execution that pauses, once per pause', async () => {
    harness = await openHarness('2025-01-01T10:00:00Z');
    const approval = await harness.deploy(`id: approval
namespace: test.up
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: approved
`);
    await harness.deploy(`id: notify
namespace: test.down
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.flowId }} is {{ trigger.state }}"
triggers:
  - id: on_pause
    type: io.kestra.plugin.core.trigger.Flow
    states: [PAUSED]
`);
    const runtime = harness.local.runtime;
    const execution = await runtime.submit(approval);
    for (let i = 0; i < 100 && (await runtime.execution(execution.id))?.state.current !== 'PAUSED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await harness.clock.settle();
    const started = await harness.executions('notify');
    expect(started.map((e) => e.trigger?.variables.state)).toEqual(['PAUSED']);
    await runtime.command(execution.id, { kind: 'resume' });
    await runtime.waitForEnd(execution.id);
    await harness.clock.settle();
    // It ended SUCCESS, which this trigger does not listen to.
    expect(await harness.executions('notify')).toHaveLength(1);
  });

  it('fires preconditions over two upstream flows once both ended, then starts over', async () => {
    harness = await openHarness('2025-01-01T10:00:00Z');
    const bronze = await harness.deploy(upstream('bronze'));
    const silver = await harness.deploy(upstream('silver'));
    await harness.deploy(`id: gold
namespace: test.down
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: both
triggers:
  - id: both
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: both_layers
      flows:
        - namespace: test.up
          flowId: bronze
          states: [SUCCESS]
        - namespace: test.up
          flowId: silver
          states: [SUCCESS]
`);
    await run(bronze);
    await run(bronze);
    expect(await harness.executions('gold')).toHaveLength(0);
    // The result of bronze is kept in the trigger state, across a reload of the flow.
    const state = await harness.local.store.getTriggerState('test.down', 'gold', 'both');
    expect(Object.keys((state?.state.preconditions as { results: object }).results)).toEqual(['flows.0']);
    await run(silver);
    expect(await harness.executions('gold')).toHaveLength(1);
    // resetOnSuccess (default): silver alone does not fire again.
    await run(silver);
    expect(await harness.executions('gold')).toHaveLength(1);
    // A new day is a new window: bronze of yesterday is forgotten.
    await harness.clock.advanceTo('2025-01-02T10:00:00Z');
    await run(bronze);
    expect(await harness.executions('gold')).toHaveLength(1);
    await run(silver);
    expect(await harness.executions('gold')).toHaveLength(2);
  });

  it('renders its inputs in the upstream execution’s context: its task outputs and id (Kestra trigger-flow)', async () => {
    harness = await openHarness('2025-01-01T10:00:00Z');
    const parent = await harness.deploy(`id: parent
namespace: test.up
tasks:
  - id: only
    type: io.kestra.plugin.core.debug.Return
    format: "from parents: {{ execution.id }}"
`);
    await harness.deploy(`id: listener
namespace: test.down
inputs:
  - { id: fromParent, type: STRING }
  - { id: who, type: STRING }
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.fromParent }}"
triggers:
  - id: listen
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      fromParent: "{{ outputs.only.value }}"
      who: "{{ execution.id }} in {{ flow.id }}"
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionOutputs
        expression: "{{ outputs.only.value is defined }}"
`);
    const upstreamId = await run(parent);
    const [downstream] = await harness.executions('listener');
    expect(downstream?.inputs).toEqual({
      fromParent: `from parents: ${upstreamId}`,
      who: `${upstreamId} in listener`,
    });
  });

  it('with preconditions over two flows, trigger.outputs merges both upstreams’ outputs', async () => {
    harness = await openHarness('2025-01-01T10:00:00Z');
    const flowWith = (id: string, output: string) => `id: ${id}
namespace: test.up
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "${id}" }
outputs:
  - { id: ${output}, type: STRING, value: "${id} done" }
`;
    const bronze = await harness.deploy(flowWith('bronze', 'raw'));
    const silver = await harness.deploy(flowWith('silver', 'clean'));
    await harness.deploy(`id: gold
namespace: test.down
inputs:
  - { id: summary, type: STRING }
tasks:
  - { id: log, type: io.kestra.plugin.core.log.Log, message: "{{ inputs.summary }}" }
triggers:
  - id: both
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      summary: "{{ trigger.outputs.raw }} + {{ trigger.outputs.clean }}"
    preconditions:
      id: both_layers
      flows:
        - { namespace: test.up, flowId: bronze, states: [SUCCESS] }
        - { namespace: test.up, flowId: silver, states: [SUCCESS] }
`);
    await run(bronze);
    await run(silver);
    const [gold] = await harness.executions('gold');
    expect(gold?.inputs).toEqual({ summary: 'bronze done + silver done' });
    expect(gold?.trigger?.variables.outputs).toEqual({ raw: 'bronze done', clean: 'silver done' });
  });
});
