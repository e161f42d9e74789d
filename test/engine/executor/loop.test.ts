/**
 * Kestra's newer Loop task: the ForEach machinery (one scope per value), with its own default of
 * every value at once (`concurrencyLimit: 0`).
 */
import { describe, expect, it } from 'vitest';
import { failed, flowYaml, ok, Sim, warning } from './harness.js';

const RETURN = 'io.kestra.plugin.core.debug.Return';

const loop = (extra = '') =>
  flowYaml(`tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.Loop
    values: ["a", "b", "c"]
    ${extra}
    tasks:
      - { id: first, type: ${RETURN}, format: "{{ item.value }}" }
      - { id: second, type: ${RETURN}, format: "{{ item.index }}" }
  - { id: after, type: ${RETURN}, format: after }`);

describe('Loop', () => {
  it('starts every value at once by default, each running its tasks in order', () => {
    const sim = new Sim(loop()).start();
    sim.complete('loop', ok({ values: ['a', 'b', 'c'] }));
    expect(sim.pending().sort()).toEqual(['first[a]', 'first[b]', 'first[c]']);
    sim.runUntilIdle();
    expect(sim.stateOf('loop')).toBe('SUCCESS');
    expect(sim.stateOf('after')).toBe('SUCCESS');
  });

  it('runs `concurrencyLimit` values at once', () => {
    const sim = new Sim(loop('concurrencyLimit: 1')).start();
    sim.complete('loop', ok({ values: ['a', 'b', 'c'] }));
    expect(sim.pending()).toEqual(['first[a]']);
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['first', 'second', 'first', 'second', 'first', 'second', 'after']);
  });

  it('fails once an iteration failed, and starts no new one', () => {
    const sim = new Sim(loop('concurrencyLimit: 1')).start();
    sim.complete('loop', ok({ values: ['a', 'b', 'c'] }));
    sim.complete({ taskId: 'first', value: 'a' }, failed());
    sim.runUntilIdle();
    expect(sim.stateOf('loop')).toBe('FAILED');
    expect(sim.ran).not.toContain('after');
  });

  it('with `transmitFailed: false`, runs every iteration despite a failure and ends SUCCESS', () => {
    const sim = new Sim(loop('concurrencyLimit: 1\n    transmitFailed: false')).start();
    sim.complete('loop', ok({ values: ['a', 'b', 'c'] }));
    sim.complete({ taskId: 'first', value: 'a' }, failed());
    sim.runUntilIdle();
    expect(sim.stateOf('first', 'a')).toBe('FAILED');
    expect(sim.stateOf('first', 'c')).toBe('SUCCESS');
    expect(sim.stateOf('loop')).toBe('SUCCESS');
    expect(sim.stateOf('after')).toBe('SUCCESS');
    expect(sim.runOf('loop').outputs).toEqual({
      iterationCount: 3,
      runningIterations: 0,
      terminatedIterations: { FAILED: 1, SUCCESS: 2 },
    });
  });

  it('ends SUCCESS when an iteration ends WARNING, as Kestra counts only failures', () => {
    const sim = new Sim(loop()).start();
    sim.complete('loop', ok({ values: ['a', 'b'] }));
    sim.complete({ taskId: 'first', value: 'b' }, warning);
    sim.runUntilIdle();
    expect(sim.stateOf('loop')).toBe('SUCCESS');
  });
});
