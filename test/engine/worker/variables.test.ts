/**
 * The run context a task's templates see, built from an execution (unit tests: the execution
 * comes from the executor simulator, no store or worker).
 */
import { describe, expect, it } from 'vitest';
import { templates } from '../../../src/expr/index.js';
import { indexFlow } from '../../../src/engine/executor/flow-index.js';
import type { TaskRun } from '../../../src/engine/model.js';
import { buildVariables, IndexedExecution, loopPath } from '../../../src/engine/worker/variables.js';
import { flowYaml, ok, Sim } from '../executor/harness.js';

const RETURN = 'io.kestra.plugin.core.debug.Return';

/** Runs the flow in the simulator; each Return answers `<its value path>`. */
function ranFlow(body: string): Sim {
  return new Sim(flowYaml(body))
    .start()
    .runUntilIdle((ctx) =>
      ctx.task?.type === RETURN && ctx.job.purpose === 'run'
        ? ok({ value: `${ctx.run!.taskId}:${ctx.run!.value ?? '-'}` })
        : undefined,
    );
}

function render(sim: Sim, run: TaskRun, template: string, env: Record<string, string> = {}): string {
  const indexed = new IndexedExecution(sim.execution, sim.flow, indexFlow(sim.flow));
  const vars = buildVariables({ indexed, run, task: indexFlow(sim.flow).node(run.taskId).task, env });
  return templates.render(template, vars);
}

const NESTED = `tasks:
  - id: outer
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: inner
        type: io.kestra.plugin.core.flow.ForEach
        values: ["1", "2"]
        tasks:
          - { id: r, type: ${RETURN}, format: x }
          - id: seq
            type: io.kestra.plugin.core.flow.Sequential
            tasks:
              - { id: s, type: ${RETURN}, format: x }
  - { id: after, type: ${RETURN}, format: x }`;

describe('run context', () => {
  it('keys outputs and tasks by ForEach item, one level per ForEach', () => {
    const sim = ranFlow(NESTED);
    const after = sim.runOf('after');
    expect(render(sim, after, "{{ outputs.r['a']['2'].value }} {{ outputs.s['b']['1'].value }}")).toBe(
      'r:2 s:1',
    );
    expect(render(sim, after, "{{ tasks.r['b']['2'].state }} {{ tasks.outer.state }}")).toBe(
      'SUCCESS SUCCESS',
    );
  });

  it('parents: the enclosing ForEach items, nearest first, whatever flowables are between', () => {
    const sim = ranFlow(NESTED);
    const indexed = new IndexedExecution(sim.execution, sim.flow, indexFlow(sim.flow));
    const s = sim.execution.taskRunList.find(
      (r) => r.taskId === 's' && loopPath(indexed, r).join('/') === 'b/2',
    )!;
    expect(
      render(
        sim,
        s,
        '{{ taskrun.value }} {{ parents[0].taskrun.value }} {{ parent.taskrun.value }} {{ parents | length }}',
      ),
    ).toBe('2 b b 1');
    expect(render(sim, s, '{{ currentEachOutput(outputs.r).value }}')).toBe('r:2');
    const outer = sim.runOf('outer');
    expect(render(sim, outer, '{{ parents is defined }}')).toBe('false');
  });

  it('LoopUntil iterations: outputs are the latest iteration, taskrun.iteration counts', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ false }}"
    checkFrequency: { maxIterations: 3, interval: PT0S }
    tasks:
      - { id: step, type: ${RETURN}, format: x }
  - { id: after, type: ${RETURN}, format: x }`),
    ).start();
    let n = 0;
    for (let i = 0; i < 20 && sim.jobs.size + sim.timers.size > 0; i++) {
      sim.runUntilIdle((ctx) =>
        ctx.task?.id === 'step'
          ? ok({ value: `iteration ${ctx.run!.iteration} #${++n}` })
          : ctx.job.purpose === 'evaluate'
            ? { state: 'SUCCESS', condition: false }
            : undefined,
      );
      sim.advance(1);
    }
    expect(
      render(sim, sim.runOf('after'), '{{ outputs.step.value }} / {{ outputs.loop.iterationCount }}'),
    ).toBe('iteration 2 #3 / 3');
  });

  it('flow, execution, task, taskrun, labels, vars (unrendered), inputs, envs from ENV_', () => {
    const sim = new Sim(
      flowYaml(`variables:
  who: "{{ inputs.name }}"
tasks:
  - { id: t, type: ${RETURN}, format: x }`),
      { inputs: { name: 'ann' }, labels: [{ key: 'team', value: 'data' }] },
    )
      .start()
      .runUntilIdle();
    const t = sim.runOf('t');
    expect(
      render(
        sim,
        t,
        '{{ flow.id }}|{{ execution.id == taskrun.id }}|{{ task.type }}|{{ taskrun.attemptsCount }}|{{ labels.team }}|{{ vars.who }}|{{ render(vars.who) }}|{{ envs.colour }}',
        { ENV_COLOUR: 'teal', OTHER: 'x' },
      ),
    ).toBe(`${sim.flow.id}|false|${RETURN}|0|data|{{ inputs.name }}|ann|teal`);
  });
});
