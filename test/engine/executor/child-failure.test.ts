/**
 * What a Parallel or Dag does with its other tasks when one fails: `failFast` (Parallel) kills
 * them, `onChildFailure: CANCEL | FAIL` interrupts them into that state, `CONTINUE` (the
 * default) lets them finish. In every case nothing new starts and the flowable ends FAILED.
 */
import { describe, expect, it } from 'vitest';
import { failed, flowYaml, killed, ok, Sim } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';
const FAIL = 'io.kestra.plugin.core.execution.Fail';

const parallel = (props: string) =>
  flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel${props}
    tasks:
      - { id: bad, type: ${LOG}, message: bad }
      - { id: slow, type: ${LOG}, message: slow }
    errors:
      - { id: on_error, type: ${LOG}, message: handled }
  - { id: after, type: ${LOG}, message: after }`);

describe('Parallel failFast', () => {
  it('kills the running siblings as soon as a task fails; the Parallel ends FAILED and its errors run', () => {
    const sim = new Sim(parallel('\n    failFast: true')).start().runUntilIdle({ bad: 'hold', slow: 'hold' });
    const slowJob = sim.job('slow').id;
    sim.complete('bad', failed());
    expect(sim.last.actions).toContainEqual({ kind: 'abortJobs', jobIds: [slowJob] });
    expect(sim.stateOf('slow')).toBe('KILLING');
    expect(sim.stateOf('par')).toBe('RUNNING');
    sim.complete('slow', killed);
    expect(sim.states()).toMatchObject({ bad: 'FAILED', slow: 'KILLED', par: 'RUNNING' });
    sim.runUntilIdle();
    expect(sim.states()).toMatchObject({ par: 'FAILED', on_error: 'SUCCESS' });
    expect(sim.ran).not.toContain('after');
    expect(sim.state).toBe('FAILED');
  });

  it('keeps the result of a sibling that finished before the abort reached it', () => {
    const sim = new Sim(parallel('\n    failFast: true')).start().runUntilIdle({ bad: 'hold', slow: 'hold' });
    sim.complete('bad', failed());
    sim.complete('slow', ok());
    expect(sim.stateOf('slow')).toBe('SUCCESS');
    sim.runUntilIdle();
    expect(sim.stateOf('par')).toBe('FAILED');
  });

  it('without failFast (the default), lets the siblings finish', () => {
    const sim = new Sim(parallel('')).start().runUntilIdle({ bad: 'hold', slow: 'hold' });
    sim.complete('bad', failed());
    expect(sim.actions.filter((a) => a.kind === 'abortJobs')).toEqual([]);
    expect(sim.stateOf('slow')).toBe('RUNNING');
    sim.complete('slow', ok());
    sim.runUntilIdle();
    expect(sim.states()).toMatchObject({ slow: 'SUCCESS', par: 'FAILED', on_error: 'SUCCESS' });
  });

  it('interrupts again after a restart, when the task fails again', () => {
    const sim = new Sim(parallel('\n    failFast: true'))
      .start()
      .runUntilIdle({ bad: failed(), slow: 'hold' });
    sim.complete('slow', killed);
    sim.runUntilIdle();
    expect(sim.state).toBe('FAILED');
    sim.send({ kind: 'restart' });
    sim.runUntilIdle({ bad: 'hold', slow: 'hold' });
    expect(sim.states()).toMatchObject({ bad: 'RUNNING', slow: 'RUNNING', par: 'RUNNING' });
    sim.complete('bad', failed());
    expect(sim.stateOf('slow')).toBe('KILLING');
    sim.complete('slow', killed);
    sim.runUntilIdle();
    expect(sim.stateOf('par')).toBe('FAILED');
  });

  it('does not interrupt while the failed task will be retried', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    failFast: true
    tasks:
      - id: bad
        type: ${LOG}
        message: bad
        retry: { type: constant, interval: PT1S, maxAttempts: 2 }
      - { id: slow, type: ${LOG}, message: slow }`),
    )
      .start()
      .runUntilIdle({ bad: failed(), slow: 'hold' });
    expect(sim.stateOf('bad')).toBe('RETRYING');
    expect(sim.stateOf('slow')).toBe('RUNNING');
    sim.advance(1000).runUntilIdle({ bad: ok(), slow: 'hold' });
    expect(sim.stateOf('slow')).toBe('RUNNING');
    sim.complete('slow', ok());
    expect(sim.state).toBe('SUCCESS');
  });
});

