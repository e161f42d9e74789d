/**
 * `timeout` on the tasks the executor runs itself (Sleep, Pause, Subflow, every flowable): a
 * timer armed when the task run starts fails it when it passes, and kills what runs inside it.
 */
import { describe, expect, it } from 'vitest';
import { indexFlow } from '../../../src/engine/executor/flow-index.js';
import { replayExecution } from '../../../src/engine/executor/replay.js';
import { failed, flowYaml, ok, parseFlow, Sim, T0 } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';
const FLOW = 'io.kestra.plugin.core.flow';

const timeoutTimers = (sim: Sim) =>
  [...sim.timers.values()].filter((t) => t.event.kind === 'timer' && t.event.purpose === 'timeout');

describe('timeout of an executor-run task', () => {
  it('Sleep: fails when its timeout passes, long before its duration', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: nap, type: ${FLOW}.Sleep, duration: PT30S, timeout: PT1S }
  - { id: never, type: ${LOG}, message: never }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.timer('timeout').at).toBe(new Date(T0.getTime() + 1000).toISOString());
    sim.advance(999);
    expect(sim.stateOf('nap')).toBe('RUNNING');
    sim.advance(1);
    expect(sim.states()).toEqual({ nap: 'FAILED' });
    expect(sim.state).toBe('FAILED');
    expect(sim.logs.map((l) => l.message)).toContain('Timeout: `nap` did not finish within PT1S');
    // The sleep's own timer, when it comes, changes nothing.
    sim.advance(30_000);
    expect(sim.stateOf('nap')).toBe('FAILED');
  });

  it('Pause without pauseDuration: FAILED when the timeout passes; its tasks never run', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: pause
    type: ${FLOW}.Pause
    timeout: PT1S
    tasks:
      - { id: ko, type: ${LOG}, message: ko }
  - { id: last, type: ${LOG}, message: last }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.state).toBe('PAUSED');
    sim.advance(1000).runUntilIdle();
    expect(sim.states()).toEqual({ pause: 'FAILED' });
    expect(sim.state).toBe('FAILED');
    const history = sim.runOf('pause').state.histories.map((h) => h.state);
    expect(history.filter((s) => s === 'PAUSED')).toHaveLength(1);
    expect(history.at(-1)).toBe('FAILED');
  });

  it('Pause with allowFailure: WARNING when the timeout passes, and the flow goes on', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: pause, type: ${FLOW}.Pause, timeout: PT1S, allowFailure: true }
  - { id: last, type: ${LOG}, message: last }`),
    )
      .start()
      .runUntilIdle();
    sim.advance(1000).runUntilIdle();
    expect(sim.states()).toEqual({ pause: 'WARNING', last: 'SUCCESS' });
    expect(sim.state).toBe('WARNING');
  });

  it('Pause with pauseDuration: the duration and its behavior decide, not the timeout (as Kestra)', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: pause, type: ${FLOW}.Pause, pauseDuration: PT5S, timeout: PT1S }
  - { id: last, type: ${LOG}, message: last }`),
    )
      .start()
      .runUntilIdle();
    sim.advance(1000).runUntilIdle();
    expect(sim.stateOf('pause')).toBe('PAUSED');
    sim.advance(4000).runUntilIdle();
    expect(sim.states()).toEqual({ pause: 'SUCCESS', last: 'SUCCESS' });
  });

  it('a resumed Pause is not failed by its timer afterwards', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: pause, type: ${FLOW}.Pause, timeout: PT1S }
  - { id: last, type: ${LOG}, message: last }`),
    )
      .start()
      .runUntilIdle();
    sim.send({ kind: 'resume' });
    sim.runUntilIdle().advance(1000);
    expect(sim.states()).toEqual({ pause: 'SUCCESS', last: 'SUCCESS' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('Parallel: fails when its timeout passes; running children are aborted and KILLED', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: par
    type: ${FLOW}.Parallel
    timeout: PT2S
    tasks:
      - { id: quick, type: ${LOG}, message: quick }
      - { id: slow, type: ${LOG}, message: slow }
  - { id: never, type: ${LOG}, message: never }`),
    ).start();
    sim.runUntilIdle({ slow: 'hold' });
    const slowJob = sim.job('slow').id;
    sim.advance(2000);
    expect(sim.states()).toEqual({ par: 'FAILED', quick: 'SUCCESS', slow: 'KILLED' });
    expect(sim.last.actions).toContainEqual({ kind: 'abortJobs', jobIds: [slowJob] });
    expect(sim.state).toBe('FAILED');
    // The aborted task's late answer changes nothing.
    sim.complete('slow', ok());
    expect(sim.stateOf('slow')).toBe('KILLED');
  });

  it('Sequential: a flowable that timed out runs its flow’s errors; nothing after it starts', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: ${FLOW}.Sequential
    timeout: PT1S
    tasks:
      - { id: slow, type: ${LOG}, message: slow }
      - { id: next, type: ${LOG}, message: next }
errors:
  - { id: handler, type: ${LOG}, message: handled }`),
    ).start();
    sim.runUntilIdle({ slow: 'hold' });
    sim.advance(1000).runUntilIdle();
    expect(sim.states()).toEqual({ seq: 'FAILED', slow: 'KILLED', handler: 'SUCCESS' });
    expect(sim.state).toBe('FAILED');
  });

  it('a flowable that ended in time is left alone when its timer fires', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: ${FLOW}.Sequential
    timeout: PT1S
    tasks:
      - { id: a, type: ${LOG}, message: a }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
    const before = sim.steps.length;
    sim.advance(1000);
    expect(sim.steps.length).toBe(before + 1);
    expect(sim.last.changedTaskRuns).toEqual([]);
    expect(sim.states()).toEqual({ seq: 'SUCCESS', a: 'SUCCESS' });
  });

  it('nested: the inner flowable’s own timeout fails it first, the outer one goes on', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: outer
    type: ${FLOW}.Sequential
    timeout: PT10S
    tasks:
      - id: inner
        type: ${FLOW}.AllowFailure
        tasks:
          - { id: nap, type: ${FLOW}.Sleep, duration: PT1M, timeout: PT1S }
      - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle();
    sim.advance(1000).runUntilIdle();
    expect(sim.states()).toEqual({ outer: 'WARNING', inner: 'WARNING', nap: 'FAILED', after: 'SUCCESS' });
  });

  it('Subflow waiting for its child: fails at the timeout and the child execution is killed', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: call
    type: ${FLOW}.Subflow
    namespace: company.other
    flowId: child
    timeout: PT1S`),
    )
      .start()
      .runUntilIdle();
    const call = sim.runOf('call');
    const childId = String(call.control?.childExecutionId);
    sim.send({ kind: 'subflowStarted', taskRunId: call.id, childExecutionId: childId });
    sim.advance(1000);
    expect(sim.stateOf('call')).toBe('FAILED');
    expect(sim.last.events).toContainEqual({ executionId: childId, event: { kind: 'kill' } });
    expect(sim.state).toBe('FAILED');
    // The killed child's end is not taken any more.
    sim.send({ kind: 'subflowEnded', taskRunId: call.id, childExecutionId: childId, state: 'KILLED' });
    expect(sim.stateOf('call')).toBe('FAILED');
  });

  it('a Subflow waiting to retry is not timed out by its failed attempt’s deadline', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: call
    type: ${FLOW}.Subflow
    namespace: company.other
    flowId: child
    timeout: PT2S
    retry: { type: constant, interval: PT5S, maxAttempts: 2 }`),
    )
      .start()
      .runUntilIdle();
    const first = String(sim.runOf('call').control?.childExecutionId);
    const callId = sim.runOf('call').id;
    sim.send({ kind: 'subflowStarted', taskRunId: callId, childExecutionId: first });
    sim.advance(500);
    sim.send({ kind: 'subflowEnded', taskRunId: callId, childExecutionId: first, state: 'FAILED' });
    expect(sim.stateOf('call')).toBe('RETRYING');
    sim.advance(1500);
    expect(sim.stateOf('call')).toBe('RETRYING');
    sim.advance(3500).runUntilIdle();
    expect(sim.stateOf('call')).toBe('RUNNING');
    const second = String(sim.runOf('call').control?.childExecutionId);
    expect(second).not.toBe(first);
    sim.send({ kind: 'subflowStarted', taskRunId: callId, childExecutionId: second });
    sim.advance(1999);
    expect(sim.stateOf('call')).toBe('RUNNING');
    sim.advance(1);
    expect(sim.stateOf('call')).toBe('FAILED');
  });

  it('LoopUntil: fails at the timeout while waiting for its next iteration', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: loop
    type: ${FLOW}.LoopUntil
    condition: "false"
    timeout: PT3S
    checkFrequency: { interval: PT2S }
    tasks:
      - { id: step, type: ${LOG}, message: step }`),
    )
      .start()
      .runUntilIdle({ 'loop:evaluate': { state: 'SUCCESS', condition: false } });
    sim.advance(2000).runUntilIdle({ 'loop:evaluate': { state: 'SUCCESS', condition: false } });
    expect(sim.runsOf('step')).toHaveLength(2);
    sim.advance(1000).runUntilIdle();
    expect(sim.stateOf('loop')).toBe('FAILED');
    sim.advance(10_000).runUntilIdle();
    expect(sim.runsOf('step')).toHaveLength(2);
    expect(sim.state).toBe('FAILED');
  });

  it('WorkingDirectory: its running task is killed and its directory released', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: wd
    type: ${FLOW}.WorkingDirectory
    timeout: PT1S
    tasks:
      - { id: slow, type: ${LOG}, message: slow }`),
    ).start();
    sim.runUntilIdle({ slow: 'hold' });
    sim.advance(1000);
    expect(sim.states()).toEqual({ wd: 'FAILED', slow: 'KILLED' });
    expect(sim.last.actions).toContainEqual({
      kind: 'releaseWorkingDirectory',
      workingDirectoryId: sim.runOf('wd').id,
    });
  });

  it('ForEach: its running iterations are killed', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: each
    type: ${FLOW}.ForEach
    values: ["a", "b"]
    concurrencyLimit: 0
    timeout: PT1S
    tasks:
      - { id: item, type: ${LOG}, message: "{{ taskrun.value }}" }`),
    ).start();
    sim.runUntilIdle({ item: 'hold' });
    sim.advance(1000);
    expect(sim.states()).toEqual({ each: 'FAILED', 'item[a]': 'KILLED', 'item[b]': 'KILLED' });
  });

  it('a rendered timeout is rendered with the control values (resolve) and armed from the start', () => {
    const sim = new Sim(
      flowYaml(`inputs:
  - { id: limit, type: DURATION }
tasks:
  - id: seq
    type: ${FLOW}.Sequential
    timeout: "{{ inputs.limit }}"
    tasks:
      - { id: slow, type: ${LOG}, message: slow }`),
    ).start();
    expect(sim.pending()).toEqual(['seq']);
    expect(sim.job('seq').purpose).toBe('resolve');
    sim.now = new Date(T0.getTime() + 500);
    sim.complete('seq', ok({ timeoutMs: 2000 }));
    expect(sim.timer('timeout').at).toBe(new Date(T0.getTime() + 2000).toISOString());
    sim.runUntilIdle({ slow: 'hold' });
    sim.advance(1500);
    expect(sim.states()).toEqual({ seq: 'FAILED', slow: 'KILLED' });
  });

  it('a restarted flowable gets a new timeout from the restart; an old timer is ignored', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: ${FLOW}.Sequential
    timeout: PT1S
    tasks:
      - { id: slow, type: ${LOG}, message: slow }`),
    ).start();
    sim.runUntilIdle({ slow: 'hold' });
    const first = sim.timer('timeout');
    sim.advance(1000);
    expect(sim.state).toBe('FAILED');
    sim.timers.set(first.key, first); // a duplicate delivery of the first attempt's timer
    sim.send({ kind: 'restart' });
    expect(sim.stateOf('seq')).toBe('RUNNING');
    expect(sim.timer('timeout').at).toBe(new Date(sim.now.getTime() + 1000).toISOString());
    sim.send(first.event);
    expect(sim.stateOf('seq')).toBe('RUNNING');
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('a replay from a task run inside a flowable counts the flowable’s timeout again from its start', () => {
    const flow = parseFlow(
      flowYaml(`tasks:
  - id: seq
    type: ${FLOW}.Sequential
    timeout: PT1S
    tasks:
      - { id: a, type: ${LOG}, message: a }
      - { id: b, type: ${LOG}, message: b }`),
    );
    const source = new Sim(flow).start().runUntilIdle({ b: failed() });
    expect(source.state).toBe('FAILED');
    const later = new Date(T0.getTime() + 60_000);
    let n = 0;
    const env = { now: later, newId: () => `r${++n}`, random: () => 0.5 };
    const replay = replayExecution(indexFlow(flow), source.execution, env, {
      fromTaskRunId: source.runOf('b').id,
    });
    const sim = new Sim(flow, replay);
    sim.now = later;
    sim.start();
    expect(sim.timer('timeout').at).toBe(new Date(later.getTime() + 1000).toISOString());
    sim.runUntilIdle({ b: 'hold' }).advance(1000);
    expect(sim.states()).toEqual({ seq: 'FAILED', a: 'SUCCESS', b: 'KILLED' });
  });

  it('tasks without a timeout arm no timer', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: ${FLOW}.Sequential
    tasks:
      - { id: nap, type: ${FLOW}.Sleep, duration: PT1S }
      - { id: a, type: ${LOG}, message: a, timeout: PT1S }`),
    )
      .start()
      .runUntilIdle();
    expect(timeoutTimers(sim)).toEqual([]);
  });
});
