import { describe, expect, it } from 'vitest';
import { failed, flowYaml, ok, Sim } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';
const FAIL = 'io.kestra.plugin.core.execution.Fail';

describe('a sequential list', () => {
  const flow = flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }
  - { id: b, type: ${LOG}, message: b }
  - { id: c, type: ${LOG}, message: c }`);

  it('runs its tasks one after the other, in order', () => {
    const sim = new Sim(flow).start();
    expect(sim.state).toBe('RUNNING');
    expect(sim.pending()).toEqual(['a']);
    sim.complete('a', ok());
    expect(sim.pending()).toEqual(['b']);
    expect(sim.stateOf('c')).toBeUndefined();
    sim.complete('b', ok());
    sim.complete('c', ok());
    expect(sim.ran).toEqual(['a', 'b', 'c']);
    expect(sim.states()).toEqual({ a: 'SUCCESS', b: 'SUCCESS', c: 'SUCCESS' });
    expect(sim.state).toBe('SUCCESS');
    expect(sim.history).toEqual(['CREATED', 'RUNNING', 'SUCCESS']);
    expect(sim.last.actions).toContainEqual({ kind: 'ended', state: 'SUCCESS' });
    expect(sim.execution.state.endDate).toBeDefined();
  });

  it('gives a task run its first attempt and a run job tied to it', () => {
    const sim = new Sim(flow).start();
    const run = sim.runOf('a');
    expect(run.state.current).toBe('RUNNING');
    expect(run.attempts).toHaveLength(1);
    const job = sim.job('a');
    expect(job).toMatchObject({ purpose: 'run', taskRunId: run.id, attempt: 1, executionId: 'exec' });
    expect(job.id).toBe(`${run.id}:1:run`);
    expect(run.control?.job).toBe(job.id);
    sim.complete('a', ok({ value: 42 }));
    expect(sim.runOf('a').outputs).toEqual({ value: 42 });
    expect(sim.runOf('a').attempts[0]!.state.current).toBe('SUCCESS');
    expect(sim.runOf('a').control?.job).toBeUndefined();
  });

  it('stops at a failed task: what follows never starts and the execution fails', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }
  - { id: boom, type: ${FAIL} }
  - { id: c, type: ${LOG}, message: c }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ a: 'SUCCESS', boom: 'FAILED' });
    expect(sim.state).toBe('FAILED');
    expect(sim.last.actions).toContainEqual({ kind: 'ended', state: 'FAILED' });
  });

  it('leaves disabled tasks out', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }
  - { id: off, type: ${FAIL}, disabled: true }
  - { id: c, type: ${LOG}, message: c }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.ran).toEqual(['a', 'c']);
    expect(sim.stateOf('off')).toBeUndefined();
    expect(sim.state).toBe('SUCCESS');
  });

  it('skips a task whose runIf is false and goes on', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a, runIf: "false" }
  - { id: b, type: ${LOG}, message: b }`),
    ).start();
    // runIf of a runnable task is rendered with the task itself: one run job.
    expect(sim.job('a').purpose).toBe('run');
    sim.complete('a', { state: 'SKIPPED' });
    expect(sim.stateOf('a')).toBe('SKIPPED');
    sim.runUntilIdle();
    expect(sim.states()).toEqual({ a: 'SKIPPED', b: 'SUCCESS' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('resolves the runIf of a flowable first, and skips its tasks when false', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    runIf: "false"
    tasks:
      - { id: inner, type: ${FAIL} }
  - { id: after, type: ${LOG}, message: after }`),
    ).start();
    expect(sim.job('group').purpose).toBe('resolve');
    sim.runUntilIdle();
    expect(sim.states()).toEqual({ group: 'SKIPPED', after: 'SUCCESS' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('runs a flowable whose runIf is true', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: group
    type: io.kestra.plugin.core.flow.Sequential
    runIf: "true"
    tasks:
      - { id: inner, type: ${LOG}, message: x }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ group: 'SUCCESS', inner: 'SUCCESS' });
  });

  it('fails a task whose resolve job fails (a render error)', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ nope }}"
    then:
      - { id: inner, type: ${LOG}, message: x }`),
    ).start();
    sim.complete('check', failed('Rendering failed'));
    expect(sim.states()).toEqual({ check: 'FAILED' });
    expect(sim.state).toBe('FAILED');
  });
});

describe('a top-level list with dependsOn (a DAG)', () => {
  const flow = flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }
  - { id: b, type: ${LOG}, message: b, dependsOn: [a] }
  - { id: c, type: ${LOG}, message: c }
  - { id: d, type: ${LOG}, message: d, dependsOn: [b, c] }`);

  it('dispatches independent tasks together and dependants once their dependencies ended', () => {
    const sim = new Sim(flow).start();
    expect(sim.pending().sort()).toEqual(['a', 'c']);
    sim.complete('a', ok());
    expect(sim.pending().sort()).toEqual(['b', 'c']);
    sim.complete('b', ok());
    expect(sim.pending()).toEqual(['c']); // d still waits for c
    sim.complete('c', ok());
    expect(sim.pending()).toEqual(['d']);
    sim.complete('d', ok());
    expect(sim.state).toBe('SUCCESS');
  });

  it('never starts the dependants of a failed task, and fails', () => {
    const sim = new Sim(flow).start();
    sim.complete('a', failed());
    expect(sim.pending()).toEqual(['c']); // what runs finishes
    sim.complete('c', ok());
    expect(sim.states()).toEqual({ a: 'FAILED', c: 'SUCCESS' });
    expect(sim.state).toBe('FAILED');
  });

  it('treats a dependency on a disabled task as met', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: off, type: ${FAIL}, disabled: true }
  - { id: b, type: ${LOG}, message: b, dependsOn: [off] }`),
    ).start();
    expect(sim.pending()).toEqual(['b']);
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('lets a SKIPPED dependency release its dependants', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a, runIf: "false" }
  - { id: b, type: ${LOG}, message: b, dependsOn: [a] }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ a: 'SKIPPED', b: 'SUCCESS' });
  });
});

