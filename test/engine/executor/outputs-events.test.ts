import { describe, expect, it } from 'vitest';
import type { ExecutorEvent } from '../../../src/engine/executor/types.js';
import { failed, flowYaml, ok, Sim } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

describe('flow outputs', () => {
  const flow = flowYaml(`outputs:
  - { id: result, type: STRING, value: "{{ outputs.a.value }}" }
tasks:
  - { id: a, type: io.kestra.plugin.core.debug.Return, format: hello }
finally:
  - { id: cleanup, type: ${LOG}, message: cleanup }
afterExecution:
  - { id: notify, type: ${LOG}, message: notify }`);

  it('are rendered by an outputs job once the tasks and finally are done, before afterExecution', () => {
    const sim = new Sim(flow).start();
    sim.complete('a', ok({ value: 'hello' }));
    sim.complete('cleanup', ok());
    expect(sim.state).toBe('RUNNING');
    expect(sim.last.jobs).toEqual([
      {
        id: 'exec:outputs',
        executionId: 'exec',
        namespace: 'company.team',
        flowId: 'test',
        purpose: 'outputs',
        attempt: 0,
      },
    ]);
    sim.complete({ purpose: 'outputs' }, ok({ result: 'hello' }));
    expect(sim.execution.outputs).toEqual({ result: 'hello' });
    expect(sim.pending()).toEqual(['notify']);
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('fail the execution when they cannot be rendered', () => {
    const sim = new Sim(flow).start().runUntilIdle({ outputs: failed('no such output') });
    expect(sim.execution.outputs).toBeUndefined();
    expect(sim.logs.some((l) => l.message.includes('no such output'))).toBe(true);
    expect(sim.ran).toEqual(['a', 'cleanup', 'notify']);
    expect(sim.state).toBe('FAILED');
  });

  it('are not rendered when the tasks failed', () => {
    const sim = new Sim(flow).start().runUntilIdle({ a: failed() });
    expect(sim.dispatched.some((j) => j.purpose === 'outputs')).toBe(false);
    expect(sim.state).toBe('FAILED');
  });

  it('are rendered after a WARNING, which stays', () => {
    const sim = new Sim(flow).start().runUntilIdle({ a: { state: 'WARNING' } });
    expect(sim.dispatched.filter((j) => j.purpose === 'outputs')).toHaveLength(1);
    expect(sim.state).toBe('WARNING');
  });

  it('are rendered again after a restart', () => {
    const sim = new Sim(flow).start().runUntilIdle({ outputs: failed() });
    sim.send({ kind: 'restart' });
    expect(sim.state).toBe('RUNNING');
    sim.runUntilIdle();
    // No task failed: only finally, the outputs and afterExecution run again.
    expect(sim.dispatched.map((j) => j.taskId ?? j.purpose)).toEqual([
      'a',
      'cleanup',
      'outputs',
      'notify',
      'cleanup',
      'outputs',
      'notify',
    ]);
    expect(sim.execution.outputs).toEqual({ result: '{{ outputs.a.value }}' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('are dropped when they come after the execution was killed', () => {
    const sim = new Sim(flow).start().runUntilIdle({ outputs: 'hold' });
    sim.send({ kind: 'kill' });
    expect(sim.state).toBe('KILLED');
    sim.complete({ purpose: 'outputs' }, ok({ result: 'late' }));
    expect(sim.execution.outputs).toBeUndefined();
    expect(sim.stateOf('notify')).toBeUndefined();
  });

  it('are not asked for when the flow declares none', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.dispatched.map((j) => j.purpose)).toEqual(['run']);
    expect(sim.execution.outputs).toBeUndefined();
  });
});

describe('labels set by a task', () => {
  it('are added to the execution, replacing those with the same key', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: tag, type: io.kestra.plugin.core.execution.Labels, labels: { stage: loaded, owner: me } }`),
      {
        labels: [
          { key: 'stage', value: 'raw' },
          { key: 'team', value: 'data' },
        ],
      },
    )
      .start()
      .runUntilIdle();
    expect(sim.execution.labels).toEqual([
      { key: 'team', value: 'data' },
      { key: 'stage', value: 'loaded' },
      { key: 'owner', value: 'me' },
    ]);
  });
});

describe('stale results', () => {
  const retried = flowYaml(`tasks:
  - { id: t, type: ${LOG}, message: t, retry: { type: constant, interval: PT0S, maxAttempts: 3 } }
  - { id: after, type: ${LOG}, message: after }`);

  it('a result for an earlier attempt is ignored', () => {
    const sim = new Sim(retried).start();
    const id = sim.runOf('t').id;
    sim.complete('t', failed());
    expect(sim.job('t').attempt).toBe(2);
    sim.send({ kind: 'jobResult', job: 'run', taskRunId: id, attempt: 1, result: ok() });
    expect(sim.stateOf('t')).toBe('RUNNING');
    expect(sim.last.changedTaskRuns).toEqual([]);
    sim.complete('t', ok());
    expect(sim.stateOf('t')).toBe('SUCCESS');
  });

  it('a result for another purpose, or an unknown task run, is ignored', () => {
    const sim = new Sim(retried).start();
    const id = sim.runOf('t').id;
    sim.send({ kind: 'jobResult', job: 'resolve', taskRunId: id, attempt: 1, result: ok() });
    sim.send({ kind: 'jobResult', job: 'run', taskRunId: 'nope', attempt: 1, result: ok() });
    expect(sim.stateOf('t')).toBe('RUNNING');
  });

  it('a second result for a job already answered is ignored', () => {
    const sim = new Sim(retried).start();
    const job = sim.job('t');
    sim.complete('t', ok({ first: true }));
    sim.send({
      kind: 'jobResult',
      job: 'run',
      taskRunId: job.taskRunId!,
      attempt: job.attempt,
      result: failed(),
    });
    expect(sim.runOf('t')).toMatchObject({ state: { current: 'SUCCESS' }, outputs: { first: true } });
    expect(sim.last.changedTaskRuns).toEqual([]);
  });

  it('an outputs result nobody waits for is ignored', () => {
    const sim = new Sim(retried).start();
    sim.send({ kind: 'jobResult', job: 'outputs', attempt: 0, result: ok({ x: 1 }) });
    expect(sim.execution.outputs).toBeUndefined();
  });

  it('a timer for a task run that moved on is ignored', () => {
    const sim = new Sim(retried).start();
    const id = sim.runOf('t').id;
    sim.send({ kind: 'timer', purpose: 'sleep', taskRunId: id });
    sim.send({ kind: 'timer', purpose: 'pauseDelay', taskRunId: id });
    sim.send({ kind: 'timer', purpose: 'loopNext', taskRunId: id });
    expect(sim.stateOf('t')).toBe('RUNNING');
    expect(sim.last.changedTaskRuns).toEqual([]);
  });
});

describe('an ended execution', () => {
  it('ignores every event but restart and setTaskRunState', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }`),
    ).start();
    const job = sim.job('a');
    sim.complete('a', ok());
    expect(sim.state).toBe('SUCCESS');
    const ended = sim.execution;
    const events: ExecutorEvent[] = [
      { kind: 'start' },
      { kind: 'jobResult', job: 'run', taskRunId: job.taskRunId!, attempt: 1, result: failed() },
      { kind: 'timer', purpose: 'killTimeout' },
      { kind: 'kill' },
      { kind: 'resume' },
      { kind: 'subflowEnded', taskRunId: job.taskRunId!, childExecutionId: 'x', state: 'FAILED' },
      { kind: 'recover' },
    ];
    for (const event of events) {
      const result = sim.send(event);
      expect(result, event.kind).toMatchObject({
        changedTaskRuns: [],
        jobs: [],
        actions: [],
        events: [],
        timers: [],
      });
      expect({ ...result.execution, version: 0 }, event.kind).toEqual({ ...ended, version: 0 });
    }
  });
});

describe('start', () => {
  it('moves a CREATED execution to RUNNING and starts the first task; again, it does nothing', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }`),
    );
    sim.send();
    expect(sim.state).toBe('CREATED'); // nothing runs before the start
    expect(sim.execution.taskRunList).toEqual([]);
    sim.start();
    expect(sim.state).toBe('RUNNING');
    sim.start();
    expect(sim.last.jobs).toEqual([]);
    expect(sim.runsOf('a')).toHaveLength(1);
  });
});
