/**
 * The store, in orchestration terms: what the engine, the scheduler and the server need,
 * never SQL. Two adapters implement it (SQLite now, PostgreSQL later) and both must pass
 * test/store/conformance.ts. Every method that changes several things does it atomically.
 */
import type { ExecutorEvent, Timer, WorkerJob } from '../engine/executor/types.js';
import type { Execution, LogEntry, State, TaskRun } from '../engine/model.js';

export interface Page<T> {
  results: T[];
  total: number;
}

export interface PageRequest {
  /** 1-based. */
  page?: number;
  size?: number;
}

/** One revision of a flow. */
export interface StoredFlow {
  namespace: string;
  id: string;
  revision: number;
  /** The YAML as the user wrote it. */
  source: string;
  /** The validated flow (src/flow/model.ts `Flow`), as JSON. */
  definition: Record<string, unknown>;
  deleted: boolean;
  /** ISO-8601 instant. */
  updated: string;
}

export interface SaveFlowResult {
  flow: StoredFlow;
  /** A new revision was written (false when the source did not change). */
  changed: boolean;
  /** It is the first revision. */
  created: boolean;
}

export interface FlowFilter extends PageRequest {
  /** Namespace, and its children (`company` matches `company.team`). */
  namespace?: string;
  /** Text found in the id, namespace or source. */
  query?: string;
}

export interface ExecutionFilter extends PageRequest {
  namespace?: string;
  flowId?: string;
  states?: State[];
  /** Every label given must be on the execution. */
  labels?: Array<{ key: string; value: string }>;
  /** ISO-8601 instants on the start date. */
  startFrom?: string;
  startTo?: string;
}

/** A window of executions' start dates cut in equal intervals (the home page's chart). */
export interface ExecutionTimelineRequest {
  /** ISO-8601 instant: the start of interval 0. */
  from: string;
  /** ISO-8601 instant, exclusive. */
  to: string;
  intervalMs: number;
}

/** How many executions started in one interval are now in one state. */
export interface ExecutionTimelineCount {
  /** The interval's index: it starts at `from + interval * intervalMs`. */
  interval: number;
  state: State;
  count: number;
}

/** The durations of a flow's ended executions started in a window. */
export interface FlowDurationStats {
  namespace: string;
  flowId: string;
  /** Ended executions counted. */
  executions: number;
  maxMs: number;
  avgMs: number;
}

/** An execution without its task runs (lists and searches). */
export type ExecutionSummary = Omit<Execution, 'taskRunList'>;

/** An event waiting for the executor. `seq` orders the events of an execution. */
export interface StoredEvent {
  seq: number;
  executionId: string;
  event: ExecutorEvent;
}

/** An event to queue for an execution. */
export interface NewEvent {
  executionId: string;
  event: ExecutorEvent;
}

/**
 * One executor step to commit, atomically with the others of the batch: the execution's new
 * header and changed task runs (only if its stored version is still `expectedVersion`), the
 * events the step consumed, and the jobs, timers, events and logs it produced.
 */
export interface StepCommit {
  execution: Execution;
  expectedVersion: number;
  changedTaskRuns: TaskRun[];
  removedTaskRunIds: string[];
  /**
   * The execution ended or paused in this step: the scheduler is told (Flow triggers,
   * `stopAfter`) through readExecutionTransitions.
   */
  transition?: 'ended' | 'paused';
  /**
   * `seq` of the events this step consumed: they are deleted. A step whose consumed events are
   * gone (another step consumed them) is stale, like one whose version moved: an event is
   * applied once, whatever the route it reached an executor by.
   */
  consumedEvents: number[];
  /**
   * Jobs whose results this step consumed straight from an in-process worker (no event was
   * queued for them): they are deleted.
   */
  completedJobIds?: string[];
  jobs: WorkerJob[];
  timers: Timer[];
  /** Events for other executions (a parent's subflowEnded…). */
  events: NewEvent[];
  logs: LogEntry[];
}

/** Options of commitSteps. */
export interface CommitOptions {
  /**
   * Claim up to `limit` unclaimed jobs (oldest first, those just queued included) for a worker
   * in the same transaction, saving the worker a claim of its own.
   */
  claimFor?: { workerId: string; limit: number };
}

/** Raised by commitSteps when an execution changed since it was read. */
export class VersionConflictError extends Error {
  constructor(readonly executionIds: string[]) {
    super(`executions changed concurrently: ${executionIds.join(', ')}`);
    this.name = 'VersionConflictError';
  }
}

