import { describe, expect, it } from 'vitest';
import { failed, flowYaml, ok, Sim, warning } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

describe('If', () => {
  const ifFlow = (condition: string) =>
    flowYaml(`tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "${condition}"
    then:
      - { id: yes1, type: ${LOG}, message: y }
      - { id: yes2, type: ${LOG}, message: y }
    else:
      - { id: no, type: ${LOG}, message: n }
  - { id: after, type: ${LOG}, message: after }`);

  it('resolves its condition, then runs `then` in order when it holds', () => {
    const sim = new Sim(ifFlow('{{ inputs.go }}')).start();
    expect(sim.job('check').purpose).toBe('resolve');
    sim.complete('check', ok({ condition: true }));
    expect(sim.runOf('check').control?.resolved).toEqual({ condition: true });
    expect(sim.pending()).toEqual(['yes1']);
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['yes1', 'yes2', 'after']);
    expect(sim.runOf('yes1').parentTaskRunId).toBe(sim.runOf('check').id);
    expect(sim.stateOf('check')).toBe('SUCCESS');
  });

  it('runs `else` when it does not', () => {
    const sim = new Sim(ifFlow('false')).start().runUntilIdle();
    expect(sim.ran).toEqual(['no', 'after']);
    expect(sim.stateOf('yes1')).toBeUndefined();
  });

  it('ends at once (SUCCESS) when the chosen branch is empty', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "false"
    then:
      - { id: yes, type: ${LOG}, message: y }
  - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ check: 'SUCCESS', after: 'SUCCESS' });
  });

  it('fails when a task of its branch fails', () => {
    const sim = new Sim(ifFlow('true')).start().runUntilIdle({ yes1: failed() });
    expect(sim.states()).toEqual({ check: 'FAILED', yes1: 'FAILED' });
    expect(sim.state).toBe('FAILED');
  });
});

describe('Switch', () => {
  const switchFlow = (value: string, defaults = true) =>
    flowYaml(`tasks:
  - id: sw
    type: io.kestra.plugin.core.flow.Switch
    value: "${value}"
    cases:
      A:
        - { id: a, type: ${LOG}, message: a }
      "1":
        - { id: one, type: ${LOG}, message: one }
${defaults ? `    defaults:\n      - { id: other, type: ${LOG}, message: other }` : ''}
  - { id: after, type: ${LOG}, message: after }`);

  it('runs the case whose key equals the value', () => {
    const sim = new Sim(switchFlow('A')).start().runUntilIdle();
    expect(sim.ran).toEqual(['a', 'after']);
    expect(sim.stateOf('sw')).toBe('SUCCESS');
  });

  it('matches a non-string value by its text', () => {
    const sim = new Sim(switchFlow('{{ 1 }}')).start();
    sim.complete('sw', ok({ value: 1 }));
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['one', 'after']);
  });

  it('runs `defaults` when no case matches', () => {
    const sim = new Sim(switchFlow('Z')).start().runUntilIdle();
    expect(sim.ran).toEqual(['other', 'after']);
  });

  it('fails, with an error naming the value, when no case matches and there are no defaults (Kestra: SwitchTest.switchImpossible)', () => {
    const sim = new Sim(switchFlow('Z', false)).start().runUntilIdle();
    expect(sim.ran).toEqual([]);
    expect(sim.stateOf('sw')).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
    expect(sim.logs.filter((l) => l.level === 'ERROR').map((l) => l.message)).toContain(
      'No case of `sw` matches `Z` and it has no `defaults`',
    );
  });

  it('lets `errors` of the flow react to a Switch with no matching case', () => {
    const sim = new Sim(
      switchFlow('Z', false) + `\nerrors:\n  - { id: on_error, type: ${LOG}, message: handled }\n`,
    )
      .start()
      .runUntilIdle();
    expect(sim.ran).toEqual(['on_error']);
    expect(sim.state).toBe('FAILED');
  });

  it('outputs the rendered value and defaults=false when a case matched (Kestra: Switch.outputs)', () => {
    const sim = new Sim(switchFlow('A')).start().runUntilIdle();
    expect(sim.runOf('sw').outputs).toEqual({ value: 'A', defaults: false });
  });

  it('outputs defaults=true when no case matched, and the value as text', () => {
    const sim = new Sim(switchFlow('Z')).start().runUntilIdle();
    expect(sim.runOf('sw').outputs).toEqual({ value: 'Z', defaults: true });
    const numeric = new Sim(switchFlow('{{ 1 }}')).start();
    numeric.complete('sw', ok({ value: 1 }));
    numeric.runUntilIdle();
    expect(numeric.runOf('sw').outputs).toEqual({ value: '1', defaults: false });
  });

  it('does not take a name of a JavaScript object for a case', () => {
    const sim = new Sim(switchFlow('toString')).start().runUntilIdle();
    expect(sim.ran).toEqual(['other', 'after']);
    expect(sim.runOf('sw').outputs).toEqual({ value: 'toString', defaults: true });
  });

  it('treats a null value as no match', () => {
    const sim = new Sim(switchFlow('A')).start();
    sim.complete('sw', ok({ value: null }));
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['other', 'after']);
  });
});

