import { describe, expect, it } from 'vitest';
import { failed, flowYaml, ok, Sim, T0 } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';
const EXIT = 'io.kestra.plugin.core.execution.Exit';
const PAUSE = 'io.kestra.plugin.core.flow.Pause';

const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

describe('Exit', () => {
  it('ends the execution in its state; nothing after it starts', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }
  - { id: stop, type: ${EXIT}, state: WARNING }
  - { id: never, type: ${LOG}, message: never }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ a: 'SUCCESS', stop: 'WARNING' });
    expect(sim.state).toBe('WARNING');
    expect(sim.history).toEqual(['CREATED', 'RUNNING', 'WARNING']);
    expect(sim.last.actions).toContainEqual({ kind: 'ended', state: 'WARNING' });
  });

  it('KILLED: kills what still runs (abortJobs), ignoring late results, and ends KILLED', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - { id: slow, type: ${LOG}, message: slow }
      - { id: stop, type: ${EXIT}, state: KILLED }
  - { id: never, type: ${LOG}, message: never }`),
    ).start();
    const slowJob = sim.job('slow').id;
    sim.complete('stop', { state: 'SUCCESS', exit: 'KILLED' });
    expect(sim.last.actions).toContainEqual({ kind: 'abortJobs', jobIds: [slowJob] });
    expect(sim.states()).toEqual({ par: 'KILLED', slow: 'KILLED', stop: 'KILLED' });
    expect(sim.state).toBe('KILLED');
    sim.complete('slow', ok());
    expect(sim.stateOf('slow')).toBe('KILLED');
    expect(sim.last.changedTaskRuns).toEqual([]);
  });

  it('another state: what still runs finishes first, nothing new starts, then it ends in that state', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - { id: slow, type: ${LOG}, message: slow }
      - { id: stop, type: ${EXIT}, state: WARNING }
  - { id: never, type: ${LOG}, message: never }`),
    ).start();
    sim.complete('stop', { state: 'SUCCESS', exit: 'WARNING' });
    expect(sim.last.actions.filter((a) => a.kind === 'abortJobs')).toEqual([]);
    expect(sim.state).toBe('RUNNING');
    sim.complete('slow', failed('it failed meanwhile'));
    expect(sim.stateOf('slow')).toBe('FAILED');
    expect(sim.states()).toEqual({ par: 'WARNING', slow: 'FAILED', stop: 'WARNING' });
    expect(sim.state).toBe('WARNING');
  });

  it('CANCELED ends the execution CANCELLED', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: stop, type: ${EXIT}, state: CANCELED }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.state).toBe('CANCELLED');
  });
});

describe('Exit: the states it leaves (Kestra: Exit.update, ExitTest)', () => {
  const exitInIf = (state: string) =>
    flowYaml(`tasks:
  - id: route
    type: io.kestra.plugin.core.flow.If
    condition: "false"
    then:
      - { id: go_on, type: ${LOG}, message: go on }
    else:
      - { id: stop, type: ${EXIT}, state: ${state} }
  - { id: never, type: ${LOG}, message: never }`);

  it.each([
    ['SUCCESS', 'SUCCESS'],
    ['WARNING', 'WARNING'],
    ['FAILED', 'FAILED'],
    ['CANCELED', 'CANCELLED'],
    ['KILLED', 'KILLED'],
  ])('state %s: the Exit task run, the If around it and the execution all end %s', (given, ended) => {
    const sim = new Sim(exitInIf(given)).start().runUntilIdle();
    expect(sim.states()).toEqual({ route: ended, stop: ended });
    expect(sim.state).toBe(ended);
    expect(sim.last.actions).toContainEqual({ kind: 'ended', state: ended });
  });

  it('ends every enclosing flowable in the exit state, not only the nearest', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - { id: stop, type: ${EXIT}, state: WARNING }
          - { id: never, type: ${LOG}, message: never }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ outer: 'WARNING', inner: 'WARNING', stop: 'WARNING' });
    expect(sim.state).toBe('WARNING');
  });

  it('FAILED with allowFailure on the Exit: the state is the one asked for, as Kestra sets it', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: stop, type: ${EXIT}, state: FAILED, allowFailure: true }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.stateOf('stop')).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });
});

describe('Fail', () => {
  it('fails the task and the execution', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: boom, type: io.kestra.plugin.core.execution.Fail, errorMessage: nope }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.stateOf('boom')).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });
});