describe('a Dag task', () => {
  const dag = (concurrent = '') =>
    flowYaml(`tasks:
  - id: dag
    type: io.kestra.plugin.core.flow.Dag
    ${concurrent}
    tasks:
      - task: { id: a, type: ${LOG}, message: a }
      - task: { id: b, type: ${LOG}, message: b }
        dependsOn: [a]
      - task: { id: c, type: ${LOG}, message: c }
      - task: { id: d, type: ${LOG}, message: d }
        dependsOn: [b, c]
  - { id: after, type: ${LOG}, message: after }`);

  it('runs its entries by their dependencies, then ends', () => {
    const sim = new Sim(dag()).start();
    expect(sim.pending().sort()).toEqual(['a', 'c']);
    expect(sim.runOf('a').parentTaskRunId).toBe(sim.runOf('dag').id);
    sim.complete('c', ok());
    expect(sim.pending()).toEqual(['a']);
    sim.complete('a', ok());
    expect(sim.pending()).toEqual(['b']);
    sim.complete('b', ok());
    expect(sim.pending()).toEqual(['d']);
    expect(sim.stateOf('dag')).toBe('RUNNING');
    sim.complete('d', ok());
    expect(sim.stateOf('dag')).toBe('SUCCESS');
    expect(sim.pending()).toEqual(['after']);
  });

  it('runs at most `concurrent` ready entries at once', () => {
    const sim = new Sim(dag('concurrent: 1')).start();
    expect(sim.pending()).toEqual(['a']);
    sim.complete('a', ok());
    expect(sim.pending()).toEqual(['b']); // b before c: list order among the ready ones
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['a', 'b', 'c', 'd', 'after']);
  });

  it('fails when an entry fails, without starting its dependants', () => {
    const sim = new Sim(dag()).start();
    sim.complete('a', failed());
    sim.runUntilIdle();
    expect(sim.states()).toEqual({ dag: 'FAILED', a: 'FAILED', c: 'SUCCESS' });
    expect(sim.state).toBe('FAILED');
  });
});

describe('Parallel', () => {
  const parallel = (concurrent = '') =>
    flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    ${concurrent}
    tasks:
      - { id: a, type: ${LOG}, message: a }
      - { id: b, type: ${LOG}, message: b }
      - { id: c, type: ${LOG}, message: c }
  - { id: after, type: ${LOG}, message: after }`);

  it('starts all its tasks at once without `concurrent`', () => {
    const sim = new Sim(parallel()).start();
    expect(sim.pending()).toEqual(['a', 'b', 'c']);
    sim.complete('b', ok());
    sim.complete('c', ok());
    expect(sim.stateOf('par')).toBe('RUNNING');
    expect(sim.stateOf('after')).toBeUndefined();
    sim.complete('a', ok());
    expect(sim.stateOf('par')).toBe('SUCCESS');
    expect(sim.pending()).toEqual(['after']);
  });

  it('runs at most `concurrent` tasks at once', () => {
    const sim = new Sim(parallel('concurrent: 2')).start();
    expect(sim.pending()).toEqual(['a', 'b']);
    sim.complete('b', ok());
    expect(sim.pending()).toEqual(['a', 'c']);
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('lets what runs finish after a failure but starts nothing new, and fails', () => {
    const sim = new Sim(parallel('concurrent: 2')).start();
    sim.complete('a', failed());
    expect(sim.pending()).toEqual(['b']);
    sim.complete('b', ok());
    expect(sim.states()).toEqual({ par: 'FAILED', a: 'FAILED', b: 'SUCCESS' });
    expect(sim.state).toBe('FAILED');
  });
});

describe('Sequential', () => {
  it('runs its tasks in order as children, then ends in their state', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - { id: a, type: ${LOG}, message: a }
      - { id: b, type: ${LOG}, message: b }
  - { id: after, type: ${LOG}, message: after }`),
    ).start();
    // A flowable with nothing to render has no job of its own.
    expect(sim.pending()).toEqual(['a']);
    expect(sim.runOf('seq').attempts).toHaveLength(1);
    sim.complete('a', ok());
    expect(sim.pending()).toEqual(['b']);
    sim.complete('b', { state: 'WARNING' });
    expect(sim.stateOf('seq')).toBe('WARNING');
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['a', 'b', 'after']);
    expect(sim.state).toBe('WARNING');
  });

  it('fails when a child fails, and the list it is in stops', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - { id: a, type: ${FAIL} }
      - { id: b, type: ${LOG}, message: b }
  - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ seq: 'FAILED', a: 'FAILED' });
    expect(sim.state).toBe('FAILED');
  });
});
