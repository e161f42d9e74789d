/** Kestra's deprecated EachSequential and EachParallel, which the flow model turns into ForEach. */
import { describe, expect, it } from 'vitest';
import { flowYaml, ok, Sim } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

const each = (type: string, extra = '') =>
  flowYaml(`tasks:
  - id: each
    type: ${type}
    value: '["a", "b", "c"]'
    ${extra}
    tasks:
      - { id: first, type: ${LOG}, message: "{{ taskrun.value }}" }
      - { id: second, type: ${LOG}, message: "{{ taskrun.value }}" }
  - { id: after, type: ${LOG}, message: after }`);

describe('EachSequential', () => {
  it('runs one value at a time, its tasks in order', () => {
    const sim = new Sim(each('io.kestra.core.tasks.flows.EachSequential')).start();
    sim.complete('each', ok({ values: ['a', 'b', 'c'] }));
    expect(sim.pending()).toEqual(['first[a]']);
    sim.complete('first', ok());
    expect(sim.pending()).toEqual(['second[a]']);
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['first', 'second', 'first', 'second', 'first', 'second', 'after']);
  });
});

describe('EachParallel', () => {
  it('starts every task of every value at once', () => {
    const sim = new Sim(each('io.kestra.core.tasks.flows.EachParallel')).start();
    sim.complete('each', ok({ values: ['a', 'b', 'c'] }));
    expect(sim.pending().sort()).toEqual([
      'first[a]',
      'first[b]',
      'first[c]',
      'second[a]',
      'second[b]',
      'second[c]',
    ]);
    sim.runUntilIdle();
    expect(sim.stateOf('each')).toBe('SUCCESS');
    expect(sim.stateOf('after')).toBe('SUCCESS');
  });

  it('runs `concurrent` values at once, each with all its tasks', () => {
    const sim = new Sim(each('io.kestra.core.tasks.flows.EachParallel', 'concurrent: 1')).start();
    sim.complete('each', ok({ values: ['a', 'b', 'c'] }));
    expect(sim.pending().sort()).toEqual(['first[a]', 'second[a]']);
    sim.complete({ taskId: 'first', value: 'a' }, ok());
    sim.complete({ taskId: 'second', value: 'a' }, ok());
    expect(sim.pending().sort()).toEqual(['first[b]', 'second[b]']);
  });
});