/** A fenced write refused: another process took the lease it depended on. Nothing was committed. */
export class LeaseLostError extends Error {
  constructor(
    readonly lease: string,
    readonly holder: string,
  ) {
    super(`lease ${lease} is no longer held by ${holder}: its write was refused`);
    this.name = 'LeaseLostError';
  }
}

/** A job a worker claimed. */
export interface ClaimedJob {
  job: WorkerJob;
  workerId: string;
  /** ISO-8601 instant. */
  claimedAt: string;
  /**
   * The job's execution as committed when it was claimed, when the adapter read it with the
   * claim (saving a worker in another process a read); it holds the job's task run.
   */
  execution?: Execution;
}

/** A worker's report of a job: the job is removed and the event queued, atomically. */
export interface JobCompletion {
  jobId: string;
  event: NewEvent;
  logs: LogEntry[];
}

export type KvType = 'STRING' | 'NUMBER' | 'BOOLEAN' | 'DATETIME' | 'DATE' | 'DURATION' | 'JSON';

export interface KvEntry {
  namespace: string;
  key: string;
  type: KvType;
  value: unknown;
  description?: string;
  /** ISO-8601 instant after which the entry is missing. */
  expiresAt?: string;
  created: string;
  updated: string;
}

export interface LogFilter {
  taskRunId?: string;
  taskId?: string;
  minLevel?: LogEntry['level'];
  /** Only lines after this position (for following a log). */
  afterSeq?: number;
  limit?: number;
}

export interface StoredLog extends LogEntry {
  seq: number;
}

/** A search over the lines of every execution (the API's log search), newest first. */
export interface LogSearch extends PageRequest {
  /** Namespace, and its children. */
  namespace?: string;
  flowId?: string;
  minLevel?: LogEntry['level'];
  /** Text found in the message. */
  query?: string;
  /** ISO-8601 instants on the line's timestamp (inclusive). */
  startDate?: string;
  endDate?: string;
  /**
   * Only lines older than this one (by timestamp, then seq): the next page of a search read by
   * keyset, which costs the same at the millionth line as at the first (`page` is then ignored).
   */
  before?: LogCursor;
  /**
   * Count at most this many matches: `total` is then a lower bound, and a search over a million
   * lines answers without counting them all.
   */
  totalUpTo?: number;
  /**
   * Only lines appended after this position (a `lastSeq` of an earlier search): the lines a
   * page following the search has not shown yet.
   */
  afterSeq?: number;
}

/** A page of a log search, and how far the store's log reached when it was read. */
export interface LogSearchPage extends Page<StoredLog> {
  /**
   * The position (seq) of the newest line in the store when searched, matching or not: the page
   * holds no line after it, and a search with `afterSeq` set to it finds the lines written since.
   */
  lastSeq: number;
}

/** A line's place in the newest-first order of a log search. */
export interface LogCursor {
  timestamp: string;
  seq: number;
}

/** The scheduler's memory of one trigger (next slot, enabled, backfill…), free JSON. */
export interface TriggerState {
  namespace: string;
  flowId: string;
  triggerId: string;
  state: Record<string, unknown>;
  updated: string;
}

/** A trigger's new state, committed with the execution the trigger creates (each slot fires once). */
export type TriggerStateUpdate = Omit<TriggerState, 'updated'> & {
  /**
   * Written only if `fence.holder` is still the holder of lease `fence.lease` (expired or not:
   * what matters is that nobody else took it), checked in the write's transaction; otherwise
   * LeaseLostError and nothing is committed. A scheduler that lost its lease while paused
   * cannot then fire what its successor fires too.
   */
  fence?: LeaseFence;
};

/** A lease a write depends on (see TriggerStateUpdate.fence). */
export interface LeaseFence {
  lease: string;
  holder: string;
}

/** The roles a process of a cluster plays (`server standalone` plays them all). */
export type ClusterRole = 'executor' | 'worker' | 'scheduler' | 'webserver';

/** A process of the cluster, as it last reported itself. */
export interface ClusterMember {
  /** Unique per process start; a worker claims jobs, and an executor leases executions, under it. */
  id: string;
  roles: ClusterRole[];
  host: string;
  pid: number;
  /** ISO-8601 instants. */
  startedAt: string;
  heartbeatAt: string;
  /** Free facts it reports: version, worker slots and running jobs, its address… */
  info: Record<string, unknown>;
}

/** What a process reports at each heartbeat. */
export type MemberReport = Omit<ClusterMember, 'heartbeatAt'>;

