/**
 * A step's commit can fail (a version conflict, a store outage): the executor then steps the
 * same execution again. Each step must start from the execution it is given, whatever an
 * earlier step of it did (a step takes over the task run indexes the previous one left).
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../../src/engine/executor/step.js';
import type { ExecutorEvent, StepEnvironment, StepResult } from '../../../src/engine/executor/types.js';
import type { Execution } from '../../../src/engine/model.js';
import { flowYaml, newExecution, parseFlow, T0, TYPES } from './harness.js';

const flow = parseFlow(
  flowYaml(`tasks:
  - { id: a, type: ${TYPES.return}, format: a }
  - { id: b, type: ${TYPES.return}, format: b }
  - { id: c, type: ${TYPES.return}, format: c }`),
);

/** A fresh environment: the same ids in the same order for every step given one. */
function env(): StepEnvironment {
  let id = 0;
  return { now: T0, newId: () => `run${++id}`, random: () => 0.5 };
}

function done(result: StepResult, taskId: string): ExecutorEvent {
  const run = result.execution.taskRunList.find((r) => r.taskId === taskId)!;
  return { kind: 'jobResult', job: 'run', taskRunId: run.id, attempt: 1, result: { state: 'SUCCESS' } };
}

const stepped = (execution: Execution, events: ExecutorEvent[]) => step(flow, execution, events, env());

describe('stepping an execution again', () => {
  it('gives the same result as the first time, for a new execution and for a stepped one', () => {
    const started = stepped(newExecution(flow), [{ kind: 'start' }]);
    const again = stepped(newExecution(flow), [{ kind: 'start' }]);
    expect(again).toEqual(started);

    const first = stepped(started.execution, [done(started, 'a')]);
    const second = stepped(started.execution, [done(started, 'a')]);
    expect(second).toEqual(first);
    expect(second.execution.taskRunList.map((r) => [r.taskId, r.state.current])).toEqual([
      ['a', 'SUCCESS'],
      ['b', 'RUNNING'],
    ]);
  });

  it('moves on from either result of a step taken twice', () => {
    const started = stepped(newExecution(flow), [{ kind: 'start' }]);
    const first = stepped(started.execution, [done(started, 'a')]);
    const second = stepped(started.execution, [done(started, 'a')]);
    const fromFirst = stepped(first.execution, [done(first, 'b')]);
    const fromSecond = stepped(second.execution, [done(second, 'b')]);
    expect(fromSecond).toEqual(fromFirst);
    expect(fromFirst.execution.taskRunList.map((r) => r.taskId)).toEqual(['a', 'b', 'c']);
    // The input executions are left as they were.
    expect(first.execution.taskRunList.map((r) => r.taskId)).toEqual(['a', 'b']);
    expect(started.execution.taskRunList.map((r) => r.taskId)).toEqual(['a']);
  });
});
