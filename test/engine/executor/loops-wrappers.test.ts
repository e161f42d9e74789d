import { describe, expect, it } from 'vitest';
import type { JobContext } from './harness.js';
import { failed, flowYaml, ok, Sim, T0, warning } from './harness.js';

const LOG = 'io.kestra.plugin.core.log.Log';
const FAIL = 'io.kestra.plugin.core.execution.Fail';

describe('LoopUntil', () => {
  const loop = (check: string, failOnMaxReached = false) =>
    flowYaml(`tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.count.value == '3' }}"
    failOnMaxReached: ${failOnMaxReached}
    checkFrequency: { interval: PT10S${check} }
    tasks:
      - { id: count, type: ${LOG}, message: tick }
  - { id: after, type: ${LOG}, message: after }`);

  /** An evaluate responder: the condition holds from the n-th evaluation on. */
  const holdsAt = (n: number) => {
    let evaluations = 0;
    return { 'loop:evaluate': () => ({ state: 'SUCCESS' as const, condition: ++evaluations >= n }) };
  };

  it('runs its tasks, evaluates the condition, waits the interval, and again until it holds', () => {
    const sim = new Sim(loop('')).start();
    const responder = holdsAt(3);
    sim.runUntilIdle(responder);
    // First iteration done, condition false: the next one waits for the interval.
    expect(sim.runsOf('count')).toHaveLength(1);
    expect(sim.stateOf('loop')).toBe('RUNNING');
    expect(sim.timer('loopNext').at).toBe(new Date(T0.getTime() + 10_000).toISOString());
    expect(sim.runOf('loop').outputs).toEqual({ iterationCount: 1 });
    sim.advance(9_999).runUntilIdle(responder);
    expect(sim.runsOf('count')).toHaveLength(1);
    sim.advance(1);
    expect(sim.pending()).toEqual(['count#1']);
    expect(sim.runOf('loop').outputs).toEqual({ iterationCount: 2 });
    sim.runUntilIdle(responder).advance(10_000).runUntilIdle(responder);
    expect(sim.runsOf('count').map((r) => r.iteration)).toEqual([0, 1, 2]);
    expect(sim.dispatched.filter((j) => j.purpose === 'evaluate')).toHaveLength(3);
    expect(sim.stateOf('loop')).toBe('SUCCESS');
    expect(sim.runOf('loop').outputs).toEqual({ iterationCount: 3 });
    expect(sim.ran.at(-1)).toBe('after');
    expect(sim.state).toBe('SUCCESS');
  });

  it('evaluates only after the iteration ended', () => {
    const sim = new Sim(loop('')).start().runUntilIdle({ count: 'hold' });
    expect(sim.pending()).toEqual(['count#0']);
    sim.complete('count', ok());
    expect(sim.pending('evaluate')).toEqual(['loop']);
  });

  it('ends in SUCCESS at maxIterations when failOnMaxReached is false', () => {
    const sim = new Sim(loop(', maxIterations: 2')).start().runUntilIdle(holdsAt(99));
    sim.advance(10_000).runUntilIdle(holdsAt(99));
    expect(sim.runsOf('count')).toHaveLength(2);
    expect(sim.stateOf('loop')).toBe('SUCCESS');
    expect(sim.logs.some((l) => l.level === 'WARN' && l.message.includes('reached 2 iterations'))).toBe(true);
    expect(sim.timers.size).toBe(0);
  });

  it('fails at maxIterations when failOnMaxReached is true', () => {
    const sim = new Sim(loop(', maxIterations: 2', true)).start().runUntilIdle(holdsAt(99));
    sim.advance(10_000).runUntilIdle(holdsAt(99));
    expect(sim.runsOf('count')).toHaveLength(2);
    expect(sim.stateOf('loop')).toBe('FAILED');
    expect(sim.state).toBe('FAILED');
  });

  it('stops after maxDuration, counted from its first iteration', () => {
    const sim = new Sim(loop(', maxDuration: PT15S', true)).start().runUntilIdle(holdsAt(99));
    sim.advance(10_000).runUntilIdle(holdsAt(99)); // at 10 s: 10 s < 15 s, go on
    expect(sim.stateOf('loop')).toBe('RUNNING');
    sim.advance(10_000).runUntilIdle(holdsAt(99)); // at 20 s: over
    expect(sim.runsOf('count')).toHaveLength(3);
    expect(sim.stateOf('loop')).toBe('FAILED');
  });

  it('fails without evaluating when an iteration fails', () => {
    const sim = new Sim(loop('')).start().runUntilIdle({ count: failed() });
    expect(sim.dispatched.filter((j) => j.purpose === 'evaluate')).toHaveLength(0);
    expect(sim.stateOf('loop')).toBe('FAILED');
  });

  it('checks its limits before the condition, as Kestra: the last allowed iteration ends it unevaluated', () => {
    const sim = new Sim(loop(', maxIterations: 2', true)).start().runUntilIdle(holdsAt(2));
    sim.advance(10_000).runUntilIdle(holdsAt(1));
    expect(sim.runsOf('count')).toHaveLength(2);
    expect(sim.dispatched.filter((j) => j.purpose === 'evaluate')).toHaveLength(1);
    expect(sim.stateOf('loop')).toBe('FAILED');
  });

  it('fails when the condition cannot be evaluated', () => {
    const sim = new Sim(loop('')).start().runUntilIdle({ 'loop:evaluate': failed('bad') });
    expect(sim.stateOf('loop')).toBe('FAILED');
  });
});