describe('onChildFailure', () => {
  const dag = (policy: string) =>
    flowYaml(`tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    onChildFailure: ${policy}
    tasks:
      - task: { id: fails_fast, type: ${FAIL} }
      - task: { id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT10S }
      - task:
          id: branch
          type: io.kestra.plugin.core.flow.Sequential
          tasks:
            - { id: deep, type: ${LOG}, message: deep }
            - { id: never, type: ${LOG}, message: never }
      - task: { id: later, type: ${LOG}, message: later }
        dependsOn: [branch]
    finally:
      - { id: cleanup, type: ${LOG}, message: cleanup }`);

  it('CANCEL: the other running tasks, at any depth, end CANCELLED; the Dag FAILED; finally runs', () => {
    const sim = new Sim(dag('CANCEL')).start().runUntilIdle({ deep: 'hold' });
    expect(sim.stateOf('fails_fast')).toBe('FAILED');
    // What waits on nothing but time ends at once; what a worker runs once it stopped.
    expect(sim.states()).toMatchObject({ nap: 'CANCELLED', branch: 'CANCELLED', deep: 'KILLING' });
    expect(sim.stateOf('dag')).toBe('RUNNING');
    expect(sim.logs.filter((l) => l.level === 'WARN').map((l) => `${l.taskId} ${l.message}`)).toContain(
      "nap Task terminated because sibling task 'fails_fast' failed",
    );
    sim.complete('deep', killed);
    sim.runUntilIdle();
    expect(sim.states()).toMatchObject({ deep: 'CANCELLED', dag: 'FAILED', cleanup: 'SUCCESS' });
    expect(sim.ran).not.toContain('never');
    expect(sim.ran).not.toContain('later');
    expect(sim.state).toBe('FAILED');
  });

  it('FAIL: the other running tasks end FAILED', () => {
    const sim = new Sim(dag('FAIL')).start().runUntilIdle({ deep: 'hold' });
    sim.complete('deep', killed);
    sim.runUntilIdle();
    expect(sim.states()).toMatchObject({ nap: 'FAILED', branch: 'FAILED', deep: 'FAILED', dag: 'FAILED' });
  });

  it('accepts the CANCELLED and FAILED spellings of Kestra’s docs', () => {
    const sim = new Sim(dag('CANCELLED')).start().runUntilIdle({ deep: 'hold' });
    expect(sim.stateOf('nap')).toBe('CANCELLED');
  });

  it('CONTINUE (the default): the running tasks finish (a branch its own steps too), no new task of the Dag starts', () => {
    const sim = new Sim(dag('CONTINUE')).start().runUntilIdle({ deep: 'hold' });
    expect(sim.states()).toMatchObject({ nap: 'RUNNING', deep: 'RUNNING', dag: 'RUNNING' });
    sim.complete('deep', ok());
    sim.advance(10_000).runUntilIdle();
    expect(sim.states()).toMatchObject({
      nap: 'SUCCESS',
      branch: 'SUCCESS',
      dag: 'FAILED',
      cleanup: 'SUCCESS',
    });
    expect(sim.ran).toContain('never');
    expect(sim.ran).not.toContain('later');
  });

  it('kills the child execution of an interrupted Subflow', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    onChildFailure: CANCEL
    tasks:
      - { id: bad, type: ${LOG}, message: bad }
      - { id: call, type: io.kestra.plugin.core.flow.Subflow, namespace: company.other, flowId: child }`),
    )
      .start()
      .runUntilIdle({ bad: 'hold' });
    const childId = String(sim.runOf('call').control?.childExecutionId);
    sim.complete('bad', failed());
    expect(sim.last.events).toContainEqual({ executionId: childId, event: { kind: 'kill' } });
    expect(sim.stateOf('call')).toBe('CANCELLED');
    expect(sim.stateOf('par')).toBe('FAILED');
  });
});
