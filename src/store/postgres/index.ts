/**
 * The PostgreSQL adapter of the store (src/store/contract.ts), on a `pg.Pool`: each method is
 * one statement, or one transaction on one pooled connection when it changes several things.
 * Opening checks the server's version and migrates the schema (serialised across processes).
 */
import pg from 'pg';
import type {
  ClaimedJob,
  ClusterMember,
  CommitOptions,
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
import { checkUrl, unreachable } from './db.js';
import { PostgresCluster } from './cluster.js';
import { PostgresExecutions } from './executions.js';
import { PostgresFlows } from './flows.js';
import { PostgresKv } from './kv.js';
import { PostgresLogs } from './logs.js';
import { checkServerVersion, migratePostgres } from './migrations.js';
import { PostgresQueues } from './queues.js';
import { PostgresTriggers } from './triggers.js';
import { listen } from './listen.js';
import type { ListenOptions, Listener, WakeTopic } from './listen.js';

export type { ListenOptions, Listener, WakeTopic } from './listen.js';

export {
  MIGRATIONS,
  MIGRATION_LOCK_KEY,
  MIN_SERVER_VERSION,
  PostgresSchemaTooNewError,
  checkServerVersion,
  migratePostgres,
  WAKE_CHANNELS,
  schemaVersion,
} from './migrations.js';
export type { Migration } from './migrations.js';

/** Options of openPostgresStore. */
export interface PostgresOptions {
  /** The clock for the dates the store writes (created, updated, claimedAt) and for KV expiry. */
  clock?: () => Date;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Milliseconds to wait for a connection before failing (default 5000). */
  connectionTimeoutMs?: number;
}

/** The store, plus what only PostgreSQL offers: waking waiters across processes. */
export interface PostgresStore extends Store {
  /**
   * Calls `onWake` when executor events (`events`) or claimable jobs (`jobs`) are committed by
   * any process on this database; a waiter then reads the store (a slow poll stays as a backstop).
   * A wake-up of `events` carries the events committed when they fit in a notification.
   */
  listen(
    topics: readonly WakeTopic[],
    onWake: (topic: WakeTopic, events?: StoredEvent[]) => void,
    options?: ListenOptions,
  ): Promise<Listener>;
}

/** Open connections of each pool, so that closing can wait until they are really gone. */
const connections = new WeakMap<pg.Pool, Set<pg.PoolClient>>();

/**
 * Ends a pool and waits for its sockets to close: pool.end() resolves once the clients are told
 * to end, and a database dropped right after would still see their sessions.
 */
async function endPool(pool: pg.Pool): Promise<void> {
  const open = [...(connections.get(pool) ?? [])];
  const gone = open.map((client) => new Promise<void>((resolve) => client.once('end', () => resolve())));
  await pool.end();
  await Promise.race([Promise.all(gone), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
}

/**
 * The session setting of the relaxed pool. Its transactions (executor steps, with the results
 * of task runs they bring in process, workers' completions, claims of jobs and of executions,
 * heartbeats) do not wait for their WAL record to reach the disk: the server flushes it within
 * 3 × wal_writer_delay (600 ms by default), and any later synchronous commit (a new execution,
 * a command) flushes it first. A server *crash* can thus forget the last fraction of a second
 * of them, never a part of one and never out of order: the executor steps again from the
 * events still there, a job whose result was forgotten is handed back by the worker still
 * holding its claim, and a task run dispatched or completed by a forgotten commit runs again
 * (at-least-once, as when a worker dies). What a client was told was stored (executions
 * created, commands) is always flushed first.
 */
const RELAXED_OPTIONS = '-c synchronous_commit=off';
const RELAXED_POOL_SIZE = 2;

/** A pool whose lost idle connections are reported (not fatal), and whose sockets endPool waits for. */
function openPool(url: string, max: number, connectionTimeoutMillis: number, options?: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis,
    ...(options ? { options } : {}),
  });
  // An idle connection the server closes (restart, idle timeout) is dropped from the pool and
  // replaced on next use; without a listener its error would end the process.
  pool.on('error', (error) => console.warn(`postgres store: idle connection lost: ${error.message}`));
  const open = new Set<pg.PoolClient>();
  connections.set(pool, open);
  pool.on('connect', (client) => {
    open.add(client);
    client.once('end', () => open.delete(client));
    // A connection that dies while checked out also emits 'error' on its client; the query in
    // progress rejects with it, and the pool throws the client away. Unheard, it would end the process.
    client.on('error', () => {});
  });
  return pool;
}

class PostgresStoreImpl implements PostgresStore {
  private readonly flows: PostgresFlows;
  private readonly executions: PostgresExecutions;
  private readonly queues: PostgresQueues;
  private readonly logs: PostgresLogs;
  private readonly kv: PostgresKv;
  private readonly cluster: PostgresCluster;
  private readonly triggers: PostgresTriggers;
  private closing: Promise<void> | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly url: string,
    private readonly pools: { pool: pg.Pool; relaxed: pg.Pool },
    clock: () => Date,
  ) {
    const { pool, relaxed } = pools;
    this.flows = new PostgresFlows(pool, clock);
    this.logs = new PostgresLogs(pool);
    this.queues = new PostgresQueues(pool, relaxed, clock);
    this.triggers = new PostgresTriggers(pool, clock);
    this.executions = new PostgresExecutions(pool, relaxed, this.triggers, clock);
    this.kv = new PostgresKv(pool, clock);
    this.cluster = new PostgresCluster(pool, relaxed, url, clock);
  }

  close(): Promise<void> {
    // Closing twice is harmless (pg's end() rejects a second call).
    this.closing ??= Promise.all([...[...this.listeners].map((l) => l.close()), this.cluster.close()]).then(
      () => Promise.all([endPool(this.pools.pool), endPool(this.pools.relaxed)]).then(() => undefined),
    );
    return this.closing;
  }

  async listen(
    topics: readonly WakeTopic[],
    onWake: (topic: WakeTopic, events?: StoredEvent[]) => void,
    options?: ListenOptions,
  ): Promise<Listener> {
    const listener = await listen(this.url, topics, onWake, options);
    this.listeners.add(listener);
    return {
      close: () => {
        this.listeners.delete(listener);
        return listener.close();
      },
    };
  }

  saveFlow(flow: {
    namespace: string;
    id: string;
    source: string;
    definition: Record<string, unknown>;
  }): Promise<SaveFlowResult> {
    return this.flows.save(flow);
  }
  getFlow(namespace: string, id: string, revision?: number): Promise<StoredFlow | undefined> {
    return this.flows.get(namespace, id, revision);
  }
  listFlows(filter: FlowFilter): Promise<Page<StoredFlow>> {
    return this.flows.list(filter);
  }
  flowRevisions(namespace: string, id: string): Promise<StoredFlow[]> {
    return this.flows.allRevisions(namespace, id);
  }
  deleteFlow(namespace: string, id: string): Promise<boolean> {
    return this.flows.delete(namespace, id);
  }

  createExecution(
    execution: Execution,
    events: ExecutorEvent[],
    triggerStates?: readonly TriggerStateUpdate[],
  ): Promise<void> {
    return this.executions.create(execution, events, triggerStates);
  }
  getExecution(id: string): Promise<Execution | undefined> {
    return this.executions.get(id);
  }
  getExecutions(ids: readonly string[]): Promise<Execution[]> {
    return this.executions.getMany(ids);
  }
  searchExecutions(filter: ExecutionFilter): Promise<Page<ExecutionSummary>> {
    return this.executions.search(filter);
  }
  commitSteps(steps: StepCommit[], options?: CommitOptions): Promise<ClaimedJob[]> {
    return this.executions.commit(steps, options);
  }
  countActiveExecutions(namespace: string, flowId: string): Promise<number> {
    return this.executions.countActiveExecutions(namespace, flowId);
  }
  queuedExecutions(namespace: string, flowId: string, limit: number): Promise<ExecutionSummary[]> {
    return this.executions.queuedExecutions(namespace, flowId, limit);
  }
  unfinishedExecutionIds(): Promise<string[]> {
    return this.executions.unfinishedExecutionIds();
  }
  countExecutionsByState(): Promise<Partial<Record<State, number>>> {
    return this.executions.countByState();
  }

  countExecutionsOverTime(request: ExecutionTimelineRequest): Promise<ExecutionTimelineCount[]> {
    return this.executions.countOverTime(request);
  }
  slowestFlows(request: { from: string; to: string; limit: number }): Promise<FlowDurationStats[]> {
    return this.executions.slowestFlows(request);
  }

  appendEvents(events: NewEvent[]): Promise<void> {
    return this.queues.appendEvents(events);
  }
  pendingEvents(limit: number): Promise<StoredEvent[]> {
    return this.queues.pendingEvents(limit);
  }
  discardEvents(seqs: number[]): Promise<void> {
    return this.queues.discardEvents(seqs);
  }

  claimJobs(workerId: string, limit: number): Promise<ClaimedJob[]> {
    return this.queues.claimJobs(workerId, limit);
  }
  completeJobs(completions: JobCompletion[]): Promise<void> {
    return this.queues.completeJobs(completions);
  }
  releaseJobs(workerId?: string, jobIds?: string[]): Promise<number> {
    return this.queues.releaseJobs(workerId, jobIds);
  }
  cancelJobs(jobIds: string[]): Promise<string[]> {
    return this.queues.cancelJobs(jobIds);
  }
  countJobs(): Promise<{ pending: number; claimed: number }> {
    return this.queues.countJobs();
  }
  queueStats(): Promise<QueueStats> {
    return this.queues.queueStats();
  }

  fireDueTimers(now: Date): Promise<number> {
    return this.queues.fireDueTimers(now);
  }
  nextTimerAt(): Promise<Date | undefined> {
    return this.queues.nextTimerAt();
  }

  appendLogs(logs: LogEntry[]): Promise<void> {
    return this.logs.append(logs);
  }
  getLogs(executionId: string, filter?: LogFilter): Promise<StoredLog[]> {
    return this.logs.read(executionId, filter);
  }
  searchLogs(search: LogSearch): Promise<LogSearchPage> {
    return this.logs.search(search);
  }

  kvGet(namespace: string, key: string): Promise<KvEntry | undefined> {
    return this.kv.get(namespace, key);
  }
  kvPut(entry: Omit<KvEntry, 'created' | 'updated'>): Promise<KvEntry> {
    return this.kv.put(entry);
  }
  kvDelete(namespace: string, key: string): Promise<boolean> {
    return this.kv.delete(namespace, key);
  }
  kvList(namespace: string): Promise<KvEntry[]> {
    return this.kv.list(namespace);
  }

  claimEvents(executorId: string, limit: number): Promise<StoredEvent[]> {
    return this.cluster.claimEvents(executorId, limit);
  }
  heartbeat(report: MemberReport): Promise<HeartbeatReply> {
    return this.cluster.heartbeat(report);
  }
  listMembers(): Promise<ClusterMember[]> {
    return this.cluster.listMembers();
  }
  leaveCluster(memberId: string): Promise<number> {
    return this.cluster.leaveCluster(memberId);
  }
  expireMembers(silentForMs: number): Promise<ExpiredMembers> {
    return this.cluster.expireMembers(silentForMs);
  }
  withAdmissionLock<T>(namespace: string, flowId: string, work: () => Promise<T>): Promise<T> {
    return this.cluster.withAdmissionLock(namespace, flowId, work);
  }
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return this.cluster.acquireLease(name, holder, ttlMs);
  }
  releaseLease(name: string, holder: string): Promise<void> {
    return this.cluster.releaseLease(name, holder);
  }
  leaseHolder(name: string): Promise<LeaseHolder | undefined> {
    return this.cluster.leaseHolder(name);
  }
  readExecutionTransitions(limit: number): Promise<ExecutionTransition[]> {
    return this.cluster.readExecutionTransitions(limit);
  }

  removeExecutionTransitions(seqs: readonly number[]): Promise<void> {
    return this.cluster.removeExecutionTransitions(seqs);
  }

  getTriggerState(namespace: string, flowId: string, triggerId: string): Promise<TriggerState | undefined> {
    return this.triggers.get(namespace, flowId, triggerId);
  }
  saveTriggerState(state: TriggerStateUpdate): Promise<void> {
    return this.triggers.save(state);
  }
  listTriggerStates(): Promise<TriggerState[]> {
    return this.triggers.list();
  }
}

/**
 * Opens a PostgreSQL store at `url` (`postgres://user@host:5432/db`): connects, refuses a server
 * older than 13, migrates the schema (refusing one newer than this code).
 */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
  checkUrl(url);
  const pool = openPool(url, options.poolSize ?? 10, options.connectionTimeoutMs ?? 5000);
  // Claims and executor steps commit without waiting for the WAL flush (see RELAXED in pools).
  const relaxed = openPool(url, RELAXED_POOL_SIZE, options.connectionTimeoutMs ?? 5000, RELAXED_OPTIONS);
  const clock = options.clock ?? (() => new Date());
  try {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unreachable(url, error);
    }
    try {
      await checkServerVersion(client);
      await migratePostgres(client, undefined, clock);
    } finally {
      client.release();
    }
    return new PostgresStoreImpl(url, { pool, relaxed }, clock);
  } catch (error) {
    await Promise.all([endPool(pool).catch(() => {}), endPool(relaxed).catch(() => {})]);
    throw error;
  }
}
