/**
 * The execution model: executions and task runs in Kestra's JSON shape, so the API, the CLI's
 * `--json` and the UI speak Kestra. JSON-serialisable; `version` is bumped by every committed
 * change (optimistic concurrency between executor processes).
 */
import type { Label } from '../flow/model.js';
import { STATES } from '../flow/schema/common.js';

/** The states of executions and task runs (one list for the flow schema and the engine). */
export { STATES };

export type State = (typeof STATES)[number];

const TERMINAL: ReadonlySet<State> = new Set([
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'RETRIED',
  'SKIPPED',
]);

/** A state that does not change any more (for a task run: until a restart). */
export function isTerminal(state: State): boolean {
  return TERMINAL.has(state);
}

/** SUCCESS, WARNING and SKIPPED let what follows run; the others stop it. */
export function isSuccessful(state: State): boolean {
  return state === 'SUCCESS' || state === 'WARNING' || state === 'SKIPPED';
}

export interface StateHistory {
  state: State;
  date: string;
}

/** A state with its history (Kestra's `State`): `current` and every `{state, date}` it went through. */
export interface StateRecord {
  current: State;
  histories: StateHistory[];
  startDate: string;
  endDate?: string;
}

export interface Attempt {
  state: StateRecord;
  /** With the task's `logToFile`: the `kestra://` URI of the file holding this attempt's log lines. */
  logFile?: string;
}

export interface TaskRun {
  id: string;
  executionId: string;
  namespace: string;
  flowId: string;
  taskId: string;
  /** The flowable task run this one is a child of. */
  parentTaskRunId?: string;
  /** The loop value (ForEach item, LoopUntil iteration…) of this run and its children. */
  value?: string;
  /** 0-based index of the loop iteration. */
  iteration?: number;
  attempts: Attempt[];
  outputs?: Record<string, unknown>;
  state: StateRecord;
  /**
   * Engine bookkeeping a flowable keeps between steps (chosen branch, ForEach values, loop
   * count…). Not part of Kestra's shape; left out of the API's output.
   */
  control?: Record<string, unknown>;
}

export interface ExecutionTrigger {
  id: string;
  type: string;
  variables: Record<string, unknown>;
}

export interface Execution {
  id: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  state: StateRecord;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  labels: Label[];
  trigger?: ExecutionTrigger;
  taskRunList: TaskRun[];
  /** The first execution of a chain of replays and retries by new execution. */
  originalId?: string;
  /** Set on an execution started by a Subflow task. */
  parent?: {
    executionId: string;
    taskRunId: string;
    namespace: string;
    flowId: string;
    /** ForEachItem: the batch this execution runs. */
    iteration?: number;
    /** ForEachItem: where this execution writes its flow outputs (an ION line) for the merge. */
    outputsUri?: string;
  };
  scheduleDate?: string;
  /**
   * Engine bookkeeping (the state the execution will end in while `afterExecution` runs,
   * concurrency admission retries…). Not part of Kestra's shape.
   */
  control?: Record<string, unknown>;
  /** Bumped by every committed change. */
  version: number;
}

/** A log line of an execution. */
export interface LogEntry {
  executionId: string;
  namespace: string;
  flowId: string;
  taskId?: string;
  taskRunId?: string;
  attemptNumber?: number;
  level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  /** ISO-8601 instant. */
  timestamp: string;
}
