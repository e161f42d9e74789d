import { describe, expect, it } from 'vitest';
import { failed, flowYaml, Sim } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

const flow = flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }
  - { id: b, type: ${LOG}, message: b }
  - { id: c, type: ${LOG}, message: c }
errors:
  - { id: on_error, type: ${LOG}, message: handled }
finally:
  - { id: cleanup, type: ${LOG}, message: cleanup }`);

const errorsFlowable = flowYaml(`tasks:
  - { id: b, type: ${LOG}, message: b }
errors:
  - id: errs
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - { id: x1, type: ${LOG}, message: x }
      - { id: x2, type: ${LOG}, message: x }`);

/** An execution that FAILED at `b`, its errors and finally done. */
function failedAtB() {
  const sim = new Sim(flow).start().runUntilIdle({ b: failed() });
  expect(sim.states()).toEqual({ a: 'SUCCESS', b: 'FAILED', on_error: 'SUCCESS', cleanup: 'SUCCESS' });
  expect(sim.state).toBe('FAILED');
  return sim;
}

describe('restart', () => {
  it('runs the failed task run again as a new attempt, in the same execution', () => {
    const sim = failedAtB();
    const b = sim.runOf('b');
    const reactive = [sim.runOf('on_error').id, sim.runOf('cleanup').id];
    sim.send({ kind: 'restart' });
    expect(sim.state).toBe('RUNNING');
    expect(sim.history.slice(-3)).toEqual(['FAILED', 'RESTARTED', 'RUNNING']);
    expect(sim.execution.state.endDate).toBeUndefined();
    expect(sim.runOf('b').id).toBe(b.id);
    expect(sim.runOf('b').attempts.map((x) => x.state.current)).toEqual(['FAILED', 'RUNNING']);
    expect(sim.job('b')).toMatchObject({ attempt: 2, id: `${b.id}:2:run` });
    // The runs that reacted to the failure are dropped so that they can react to the new outcome.
    expect(sim.last.removedTaskRunIds.sort()).toEqual(reactive.sort());
    expect(sim.states()).toEqual({ a: 'SUCCESS', b: 'RUNNING' });
    expect(sim.last.actions).toEqual([]);
  });

  it("counts the task's retry attempts from the restart", () => {
    const retried = flowYaml(`tasks:
  - id: b
    type: ${LOG}
    message: b
    retry: { type: constant, interval: PT0S, maxAttempts: 2 }`);
    const sim = new Sim(retried).start().runUntilIdle({ b: failed() });
    expect(sim.runOf('b').attempts).toHaveLength(2);
    expect(sim.state).toBe('FAILED');
    sim.send({ kind: 'restart' });
    sim.complete('b', failed());
    // A fresh budget: the restart's attempt failed, so one retry follows at once.
    expect(sim.runOf('b').attempts.map((x) => x.state.current)).toEqual([
      'FAILED',
      'FAILED',
      'FAILED',
      'RUNNING',
    ]);
    sim.complete('b', failed());
    expect(sim.stateOf('b')).toBe('FAILED');
    expect(sim.runOf('b').attempts).toHaveLength(4);
  });

  it('goes on from there when the task now succeeds: errors do not run again', () => {
    const sim = failedAtB();
    sim.send({ kind: 'restart' });
    sim.runUntilIdle();
    expect(sim.states()).toEqual({ a: 'SUCCESS', b: 'SUCCESS', c: 'SUCCESS', cleanup: 'SUCCESS' });
    expect(sim.runOf('a').attempts).toHaveLength(1); // what succeeded is not run again
    expect(sim.state).toBe('SUCCESS');
    expect(sim.actions.filter((a) => a.kind === 'ended')).toEqual([
      { kind: 'ended', state: 'FAILED' },
      { kind: 'ended', state: 'SUCCESS' },
    ]);
  });

  it('runs errors again when the task fails again', () => {
    const sim = failedAtB();
    sim.send({ kind: 'restart' });
    sim.runUntilIdle({ b: failed() });
    expect(sim.states()).toEqual({ a: 'SUCCESS', b: 'FAILED', on_error: 'SUCCESS', cleanup: 'SUCCESS' });
    expect(sim.runOf('b').attempts).toHaveLength(2);
    expect(sim.state).toBe('FAILED');
  });

  it('reopens the flowables above a failed task and drops their reactive runs', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - { id: x, type: ${LOG}, message: x }
      - { id: y, type: ${LOG}, message: y }
    errors:
      - { id: seq_error, type: ${LOG}, message: handled }`),
    )
      .start()
      .runUntilIdle({ x: failed() });
    expect(sim.states()).toEqual({ seq: 'FAILED', x: 'FAILED', seq_error: 'SUCCESS' });
    sim.send({ kind: 'restart' });
    expect(sim.states()).toEqual({ seq: 'RUNNING', x: 'RUNNING' });
    sim.runUntilIdle();
    expect(sim.states()).toEqual({ seq: 'SUCCESS', x: 'SUCCESS', y: 'SUCCESS' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('reruns only the failed values of a ForEach', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b", "c"]
    concurrencyLimit: 0
    tasks:
      - { id: item, type: ${LOG}, message: x }`),
    )
      .start()
      .runUntilIdle({ item: ({ run }) => (run?.value === 'b' ? failed() : undefined) });
    expect(sim.stateOf('each')).toBe('FAILED');
    sim.send({ kind: 'restart' });
    expect(sim.pending()).toEqual(['item[b]']);
    sim.runUntilIdle();
    expect(sim.runsOf('item').map((r) => r.attempts.length)).toEqual([1, 2, 1]);
    expect(sim.state).toBe('SUCCESS');
  });

  it('starts over a flowable that failed by itself (a loop at its limit), children too', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "false"
    failOnMaxReached: true
    checkFrequency: { maxIterations: 2, interval: PT1S }
    tasks:
      - { id: step, type: ${LOG}, message: x }`),
    )
      .start()
      .runUntilIdle()
      .advance(1000)
      .runUntilIdle();
    expect(sim.states()).toEqual({ loop: 'FAILED', 'step#0': 'SUCCESS', 'step#1': 'SUCCESS' });
    const oldSteps = sim.runsOf('step').map((r) => r.id);
    sim.send({ kind: 'restart' });
    expect(sim.last.removedTaskRunIds).toEqual(oldSteps);
    expect(sim.job('loop').purpose).toBe('resolve');
    sim.runUntilIdle({ 'loop:evaluate': { state: 'SUCCESS', condition: true } });
    expect(sim.states()).toEqual({ loop: 'SUCCESS', 'step#0': 'SUCCESS' });
    expect(sim.runOf('loop').attempts).toHaveLength(2);
  });

  it('does not treat a failure inside an errors flowable as a cause: the flowable reacts again', () => {
    const sim = new Sim(errorsFlowable).start().runUntilIdle({ b: failed(), x2: failed() });
    expect(sim.states()).toEqual({ b: 'FAILED', errs: 'FAILED', x1: 'SUCCESS', x2: 'FAILED' });
    sim.send({ kind: 'restart' });
    expect(sim.states()).toEqual({ b: 'RUNNING' });
    sim.runUntilIdle({ b: failed() });
    expect(sim.states()).toEqual({ b: 'FAILED', errs: 'SUCCESS', x1: 'SUCCESS', x2: 'SUCCESS' });
  });

  it('restarts a KILLED execution', () => {
    const sim = new Sim(flow).start();
    sim.send({ kind: 'kill' });
    sim.complete('a', { state: 'KILLED' });
    expect(sim.state).toBe('KILLED');
    sim.send({ kind: 'restart' });
    expect(sim.runOf('a').attempts).toHaveLength(2);
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('refuses to restart an execution that did not fail', () => {
    const sim = new Sim(flow).start().runUntilIdle();
    sim.send({ kind: 'restart' });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.last.changedTaskRuns).toEqual([]);
    expect(sim.last.logs.map((l) => l.message)).toEqual([
      'Only a FAILED or KILLED execution can be restarted; this one is SUCCESS',
    ]);
  });
});