/** What a heartbeat hands back. */
export interface HeartbeatReply {
  /** Jobs this worker holds whose execution was killed meanwhile: it aborts them. */
  abortJobIds: string[];
  /** Every job the store says this worker holds (one it does not run is a claim whose answer was lost). */
  heldJobIds: string[];
}

/** What expireMembers found and handed back. */
export interface ExpiredMembers {
  members: ClusterMember[];
  /** Jobs held by workers that are no longer members, claimable again. */
  releasedJobs: number;
  /** Executions leased by executors that are no longer members, free again. */
  releasedExecutionIds: string[];
}

/** Who holds a named lease (the firing scheduler), while it runs. */
export interface LeaseHolder {
  holder: string;
  /** ISO-8601 instant. */
  expiresAt: string;
}

/** How deep the queues are and how long their oldest entries have waited; for metrics. */
export interface QueueStats {
  /** Worker jobs waiting for a worker, and held by one. */
  pendingJobs: number;
  claimedJobs: number;
  /** Seconds since the oldest unclaimed job was queued (0 when none waits). */
  oldestPendingJobSeconds: number;
  /** Executor events not yet consumed by a step. */
  pendingEvents: number;
  /** Seconds since the oldest pending event was queued (0 when none waits). */
  oldestPendingEventSeconds: number;
}

/** An execution that ended or paused, for the scheduler. */
export interface ExecutionTransition {
  seq: number;
  executionId: string;
  transition: 'ended' | 'paused';
}

export interface Store {
  /** Frees connections and file handles. */
  close(): Promise<void>;

  // ---- flows ----
  /** Saves a flow; a new revision only when the source changed. Undeletes a deleted flow. */
  saveFlow(flow: {
    namespace: string;
    id: string;
    source: string;
    definition: Record<string, unknown>;
  }): Promise<SaveFlowResult>;
  /** The latest revision (or the given one); deleted flows only when a revision is given. */
  getFlow(namespace: string, id: string, revision?: number): Promise<StoredFlow | undefined>;
  /** Latest revisions of flows that are not deleted, by namespace then id. */
  listFlows(filter: FlowFilter): Promise<Page<StoredFlow>>;
  flowRevisions(namespace: string, id: string): Promise<StoredFlow[]>;
  /** Marks the flow deleted (its revisions stay, for executions that reference them). */
  deleteFlow(namespace: string, id: string): Promise<boolean>;

  // ---- executions ----
  /**
   * Inserts a new execution (version 1) with its task runs, and queues `events` for it; saves
   * `triggerStates` in the same transaction (the trigger that created it moves on only if it did).
   */
  createExecution(
    execution: Execution,
    events: ExecutorEvent[],
    triggerStates?: readonly TriggerStateUpdate[],
  ): Promise<void>;
  getExecution(id: string): Promise<Execution | undefined>;
  /** Several executions in one read (an executor's group of new ones); those not found are left out. */
  getExecutions(ids: readonly string[]): Promise<Execution[]>;
  searchExecutions(filter: ExecutionFilter): Promise<Page<ExecutionSummary>>;
  /**
   * Commits executor steps in one transaction; throws VersionConflictError and commits nothing
   * if any is stale. Returns the jobs claimed for `options.claimFor` (none without it).
   */
  commitSteps(steps: StepCommit[], options?: CommitOptions): Promise<ClaimedJob[]>;
  /** How many executions of a flow hold a concurrency slot (RUNNING, PAUSED, KILLING, RESTARTED, RETRYING). */
  countActiveExecutions(namespace: string, flowId: string): Promise<number>;
  /** QUEUED executions of a flow, oldest first. */
  queuedExecutions(namespace: string, flowId: string, limit: number): Promise<ExecutionSummary[]>;
  /** Ids of executions not in a terminal state (recovery at start). */
  unfinishedExecutionIds(): Promise<string[]>;
  /** How many executions are in each state (states with none are absent); for metrics. */
  countExecutionsByState(): Promise<Partial<Record<State, number>>>;
  /** Executions started in [from, to) counted per interval and current state (intervals with none are absent). */
  countExecutionsOverTime(request: ExecutionTimelineRequest): Promise<ExecutionTimelineCount[]>;
  /**
   * The flows whose ended executions started in [from, to) took longest, by their longest one
   * (then average), at most `limit`.
   */
  slowestFlows(request: { from: string; to: string; limit: number }): Promise<FlowDurationStats[]>;

