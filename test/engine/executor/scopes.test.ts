import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../../src/engine/executor/types.js';
import type { State } from '../../../src/engine/model.js';
import { failed, flowYaml, ok, Sim } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';
const FAIL = 'io.kestra.plugin.core.execution.Fail';

describe('flow-level errors and finally', () => {
  const flow = flowYaml(`tasks:
  - { id: main, type: ${LOG}, message: main }
  - { id: next, type: ${LOG}, message: next }
errors:
  - { id: on_error, type: ${LOG}, message: handled }
  - { id: on_error2, type: ${LOG}, message: handled }
finally:
  - { id: cleanup, type: ${LOG}, message: cleanup }`);

  it('runs finally but not errors when the tasks succeed', () => {
    const sim = new Sim(flow).start().runUntilIdle();
    expect(sim.ran).toEqual(['main', 'next', 'cleanup']);
    expect(sim.state).toBe('SUCCESS');
  });

  it('runs errors, in order, then finally when a task fails, and still ends FAILED', () => {
    const sim = new Sim(flow).start();
    sim.complete('main', failed());
    expect(sim.pending()).toEqual(['on_error']);
    expect(sim.state).toBe('RUNNING');
    sim.complete('on_error', ok());
    expect(sim.pending()).toEqual(['on_error2']);
    sim.complete('on_error2', ok());
    expect(sim.pending()).toEqual(['cleanup']);
    sim.complete('cleanup', ok());
    expect(sim.states()).toEqual({
      main: 'FAILED',
      on_error: 'SUCCESS',
      on_error2: 'SUCCESS',
      cleanup: 'SUCCESS',
    });
    expect(sim.state).toBe('FAILED');
    expect(sim.runOf('on_error').parentTaskRunId).toBeUndefined();
  });

  it('runs finally even when an errors task fails', () => {
    const sim = new Sim(flow).start().runUntilIdle({ main: failed(), on_error: failed() });
    expect(sim.ran).toEqual(['main', 'on_error', 'cleanup']);
    expect(sim.state).toBe('FAILED');
  });

  it('fails the execution when finally fails after successful tasks', () => {
    const sim = new Sim(flow).start().runUntilIdle({ cleanup: failed() });
    expect(sim.states()).toEqual({ main: 'SUCCESS', next: 'SUCCESS', cleanup: 'FAILED' });
    expect(sim.state).toBe('FAILED');
  });

  it('makes a successful execution WARNING when finally ends WARNING', () => {
    const sim = new Sim(flow).start().runUntilIdle({ cleanup: { state: 'WARNING' } });
    expect(sim.state).toBe('WARNING');
  });
});