describe('WorkingDirectory', () => {
  const flow = flowYaml(`tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - { id: a, type: ${LOG}, message: a }
      - { id: b, type: ${LOG}, message: b }
  - { id: outside, type: ${LOG}, message: outside }`);

  it('gives the jobs of its tasks its task run id as working directory', () => {
    const sim = new Sim(flow).start().runUntilIdle();
    const wd = sim.runOf('wd').id;
    const dirs = Object.fromEntries(sim.dispatched.map((j) => [j.taskId!, j.workingDirectoryId] as const));
    expect(dirs).toEqual({ a: wd, b: wd, outside: undefined });
  });

  it('writes its inputFiles first (a resolve job in its own directory), collects outputFiles last', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    inputFiles:
      in.txt: hello
    outputFiles: ["out.txt"]
    tasks:
      - { id: a, type: ${LOG}, message: a }`),
    ).start();
    const wd = sim.runOf('wd').id;
    expect(sim.job('wd')).toMatchObject({ purpose: 'resolve', workingDirectoryId: wd });
    sim.complete('wd', ok());
    sim.complete('a', ok());
    expect(sim.job('wd')).toMatchObject({ purpose: 'run', workingDirectoryId: wd });
    expect(sim.stateOf('wd')).toBe('RUNNING');
    sim.complete('wd', ok({ outputFiles: { 'out.txt': 'kestra:///x/out.txt' } }));
    expect(sim.stateOf('wd')).toBe('SUCCESS');
    expect(sim.runOf('wd').outputs).toEqual({ outputFiles: { 'out.txt': 'kestra:///x/out.txt' } });
    expect(sim.state).toBe('SUCCESS');
  });

  it('collects no outputFiles when its tasks failed; a failed collection fails it', () => {
    const body = `tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    outputFiles: ["out.txt"]
    tasks:
      - { id: a, type: ${LOG}, message: a }`;
    const failedTasks = new Sim(flowYaml(body)).start().runUntilIdle({ a: failed() });
    expect(failedTasks.dispatched.filter((j) => j.taskId === 'wd')).toEqual([]);
    expect(failedTasks.stateOf('wd')).toBe('FAILED');
    const failedCollect = new Sim(flowYaml(body)).start().runUntilIdle({ 'wd:run': failed('no such file') });
    expect(failedCollect.stateOf('wd')).toBe('FAILED');
    expect(failedCollect.state).toBe('FAILED');
  });

  it('gives each ForEach iteration its own directory', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["x", "y"]
    tasks:
      - id: wd
        type: io.kestra.plugin.core.flow.WorkingDirectory
        tasks:
          - { id: a, type: ${LOG}, message: a }`),
    )
      .start()
      .runUntilIdle();
    const dirs = sim.runsOf('wd').map((r) => r.id);
    expect(sim.dispatched.filter((j) => j.taskId === 'a').map((j) => j.workingDirectoryId)).toEqual(dirs);
    expect(new Set(dirs).size).toBe(2);
    expect(sim.actions.filter((a) => a.kind === 'releaseWorkingDirectory')).toHaveLength(2);
  });

  it('runs its tasks in order and releases the directory when it ends', () => {
    const sim = new Sim(flow).start();
    expect(sim.pending()).toEqual(['a']);
    sim.complete('a', ok());
    expect(sim.actions.some((a) => a.kind === 'releaseWorkingDirectory')).toBe(false);
    sim.complete('b', ok());
    expect(sim.last.actions).toContainEqual({
      kind: 'releaseWorkingDirectory',
      workingDirectoryId: sim.runOf('wd').id,
    });
    expect(sim.stateOf('wd')).toBe('SUCCESS');
  });

  it('releases the directory when it fails too', () => {
    const sim = new Sim(flow).start().runUntilIdle({ a: failed() });
    expect(sim.stateOf('wd')).toBe('FAILED');
    expect(sim.stateOf('b')).toBeUndefined();
    expect(sim.actions.filter((a) => a.kind === 'releaseWorkingDirectory')).toHaveLength(1);
  });
});

