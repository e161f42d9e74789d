/**
 * Executions: a header row (the execution without its task runs, as JSON, plus the columns
 * searched on) and one row per task run, keyed by the execution's seq and the task run's
 * creation order (task-run-slots.ts). commitSteps — the executor's hot path — writes only what
 * a step changed, with optimistic concurrency on `executions.version`.
 */
import type { SqliteCluster } from './cluster.js';
import { VersionConflictError } from '../contract.js';
import type {
  ClaimedJob,
  CommitOptions,
  ExecutionFilter,
  ExecutionSummary,
  Page,
  StepCommit,
  TriggerStateUpdate,
} from '../contract.js';
import type { ExecutorEvent, WorkerJob } from '../../engine/executor/types.js';
import { isTerminal } from '../../engine/model.js';
import type { Execution, TaskRun } from '../../engine/model.js';
import type { BindValue, Database, Statement, Transaction } from './driver.js';
import { UNFINISHED_STATES_SQL } from './migrations.js';
import type { SqliteLogs } from './logs.js';
import type { SqliteQueues } from './queues.js';
import type { SqliteTriggers } from './triggers.js';
import {
  BOUND_LIMIT,
  StatementCache,
  instantMs,
  namespaceCondition,
  pageBounds,
  parseJson,
} from './shared.js';
import { MAX_TASK_RUNS_PER_EXECUTION, TaskRunSlots } from './task-run-slots.js';
import type { ExecutionSlots } from './task-run-slots.js';

interface HeaderRow {
  version: number;
  header: string;
}

interface HeaderWithSeqRow extends HeaderRow {
  seq: number;
}

interface TaskRunRow {
  body: string;
}

/** The header as stored: neither the task runs (their own rows) nor the version (its column). */
type StoredHeader = Omit<Execution, 'taskRunList' | 'version'>;

const ACTIVE_STATES_SQL = "('RUNNING', 'PAUSED', 'KILLING', 'RESTARTED', 'RETRYING')";

function headerJson(execution: Execution): string {
  const { taskRunList: _taskRuns, version: _version, ...header } = execution;
  return JSON.stringify(header);
}

function toSummary(row: HeaderRow): ExecutionSummary {
  return { ...parseJson<StoredHeader>(row.header), version: row.version };
}

/** Execution headers and task runs; commitSteps, searches, concurrency and recovery queries. */
export class SqliteExecutions {
  private readonly insertExecution: Statement;
  private readonly updateHeader: Statement;
  private readonly updateExecution: Statement;
  private readonly selectHeader: Statement<HeaderWithSeqRow>;
  private readonly selectTaskRuns: Statement<TaskRunRow>;
  private readonly insertTaskRun: Statement;
  private readonly updateTaskRun: Statement;
  private readonly deleteTaskRun: Statement;
  private readonly slots: TaskRunSlots;
  private readonly countActive: Statement<{ total: number }>;
  private readonly selectQueued: Statement<HeaderRow>;
  private readonly selectUnfinished: Statement<{ id: string }>;
  private readonly cache: StatementCache;
  private readonly createTx: Transaction<[Execution, ExecutorEvent[], readonly TriggerStateUpdate[]], void>;
  private readonly commitTx: Transaction<[StepCommit[], CommitOptions], ClaimedJob[]>;
  private readonly readTx: Transaction<[string], Execution | undefined>;

