/**
 * What the pure executor consumes and produces: events in; the new execution, worker jobs,
 * timers and runtime actions out. All JSON, so the store can persist every one of them.
 */
import type { Label } from '../../flow/model.js';
import type { Execution, ExecutionTrigger, LogEntry, State, TaskRun } from '../model.js';

/** The result a worker reports for a job. */
export interface JobResult {
  state: 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED' | 'SKIPPED';
  /** Task outputs (`run`), resolved control values (`resolve`), or the flow's outputs (`outputs`). */
  outputs?: Record<string, unknown>;
  /** Why it failed, for the log and the execution's error. */
  error?: string;
  /** Labels to set on the execution (execution.Labels). */
  labels?: Label[];
  /** End the execution now in this state (execution.Exit). */
  exit?: State;
  /** LoopUntil: whether the condition held (`evaluate`). */
  condition?: boolean;
  /** With the task's `logToFile`: the file its attempt logged to (set on the attempt). */
  logFile?: string;
  /** Names (upper-cased) of the secrets the job read with `secret()` that the execution did not know. */
  secretsRead?: string[];
}

/** Why the executor runs a step. */
export type ExecutorEvent =
  /** The execution was admitted (concurrency) and starts. */
  | { kind: 'start' }
  | { kind: 'jobResult'; job: JobPurpose; taskRunId?: string; attempt: number; result: JobResult }
  | { kind: 'timer'; purpose: TimerPurpose; taskRunId?: string; attempt?: number }
  | { kind: 'kill' }
  | { kind: 'resume'; taskRunId?: string; inputs?: Record<string, unknown> }
  /** `revision`: run on this revision of the flow from now on (a fix deployed since it failed). */
  | { kind: 'restart'; revision?: number }
  | { kind: 'setTaskRunState'; taskRunId: string; state: State }
  | { kind: 'subflowStarted'; taskRunId: string; childExecutionId: string }
  | {
      kind: 'subflowEnded';
      taskRunId: string;
      childExecutionId: string;
      state: State;
      outputs?: Record<string, unknown>;
      /** Why the child could not start (unknown flow, invalid inputs…). */
      error?: string;
      /** Why the Subflow task's legacy `outputs` could not be rendered in the child. */
      outputsError?: string;
    }
  /** The runtime restarted: re-issue what may have been lost with the previous process. */
  | { kind: 'recover' };

export type JobPurpose =
  /** Run a runnable task. */
  | 'run'
  /** Render a flowable's control properties (condition, values, runIf…) before it starts. */
  | 'resolve'
  /** Render LoopUntil's condition after an iteration. */
  | 'evaluate'
  /** Render the flow's `outputs` once its tasks are done. */
  | 'outputs';

export type TimerPurpose =
  /** The next attempt of a task run in RETRYING. */
  | 'retry'
  /** A Sleep task's duration passed. */
  | 'sleep'
  /** A Pause task's `pauseDuration` passed. */
  | 'pauseDelay'
  /** A LoopUntil's interval passed: next iteration. */
  | 'loopNext'
  /** The `timeout` of a task the executor runs (flowable, Pause, Sleep, Subflow) passed. */
  | 'timeout'
  /** Task runs still KILLING after the grace period are marked KILLED. */
  | 'killTimeout'
  /** FAIL_AFTER_N_RETRIES: try the concurrency admission again. */
  | 'admission';

/** Work for a worker. `id` is unique per (task run, attempt, purpose). */
export interface WorkerJob {
  id: string;
  executionId: string;
  /** The execution's namespace and flow (for log lines and routing). */
  namespace: string;
  flowId: string;
  purpose: JobPurpose;
  taskRunId?: string;
  taskId?: string;
  attempt: number;
  /** Tasks of one WorkingDirectory share a directory: its task run id. */
  workingDirectoryId?: string;
}

/** An event to deliver to an execution at a time. */
export interface Timer {
  executionId: string;
  /** ISO-8601 instant. */
  at: string;
  event: ExecutorEvent;
  /** Timers with the same key replace each other (one retry timer per task run). */
  key: string;
}

/** Something only the runtime can do (other executions, running processes). */
export type RuntimeAction =
  /** Abort these running jobs (kill, Exit). */
  | { kind: 'abortJobs'; jobIds: string[] }
  /** Start a subflow's execution; the runtime answers with `subflowStarted`, later `subflowEnded`. */
  | {
      kind: 'startSubflow';
      taskRunId: string;
      /** The child's id, chosen by the step so that re-issuing it (recovery) cannot start two. */
      executionId: string;
      namespace: string;
      flowId: string;
      revision?: number;
      inputs: Record<string, unknown>;
      labels: Label[];
      wait: boolean;
      scheduleDate?: string;
      /** The child's `trigger`: the task that started it and its parent (Kestra's ExecutableUtils). */
      trigger?: ExecutionTrigger;
      /** ForEachItem: the batch this execution runs. */
      iteration?: number;
      /** ForEachItem: where the child writes its flow outputs (an ION line) for the merge. */
      outputsUri?: string;
      /** The Subflow task's legacy `outputs`, unrendered: the child renders them in its context. */
      outputs?: Record<string, unknown>;
    }
  /** Retry policy CREATE_NEW_EXECUTION: start a new execution of the flow with the same inputs. */
  | { kind: 'retryExecution'; attempt: number; at: string }
  /** FAIL_AFTER_N_RETRIES: the admission timer fired; try to admit this QUEUED execution again. */
  | { kind: 'admit' }
  /** The execution ended: free its concurrency slot, wake queued executions, notify a parent. */
  | { kind: 'ended'; state: State }
  /** Remove the execution's internal-storage files (PurgeCurrentExecutionFiles needs none: it runs in the worker). */
  | { kind: 'releaseWorkingDirectory'; workingDirectoryId: string };

/** An event for another execution. */
export interface OutboundEvent {
  executionId: string;
  event: ExecutorEvent;
}

/** What one executor step decided. */
export interface StepResult {
  execution: Execution;
  /** Task runs created or changed by the step (the store writes only these). */
  changedTaskRuns: TaskRun[];
  /** Task runs dropped (restart of errors/finally, replay). */
  removedTaskRunIds: string[];
  jobs: WorkerJob[];
  timers: Timer[];
  /** Events for other executions (a parent's subflowEnded, a child's kill), committed with the step. */
  events: OutboundEvent[];
  actions: RuntimeAction[];
  /** Lines the executor logs itself (retries, state changes). */
  logs: LogEntry[];
}

/** What a step may not compute itself, so that it stays pure and testable. */
export interface StepEnvironment {
  /** The current instant. */
  now: Date;
  /** A new unique id (task runs). */
  newId(): string;
  /** A number in [0, 1) (random retry intervals). */
  random(): number;
}
