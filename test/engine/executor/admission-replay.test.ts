import { describe, expect, it } from 'vitest';
import { admit } from '../../../src/engine/executor/admission.js';
import { indexFlow } from '../../../src/engine/executor/flow-index.js';
import { replayExecution, ReplayError } from '../../../src/engine/executor/replay.js';
import type { StepEnvironment } from '../../../src/engine/executor/types.js';
import type { Execution } from '../../../src/engine/model.js';
import type { JobContext } from './harness.js';
import { failed, flowYaml, newExecution, parseFlow, Sim, T0 } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';

const env = (): StepEnvironment => {
  let n = 0;
  return { now: T0, newId: () => `new${++n}`, random: () => 0.5 };
};

describe('admission (flow concurrency)', () => {
  const flow = (concurrency: string) =>
    parseFlow(
      flowYaml(`${concurrency}
tasks:
  - { id: a, type: ${LOG}, message: a }`),
    );

  it('starts the execution when the flow has no limit: RUNNING and a start event for itself', () => {
    const f = flow('');
    const result = admit(f, newExecution(f), 99, env());
    expect(result.execution.state.current).toBe('RUNNING');
    expect(result.execution.version).toBe(2);
    expect(result.events).toEqual([{ executionId: 'exec', event: { kind: 'start' } }]);
    // The start event then starts the tasks.
    const sim = new Sim(f, result.execution).start();
    expect(sim.pending()).toEqual(['a']);
  });

  it('starts it while a slot is free', () => {
    const f = flow('concurrency: { limit: 2, behavior: QUEUE }');
    expect(admit(f, newExecution(f), 1, env()).execution.state.current).toBe('RUNNING');
  });

  it('QUEUE: waits QUEUED, then starts once a slot is free', () => {
    const f = flow('concurrency: { limit: 1, behavior: QUEUE }');
    const queued = admit(f, newExecution(f), 1, env());
    expect(queued.execution.state.current).toBe('QUEUED');
    expect(queued.logs).toHaveLength(1);
    const again = admit(f, queued.execution, 1, env());
    expect(again.execution.state.current).toBe('QUEUED');
    expect(again.logs).toEqual([]);
    expect(admit(f, again.execution, 0, env()).execution.state.current).toBe('RUNNING');
  });

  it('CANCEL and FAIL: end the execution at once', () => {
    for (const [behavior, state] of [
      ['CANCEL', 'CANCELLED'],
      ['FAIL', 'FAILED'],
    ] as const) {
      const f = flow(`concurrency: { limit: 1, behavior: ${behavior} }`);
      const result = admit(f, newExecution(f), 1, env());
      expect(result.execution.state.current).toBe(state);
      expect(result.actions).toEqual([{ kind: 'ended', state }]);
    }
  });

  it('FAIL_AFTER_N_RETRIES: tries again after the interval, then fails', () => {
    const f = flow(
      'concurrency: { limit: 1, behavior: FAIL_AFTER_N_RETRIES, maxRetries: 2, retryInterval: PT10S }',
    );
    let execution: Execution = newExecution(f);
    for (const n of [1, 2]) {
      const result = admit(f, execution, 1, env());
      expect(result.execution.state.current).toBe('QUEUED');
      expect(result.execution.control?.admissionRetries).toBe(n);
      expect(result.timers).toEqual([
        {
          executionId: 'exec',
          at: new Date(T0.getTime() + 10_000).toISOString(),
          event: { kind: 'timer', purpose: 'admission' },
          key: 'admission',
        },
      ]);
      execution = result.execution;
    }
    const last = admit(f, execution, 1, env());
    expect(last.execution.state.current).toBe('FAILED');
  });

  it('the admission timer asks the runtime to admit a QUEUED execution again', () => {
    const f = flow('concurrency: { limit: 1, behavior: FAIL_AFTER_N_RETRIES }');
    const queued = admit(f, newExecution(f), 1, env()).execution;
    const sim = new Sim(f, queued);
    sim.send({ kind: 'timer', purpose: 'admission' });
    expect(sim.last.actions).toEqual([{ kind: 'admit' }]);
    expect(sim.state).toBe('QUEUED');
  });

  it('leaves a started execution alone', () => {
    const f = flow('concurrency: { limit: 1, behavior: FAIL }');
    const running = admit(f, newExecution(f), 0, env()).execution;
    const result = admit(f, running, 5, env());
    expect(result.execution.state).toEqual(running.state);
  });
});

describe('replay', () => {
  const flow = parseFlow(
    flowYaml(`tasks:
  - { id: a, type: ${LOG}, message: a }
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["x", "y", "z"]
    tasks:
      - { id: item, type: ${LOG}, message: i }
  - { id: c, type: ${LOG}, message: c }
errors:
  - { id: on_error, type: ${LOG}, message: e }`),
  );
  /** Each job is answered a second after the previous one, so that task runs are ordered in time. */
  const tick = (fail: (ctx: JobContext) => boolean) => (ctx: JobContext) => {
    ctx.sim.now = new Date(ctx.sim.now.getTime() + 1000);
    return fail(ctx) ? failed() : undefined;
  };

  function failedAtItemY(): Sim {
    const sim = new Sim(flow).start();
    sim.runUntilIdle(tick(({ job, run }) => job.taskId === 'item' && run?.value === 'y'));
    expect(sim.state).toBe('FAILED');
    return sim;
  }

  it('from the start: a new CREATED execution with the same inputs and no task runs', () => {
    const source = failedAtItemY().execution;
    const replay = replayExecution(indexFlow(flow), { ...source, inputs: { n: 1 } }, env());
    expect(replay).toMatchObject({
      id: 'new1',
      state: { current: 'CREATED' },
      inputs: { n: 1 },
      originalId: 'exec',
      control: { replayOf: 'exec' },
      taskRunList: [],
      version: 1,
    });
  });

  it('from a task run: keeps what ended before it, reopens its parents, and runs on from there', () => {
    const source = failedAtItemY();
    const target = source.runOf('item', 'y');
    const replay = replayExecution(indexFlow(flow), source.execution, env(), { fromTaskRunId: target.id });
    const kept = replay.taskRunList.map(
      (r) => `${r.taskId}${r.value ? `[${r.value}]` : ''}:${r.state.current}`,
    );
    expect(kept).toEqual(['a:SUCCESS', 'each:RUNNING', 'item[x]:SUCCESS']);
    expect(
      replay.taskRunList.every(
        (r) => r.executionId === 'new1' && !source.execution.taskRunList.some((o) => o.id === r.id),
      ),
    ).toBe(true);
    const each = replay.taskRunList.find((r) => r.taskId === 'each')!;
    expect(replay.taskRunList.find((r) => r.taskId === 'item')!.parentTaskRunId).toBe(each.id);
    const sim = new Sim(flow, replay).start();
    expect(sim.pending()).toEqual(['item[y]']);
    sim.runUntilIdle();
    expect(sim.ran).toEqual(['item', 'item', 'c']);
    expect(sim.state).toBe('SUCCESS');
  });

  it('refuses a task run that is not in the execution', () => {
    const source = failedAtItemY().execution;
    expect(() => replayExecution(indexFlow(flow), source, env(), { fromTaskRunId: 'nope' })).toThrow(
      ReplayError,
    );
  });
});