describe('flowable-level errors and finally', () => {
  it('runs the errors of a Sequential inside it when a child fails; the Sequential stays FAILED', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - { id: boom, type: ${FAIL} }
      - { id: never, type: ${LOG}, message: never }
    errors:
      - { id: seq_error, type: ${LOG}, message: handled }
    finally:
      - { id: seq_finally, type: ${LOG}, message: done }
  - { id: after, type: ${LOG}, message: after }
errors:
  - { id: flow_error, type: ${LOG}, message: handled }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.ran).toEqual(['boom', 'seq_error', 'seq_finally', 'flow_error']);
    expect(sim.runOf('seq_error').parentTaskRunId).toBe(sim.runOf('seq').id);
    expect(sim.stateOf('seq')).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });

  it('runs a flowable’s finally when it succeeds, and fails it when finally fails', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - { id: a, type: ${LOG}, message: a }
    errors:
      - { id: seq_error, type: ${LOG}, message: handled }
    finally:
      - { id: seq_finally, type: ${LOG}, message: done }
  - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle({ seq_finally: failed() });
    expect(sim.ran).toEqual(['a', 'seq_finally']);
    expect(sim.stateOf('seq')).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });

  it('runs the errors of a ForEach once, at its level, after its values', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    concurrencyLimit: 0
    tasks:
      - { id: item, type: ${LOG}, message: "{{ taskrun.value }}" }
    errors:
      - { id: each_error, type: ${LOG}, message: handled }
    finally:
      - { id: each_finally, type: ${LOG}, message: done }`),
    )
      .start()
      .runUntilIdle({ item: ({ run }) => (run?.value === 'a' ? failed() : undefined) });
    const each = sim.runOf('each');
    expect(sim.runOf('each_error')).toMatchObject({
      parentTaskRunId: each.id,
      state: { current: 'SUCCESS' },
    });
    expect(sim.runOf('each_error').value).toBeUndefined();
    expect(sim.ran.slice(-2)).toEqual(['each_error', 'each_finally']);
    expect(sim.stateOf('each')).toBe('FAILED');
  });

  it('does not run a ForEach’s errors when its values succeed', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a"]
    tasks:
      - { id: item, type: ${LOG}, message: x }
    errors:
      - { id: each_error, type: ${LOG}, message: handled }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.ran).toEqual(['item']);
    expect(sim.state).toBe('SUCCESS');
  });
});

describe('afterExecution', () => {
  const flow = flowYaml(`tasks:
  - { id: main, type: ${LOG}, message: main }
finally:
  - { id: cleanup, type: ${LOG}, message: cleanup }
afterExecution:
  - { id: notify, type: ${LOG}, message: "{{ execution.state }}" }
  - { id: notify2, type: ${LOG}, message: again }`);

  it('runs after finally, knowing the final state, and the execution ends in that state', () => {
    const sim = new Sim(flow).start();
    sim.complete('main', failed());
    sim.complete('cleanup', ok());
    expect(sim.pending()).toEqual(['notify']);
    expect(sim.state).toBe('RUNNING');
    expect(sim.execution.control?.finalState).toBe('FAILED');
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['main', 'cleanup', 'notify', 'notify2']);
    expect(sim.state).toBe('FAILED');
    expect(sim.execution.control?.finalState).toBeUndefined();
    expect(sim.actions.filter((a) => a.kind === 'ended')).toEqual([{ kind: 'ended', state: 'FAILED' }]);
  });

  it('knows a successful final state too', () => {
    const sim = new Sim(flow).start();
    sim.complete('main', ok());
    sim.complete('cleanup', ok());
    expect(sim.execution.control?.finalState).toBe('SUCCESS');
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('does not change the final state when it fails', () => {
    const sim = new Sim(flow).start().runUntilIdle({ notify: failed() });
    expect(sim.ran).toEqual(['main', 'cleanup', 'notify']);
    expect(sim.state).toBe('SUCCESS');
  });
});

describe('the final state of a set of task runs', () => {
  const flow = flowYaml(`tasks:
  - id: par
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - { id: a, type: ${LOG}, message: a }
      - { id: b, type: ${LOG}, message: b }
      - { id: c, type: ${LOG}, message: c }`);

  const cases: Array<[JobResult['state'][], State]> = [
    [['SUCCESS', 'SUCCESS', 'SUCCESS'], 'SUCCESS'],
    [['SUCCESS', 'SKIPPED', 'SUCCESS'], 'SUCCESS'],
    [['SKIPPED', 'SKIPPED', 'SKIPPED'], 'SUCCESS'],
    [['SUCCESS', 'WARNING', 'SKIPPED'], 'WARNING'],
    [['WARNING', 'FAILED', 'SUCCESS'], 'FAILED'],
    [['FAILED', 'WARNING', 'FAILED'], 'FAILED'],
    [['FAILED', 'KILLED', 'WARNING'], 'KILLED'],
    [['KILLED', 'SUCCESS', 'SUCCESS'], 'KILLED'],
    [['WARNING', 'SUCCESS', 'KILLED'], 'KILLED'],
  ];

  it.each(cases)('%j → %s (any KILLED, else FAILED, else WARNING, else SUCCESS)', (states, expected) => {
    const [a, b, c] = states;
    const sim = new Sim(flow).start().runUntilIdle({ a: { state: a! }, b: { state: b! }, c: { state: c! } });
    expect(sim.stateOf('par')).toBe(expected);
    expect(sim.state).toBe(expected);
  });
});
