/**
 * The run context a task's templates see, built from an execution (unit tests: the execution
 * comes from the executor simulator, no store or worker).
 */
import { describe, expect, it } from 'vitest';
import { templates } from '../../../src/expr/index.js';
import { indexFlow } from '../../../src/engine/executor/flow-index.js';
import type { TaskRun } from '../../../src/engine/model.js';
import {
  buildVariables,
  IndexedExecution,
  labelsVariable,
  loopPath,
} from '../../../src/engine/worker/variables.js';
import { flowYaml, ok, Sim } from '../executor/harness.js';
import type { JobContext, Reply } from '../executor/harness.js';

const RETURN = 'io.kestra.plugin.core.debug.Return';
const SWITCH = 'io.kestra.plugin.core.flow.Switch';

/** Runs the flow in the simulator; each Return answers `<its value path>`. */
function ranFlow(body: string, answer: (ctx: JobContext) => Reply = () => undefined): Sim {
  return new Sim(flowYaml(body))
    .start()
    .runUntilIdle((ctx) =>
      ctx.task?.type === RETURN && ctx.job.purpose === 'run'
        ? ok({ value: `${ctx.run!.taskId}:${ctx.run!.value ?? '-'}` })
        : answer(ctx),
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

  it('parents: every enclosing task run with a loop value or outputs, nearest first (as Kestra)', () => {
    const sim = ranFlow(NESTED);
    const indexed = new IndexedExecution(sim.execution, sim.flow, indexFlow(sim.flow));
    const s = sim.execution.taskRunList.find(
      (r) => r.taskId === 's' && loopPath(indexed, r).join('/') === 'b/2',
    )!;
    // seq is the inner ForEach's child (value 2), inner the outer's (value b); outer has neither.
    expect(
      render(
        sim,
        s,
        '{{ taskrun.value }} {{ parents[0].taskrun.value }} {{ parents[1].taskrun.value }} {{ parent.taskrun.value }} {{ parents | length }}',
      ),
    ).toBe('2 2 b 2 2');
    expect(render(sim, s, '{{ currentEachOutput(outputs.r).value }}')).toBe('r:2');
    const r = sim.execution.taskRunList.find(
      (run) => run.taskId === 'r' && loopPath(indexed, run).join('/') === 'a/1',
    )!;
    expect(render(sim, r, '{{ parent.taskrun.value }} {{ currentEachOutput(outputs.r).value }}')).toBe(
      'a r:1',
    );
    const outer = sim.runOf('outer');
    expect(render(sim, outer, '{{ parents | length }} {{ parent is defined }}')).toBe('0 false');
  });

  it('parents inside a Switch inside ForEach: the case tasks see each level (Kestra each-switch)', () => {
    const sim = ranFlow(
      `tasks:
  - id: letters
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: by_letter
        type: io.kestra.plugin.core.flow.Switch
        value: "{{ taskrun.value }}"
        defaults:
          - { id: other, type: ${RETURN}, format: x }
        cases:
          b:
            - id: numbers
              type: io.kestra.plugin.core.flow.ForEach
              values: ["1", "2"]
              tasks:
                - id: by_number
                  type: io.kestra.plugin.core.flow.Switch
                  value: "{{ taskrun.value }}"
                  defaults:
                    - { id: one, type: ${RETURN}, format: x }
                  cases:
                    "2":
                      - { id: two, type: ${RETURN}, format: x }`,
      (ctx) =>
        ctx.task?.type === SWITCH && ctx.job.purpose === 'resolve'
          ? ok({ value: ctx.run!.value })
          : undefined,
    );
    const two = sim.runOf('two');
    expect(render(sim, two, '{{ parents[0].taskrun.value }} {{ parents[1].taskrun.value }}')).toBe('2 b');
  });

  it('parent.outputs: the enclosing run’s outputs, such as a LoopUntil’s iterationCount', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ true }}"
    checkFrequency: { maxIterations: 3, interval: PT0S }
    tasks:
      - { id: step, type: ${RETURN}, format: x }`),
    )
      .start()
      .runUntilIdle();
    expect(render(sim, sim.runOf('step'), '{{ parent.outputs.iterationCount }}')).toBe('1');
  });

  it('workerTaskrun: the WorkingDirectory’s task run, inside it only', () => {
    const sim = ranFlow(`tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["x"]
    tasks:
      - id: wd
        type: io.kestra.plugin.core.flow.WorkingDirectory
        tasks:
          - { id: inside, type: ${RETURN}, format: x }
  - { id: outside, type: ${RETURN}, format: x }`);
    const wd = sim.runOf('wd');
    expect(
      render(
        sim,
        sim.runOf('inside'),
        '{{ workerTaskrun.id == taskrun.parentId }} {{ workerTaskrun.value }} {{ workerTaskrun.id }}',
      ),
    ).toBe(`true x ${wd.id}`);
    expect(render(sim, sim.runOf('outside'), '{{ workerTaskrun is defined }}')).toBe('false');
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

  it('labels: dotted keys nest as in Kestra (labels.system.correlationId) and still answer whole', () => {
    const labels = labelsVariable([
      { key: 'team', value: 'data' },
      { key: 'app.name', value: 'billing' },
      { key: 'system.correlationId', value: 'abc' },
    ]);
    expect(
      templates.render(
        "{{ labels.system.correlationId }} {{ labels.app.name }} {{ labels['app.name'] }} {{ labels }}",
        { labels },
      ),
    ).toBe('abc billing billing {"team":"data","app":{"name":"billing"},"system":{"correlationId":"abc"}}');
  });
});
