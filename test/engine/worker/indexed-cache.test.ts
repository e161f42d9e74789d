/**
 * The worker's cache of indexed executions (jobs.ts indexedFor): shared by the jobs of one
 * committed version, and holding one version per execution, so that a running execution's
 * earlier versions are not kept alive (their survival to the old generation cost CPU per task).
 */
import { describe, expect, it } from 'vitest';
import { indexedFor } from '../../../src/engine/worker/jobs.js';
import { flowYaml, Sim } from '../executor/harness.js';

const FLOW = flowYaml(`tasks:
  - { id: a, type: io.kestra.plugin.core.debug.Return, format: x }`);

/** A started execution under an id of its own (the simulator's ids repeat from one Sim to the next). */
function started(id: string): Sim {
  const sim = new Sim(FLOW).start();
  sim.execution = { ...sim.execution, id };
  return sim;
}

describe('indexedFor', () => {
  it('shares one index between the jobs of a version and builds another for the next', () => {
    const sim = started('shared');
    const v1 = sim.execution;
    const v2 = { ...v1, version: v1.version + 1 };
    const first = indexedFor(v1, sim.flow);
    expect(indexedFor(v1, sim.flow)).toBe(first);
    const second = indexedFor(v2, sim.flow);
    expect(second).not.toBe(first);
    expect(second.execution).toBe(v2);
    expect(indexedFor(v2, sim.flow)).toBe(second);
  });

  it('keeps only the latest version of an execution', () => {
    const sim = started('latest');
    const v1 = sim.execution;
    const first = indexedFor(v1, sim.flow);
    indexedFor({ ...v1, version: v1.version + 1 }, sim.flow);
    // The earlier version was dropped when the next one came: asked again, it is indexed anew.
    const again = indexedFor(v1, sim.flow);
    expect(again).not.toBe(first);
    expect(again.execution).toBe(v1);
  });

  it('finds a task run by id from the execution it indexed', () => {
    const sim = started('by-id');
    const indexed = indexedFor(sim.execution, sim.flow);
    for (const run of sim.execution.taskRunList) expect(indexed.run(run.id)).toBe(run);
    expect(indexed.run('unknown')).toBeUndefined();
  });
});
