/**
 * The SQLite adapter of the store (src/store/contract.ts), on better-sqlite3. The driver is
 * synchronous: each method does its work at once and returns a settled promise (an error is a
 * rejection). One connection per store; statements are prepared once, when it opens.
 */
import type {
  CommitOptions,
  ClaimedJob,
  ClusterMember,
  ExecutionTransition,
  ExpiredMembers,
  HeartbeatReply,
  LeaseHolder,
  MemberReport,
  ExecutionFilter,
  ExecutionSummary,
  ExecutionTimelineCount,
  ExecutionTimelineRequest,
  FlowDurationStats,
  FlowFilter,
  JobCompletion,
  KvEntry,
  LogFilter,
  LogSearch,
  LogSearchPage,
  NewEvent,
  Page,
  QueueStats,
  SaveFlowResult,
  StepCommit,
  Store,
  StoredEvent,
  StoredFlow,
  StoredLog,
  TriggerState,
  TriggerStateUpdate,
} from '../contract.js';
import type { ExecutorEvent } from '../../engine/executor/types.js';
import type { Execution, LogEntry, State } from '../../engine/model.js';
import type { Database } from './driver.js';
import { KeyedSerial } from '../keyed-serial.js';
import { SqliteCluster } from './cluster.js';
import { SqliteExecutions } from './executions.js';
import { SqliteFlows } from './flows.js';
import { SqliteKv } from './kv.js';
import { SqliteLogs } from './logs.js';
import { openDatabase, isMemoryPath } from './open.js';
import { BACKSTOP_CHECKPOINT_PAGES, startCheckpointer } from './checkpointer.js';
import type { Checkpointer } from './checkpointer.js';
import type { SqliteOptions } from './open.js';
import { SqliteQueues } from './queues.js';
import { SqliteStats } from './stats.js';
import { SqliteTriggers } from './triggers.js';

export type { SqliteOptions } from './open.js';
export { MIGRATIONS, SchemaTooNewError } from './migrations.js';
export type { Migration } from './migrations.js';

/**
 * Runs synchronous work as a promise: a result resolves it, a throw rejects it (callers of an
 * async contract expect rejections, never synchronous throws).
 */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

class SqliteStore implements Store {
  private readonly flows: SqliteFlows;
  private readonly executions: SqliteExecutions;
  private readonly queues: SqliteQueues;
  private readonly logs: SqliteLogs;
  private readonly kv: SqliteKv;
  private readonly triggers: SqliteTriggers;
  private readonly stats: SqliteStats;
  private readonly cluster: SqliteCluster;
  /** One process per SQLite store: admissions of a flow queue up here. */
  private readonly admissions = new KeyedSerial();

  constructor(
    private readonly db: Database,
    clock: () => Date,
    private readonly checkpointer?: Checkpointer,
  ) {
    this.flows = new SqliteFlows(db, clock);
    this.logs = new SqliteLogs(db);
    this.queues = new SqliteQueues(db, this.logs, clock);
    this.triggers = new SqliteTriggers(db, clock);
    this.cluster = new SqliteCluster(db, clock);
    this.executions = new SqliteExecutions(db, this.queues, this.logs, this.triggers, this.cluster);
    this.kv = new SqliteKv(db, clock);
    this.stats = new SqliteStats(db);
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    return settle(() => {
      if (!this.db.open) return;
      // Lets SQLite refresh the planner's statistics it found worth refreshing (cheap).
      this.db.pragma('optimize');
      this.db.close();
    });
  }

  saveFlow(flow: {
    namespace: string;
    id: string;
    source: string;
    definition: Record<string, unknown>;
  }): Promise<SaveFlowResult> {
    return settle(() => this.flows.save(flow));
  }
  getFlow(namespace: string, id: string, revision?: number): Promise<StoredFlow | undefined> {
    return settle(() => this.flows.get(namespace, id, revision));
  }
  listFlows(filter: FlowFilter): Promise<Page<StoredFlow>> {
    return settle(() => this.flows.list(filter));
  }
  flowRevisions(namespace: string, id: string): Promise<StoredFlow[]> {
    return settle(() => this.flows.allRevisions(namespace, id));
  }
  deleteFlow(namespace: string, id: string): Promise<boolean> {
    return settle(() => this.flows.delete(namespace, id));
  }

  createExecution(
    execution: Execution,
    events: ExecutorEvent[],
    triggerStates?: readonly TriggerStateUpdate[],
  ): Promise<void> {
    return settle(() => this.executions.create(execution, events, triggerStates));
  }
  getExecution(id: string): Promise<Execution | undefined> {
    return settle(() => this.executions.get(id));
  }
  getExecutions(ids: readonly string[]): Promise<Execution[]> {
    return settle(() => [...new Set(ids)].flatMap((id) => this.executions.get(id) ?? []));
  }
  searchExecutions(filter: ExecutionFilter): Promise<Page<ExecutionSummary>> {
    return settle(() => this.executions.search(filter));
  }
  commitSteps(steps: StepCommit[], options?: CommitOptions): Promise<ClaimedJob[]> {
    return settle(() => this.executions.commit(steps, options));
  }
  countActiveExecutions(namespace: string, flowId: string): Promise<number> {
    return settle(() => this.executions.countActiveExecutions(namespace, flowId));
  }
  queuedExecutions(namespace: string, flowId: string, limit: number): Promise<ExecutionSummary[]> {
    return settle(() => this.executions.queuedExecutions(namespace, flowId, limit));
  }
  unfinishedExecutionIds(): Promise<string[]> {
    return settle(() => this.executions.unfinishedExecutionIds());
  }