  constructor(
    db: Database,
    private readonly queues: SqliteQueues,
    private readonly logs: SqliteLogs,
    private readonly triggers: SqliteTriggers,
    private readonly cluster: SqliteCluster,
  ) {
    this.insertExecution = db.prepare(
      `INSERT INTO executions (id, namespace, flow_id, state, start_ms, version, labels, header)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
    );
    // The version check and the write are one statement: 0 rows changed means stale (or
    // unknown). Most steps change neither the state nor the labels, and naming an indexed
    // column in SET rewrites its index entries (and a page each in the WAL) even when the value
    // is the same: updateHeader, which does not name them, is tried first, and updateExecution
    // only when they changed. namespace, flow_id and the start date never change.
    this.updateHeader = db.prepare(
      'UPDATE executions SET version = ?, header = ? WHERE id = ? AND version = ? AND state = ? AND labels = ?',
    );
    this.updateExecution = db.prepare(
      'UPDATE executions SET state = ?, version = ?, labels = ?, header = ? WHERE id = ? AND version = ?',
    );
    this.selectHeader = db.prepare('SELECT seq, version, header FROM executions WHERE id = ?');
    // A task run's key is (execution seq << 32) + its creation order: an execution's task runs
    // are one range of the rowid, in order. The key is computed by SQLite: past 2^21
    // executions it is beyond the integers a JavaScript number holds exactly.
    this.selectTaskRuns = db.prepare(
      'SELECT body FROM task_runs WHERE seq >= (? << 32) AND seq < ((? + 1) << 32) ORDER BY seq',
    );
    this.insertTaskRun = db.prepare(
      'INSERT INTO task_runs (seq, execution_id, id, body) VALUES ((@execution << 32) + @order, @id, @taskRunId, @body)',
    );
    // An update keeps the row's key, hence the task run's place in taskRunList.
    this.updateTaskRun = db.prepare('UPDATE task_runs SET body = ? WHERE seq = (? << 32) + ?');
    this.deleteTaskRun = db.prepare('DELETE FROM task_runs WHERE seq = (? << 32) + ?');
    this.slots = new TaskRunSlots(db);
    this.countActive = db.prepare(
      `SELECT count(*) AS total FROM executions
       WHERE namespace = ? AND flow_id = ? AND state IN ${ACTIVE_STATES_SQL}`,
    );
    this.selectQueued = db.prepare(
      `SELECT version, header FROM executions
       WHERE namespace = ? AND flow_id = ? AND state = 'QUEUED' ORDER BY seq ${BOUND_LIMIT}`,
    );
    // The same condition as the partial index executions_unfinished, so that it is used.
    this.selectUnfinished = db.prepare(
      `SELECT id FROM executions WHERE state IN ${UNFINISHED_STATES_SQL} ORDER BY seq`,
    );
    this.cache = new StatementCache(db);
    this.createTx = db.transaction(
      (execution: Execution, events: ExecutorEvent[], triggerStates: readonly TriggerStateUpdate[]) => {
        this.createInTransaction(execution, events);
        for (const state of triggerStates) this.triggers.save(state);
      },
    );
    this.commitTx = db.transaction((steps: StepCommit[], options: CommitOptions) => {
      const queued = this.commitInTransaction(steps);
      const claim = options.claimFor;
      if (!claim || claim.limit <= 0) {
        for (const job of queued) this.queues.insertJob(job);
        return [];
      }
      // Jobs queued before come first, then these steps' jobs in order: what a claim after
      // their inserts would take, but each is inserted claimed rather than updated after.
      const claimed = this.queues.claimJobsInTransaction(claim.workerId, claim.limit);
      const holder = { workerId: claim.workerId, claimedAt: this.queues.now().toISOString() };
      for (const job of queued) {
        if (claimed.length >= claim.limit) this.queues.insertJob(job);
        else if (this.queues.insertJob(job, holder)) claimed.push({ job, ...holder });
      }
      return claimed;
    });
    // Header and task runs from one snapshot, even with another process writing.
    this.readTx = db.transaction((id: string) => this.readInTransaction(id));
  }

  /** Inserts a new execution at version 1, its task runs, its first events and trigger states. */
  create(
    execution: Execution,
    events: ExecutorEvent[],
    triggerStates: readonly TriggerStateUpdate[] = [],
  ): void {
    try {
      this.createTx.immediate(execution, events, triggerStates);
    } catch (error) {
      this.slots.forget(execution.id); // rolled back: nothing was created
      throw error;
    }
  }

  private createInTransaction(execution: Execution, events: ExecutorEvent[]): void {
    const { lastInsertRowid } = this.insertExecution.run(
      execution.id,
      execution.namespace,
      execution.flowId,
      execution.state.current,
      instantMs(execution.state.startDate, 'execution.state.startDate'),
      JSON.stringify(execution.labels),
      headerJson(execution),
    );
    const slots = this.slots.created(execution.id, Number(lastInsertRowid));
    for (const taskRun of execution.taskRunList) this.writeTaskRun(execution.id, slots, taskRun);
    for (const event of events) this.queues.insertEvent(execution.id, event);
  }

  /** Updates the task run in its row, or inserts it after the execution's others. */
  private writeTaskRun(executionId: string, slots: ExecutionSlots, taskRun: TaskRun): void {
    const body = JSON.stringify(taskRun);
    const order = slots.orderById.get(taskRun.id);
    if (order !== undefined) {
      this.updateTaskRun.run(body, slots.executionSeq, order);
      return;
    }
    if (slots.next >= MAX_TASK_RUNS_PER_EXECUTION)
      throw new Error(
        `execution ${executionId} has reached ${MAX_TASK_RUNS_PER_EXECUTION} task runs, the most the embedded store keeps`,
      );
    this.insertTaskRun.run({
      execution: slots.executionSeq,
      order: slots.next,
      id: executionId,
      taskRunId: taskRun.id,
      body,
    });
    slots.orderById.set(taskRun.id, slots.next);
    slots.next += 1;
  }

  private removeTaskRun(slots: ExecutionSlots, taskRunId: string): void {
    const order = slots.orderById.get(taskRunId);
    if (order === undefined) return;
    this.deleteTaskRun.run(slots.executionSeq, order);
    slots.orderById.delete(taskRunId);
  }

  /** The execution with its task runs in creation order. */
  get(id: string): Execution | undefined {
    return this.readTx.deferred(id);
  }

  private readInTransaction(id: string): Execution | undefined {
    const row = this.selectHeader.get(id);
    if (row === undefined) return undefined;
    const taskRunList = this.selectTaskRuns.all(row.seq, row.seq).map((r) => parseJson<TaskRun>(r.body));
    return { ...parseJson<StoredHeader>(row.header), taskRunList, version: row.version };
  }

  /**
   * Commits steps in one transaction. Each step's `execution.version` must be
   * `expectedVersion + 1`: the caller bumps it, the store checks that the stored version is
   * still `expectedVersion`. Every step is checked so the error lists every stale execution.
   */
  commit(steps: StepCommit[], options: CommitOptions = {}): ClaimedJob[] {
    if (steps.length === 0 && !options.claimFor) return [];
    try {
      return this.commitTx.immediate(steps, options);
    } catch (error) {
      // Rolled back: the slots the steps changed in memory no longer say what the table holds.
      for (const step of steps) this.slots.forget(step.execution.id);
      throw error;
    }
  }

  /**
   * Writes the steps but their jobs; returns the jobs, in order, for the caller to queue last
   * (claimed at once when a claim in the same transaction would take them).
   */
  private commitInTransaction(steps: StepCommit[]): WorkerJob[] {
    const jobs: WorkerJob[] = [];
    let stale: string[] | undefined;
    for (const step of steps) {
      const { execution, expectedVersion } = step;
      if (execution.version !== expectedVersion + 1) {
        throw new Error(
          `commitSteps: execution ${execution.id} has version ${execution.version}, expected ${expectedVersion + 1} ` +
            '(the caller passes the new execution with its version bumped)',
        );
      }
      const state = execution.state.current;
      const labels = JSON.stringify(execution.labels);
      const header = headerJson(execution);
      const version = execution.version;
      const changed =
        this.updateHeader.run(version, header, execution.id, expectedVersion, state, labels).changes > 0 ||
        this.updateExecution.run(state, version, labels, header, execution.id, expectedVersion).changes > 0;
      if (!changed) {
        (stale ??= []).push(execution.id);
        // Nothing will be committed: the remaining steps are only checked.
        continue;
      }
      // Its events still there: none was consumed by another step (StepCommit.consumedEvents).
      // Deleted here, before the rest: a stale step's writes are rolled back with the others.
      if (![...new Set(step.consumedEvents)].every((seq) => this.queues.deleteEvent(seq))) {
        (stale ??= []).push(execution.id);
        continue;
      }
      if (stale !== undefined) continue;
      const slots = this.slots.at(execution.id, expectedVersion);
      // Unreachable: the version was just checked, so the execution row exists.
      if (slots === undefined) throw new Error(`commitSteps: execution ${execution.id} vanished`);
      // Removals first: a task run both removed and changed ends up present (the latest word).
      for (const id of step.removedTaskRunIds) this.removeTaskRun(slots, id);
      for (const taskRun of step.changedTaskRuns) this.writeTaskRun(execution.id, slots, taskRun);
      slots.version = version;
      // An ended execution is seldom written again (a restart reads its slots back).
      if (isTerminal(state)) this.slots.forget(execution.id);
      for (const id of step.completedJobIds ?? []) this.queues.deleteJob(id);
      jobs.push(...step.jobs);
      for (const timer of step.timers) this.queues.upsertTimer(timer);
      for (const event of step.events) this.queues.insertEvent(event.executionId, event.event);
      this.logs.write(step.logs);
      if (step.transition !== undefined) this.cluster.recordTransition(execution.id, step.transition);
    }
    // Throwing rolls the whole transaction back.
    if (stale !== undefined) throw new VersionConflictError([...new Set(stale)]);
    return jobs;
  }

  /** Executions matching the filter, newest first, one page. */
  search(filter: ExecutionFilter): Page<ExecutionSummary> {
    const where: string[] = [];
    const params: BindValue[] = [];
    if (filter.namespace !== undefined) {
      const condition = namespaceCondition('namespace', filter.namespace);
      where.push(condition.sql);
      params.push(...condition.params);
    }
    if (filter.flowId !== undefined) {
      where.push('flow_id = ?');
      params.push(filter.flowId);
    }
    // An empty list of states is no filter, like an absent one (a UI with none ticked).
    if (filter.states !== undefined && filter.states.length > 0) {
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    }
    for (const label of filter.labels ?? []) {
      where.push('seq IN (SELECT execution_seq FROM execution_labels WHERE key = ? AND value = ?)');
      params.push(label.key, label.value);
    }
    if (filter.startFrom !== undefined) {
      where.push('start_ms >= ?');
      params.push(instantMs(filter.startFrom, 'startFrom'));
    }
    if (filter.startTo !== undefined) {
      where.push('start_ms <= ?');
      params.push(instantMs(filter.startTo, 'startTo'));
    }
    const conditions = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const { limit, offset } = pageBounds(filter);
    const rows = this.cache
      .get<HeaderRow>(
        `SELECT version, header FROM executions ${conditions} ORDER BY start_ms DESC, seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, limit, offset);
    const count = this.cache
      .get<{ total: number }>(`SELECT count(*) AS total FROM executions ${conditions}`)
      .get(...params);
    return { results: rows.map(toSummary), total: count?.total ?? 0 };
  }

  /** Executions of a flow holding a concurrency slot. */
  countActiveExecutions(namespace: string, flowId: string): number {
    return this.countActive.get(namespace, flowId)?.total ?? 0;
  }

  /** QUEUED executions of a flow, oldest first. */
  queuedExecutions(namespace: string, flowId: string, limit: number): ExecutionSummary[] {
    if (limit <= 0) return [];
    return this.selectQueued.all(namespace, flowId, Math.floor(limit)).map(toSummary);
  }

  /** Ids of executions not in a terminal state, oldest first. */
  unfinishedExecutionIds(): string[] {
    return this.selectUnfinished.all().map((row) => row.id);
  }
}