  // ---- executor events ----
  appendEvents(events: NewEvent[]): Promise<void>;
  /** Pending events, oldest first, at most `limit` (they stay until a step consumes them). */
  pendingEvents(limit: number): Promise<StoredEvent[]>;
  /**
   * Pending events for executor `executorId`, oldest first, at most `limit`: those of executions
   * it leases, and of executions no live member leases (it leases them now). So each execution
   * is stepped by one executor at a time; its lease ends with the execution or the executor
   * (leaveCluster, expireMembers).
   */
  claimEvents(executorId: string, limit: number): Promise<StoredEvent[]>;
  /** Deletes events no step will consume (their execution does not exist). */
  discardEvents(seqs: number[]): Promise<void>;

  // ---- worker jobs ----
  /** Claims up to `limit` unclaimed jobs, oldest first, in one statement. */
  claimJobs(workerId: string, limit: number): Promise<ClaimedJob[]>;
  /** Removes completed jobs and queues their events and logs, atomically. */
  completeJobs(completions: JobCompletion[]): Promise<void>;
  /**
   * Makes claimed jobs claimable again: all of them, those of one worker, or the given ones of
   * one worker. Returns how many.
   */
  releaseJobs(workerId?: string, jobIds?: string[]): Promise<number>;
  /**
   * Removes jobs not yet claimed (kill), returning their ids; claimed ones are marked for their
   * worker to abort (heartbeat's `abortJobIds`).
   */
  cancelJobs(jobIds: string[]): Promise<string[]>;
  countJobs(): Promise<{ pending: number; claimed: number }>;
  /** Depth and lag of the job and event queues, in one read (metrics). */
  queueStats(): Promise<QueueStats>;

  // ---- cluster ----
  /** Records that a process is alive (joining if new); tells a worker which of its jobs to abort. */
  heartbeat(report: MemberReport): Promise<HeartbeatReply>;
  /** The processes of the cluster, by roles then start. */
  listMembers(): Promise<ClusterMember[]>;
  /**
   * A process leaves (graceful stop): it is removed, the jobs it holds are claimable again and
   * the executions it leases are free. Returns how many jobs it handed back.
   */
  leaveCluster(memberId: string): Promise<number>;
  /**
   * Removes members whose last heartbeat is older than `silentForMs`, then hands back what no
   * member holds: jobs (claimable again, at-least-once) and execution leases.
   */
  expireMembers(silentForMs: number): Promise<ExpiredMembers>;
  /**
   * Holds the concurrency admission of one flow across processes while `work` runs (it counts
   * the flow's active executions, then commits): two admissions of one flow never interleave.
   */
  withAdmissionLock<T>(namespace: string, flowId: string, work: () => Promise<T>): Promise<T>;
  /**
   * Takes or renews the lease `name` (the active scheduler) for `holder` for `ttlMs`; false while
   * another holder's lease runs.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up (graceful stop), if `holder` has it. */
  releaseLease(name: string, holder: string): Promise<void>;
  /** The holder of lease `name` while it runs; undefined when nobody holds it or it expired. */
  leaseHolder(name: string): Promise<LeaseHolder | undefined>;
  /**
   * Up to `limit` transitions, oldest first, for the scheduler. They stay until removed: a
   * scheduler that dies before it has reacted leaves them to the next one (at-least-once).
   */
  readExecutionTransitions(limit: number): Promise<ExecutionTransition[]>;
  /** Removes transitions the scheduler has reacted to (unknown seqs are ignored). */
  removeExecutionTransitions(seqs: readonly number[]): Promise<void>;

  // ---- timers ----
  /** Turns timers due at `now` into events, atomically; returns how many fired. */
  fireDueTimers(now: Date): Promise<number>;
  /** When the next timer is due, if any. */
  nextTimerAt(): Promise<Date | undefined>;

  // ---- logs ----
  appendLogs(logs: LogEntry[]): Promise<void>;
  getLogs(executionId: string, filter?: LogFilter): Promise<StoredLog[]>;
  /** Lines of any execution matching the search, newest first, one page. */
  searchLogs(search: LogSearch): Promise<LogSearchPage>;

  // ---- KV store ----
  /** The entry, or undefined when missing or expired. */
  kvGet(namespace: string, key: string): Promise<KvEntry | undefined>;
  kvPut(entry: Omit<KvEntry, 'created' | 'updated'>): Promise<KvEntry>;
  kvDelete(namespace: string, key: string): Promise<boolean>;
  /** Entries of a namespace that are not expired, by key. */
  kvList(namespace: string): Promise<KvEntry[]>;

  // ---- trigger state ----
  getTriggerState(namespace: string, flowId: string, triggerId: string): Promise<TriggerState | undefined>;
  saveTriggerState(state: TriggerStateUpdate): Promise<void>;
  listTriggerStates(): Promise<TriggerState[]>;
}