describe('a killed WorkingDirectory', () => {
  const flow = flowYaml(`tasks:
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - { id: a, type: ${LOG}, message: a }`);
  const release = (sim: Sim) => sim.actions.filter((a) => a.kind === 'releaseWorkingDirectory');

  it('releases its directory only once its task stopped on the worker', () => {
    const sim = new Sim(flow).start();
    sim.send({ kind: 'kill' });
    expect(sim.states()).toEqual({ wd: 'KILLED', a: 'KILLING' });
    expect(release(sim)).toEqual([]); // the task still uses it
    sim.complete('a', { state: 'KILLED' });
    expect(release(sim)).toEqual([
      { kind: 'releaseWorkingDirectory', workingDirectoryId: sim.runOf('wd').id },
    ]);
  });

  it('releases it when the kill timeout gives up on the task', () => {
    const sim = new Sim(flow).start();
    sim.send({ kind: 'kill' });
    sim.advance(30_000);
    expect(release(sim)).toHaveLength(1);
    expect(sim.state).toBe('KILLED');
  });
});

describe('AllowFailure', () => {
  it('turns a failure inside into WARNING and lets the flow go on', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: tolerant
    type: io.kestra.plugin.core.flow.AllowFailure
    tasks:
      - { id: boom, type: ${FAIL} }
      - { id: skipped, type: ${LOG}, message: never }
  - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ tolerant: 'WARNING', boom: 'FAILED', after: 'SUCCESS' });
    expect(sim.state).toBe('WARNING');
  });
});

describe('allowFailure and allowWarning on a task', () => {
  const flow = (props: string) =>
    flowYaml(`tasks:
  - { id: t, type: ${LOG}, message: t, ${props} }
  - { id: after, type: ${LOG}, message: after }`);

  it('allowFailure: a failed task ends WARNING (its attempt FAILED) and the list goes on', () => {
    const sim = new Sim(flow('allowFailure: true')).start().runUntilIdle({ t: failed() });
    expect(sim.states()).toEqual({ t: 'WARNING', after: 'SUCCESS' });
    expect(sim.runOf('t').attempts.map((a) => a.state.current)).toEqual(['FAILED']);
    expect(sim.state).toBe('WARNING');
  });

  it('allowWarning: a WARNING task ends SUCCESS', () => {
    const sim = new Sim(flow('allowWarning: true')).start().runUntilIdle({ t: warning });
    expect(sim.states()).toEqual({ t: 'SUCCESS', after: 'SUCCESS' });
    expect(sim.state).toBe('SUCCESS');
  });

  it('both: a failed task ends SUCCESS', () => {
    const sim = new Sim(flow('allowFailure: true, allowWarning: true')).start().runUntilIdle({ t: failed() });
    expect(sim.stateOf('t')).toBe('SUCCESS');
    expect(sim.state).toBe('SUCCESS');
  });

  it('without them, a WARNING task makes the execution WARNING', () => {
    const sim = new Sim(flow('description: plain')).start().runUntilIdle({ t: warning });
    expect(sim.states()).toEqual({ t: 'WARNING', after: 'SUCCESS' });
    expect(sim.state).toBe('WARNING');
  });

  it('allowFailure on a flowable: its failed child makes it WARNING', () => {
    const sim = new Sim(
      flowYaml(`tasks:
  - id: seq
    type: io.kestra.plugin.core.flow.Sequential
    allowFailure: true
    tasks:
      - { id: boom, type: ${FAIL} }
  - { id: after, type: ${LOG}, message: after }`),
    )
      .start()
      .runUntilIdle();
    expect(sim.states()).toEqual({ seq: 'WARNING', boom: 'FAILED', after: 'SUCCESS' });
    expect(sim.state).toBe('WARNING');
  });

  it('a responder sees the task it answers for', () => {
    const seen: string[] = [];
    new Sim(flow('allowWarning: true')).start().runUntilIdle((ctx: JobContext) => {
      seen.push(`${ctx.task?.id}:${String(ctx.task?.allowWarning)}`);
      return undefined;
    });
    expect(seen).toEqual(['t:true', 'after:undefined']);
  });
});
