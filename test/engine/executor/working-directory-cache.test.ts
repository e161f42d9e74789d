/** A WorkingDirectory with a `cache`: restored by a resolve job first, saved by a run job last. */
import { describe, expect, it } from 'vitest';
import { failed, flowYaml, ok, Sim } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

const body = flowYaml(`tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    cache:
      patterns: ["deps/**"]
      ttl: PT1H
    tasks:
      - { id: a, type: ${LOG}, message: a }`);

describe('WorkingDirectory cache', () => {
  it('restores before its tasks and saves after them, in its own directory', () => {
    const sim = new Sim(body).start();
    const wd = sim.runOf('wd').id;
    expect(sim.job('wd')).toMatchObject({ purpose: 'resolve', workingDirectoryId: wd });
    sim.complete('wd', ok());
    sim.complete('a', ok());
    expect(sim.job('wd')).toMatchObject({ purpose: 'run', workingDirectoryId: wd });
    sim.complete('wd', ok());
    expect(sim.stateOf('wd')).toBe('SUCCESS');
  });

  it('saves nothing when its tasks failed', () => {
    const sim = new Sim(body).start().runUntilIdle({ a: failed() });
    expect(sim.dispatched.filter((j) => j.taskId === 'wd').map((j) => j.purpose)).toEqual(['resolve']);
    expect(sim.stateOf('wd')).toBe('FAILED');
  });
});
