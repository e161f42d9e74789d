/**
 * Small values for the store tests: executions, task runs, jobs, logs and steps, with
 * defaults that each test overrides where it matters.
 */
import type { NewEvent, StepCommit } from '../../src/store/contract.js';
import type { ExecutorEvent, Timer, WorkerJob } from '../../src/engine/executor/types.js';
import type { Execution, LogEntry, State, TaskRun } from '../../src/engine/model.js';

export const T0 = '2026-01-01T00:00:00.000Z';

/** An ISO instant `minutes` after T0. */
export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

/** A task run of an execution, RUNNING. */
export function taskRun(executionId: string, id: string, overrides: Partial<TaskRun> = {}): TaskRun {
  return {
    id,
    executionId,
    namespace: 'company.team',
    flowId: 'hello',
    taskId: `task-${id}`,
    attempts: [{ state: { current: 'RUNNING', histories: [{ state: 'RUNNING', date: T0 }], startDate: T0 } }],
    state: { current: 'RUNNING', histories: [{ state: 'RUNNING', date: T0 }], startDate: T0 },
    ...overrides,
  };
}

/** An execution at version 1, RUNNING, started at `start` (T0 by default). */
export function execution(
  id: string,
  overrides: Partial<Omit<Execution, 'state'>> & { state?: State; start?: string } = {},
): Execution {
  const { state = 'RUNNING', start = T0, ...rest } = overrides;
  return {
    id,
    namespace: 'company.team',
    flowId: 'hello',
    flowRevision: 1,
    state: { current: state, histories: [{ state, date: start }], startDate: start },
    inputs: { name: 'world', nested: { list: [1, 2, 3] } },
    labels: [],
    taskRunList: [],
    version: 1,
    ...rest,
  };
}

/** A job of an execution. */
export function job(executionId: string, id: string, overrides: Partial<WorkerJob> = {}): WorkerJob {
  return {
    id,
    executionId,
    namespace: 'company.team',
    flowId: 'flow',
    purpose: 'run',
    taskRunId: `tr-${id}`,
    taskId: `task-${id}`,
    attempt: 1,
    ...overrides,
  };
}

/** A jobResult event, SUCCESS. */
export function jobResult(taskRunId: string): ExecutorEvent {
  return {
    kind: 'jobResult',
    job: 'run',
    taskRunId,
    attempt: 1,
    result: { state: 'SUCCESS', outputs: { x: 1 } },
  };
}

/** An event for an execution. */
export function newEvent(executionId: string, event: ExecutorEvent = { kind: 'start' }): NewEvent {
  return { executionId, event };
}

/** A log line of an execution. */
export function log(executionId: string, message: string, overrides: Partial<LogEntry> = {}): LogEntry {
  return {
    executionId,
    namespace: 'company.team',
    flowId: 'hello',
    level: 'INFO',
    message,
    timestamp: T0,
    ...overrides,
  };
}

/** A timer of an execution. */
export function timer(executionId: string, key: string, when: string, event?: ExecutorEvent): Timer {
  return { executionId, key, at: when, event: event ?? { kind: 'timer', purpose: 'sleep', taskRunId: key } };
}

/**
 * A step committing `next` (whose version is bumped here) over the stored version
 * `expectedVersion` (next.version by default), with nothing else unless given.
 */
export function step(
  next: Execution,
  overrides: Partial<Omit<StepCommit, 'execution'>> & { expectedVersion?: number } = {},
): StepCommit {
  const expectedVersion = overrides.expectedVersion ?? next.version;
  return {
    changedTaskRuns: [],
    removedTaskRunIds: [],
    consumedEvents: [],
    jobs: [],
    timers: [],
    events: [],
    logs: [],
    ...overrides,
    expectedVersion,
    execution: { ...next, version: expectedVersion + 1 },
  };
}