describe('Pause', () => {
  const pauseFlow = (props = '') =>
    flowYaml(`tasks:
  - { id: wait, type: ${PAUSE}${props} }
  - { id: after, type: ${LOG}, message: after }`);

  it('pauses the task run and the execution until resumed', () => {
    const sim = new Sim(pauseFlow()).start();
    expect(sim.job('wait').purpose).toBe('resolve');
    sim.runUntilIdle();
    expect(sim.stateOf('wait')).toBe('PAUSED');
    expect(sim.state).toBe('PAUSED');
    expect(sim.timers.size).toBe(0);
    expect(sim.stateOf('after')).toBeUndefined();
    sim.send({ kind: 'resume', inputs: { approved: true } });
    expect(sim.runOf('wait')).toMatchObject({
      state: { current: 'SUCCESS' },
      outputs: { onResume: { approved: true } },
    });
    expect(sim.state).toBe('RUNNING');
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.history).toEqual(['CREATED', 'RUNNING', 'PAUSED', 'RUNNING', 'SUCCESS']);
  });

  it('has no onResume output when resumed without inputs', () => {
    const sim = new Sim(pauseFlow()).start().runUntilIdle();
    sim.send({ kind: 'resume' });
    expect(sim.runOf('wait').outputs).toBeUndefined();
    expect(sim.stateOf('wait')).toBe('SUCCESS');
  });

  it('resumes only the task run named', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - { id: p1, type: ${PAUSE} }
      - { id: p2, type: ${PAUSE} }`),
    )
      .start()
      .runUntilIdle();
    sim.send({ kind: 'resume', taskRunId: sim.runOf('p2').id });
    expect(sim.states()).toEqual({ par: 'RUNNING', p1: 'PAUSED', p2: 'SUCCESS' });
    expect(sim.state).toBe('PAUSED'); // one still is
    sim.send({ kind: 'resume' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('RESUME (the default): goes on by itself once pauseDuration passed', () => {
    const sim = new Sim(pauseFlow(', pauseDuration: PT1H')).start().runUntilIdle();
    expect(sim.timer('pauseDelay').at).toBe(at(3_600_000));
    sim.advance(3_599_999);
    expect(sim.stateOf('wait')).toBe('PAUSED');
    sim.advance(1).runUntilIdle();
    expect(sim.states()).toEqual({ wait: 'SUCCESS', after: 'SUCCESS' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('accepts the deprecated `delay`', () => {
    const sim = new Sim(pauseFlow(', delay: PT5M')).start().runUntilIdle();
    expect(sim.timer('pauseDelay').at).toBe(at(300_000));
  });

  it('WARN: goes on with the task in WARNING', () => {
    const sim = new Sim(pauseFlow(', pauseDuration: PT1M, behavior: WARN')).start().runUntilIdle();
    sim.advance(60_000).runUntilIdle();
    expect(sim.states()).toEqual({ wait: 'WARNING', after: 'SUCCESS' });
    expect(sim.state).toBe('WARNING');
  });

  it('FAIL: fails the task and the execution', () => {
    const sim = new Sim(pauseFlow(', pauseDuration: PT1M, behavior: FAIL')).start().runUntilIdle();
    sim.advance(60_000).runUntilIdle();
    expect(sim.states()).toEqual({ wait: 'FAILED' });
    expect(sim.state).toBe('FAILED');
  });

  it('CANCEL: cancels the execution, killing what runs', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - { id: wait, type: ${PAUSE}, pauseDuration: PT1M, behavior: CANCEL }
      - { id: slow, type: ${LOG}, message: slow }`),
    )
      .start()
      .runUntilIdle({ slow: 'hold' });
    const slowJob = sim.job('slow').id;
    sim.advance(60_000);
    expect(sim.states()).toEqual({ par: 'KILLED', wait: 'CANCELLED', slow: 'KILLED' });
    expect(sim.last.actions).toContainEqual({ kind: 'abortJobs', jobIds: [slowJob] });
    expect(sim.state).toBe('CANCELLED');
  });

  it('ignores its timer once resumed', () => {
    const sim = new Sim(pauseFlow(', pauseDuration: PT1M, behavior: FAIL')).start().runUntilIdle();
    sim.send({ kind: 'resume' });
    sim.advance(60_000).runUntilIdle();
    expect(sim.stateOf('wait')).toBe('SUCCESS');
    expect(sim.state).toBe('SUCCESS');
  });

  it('runs its (deprecated) tasks after it is resumed', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: wait
    type: ${PAUSE}
    tasks:
      - { id: inside, type: ${LOG}, message: inside }
  - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.runsOf('inside')).toEqual([]);
    sim.send({ kind: 'resume', inputs: { ok: 1 } });
    expect(sim.stateOf('wait')).toBe('RUNNING');
    expect(sim.state).toBe('RUNNING');
    expect(sim.pending()).toEqual(['inside']);
    sim.runUntilIdle();
    expect(sim.runOf('inside').parentTaskRunId).toBe(sim.runOf('wait').id);
    expect(sim.runOf('wait')).toMatchObject({
      state: { current: 'SUCCESS' },
      outputs: { onResume: { ok: 1 } },
    });
    expect(sim.ran).toEqual(['inside', 'after']);
  });

  it('fails its (deprecated) tasks’ failure', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: wait
    type: ${PAUSE}
    tasks:
      - { id: inside, type: ${LOG}, message: inside }`),
    )
      .start()
      .runUntilIdle();
    sim.send({ kind: 'resume' });
    sim.runUntilIdle({ inside: failed() });
    expect(sim.stateOf('wait')).toBe('FAILED');
  });
});

describe('Sleep', () => {
  it('waits its duration with a timer, then succeeds and the list goes on', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT30S }
  - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.stateOf('nap')).toBe('RUNNING');
    expect(sim.state).toBe('RUNNING');
    expect(sim.timer('sleep')).toMatchObject({
      at: at(30_000),
      event: { kind: 'timer', purpose: 'sleep', taskRunId: sim.runOf('nap').id },
    });
    sim.advance(29_999);
    expect(sim.stateOf('nap')).toBe('RUNNING');
    sim.advance(1);
    expect(sim.stateOf('nap')).toBe('SUCCESS');
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });
});