describe('ForEach', () => {
  const forEach = (limit: string, values = '["a", "b", "c"]') =>
    flowYaml(`tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: '${values}'
    ${limit}
    tasks:
      - { id: first, type: ${LOG}, message: "{{ taskrun.value }}" }
      - { id: second, type: ${LOG}, message: "{{ taskrun.value }}" }
  - { id: after, type: ${LOG}, message: after }`);

  it('runs one value at a time by default, its tasks in order', () => {
    const sim = new Sim(forEach('')).start();
    sim.complete('each', ok({ values: ['a', 'b', 'c'] }));
    expect(sim.pending()).toEqual(['first[a]']);
    sim.complete('first', ok());
    expect(sim.pending()).toEqual(['second[a]']);
    sim.complete('second', ok());
    expect(sim.pending()).toEqual(['first[b]']);
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['first', 'second', 'first', 'second', 'first', 'second', 'after']);
    expect(sim.stateOf('each')).toBe('SUCCESS');
  });

  it('gives each value its own scope: children carry the value and the iteration', () => {
    const sim = new Sim(forEach('concurrencyLimit: 0')).start().runUntilIdle();
    const each = sim.runOf('each');
    expect(sim.runsOf('second').map((r) => [r.value, r.iteration, r.parentTaskRunId === each.id])).toEqual([
      ['a', 0, true],
      ['b', 1, true],
      ['c', 2, true],
    ]);
    expect(each.value).toBeUndefined();
  });

  it('runs `concurrencyLimit` values at once', () => {
    const sim = new Sim(forEach('concurrencyLimit: 2')).start().runUntilIdle({ first: 'hold' });
    expect(sim.pending()).toEqual(['first[a]', 'first[b]']);
    sim.complete({ taskId: 'first', value: 'b' }, ok());
    expect(sim.pending()).toEqual(['first[a]', 'second[b]']);
    sim.complete({ taskId: 'second', value: 'b' }, ok());
    // b is done: c takes its place.
    expect(sim.pending()).toEqual(['first[a]', 'first[c]']);
    sim.runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
  });

  it('runs every value at once with concurrencyLimit 0', () => {
    const sim = new Sim(forEach('concurrencyLimit: 0')).start().runUntilIdle({ first: 'hold' });
    expect(sim.pending()).toEqual(['first[a]', 'first[b]', 'first[c]']);
  });

  it('stops starting values after one failed, and fails', () => {
    const sim = new Sim(forEach('')).start().runUntilIdle({
      first: ({ run }) => (run?.value === 'b' ? failed() : undefined),
    });
    expect(sim.states()).toEqual({
      each: 'FAILED',
      'first[a]': 'SUCCESS',
      'second[a]': 'SUCCESS',
      'first[b]': 'FAILED',
    });
    expect(sim.state).toBe('FAILED');
  });

  it('lets the other running values finish after a failure', () => {
    const sim = new Sim(forEach('concurrencyLimit: 2')).start().runUntilIdle({ first: 'hold' });
    sim.complete({ taskId: 'first', value: 'a' }, failed());
    expect(sim.pending()).toEqual(['first[b]']);
    sim.runUntilIdle();
    expect(sim.states()).toMatchObject({ each: 'FAILED', 'second[b]': 'SUCCESS' });
    expect(sim.stateOf('first', 'c')).toBeUndefined();
  });

  it('succeeds at once with no values', () => {
    const sim = new Sim(forEach('', '[]')).start().runUntilIdle();
    expect(sim.states()).toEqual({ each: 'SUCCESS', after: 'SUCCESS' });
  });

  it('adds up the states of its values (WARNING)', () => {
    const sim = new Sim(forEach('concurrencyLimit: 0'))
      .start()
      .runUntilIdle({ second: ({ run }) => (run?.value === 'c' ? warning : undefined) });
    expect(sim.stateOf('each')).toBe('WARNING');
    expect(sim.state).toBe('WARNING');
  });
});

describe('nested flowables', () => {
  it('runs a ForEach in a Parallel in an If, values carried down', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "true"
    then:
      - id: par
        type: io.kestra.plugin.core.flow.Parallel
        tasks:
          - id: outer
            type: io.kestra.plugin.core.flow.ForEach
            values: ["x", "y"]
            tasks:
              - id: seq
                type: io.kestra.plugin.core.flow.Sequential
                tasks:
                  - { id: leaf, type: ${LOG}, message: "{{ taskrun.value }}" }
              - id: inner
                type: io.kestra.plugin.core.flow.ForEach
                values: ["1", "2"]
                concurrencyLimit: 0
                tasks:
                  - { id: deep, type: ${LOG}, message: "{{ taskrun.value }}" }
          - { id: side, type: ${LOG}, message: side }
  - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.state).toBe('SUCCESS');
    // The values of the outer loop reach tasks in a Sequential below it.
    expect(sim.runsOf('leaf').map((r) => r.value)).toEqual(['x', 'y']);
    expect(sim.runsOf('seq').map((r) => [r.value, r.iteration])).toEqual([
      ['x', 0],
      ['y', 1],
    ]);
    // The inner loop runs once per outer value, with its own values.
    expect(sim.runsOf('inner').map((r) => r.value)).toEqual(['x', 'y']);
    expect(sim.runsOf('deep').map((r) => r.value)).toEqual(['1', '2', '1', '2']);
    const innerIds = sim.runsOf('inner').map((r) => r.id);
    expect(sim.runsOf('deep').map((r) => innerIds.indexOf(r.parentTaskRunId!))).toEqual([0, 0, 1, 1]);
    expect(sim.ran.at(-1)).toBe('after');
    expect(new Set(sim.execution.taskRunList.map((r) => r.state.current))).toEqual(new Set(['SUCCESS']));
  });
});
