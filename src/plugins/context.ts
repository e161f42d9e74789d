/**
 * The task context: what a plugin's `run` receives from the worker. Plugins see only this, so
 * the engine can change behind it. Properties arrive already rendered and typed.
 */
import type { Readable } from 'node:stream';
import type { Label } from '../flow/model.js';

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface TaskLogger {
  log(level: LogLevel, message: string): void;
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Files of the execution in internal storage, addressed by `kestra://` URIs. */
export interface TaskStorage {
  /** Stores a file of this task run under `name`; returns its `kestra://` URI. */
  putFile(name: string, content: Buffer | string | Readable): Promise<string>;
  /** Stores a local file (a path in the working directory…) under its base name. */
  putLocalFile(path: string, name?: string): Promise<string>;
  /** Reads a stored file as a stream. */
  readStream(uri: string): Promise<Readable>;
  /** Reads a stored file whole (small files). */
  readBuffer(uri: string): Promise<Buffer>;
  /** The local path of a stored file (to hand to a process); it must not be written to. */
  localPath(uri: string): Promise<string>;
  exists(uri: string): Promise<boolean>;
  size(uri: string): Promise<number>;
  delete(uri: string): Promise<boolean>;
  /** Deletes every file of the current execution; returns their URIs. */
  purgeExecution(): Promise<string[]>;
  /** The URI `putFile(name)` stores to, without storing anything (a place others write to). */
  fileUri(name: string): string;
}

/** The namespace's KV store (the task's namespace unless another is given). */
export interface TaskKv {
  get(key: string, namespace?: string): Promise<{ type: string; value: unknown } | undefined>;
  set(
    key: string,
    value: unknown,
    options?: {
      namespace?: string;
      type?: string;
      ttlMs?: number;
      description?: string;
      overwrite?: boolean;
    },
  ): Promise<void>;
  delete(key: string, namespace?: string): Promise<boolean>;
  keys(namespace?: string): Promise<string[]>;
}

/**
 * The files of a namespace (Kestra's namespace files), by path relative to the namespace
 * (`scripts/etl.py`); the task's namespace unless another is given.
 */
export interface TaskNamespaceFiles {
  /** Paths of the files, sorted; `include`/`exclude` are globs (`**\/*.py`). */
  list(options?: {
    namespace?: string;
    include?: readonly string[];
    exclude?: readonly string[];
  }): Promise<string[]>;
  read(path: string, namespace?: string): Promise<Buffer>;
  /** Writes (replaces) a file; returns its `kestra://` URI. */
  write(path: string, content: Buffer | string | Readable, namespace?: string): Promise<string>;
  delete(path: string, namespace?: string): Promise<boolean>;
  /** The `kestra://` URI of a namespace file. */
  uri(path: string, namespace?: string): string;
}

/** A flow of the store, as the Git tasks read it. */
export interface TaskFlowSource {
  namespace: string;
  id: string;
  revision: number;
  /** The YAML as saved. */
  source: string;
}

/** What saving a flow did. */
export interface TaskFlowSaved {
  namespace: string;
  id: string;
  revision: number;
  /** A new revision was written (false when the source was the same). */
  changed: boolean;
  /** It is the flow's first revision (or it was deleted before). */
  created: boolean;
}

/**
 * The flows of the store, for tasks that sync them with Git (SyncFlows, PushFlows). Saving
 * validates like the API does; the scheduler picks up triggers of saved flows at its next
 * re-read of the flows.
 */
export interface TaskFlows {
  /** Latest revisions of the flows of `namespace` (and of its child namespaces with `children`), by namespace then id. */
  list(namespace: string, options?: { children?: boolean }): Promise<TaskFlowSource[]>;
  /** Validates a flow's YAML: its namespace and id, or the validation errors (one line each). */
  check(source: string): Promise<{ namespace: string; id: string } | { errors: string[] }>;
  /** Validates and saves a flow (a new revision when its source changed); throws TaskFailure when invalid. */
  save(source: string): Promise<TaskFlowSaved>;
  /** Deletes a flow (its revisions stay for old executions); false when there was none. */
  delete(namespace: string, id: string): Promise<boolean>;
}

/** A log line of an execution, as `logs` gives it. */
export interface TaskLogLine {
  executionId: string;
  namespace: string;
  flowId: string;
  taskId?: string;
  taskRunId?: string;
  attemptNumber?: number;
  level: LogLevel;
  message: string;
  /** ISO-8601 instant. */
  timestamp: string;
}

/**
 * Files a task keeps from one execution of its flow to the next (WorkingDirectory's `cache`):
 * by name (`/`-separated), for the flow, the task id and the loop value of the task run.
 */
export interface TaskCache {
  /** A kept file, or undefined when there is none. */
  read(name: string): Promise<Readable | undefined>;
  /** Keeps a local file under `name` (replacing what was there). */
  writeLocalFile(name: string, path: string): Promise<void>;
  write(name: string, content: Buffer | string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

/** What a task run knows about where it runs. */
export interface TaskRunInfo {
  executionId: string;
  namespace: string;
  flowId: string;
  flowRevision: number;
  taskId: string;
  taskRunId: string;
  /** The loop value (ForEach item) of this run. */
  value?: string;
  /** 0-based attempt number. */
  attempt: number;
}

export interface TaskContext {
  readonly run: TaskRunInfo;
  readonly logger: TaskLogger;
  /** Aborted on kill, timeout or shutdown: stop work and return (or throw) promptly. */
  readonly signal: AbortSignal;
  readonly storage: TaskStorage;
  readonly kv: TaskKv;
  readonly namespaceFiles: TaskNamespaceFiles;
  readonly cache: TaskCache;
  /** The current execution in Kestra's JSON shape, as committed when the task started. */
  readonly execution: () => Record<string, unknown>;
  /** The page of this execution in the web UI (for notifications). */
  readonly executionUrl: string;
  /** Another execution (Kestra's JSON shape) with its UI page, for notifications about a triggering execution. */
  readonly findExecution?: (
    id: string,
  ) => Promise<{ execution: Record<string, unknown>; url: string } | undefined>;
  /**
   * The stored log lines of an execution, oldest first: those at `minLevel` and above, of the
   * task `taskId` when given (log.Fetch). Lines a running task has not flushed yet are missing.
   */
  readonly logs: (
    executionId: string,
    filter?: { taskId?: string; minLevel?: LogLevel },
  ) => Promise<TaskLogLine[]>;
  /**
   * Resumes a paused execution (this one unless `executionId` is given; of `namespace`/`flowId`
   * when they are) with values for its Pause's `onResume` inputs, checked as the API checks
   * them: a missing or wrong one throws and nothing is resumed. Answers which execution.
   */
  readonly resumeExecution?: (
    target: { executionId?: string; namespace?: string; flowId?: string },
    inputs: Record<string, unknown>,
  ) => Promise<{ id: string; namespace: string; flowId: string }>;
  /** The flows of the store (SyncFlows, PushFlows); absent where the worker has no flow access. */
  readonly flows?: TaskFlows;
  /** Renders a template with the task's variables (for text a task renders late, like a script's lines). */
  render: (template: string, extra?: Record<string, unknown>) => Promise<string>;
  /** The working directory of the task run (shared by the tasks of a WorkingDirectory); made on first use. */
  workingDirectory: () => Promise<string>;
  /** Environment variables a process started by the task gets in addition to the worker's. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The worker's environment (read once at start), for settings a plugin honours such as
   * `STORAGE_EMULATOR_HOST`. It holds the server's own secrets: never hand it whole to a process.
   */
  readonly workerEnv: Readonly<Record<string, string | undefined>>;
  /**
   * Masks a value like a secret in this job's log lines and error from now on: a credential the
   * task read from somewhere that is not `secret()` (a service-account key kept in KV…).
   */
  maskSecret(value: string): void;
}

/** What a run returns; nothing means SUCCESS without outputs. */
export interface TaskOutcome {
  outputs?: Record<string, unknown>;
  /** WARNING to finish in warning; FAILED fails without an exception (the error is logged by the task). */
  state?: 'SUCCESS' | 'WARNING' | 'FAILED';
  /** Labels to set on the execution (execution.Labels). */
  labels?: Label[];
  /** Ends the execution in this state (execution.Exit). */
  exit?: 'SUCCESS' | 'WARNING' | 'FAILED' | 'KILLED' | 'CANCELLED';
}

/** Runs a task with its rendered properties. Throwing fails the task run with the error's message. */
export type TaskRunFunction = (
  ctx: TaskContext,
  props: Record<string, unknown>,
) => Promise<TaskOutcome | void> | TaskOutcome | void;

/**
 * Computes a flowable's control values (If's condition, ForEach's values…) from its rendered
 * properties, for the executor. Same context as `run`.
 */
export type TaskResolveFunction = (
  ctx: TaskContext,
  props: Record<string, unknown>,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** A failure with a message meant for the user (no stack trace in the log). */
export class TaskFailure extends Error {
  constructor(
    message: string,
    /** Extra outputs kept on the failed task run (exit code…). */
    readonly outputs?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

/**
 * What one poll of a polling trigger (gcs.Trigger, bigquery.Trigger) found. With `fire`, the
 * scheduler starts an execution whose `trigger` variables are `fire.variables`, committing
 * `memory` with it; without, it only saves `memory` (when given). `afterCommit` runs once the
 * execution is committed (a MOVE or DELETE of the objects it reports), never before, so that a
 * crash in between leaves the objects where they were and the memory says they were seen.
 */
export interface TriggerPollOutcome {
  fire?: { variables: Record<string, unknown> };
  memory?: Record<string, unknown>;
  afterCommit?: () => Promise<void>;
}

/**
 * Polls once, with the trigger's rendered properties and what it remembered at the last poll.
 * The context is a task's: files it stores go to the execution it may start.
 */
export type TriggerPollFunction = (
  ctx: TaskContext,
  props: Record<string, unknown>,
  memory: Readonly<Record<string, unknown>> | undefined,
) => Promise<TriggerPollOutcome>;