  appendEvents(events: NewEvent[]): Promise<void> {
    return settle(() => this.queues.appendEvents(events));
  }
  pendingEvents(limit: number): Promise<StoredEvent[]> {
    return settle(() => this.queues.pendingEvents(limit));
  }
  discardEvents(seqs: number[]): Promise<void> {
    return settle(() => this.queues.discardEvents(seqs));
  }

  claimJobs(workerId: string, limit: number): Promise<ClaimedJob[]> {
    return settle(() => this.queues.claimJobs(workerId, limit));
  }
  completeJobs(completions: JobCompletion[]): Promise<void> {
    return settle(() => this.queues.completeJobs(completions));
  }
  releaseJobs(workerId?: string, jobIds?: string[]): Promise<number> {
    return settle(() => this.queues.releaseJobs(workerId, jobIds));
  }
  cancelJobs(jobIds: string[]): Promise<string[]> {
    return settle(() => this.queues.cancelJobs(jobIds));
  }
  countJobs(): Promise<{ pending: number; claimed: number }> {
    return settle(() => this.queues.countJobs());
  }
  queueStats(): Promise<QueueStats> {
    return settle(() => this.queues.queueStats());
  }
  countExecutionsByState(): Promise<Partial<Record<State, number>>> {
    // The state column is written from an execution's State.
    return settle(() => this.stats.countExecutionsByState() as Partial<Record<State, number>>);
  }

  countExecutionsOverTime(request: ExecutionTimelineRequest): Promise<ExecutionTimelineCount[]> {
    return settle(() => this.stats.countOverTime(request));
  }
  slowestFlows(request: { from: string; to: string; limit: number }): Promise<FlowDurationStats[]> {
    return settle(() => this.stats.slowestFlows(request));
  }

  fireDueTimers(now: Date): Promise<number> {
    return settle(() => this.queues.fireDueTimers(now));
  }
  nextTimerAt(): Promise<Date | undefined> {
    return settle(() => this.queues.nextTimerAt());
  }

  appendLogs(logs: LogEntry[]): Promise<void> {
    return settle(() => this.logs.append(logs));
  }
  getLogs(executionId: string, filter?: LogFilter): Promise<StoredLog[]> {
    return settle(() => this.logs.read(executionId, filter));
  }
  searchLogs(search: LogSearch): Promise<LogSearchPage> {
    return settle(() => this.logs.search(search));
  }

  kvGet(namespace: string, key: string): Promise<KvEntry | undefined> {
    return settle(() => this.kv.get(namespace, key));
  }
  kvPut(entry: Omit<KvEntry, 'created' | 'updated'>): Promise<KvEntry> {
    return settle(() => this.kv.put(entry));
  }
  kvDelete(namespace: string, key: string): Promise<boolean> {
    return settle(() => this.kv.delete(namespace, key));
  }
  kvList(namespace: string): Promise<KvEntry[]> {
    return settle(() => this.kv.list(namespace));
  }

  claimEvents(executorId: string, limit: number): Promise<StoredEvent[]> {
    return settle(() => this.cluster.claimEvents(executorId, limit));
  }
  heartbeat(report: MemberReport): Promise<HeartbeatReply> {
    return settle(() => this.cluster.heartbeat(report));
  }
  listMembers(): Promise<ClusterMember[]> {
    return settle(() => this.cluster.listMembers());
  }
  leaveCluster(memberId: string): Promise<number> {
    return settle(() => this.cluster.leaveCluster(memberId));
  }
  expireMembers(silentForMs: number): Promise<ExpiredMembers> {
    return settle(() => this.cluster.expireMembers(silentForMs));
  }
  withAdmissionLock<T>(namespace: string, flowId: string, work: () => Promise<T>): Promise<T> {
    return this.admissions.run(`${namespace}\u0000${flowId}`, work);
  }
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return settle(() => this.cluster.acquireLease(name, holder, ttlMs));
  }
  releaseLease(name: string, holder: string): Promise<void> {
    return settle(() => this.cluster.releaseLease(name, holder));
  }
  leaseHolder(name: string): Promise<LeaseHolder | undefined> {
    return settle(() => this.cluster.leaseHolder(name));
  }
  readExecutionTransitions(limit: number): Promise<ExecutionTransition[]> {
    return settle(() => this.cluster.readExecutionTransitions(limit));
  }

  removeExecutionTransitions(seqs: readonly number[]): Promise<void> {
    return settle(() => this.cluster.removeExecutionTransitions(seqs));
  }

  getTriggerState(namespace: string, flowId: string, triggerId: string): Promise<TriggerState | undefined> {
    return settle(() => this.triggers.get(namespace, flowId, triggerId));
  }
  saveTriggerState(state: TriggerStateUpdate): Promise<void> {
    return settle(() => this.triggers.save(state));
  }
  listTriggerStates(): Promise<TriggerState[]> {
    return settle(() => this.triggers.list());
  }
}

/** Opens (creating and migrating as needed) a SQLite store at a file `path`, or `':memory:'`. */
export function openSqliteStore(path: string, options: SqliteOptions = {}): Promise<Store> {
  return settle(() => {
    const clock = options.clock ?? (() => new Date());
    const db = openDatabase(path, options);
    try {
      // A file database checkpoints on a thread of its own; the committing connection only as
      // a backstop, should that thread fall far behind.
      let checkpointer: Checkpointer | undefined;
      if (!isMemoryPath(path) && options.backgroundCheckpoints !== false) {
        db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
        checkpointer = startCheckpointer(path);
      }
      return new SqliteStore(db, clock, checkpointer);
    } catch (error) {
      db.close();
      throw error;
    }
  });
}
