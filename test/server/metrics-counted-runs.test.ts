import { describe, expect, it } from 'vitest';
import type { Execution, State, StateRecord, TaskRun } from '../../src/engine/model.js';
import { CountedRuns } from '../../src/server/metrics/counted-runs.js';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function state(current: State, start: number, end?: number): StateRecord {
  const histories = [{ state: 'CREATED' as State, date: at(start) }];
  if (current !== 'CREATED') histories.push({ state: 'RUNNING', date: at(start) });
  if (end !== undefined) histories.push({ state: current, date: at(end) });
  return { current, histories, startDate: at(start), ...(end !== undefined ? { endDate: at(end) } : {}) };
}

function taskRun(id: string, current: State, start: number, end?: number): TaskRun {
  return {
    id,
    executionId: 'e1',
    namespace: 'ns',
    flowId: 'f',
    taskId: id,
    attempts: [],
    state: state(current, start, end),
  };
}

function execution(id: string, current: State, taskRunList: TaskRun[], end?: number): Execution {
  return {
    id,
    namespace: 'ns',
    flowId: 'f',
    flowRevision: 1,
    version: 1,
    state: state(current, 0, end),
    inputs: {},
    labels: [],
    taskRunList,
  };
}

const idsOf = (added: ReturnType<CountedRuns['take']>) => added.ended.map((e) => e.taskRun.id);

describe('metrics: counting starts and task run ends once', () => {
  it('checks only the task runs a step says it changed, when it says', () => {
    const counted = new CountedRuns();
    const a = taskRun('a', 'SUCCESS', 1, 2);
    const b = taskRun('b', 'SUCCESS', 2, 3);
    counted.take(execution('e1', 'RUNNING', []), T0);
    // a ended in an earlier step, sent with only b changed: a is not looked at.
    expect(idsOf(counted.take(execution('e1', 'RUNNING', [a, b]), T0, [b]))).toEqual(['b']);
    expect(idsOf(counted.take(execution('e1', 'RUNNING', [a, b]), T0, [a]))).toEqual(['a']);
    expect(idsOf(counted.take(execution('e1', 'RUNNING', [a, b]), T0))).toEqual([]);
  });

  it('counts a start and each end once however often the execution is sent', () => {
    const counted = new CountedRuns();
    expect(counted.take(execution('e1', 'CREATED', []), T0).started).toBe(false);
    const first = counted.take(execution('e1', 'RUNNING', [taskRun('a', 'SUCCESS', 1, 2)]), T0);
    expect(first.started).toBe(true);
    expect(idsOf(first)).toEqual(['a']);
    const again = counted.take(
      execution('e1', 'RUNNING', [taskRun('a', 'SUCCESS', 1, 2), taskRun('b', 'RUNNING', 2)]),
      T0,
    );
    expect(again).toEqual({ started: false, ended: [] });
    const done = counted.take(
      execution('e1', 'SUCCESS', [taskRun('a', 'SUCCESS', 1, 2), taskRun('b', 'SUCCESS', 2, 3)], 3),
      T0,
    );
    expect(done.started).toBe(false);
    expect(idsOf(done)).toEqual(['b']);
    // Sent again after its end: nothing new, and nothing held in full any more.
    expect(counted.take(execution('e1', 'SUCCESS', [taskRun('a', 'SUCCESS', 1, 2)], 3), T0)).toEqual({
      started: false,
      ended: [],
    });
    expect(counted.sizes).toEqual({ running: 0, ended: 1 });
  });

  it('counts only the new ends of a restarted execution, and not its start again', () => {
    const counted = new CountedRuns();
    counted.take(
      execution('e1', 'FAILED', [taskRun('a', 'SUCCESS', 1, 2), taskRun('b', 'FAILED', 2, 3)], 3),
      T0,
    );
    const restarted = counted.take(
      execution('e1', 'RUNNING', [taskRun('a', 'SUCCESS', 1, 2), taskRun('b', 'RUNNING', 10)]),
      T0,
    );
    expect(restarted).toEqual({ started: false, ended: [] });
    const ended = counted.take(
      execution('e1', 'SUCCESS', [taskRun('a', 'SUCCESS', 1, 2), taskRun('b', 'SUCCESS', 10, 11)], 11),
      T0,
    );
    expect(idsOf(ended)).toEqual(['b']);
  });

  it('holds memory for running executions only, and a bounded list of ended ones', () => {
    const counted = new CountedRuns(100);
    for (let i = 0; i < 1_000; i++) {
      const id = `e${i}`;
      counted.take(execution(id, 'RUNNING', [taskRun(`${id}-a`, 'SUCCESS', 1, 2)]), T0);
      counted.take(
        execution(
          id,
          'SUCCESS',
          [taskRun(`${id}-a`, 'SUCCESS', 1, 2), taskRun(`${id}-b`, 'SUCCESS', 2, 3)],
          3,
        ),
        T0,
      );
    }
    counted.take(execution('long', 'RUNNING', [taskRun('long-a', 'SUCCESS', 1, 2)]), T0);
    expect(counted.sizes).toEqual({ running: 1, ended: 100 });
  });

  it('does not count what ended before the process listened', () => {
    const counted = new CountedRuns();
    const added = counted.take(execution('e1', 'RUNNING', [taskRun('a', 'SUCCESS', 1, 2)]), T0 + 5_000);
    expect(added).toEqual({ started: false, ended: [] });
  });
});
