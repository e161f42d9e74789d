import { describe, expect, it } from 'vitest';
import { failed, flowYaml, ok, Sim, T0 } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

/** A flow whose task `t` (then `after`) has this retry policy (a YAML flow map). */
const withRetry = (retry: string) =>
  flowYaml(`tasks:
  - { id: t, type: ${LOG}, message: t, retry: ${retry} }
  - { id: after, type: ${LOG}, message: after }`);

const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

/** Fails `t` every time; returns the instants its retry timers were set for. */
function failEveryTime(sim: Sim): string[] {
  const instants: string[] = [];
  sim.start();
  for (let i = 0; i < 20 && sim.jobsFor('t').length > 0; i++) {
    sim.complete('t', failed());
    const timer = [...sim.timers.values()].find((x) => x.key.endsWith(':retry'));
    if (!timer) break;
    instants.push(timer.at);
    sim.advance(Date.parse(timer.at) - sim.now.getTime());
  }
  return instants;
}

describe('retries', () => {
  it('moves a failed attempt to RETRYING and starts the next attempt when the timer fires', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT10S, maxAttempts: 3 }')).start();
    const run = sim.runOf('t');
    sim.complete('t', failed());
    expect(sim.stateOf('t')).toBe('RETRYING');
    expect(sim.jobs.size).toBe(0);
    expect(sim.last.timers).toEqual([
      {
        executionId: 'exec',
        at: at(10_000),
        event: { kind: 'timer', purpose: 'retry', taskRunId: run.id, attempt: 1 },
        key: `${run.id}:retry`,
      },
    ]);
    expect(sim.logs.at(-1)?.message).toBe('`t` failed; attempt 2 in 10 s');
    sim.advance(9_999);
    expect(sim.jobs.size).toBe(0);
    sim.advance(1);
    expect(sim.stateOf('t')).toBe('RUNNING');
    expect(sim.job('t')).toMatchObject({ attempt: 2, id: `${run.id}:2:run` });
    sim.complete('t', ok());
    expect(sim.runOf('t').attempts.map((a) => a.state.current)).toEqual(['FAILED', 'SUCCESS']);
    expect(sim.runOf('t').id).toBe(run.id); // the same task run
    expect(sim.stateOf('t')).toBe('SUCCESS');
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('constant: waits `interval` each time; maxAttempts counts the first attempt', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT10S, maxAttempts: 3 }'));
    expect(failEveryTime(sim)).toEqual([at(10_000), at(20_000)]);
    expect(sim.runOf('t').attempts).toHaveLength(3);
    expect(sim.runOf('t').attempts.every((a) => a.state.current === 'FAILED')).toBe(true);
    expect(sim.stateOf('t')).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });

  it('exponential: multiplies the interval by delayFactor, up to maxInterval', () => {
    const sim = new Sim(
      withRetry('{ type: exponential, interval: PT1S, delayFactor: 2, maxInterval: PT5S, maxAttempts: 6 }'),
    );
    // Waits of 1, 2, 4, 5 (capped), 5 s.
    expect(failEveryTime(sim)).toEqual([at(1_000), at(3_000), at(7_000), at(12_000), at(17_000)]);
    expect(sim.runOf('t').attempts).toHaveLength(6);
  });

  it('random: waits between minInterval and maxInterval', () => {
    const sim = new Sim(withRetry('{ type: random, minInterval: PT1S, maxInterval: PT3S, maxAttempts: 2 }'));
    sim.random = 0.25;
    expect(failEveryTime(sim)).toEqual([at(1_500)]);
  });

  it('maxAttempts 1: no retry at all', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT1S, maxAttempts: 1 }'));
    expect(failEveryTime(sim)).toEqual([]);
    expect(sim.stateOf('t')).toBe('FAILED');
  });

  it('accepts the legacy `maxAttempt`', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT1S, maxAttempt: 2 }'));
    expect(failEveryTime(sim)).toEqual([at(1_000)]);
    expect(sim.runOf('t').attempts).toHaveLength(2);
  });

  it('maxDuration: no attempt that would start later than maxDuration after the first', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT10S, maxDuration: PT25S }'));
    expect(failEveryTime(sim)).toEqual([at(10_000), at(20_000)]); // a third retry would start at 30 s
    expect(sim.stateOf('t')).toBe('FAILED');
  });

  it('warningOnRetry: success after a retry ends WARNING', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT0S, maxAttempts: 3, warningOnRetry: true }'))
      .start()
      .runUntilIdle({ t: ({ job }) => (job.attempt === 1 ? failed() : ok()) });
    expect(sim.stateOf('t')).toBe('WARNING');
    expect(sim.state).toBe('WARNING');
  });

  it('warningOnRetry: success at the first attempt stays SUCCESS', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT0S, maxAttempts: 3, warningOnRetry: true }'))
      .start()
      .runUntilIdle();
    expect(sim.stateOf('t')).toBe('SUCCESS');
  });

  it('interval 0: dispatches the next attempt at once, without a timer', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT0S, maxAttempts: 3 }')).start();
    sim.complete('t', failed());
    expect(sim.last.timers).toEqual([]);
    expect(sim.job('t').attempt).toBe(2);
    expect(sim.runOf('t').state.histories.map((h) => h.state)).toEqual([
      'CREATED',
      'RUNNING',
      'RETRYING',
      'RUNNING',
    ]);
  });

  it('ignores a retry timer for another attempt', () => {
    const sim = new Sim(withRetry('{ type: constant, interval: PT10S, maxAttempts: 3 }')).start();
    const id = sim.runOf('t').id;
    sim.complete('t', failed());
    sim.send({ kind: 'timer', purpose: 'retry', taskRunId: id, attempt: 2 });
    expect(sim.stateOf('t')).toBe('RETRYING');
    expect(sim.jobs.size).toBe(0);
  });

  it('does not retry a WARNING, KILLED or SKIPPED result', () => {
    for (const state of ['WARNING', 'KILLED', 'SKIPPED'] as const) {
      const sim = new Sim(withRetry('{ type: constant, interval: PT1S, maxAttempts: 3 }'))
        .start()
        .runUntilIdle({ t: { state } });
      expect(sim.runOf('t').attempts, state).toHaveLength(1);
    }
  });
});