describe('setTaskRunState', () => {
  it('sets a task inside an errors flowable: that flowable is reopened, not dropped', () => {
    const sim = new Sim(errorsFlowable).start().runUntilIdle({ b: failed(), x2: failed() });
    const x1 = sim.runOf('x1');
    sim.send({ kind: 'setTaskRunState', taskRunId: sim.runOf('x2').id, state: 'SUCCESS' });
    expect(sim.states()).toEqual({ b: 'FAILED', errs: 'SUCCESS', x1: 'SUCCESS', x2: 'SUCCESS' });
    expect(sim.runOf('x1')).toEqual(x1);
    expect(sim.state).toBe('FAILED'); // b still failed
  });

  it('sets a failed task of an ended execution to SUCCESS, and the execution goes on', () => {
    const sim = failedAtB();
    sim.send({ kind: 'setTaskRunState', taskRunId: sim.runOf('b').id, state: 'SUCCESS' });
    expect(sim.stateOf('b')).toBe('SUCCESS');
    expect(sim.runOf('b').attempts).toHaveLength(1);
    expect(sim.history.slice(-2)).toEqual(['RESTARTED', 'RUNNING']);
    expect(sim.pending()).toEqual(['c']);
    expect(sim.stateOf('on_error')).toBeUndefined();
    sim.runUntilIdle();
    expect(sim.states()).toEqual({ a: 'SUCCESS', b: 'SUCCESS', c: 'SUCCESS', cleanup: 'SUCCESS' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('can fail a task of a successful execution, which then fails', () => {
    const sim = new Sim(flow).start().runUntilIdle();
    sim.send({ kind: 'setTaskRunState', taskRunId: sim.runOf('c').id, state: 'FAILED' });
    sim.runUntilIdle();
    expect(sim.states()).toMatchObject({ c: 'FAILED', on_error: 'SUCCESS', cleanup: 'SUCCESS' });
    expect(sim.state).toBe('FAILED');
  });

  it('is refused while the execution runs, and for a state that is not final', () => {
    const sim = new Sim(flow).start();
    const a = sim.runOf('a').id;
    sim.send({ kind: 'setTaskRunState', taskRunId: a, state: 'SUCCESS' });
    expect(sim.stateOf('a')).toBe('RUNNING');
    sim.runUntilIdle({ b: failed() });
    sim.send({ kind: 'setTaskRunState', taskRunId: a, state: 'RUNNING' });
    expect(sim.state).toBe('FAILED');
    expect(sim.last.logs.map((l) => l.level)).toEqual(['WARN']);
  });
});
