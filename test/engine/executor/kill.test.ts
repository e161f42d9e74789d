import { describe, expect, it } from 'vitest';
import { flowYaml, killed, ok, Sim, T0 } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

/** Three branches: a running task, a paused one, a subflow whose child runs; then a finally. */
const flow = flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - { id: busy, type: ${LOG}, message: busy }
      - { id: wait, type: io.kestra.plugin.core.flow.Pause }
      - { id: call, type: io.kestra.plugin.core.flow.Subflow, namespace: company.team, flowId: child }
      - id: retrying
        type: ${LOG}
        message: r
        retry: { type: constant, interval: PT1H, maxAttempts: 2 }
finally:
  - { id: cleanup, type: ${LOG}, message: cleanup }`);

function running() {
  const sim = new Sim(flow).start().runUntilIdle({ busy: 'hold', retrying: { state: 'FAILED' } });
  const call = sim.runOf('call');
  sim.send({
    kind: 'subflowStarted',
    taskRunId: call.id,
    childExecutionId: String(call.control?.childExecutionId),
  });
  expect(sim.states()).toEqual({
    par: 'RUNNING',
    busy: 'RUNNING',
    wait: 'PAUSED',
    call: 'RUNNING',
    retrying: 'RETRYING',
  });
  return sim;
}

describe('kill', () => {
  it('aborts running jobs (KILLING), kills the rest, and the children of subflows', () => {
    const sim = running();
    const busyJob = sim.job('busy').id;
    const childId = String(sim.runOf('call').control?.childExecutionId);
    sim.send({ kind: 'kill' });
    expect(sim.state).toBe('KILLING');
    expect(sim.states()).toEqual({
      par: 'KILLED',
      busy: 'KILLING',
      wait: 'KILLED',
      call: 'KILLED',
      retrying: 'KILLED',
    });
    expect(sim.last.actions).toEqual([{ kind: 'abortJobs', jobIds: [busyJob] }]);
    expect(sim.last.events).toEqual([{ executionId: childId, event: { kind: 'kill' } }]);
    expect(sim.last.timers).toEqual([
      {
        executionId: 'exec',
        at: new Date(T0.getTime() + 30_000).toISOString(),
        event: { kind: 'timer', purpose: 'killTimeout' },
        key: 'kill',
      },
    ]);
  });

  it('ends KILLED when the worker answers, without running finally', () => {
    const sim = running();
    sim.send({ kind: 'kill' });
    sim.complete('busy', killed);
    expect(sim.stateOf('busy')).toBe('KILLED');
    expect(sim.state).toBe('KILLED');
    expect(sim.history.slice(-2)).toEqual(['KILLING', 'KILLED']);
    expect(sim.stateOf('cleanup')).toBeUndefined();
    expect(sim.last.actions).toContainEqual({ kind: 'ended', state: 'KILLED' });
  });

  it('keeps the result of a task that finished before the abort reached it', () => {
    const sim = running();
    sim.send({ kind: 'kill' });
    sim.complete('busy', ok({ value: 1 }));
    expect(sim.runOf('busy')).toMatchObject({ state: { current: 'SUCCESS' }, outputs: { value: 1 } });
    expect(sim.state).toBe('KILLED');
  });

  it('ends KILLED when the kill timeout fires before the worker answers', () => {
    const sim = running();
    sim.send({ kind: 'kill' });
    sim.advance(29_999);
    expect(sim.state).toBe('KILLING');
    sim.advance(1);
    expect(sim.stateOf('busy')).toBe('KILLED');
    expect(sim.state).toBe('KILLED');
    sim.complete('busy', ok()); // too late: ignored
    expect(sim.stateOf('busy')).toBe('KILLED');
  });

  it('ignores a retry timer of a killed task', () => {
    const sim = running();
    sim.send({ kind: 'kill' });
    sim.complete('busy', killed);
    sim.advance(3_600_000);
    expect(sim.runOf('retrying').attempts).toHaveLength(1);
    expect(sim.jobs.size).toBe(0);
  });

  it('ends at once when nothing runs on a worker', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: wait, type: io.kestra.plugin.core.flow.Pause }`),
    )
      .start()
      .runUntilIdle();
    sim.send({ kind: 'kill' });
    expect(sim.state).toBe('KILLED');
    expect(sim.last.timers).toEqual([]);
    expect(sim.last.actions).toEqual([{ kind: 'ended', state: 'KILLED' }]);
  });

  it('kills a flowable whose control values are being rendered, even if the render succeeds', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "true"
    then:
      - { id: yes, type: ${LOG}, message: y }`),
    ).start();
    sim.send({ kind: 'kill' });
    expect(sim.stateOf('check')).toBe('KILLING');
    sim.complete('check', ok({ condition: true }));
    expect(sim.stateOf('check')).toBe('KILLED');
    expect(sim.stateOf('yes')).toBeUndefined();
    expect(sim.state).toBe('KILLED');
  });

  it('kills a QUEUED execution at once', () => {
    const sim = new Sim(flow, {
      state: {
        current: 'QUEUED',
        histories: [
          { state: 'CREATED', date: T0.toISOString() },
          { state: 'QUEUED', date: T0.toISOString() },
        ],
        startDate: T0.toISOString(),
      },
    });
    sim.send({ kind: 'kill' });
    expect(sim.state).toBe('KILLED');
    expect(sim.execution.taskRunList).toEqual([]);
    expect(sim.last.actions).toEqual([{ kind: 'ended', state: 'KILLED' }]);
    sim.send({ kind: 'start' });
    expect(sim.state).toBe('KILLED');
  });

  it('ignores a second kill, and a kill of an ended execution', () => {
    const sim = running();
    sim.send({ kind: 'kill' });
    sim.send({ kind: 'kill' });
    expect(sim.last.actions).toEqual([]);
    expect(sim.last.timers).toEqual([]);
    sim.complete('busy', killed);
    sim.send({ kind: 'kill' });
    expect(sim.last.changedTaskRuns).toEqual([]);
    expect(sim.last.actions).toEqual([]);
    expect(sim.state).toBe('KILLED');
  });

  it('recover: a task run still KILLING has lost its worker, so it is KILLED', () => {
    const sim = running();
    const busyJob = sim.job('busy').id;
    sim.send({ kind: 'kill' });
    sim.send({ kind: 'recover' });
    expect(sim.last.actions).toContainEqual({ kind: 'abortJobs', jobIds: [busyJob] });
    expect(sim.stateOf('busy')).toBe('KILLED');
    expect(sim.state).toBe('KILLED');
  });
});