describe('where the retry policy comes from', () => {
  it('a task inherits the policy of its flowable parent', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    retry: { type: constant, interval: PT5S, maxAttempts: 2 }
    tasks:
      - { id: t, type: ${LOG}, message: t }`),
    );
    expect(failEveryTime(sim)).toEqual([at(5_000)]);
    expect(sim.stateOf('seq')).toBe('FAILED');
    expect(sim.runOf('seq').attempts).toHaveLength(1); // the flowable itself is not retried
  });

  it('a task’s own policy wins over its parent’s', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    retry: { type: constant, interval: PT5S, maxAttempts: 2 }
    tasks:
      - { id: t, type: ${LOG}, message: t, retry: { type: constant, interval: PT1S, maxAttempts: 3 } }`),
    );
    expect(failEveryTime(sim)).toEqual([at(1_000), at(2_000)]);
  });

  it('a task without one uses the flow’s `retry`', () => {
    const sim = new Sim(
      flowYaml(`retry: { type: constant, interval: PT3S, maxAttempts: 2 }
tasks:
  - { id: t, type: ${LOG}, message: t }`),
    );
    expect(failEveryTime(sim)).toEqual([at(3_000)]);
  });
});

describe('retry by a new execution (CREATE_NEW_EXECUTION)', () => {
  const flow =
    flowYaml(`retry: { type: constant, interval: PT1M, maxAttempts: 3, behavior: CREATE_NEW_EXECUTION }
tasks:
  - { id: t, type: ${LOG}, message: t }
errors:
  - { id: on_error, type: ${LOG}, message: handled }`);

  it('fails the task, runs errors, ends RETRIED and asks for a new execution', () => {
    const sim = new Sim(flow).start().runUntilIdle({ t: failed() });
    expect(sim.runOf('t').attempts).toHaveLength(1);
    expect(sim.states()).toEqual({ t: 'FAILED', on_error: 'SUCCESS' });
    expect(sim.state).toBe('RETRIED');
    expect(sim.last.actions).toEqual([
      { kind: 'ended', state: 'RETRIED' },
      { kind: 'retryExecution', attempt: 2, at: at(60_000) },
    ]);
  });

  it('ends FAILED once the executions made reach maxAttempts', () => {
    const sim = new Sim(flow, { control: { executionAttempt: 3 } }).start().runUntilIdle({ t: failed() });
    expect(sim.state).toBe('FAILED');
    expect(sim.actions.some((a) => a.kind === 'retryExecution')).toBe(false);
  });

  it('does not retry an execution that succeeds', () => {
    const sim = new Sim(flow).start().runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
    expect(sim.actions.some((a) => a.kind === 'retryExecution')).toBe(false);
  });
});
