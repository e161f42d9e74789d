import { describe, expect, it } from 'vitest';
import type { RuntimeAction } from '../../../src/engine/executor/types.js';
import { flowYaml, Sim } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

const parentFlow = (props = '') =>
  flowYaml(`labels: { team: data }
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.other
    flowId: child
    inputs: { user: rick }
    labels: { source: parent }${props}
  - { id: after, type: ${LOG}, message: after }`);

type StartSubflow = Extract<RuntimeAction, { kind: 'startSubflow' }>;
const starts = (sim: Sim) => sim.actions.filter((a): a is StartSubflow => a.kind === 'startSubflow');

/** A parent whose Subflow task asked for its child execution. */
function started(props = '') {
  const sim = new Sim(parentFlow(props), { labels: [{ key: 'team', value: 'data' }] }).start().runUntilIdle();
  const call = sim.runOf('call');
  const childId = String(call.control?.childExecutionId);
  return { sim, call, childId };
}

describe('Subflow', () => {
  it('asks the runtime to start the child with an id fixed in advance', () => {
    const { sim, call, childId } = started();
    expect(starts(sim)).toEqual([
      {
        kind: 'startSubflow',
        taskRunId: call.id,
        executionId: childId,
        namespace: 'company.other',
        flowId: 'child',
        inputs: { user: 'rick' },
        labels: [{ key: 'source', value: 'parent' }],
        wait: true,
        // The child names the task that started it and its parent, as Kestra's trigger does.
        trigger: {
          id: 'call',
          type: 'io.kestra.plugin.core.flow.Subflow',
          variables: expect.objectContaining({
            taskRunId: call.id,
            taskId: 'call',
            flowRevision: 1,
          }) as unknown,
        },
      },
    ]);
    expect(childId).toMatch(/^id\d+$/);
    expect(sim.stateOf('call')).toBe('RUNNING');
    expect(sim.jobs.size).toBe(0);
  });

  it('inheritLabels: the child gets the execution’s labels too', () => {
    const { sim } = started('\n    inheritLabels: true');
    expect(starts(sim)[0]!.labels).toEqual([
      { key: 'team', value: 'data' },
      { key: 'source', value: 'parent' },
    ]);
  });

  it('wait false: succeeds with the child’s id once it started', () => {
    const { sim, childId } = started('\n    wait: false');
    expect(starts(sim)[0]!.wait).toBe(false);
    sim.send({ kind: 'subflowStarted', taskRunId: sim.runOf('call').id, childExecutionId: childId });
    expect(sim.runOf('call')).toMatchObject({
      state: { current: 'SUCCESS' },
      outputs: { executionId: childId },
    });
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('wait true: runs until the child ends, then takes its state and outputs', () => {
    const { sim, call, childId } = started();
    sim.send({ kind: 'subflowStarted', taskRunId: call.id, childExecutionId: childId });
    expect(sim.runOf('call')).toMatchObject({
      state: { current: 'RUNNING' },
      outputs: { executionId: childId },
    });
    sim.send({
      kind: 'subflowEnded',
      taskRunId: call.id,
      childExecutionId: childId,
      state: 'SUCCESS',
      outputs: { answer: 42 },
    });
    expect(sim.runOf('call')).toMatchObject({
      state: { current: 'SUCCESS' },
      outputs: { executionId: childId, state: 'SUCCESS', outputs: { answer: 42 } },
    });
    expect(sim.pending()).toEqual(['after']);
  });

  it('a WARNING child makes the task WARNING', () => {
    const { sim, call, childId } = started();
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: childId, state: 'WARNING' });
    expect(sim.stateOf('call')).toBe('WARNING');
  });

  it('transmitFailed (the default): a failed child fails the task and the execution', () => {
    const { sim, call, childId } = started();
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: childId, state: 'FAILED' });
    expect(sim.stateOf('call')).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });

  it('transmitFailed: a killed child makes the task KILLED (not FAILED), as Kestra', () => {
    const { sim, call, childId } = started();
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: childId, state: 'KILLED' });
    expect(sim.stateOf('call')).toBe('KILLED');
    expect(sim.state).toBe('KILLED');
  });

  it('transmitFailed false: a WARNING child leaves the task SUCCESS, as Kestra', () => {
    const { sim, call, childId } = started('\n    transmitFailed: false');
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: childId, state: 'WARNING' });
    expect(sim.stateOf('call')).toBe('SUCCESS');
  });

  it('retry: a failed child is retried by the task’s policy, each attempt a new child (RetryCaseTest.retrySubflow)', () => {
    const sim = new Sim(
      flowYaml(`retry: { type: constant, interval: PT1S, maxAttempt: 3 }
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.other
    flowId: child`),
    )
      .start()
      .runUntilIdle();
    const childIds: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const call = sim.runOf('call');
      const childId = String(call.control?.childExecutionId);
      childIds.push(childId);
      sim.send({ kind: 'subflowStarted', taskRunId: call.id, childExecutionId: childId });
      sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: childId, state: 'FAILED' });
      if (attempt < 3) {
        expect(sim.stateOf('call')).toBe('RETRYING');
        sim.advance(1000).runUntilIdle();
        expect(sim.stateOf('call')).toBe('RUNNING');
      }
    }
    expect(new Set(childIds).size).toBe(3);
    expect(starts(sim).map((a) => a.executionId)).toEqual(childIds);
    expect(sim.runOf('call').attempts.map((a) => a.state.current)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(sim.state).toBe('FAILED');
  });

  it('retry: the end of an earlier attempt’s child is ignored', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: company.other
    flowId: child
    retry: { type: constant, interval: PT1S, maxAttempts: 2 }`),
    )
      .start()
      .runUntilIdle();
    const call = sim.runOf('call');
    const first = String(call.control?.childExecutionId);
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: first, state: 'FAILED' });
    sim.advance(1000).runUntilIdle();
    expect(sim.runOf('call').control?.childExecutionId).not.toBe(first);
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: first, state: 'FAILED' });
    expect(sim.stateOf('call')).toBe('RUNNING');
  });

  it('legacy `outputs`: passed unrendered to the child, whose rendering becomes the task’s outputs', () => {
    const { sim, call, childId } = started(`
    outputs:
      extracted: "{{ outputs.work.value }}"`);
    expect(starts(sim)[0]!.outputs).toEqual({ extracted: '{{ outputs.work.value }}' });
    sim.send({
      kind: 'subflowEnded',
      taskRunId: call.id,
      childExecutionId: childId,
      state: 'SUCCESS',
      outputs: { extracted: 'from the child' },
    });
    expect(sim.runOf('call').outputs).toEqual({
      executionId: childId,
      state: 'SUCCESS',
      outputs: { extracted: 'from the child' },
    });
  });

  it('legacy `outputs` that the child could not render fail the task', () => {
    const { sim, call, childId } = started(`
    outputs:
      extracted: "{{ outputs.missing.value }}"`);
    sim.send({
      kind: 'subflowEnded',
      taskRunId: call.id,
      childExecutionId: childId,
      state: 'SUCCESS',
      outputsError: 'no output missing',
    });
    expect(sim.stateOf('call')).toBe('FAILED');
    expect(sim.logs.some((l) => l.level === 'ERROR' && l.message.includes('no output missing'))).toBe(true);
  });

  it('transmitFailed false: a failed child leaves the task SUCCESS', () => {
    const { sim, call, childId } = started('\n    transmitFailed: false');
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: childId, state: 'FAILED' });
    expect(sim.runOf('call')).toMatchObject({ state: { current: 'SUCCESS' }, outputs: { state: 'FAILED' } });
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('fails when the child could not start', () => {
    const { sim, call, childId } = started();
    sim.send({
      kind: 'subflowEnded',
      taskRunId: call.id,
      childExecutionId: childId,
      state: 'FAILED',
      error: 'flow company.other.child not found',
    });
    expect(sim.stateOf('call')).toBe('FAILED');
    expect(sim.logs.some((l) => l.message.includes('flow company.other.child not found'))).toBe(true);
  });

  it('ignores events about another child execution', () => {
    const { sim, call } = started();
    sim.send({ kind: 'subflowStarted', taskRunId: call.id, childExecutionId: 'other' });
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: 'other', state: 'FAILED' });
    expect(sim.runOf('call')).toMatchObject({ state: { current: 'RUNNING' } });
    expect(sim.runOf('call').outputs).toBeUndefined();
  });

  it('recover: re-issues the start (same child id) while the child has not started', () => {
    const { sim, call, childId } = started();
    sim.send({ kind: 'recover' });
    expect(sim.last.actions).toEqual([starts(sim)[0]]);
    expect(starts(sim)[1]!.executionId).toBe(childId);
    sim.send({ kind: 'subflowStarted', taskRunId: call.id, childExecutionId: childId });
    sim.send({ kind: 'recover' });
    expect(sim.last.actions).toEqual([]);
  });
});

describe('a child execution', () => {
  const childFlow = flowYaml(`outputs:
  - { id: answer, type: STRING, value: "42" }
tasks:
  - { id: work, type: ${LOG}, message: work }`);
  const parent = { executionId: 'parent', taskRunId: 'call-run', namespace: 'company.team', flowId: 'p' };

  it('tells its parent when it ends, with its state and outputs', () => {
    const sim = new Sim(childFlow, { parent }).start().runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.last.events).toEqual([
      {
        executionId: 'parent',
        event: {
          kind: 'subflowEnded',
          taskRunId: 'call-run',
          childExecutionId: 'exec',
          state: 'SUCCESS',
          outputs: { answer: '42' },
        },
      },
    ]);
  });

  it('tells its parent when it fails', () => {
    const sim = new Sim(childFlow, { parent }).start().runUntilIdle({ work: { state: 'FAILED' } });
    expect(sim.last.events).toEqual([
      {
        executionId: 'parent',
        event: { kind: 'subflowEnded', taskRunId: 'call-run', childExecutionId: 'exec', state: 'FAILED' },
      },
    ]);
  });

  it('tells its parent when killed before it started', () => {
    const sim = new Sim(childFlow, { parent });
    sim.send({ kind: 'kill' });
    expect(sim.state).toBe('KILLED');
    expect(sim.last.events.map((e) => e.event)).toEqual([
      { kind: 'subflowEnded', taskRunId: 'call-run', childExecutionId: 'exec', state: 'KILLED' },
    ]);
  });

  it('drives its parent’s Subflow task to the end', () => {
    const { sim: parentSim, call, childId } = started();
    const child = new Sim(childFlow, {
      id: childId,
      parent: { executionId: 'exec', taskRunId: call.id, namespace: 'company.team', flowId: 'test' },
    });
    parentSim.send({ kind: 'subflowStarted', taskRunId: call.id, childExecutionId: childId });
    child.start().runUntilIdle();
    const [toParent] = child.last.events;
    expect(toParent!.executionId).toBe('exec');
    parentSim.send(toParent!.event);
    parentSim.runUntilIdle();
    expect(parentSim.runOf('call').outputs).toEqual({
      executionId: childId,
      state: 'SUCCESS',
      outputs: { answer: '42' },
    });
    expect(parentSim.state).toBe('SUCCESS');
  });

  it('renders the legacy `outputs` of its parent’s Subflow task in its own context, whatever its state', () => {
    const legacy = flowYaml(`tasks:
  - { id: work, type: ${LOG}, message: work }`);
    const control = { subflowOutputs: { extracted: '{{ outputs.work.value }}' } };
    const sim = new Sim(legacy, { parent, control }).start();
    sim.runUntilIdle({ work: { state: 'FAILED' }, outputs: 'hold' });
    expect(sim.pending()).toEqual(['outputs']);
    sim.complete({ purpose: 'outputs' }, { state: 'SUCCESS', outputs: { extracted: 'x' } });
    expect(sim.state).toBe('FAILED');
    expect(sim.execution.outputs).toBeUndefined();
    expect(sim.last.events.map((e) => e.event)).toEqual([
      {
        kind: 'subflowEnded',
        taskRunId: 'call-run',
        childExecutionId: 'exec',
        state: 'FAILED',
        outputs: { extracted: 'x' },
      },
    ]);
  });

  it('tells its parent when the legacy `outputs` could not be rendered, and still succeeds itself', () => {
    const legacy = flowYaml(`tasks:
  - { id: work, type: ${LOG}, message: work }`);
    const control = { subflowOutputs: { extracted: '{{ outputs.missing.value }}' } };
    const sim = new Sim(legacy, { parent, control }).start();
    sim.runUntilIdle({ outputs: { state: 'FAILED', error: 'no output missing' } });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.last.events.map((e) => e.event)).toEqual([
      {
        kind: 'subflowEnded',
        taskRunId: 'call-run',
        childExecutionId: 'exec',
        state: 'SUCCESS',
        outputsError: 'no output missing',
      },
    ]);
  });

  it('a subflow with wait false does not take the child’s end (even before its start)', () => {
    const { sim, call, childId } = started('\n    wait: false');
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: childId, state: 'FAILED' });
    expect(sim.stateOf('call')).toBe('RUNNING');
    sim.send({ kind: 'subflowStarted', taskRunId: call.id, childExecutionId: childId });
    expect(sim.stateOf('call')).toBe('SUCCESS');
  });
});
