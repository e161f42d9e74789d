/**
 * Executions on PostgreSQL: a header row (the execution without its task runs, as JSONB, plus
 * the columns searched on) and one row per task run. commitSteps — the executor's hot path —
 * writes only what a step changed, with optimistic concurrency on `executions.version`: the
 * check and the write are one UPDATE, whose row lock also serialises two executors committing
 * the same execution (the second sees the new version and is stale).
 */
import type pg from 'pg';
import { VersionConflictError } from '../contract.js';
import type {
  ClaimedJob,
  CommitOptions,
  ExecutionFilter,
  ExecutionSummary,
  ExecutionTimelineCount,
  ExecutionTimelineRequest,
  FlowDurationStats,
  NewEvent,
  Page,
  StepCommit,
  TriggerStateUpdate,
} from '../contract.js';
import type { ExecutorEvent, WorkerJob } from '../../engine/executor/types.js';
import type { Execution, State, TaskRun } from '../../engine/model.js';
import { Conditions, instant, pageBounds, prepared, transaction } from './db.js';
import type { Queryable } from './db.js';
import { writeLogs } from './logs.js';
import { UNFINISHED_STATES_SQL } from './migrations.js';
import { claimJobsIn, deleteEvents, deleteJobs, insertEvents, insertJobs, upsertTimers } from './queues.js';
import type { PostgresTriggers } from './triggers.js';
import { batchStatement, stepNeedsStatements, stepStatement } from './commit.js';
import { recordTransition } from './cluster.js';

/** The header as stored: neither the task runs (their own rows) nor the version (its column). */
type StoredHeader = Omit<Execution, 'taskRunList' | 'version'>;

interface HeaderRow {
  version: number;
  header: StoredHeader;
}

const ACTIVE_STATES_SQL = "('RUNNING', 'PAUSED', 'KILLING', 'RESTARTED', 'RETRYING')";

function headerJson(execution: Execution): string {
  const { taskRunList: _taskRuns, version: _version, ...header } = execution;
  return JSON.stringify(header);
}

function toSummary(row: HeaderRow): ExecutionSummary {
  return { ...row.header, version: row.version };
}

/**
 * Writes task runs of the execution's `version`, one statement; an update keeps the row's seq,
 * hence its place in taskRunList.
 */
async function upsertTaskRuns(
  db: Queryable,
  executionId: string,
  version: number,
  taskRuns: readonly TaskRun[],
): Promise<void> {
  if (taskRuns.length === 0) return;
  // One statement cannot update a row twice: the last body of an id wins, at its first place.
  const byId = new Map<string, TaskRun>();
  for (const taskRun of taskRuns) byId.set(taskRun.id, taskRun);
  const unique = [...byId.values()];
  await db.query(
    `INSERT INTO task_runs (execution_id, id, body, version)
     SELECT $1, i, b, $4::int FROM unnest($2::text[], $3::jsonb[]) WITH ORDINALITY AS t(i, b, n) ORDER BY n
     ON CONFLICT (execution_id, id) DO UPDATE SET body = excluded.body, version = excluded.version`,
    [executionId, unique.map((t) => t.id), unique.map((t) => JSON.stringify(t)), version],
  );
}

/** The parameters of a new execution's row, in the order of the INSERT's columns ($1–$7). */
function executionRow(execution: Execution): unknown[] {
  return [
    execution.id,
    execution.namespace,
    execution.flowId,
    execution.state.current,
    instant(execution.state.startDate, 'execution.state.startDate'),
    JSON.stringify(execution.labels),
    headerJson(execution),
  ];
}

/**
 * A new execution, its task runs and its first events as ONE statement. The task runs' and
 * events' foreign keys are checked at the statement's end, when the execution's row is there.
 */
export function createStatement(
  execution: Execution,
  events: readonly ExecutorEvent[],
): { sql: string; params: unknown[] } {
  const params = executionRow(execution);
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const parts = [
    `x AS (INSERT INTO executions (id, namespace, flow_id, state, start_date, version, labels, header)
       VALUES ($1, $2, $3, $4, $5, 1, $6::jsonb, $7::jsonb))`,
  ];
  const byId = new Map<string, TaskRun>();
  for (const taskRun of execution.taskRunList) byId.set(taskRun.id, taskRun);
  const taskRuns = [...byId.values()];
  if (taskRuns.length > 0)
    parts.push(`tr AS (INSERT INTO task_runs (execution_id, id, body, version)
       SELECT $1, i, b, 1 FROM unnest(${p(taskRuns.map((t) => t.id))}::text[], ${p(taskRuns.map((t) => JSON.stringify(t)))}::jsonb[])
         WITH ORDINALITY AS t(i, b, n) ORDER BY n)`);
  if (events.length > 0)
    parts.push(`ev AS (INSERT INTO events (execution_id, body)
       SELECT $1, b FROM unnest(${p(events.map((e) => JSON.stringify(e)))}::json[]) WITH ORDINALITY AS t(b, n) ORDER BY n)`);
  return { sql: `WITH ${parts.join(',\n')} SELECT 1`, params };
}

/** Execution headers and task runs; commitSteps, searches, concurrency and recovery queries. */
export class PostgresExecutions {
  constructor(
    private readonly pool: pg.Pool,
    /** Without waiting for the WAL flush (index.ts RELAXED_OPTIONS): for steps that acknowledge nothing. */
    private readonly relaxed: pg.Pool,
    private readonly triggers: PostgresTriggers,
    private readonly clock: () => Date,
  ) {}

  /**
   * Inserts a new execution at version 1, its task runs, its first events and trigger states.
   * Without trigger states, one statement (atomic on its own): a submission costs one round
   * trip rather than four (BEGIN, two INSERTs, COMMIT), which the client of every execution pays.
   */
  async create(
    execution: Execution,
    events: ExecutorEvent[],
    triggerStates: readonly TriggerStateUpdate[] = [],
  ): Promise<void> {
    if (triggerStates.length === 0) {
      const { sql, params } = createStatement(execution, events);
      await this.pool.query(prepared(sql, params));
      return;
    }
    await transaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO executions (id, namespace, flow_id, state, start_date, version, labels, header)
         VALUES ($1, $2, $3, $4, $5, 1, $6::jsonb, $7::jsonb)`,
        executionRow(execution),
      );
      await upsertTaskRuns(client, execution.id, 1, execution.taskRunList);
      await insertEvents(
        client,
        events.map((event) => ({ executionId: execution.id, event })),
      );
      for (const state of triggerStates) await this.triggers.save(state, client);
    });
  }

  /** The execution with its task runs in creation order, read in one statement (one snapshot). */
  async get(id: string): Promise<Execution | undefined> {
    const { rows } = await this.pool.query<HeaderRow & { task_runs: TaskRun[] }>({
      name: 'windhover_get_execution',
      text: `SELECT e.version, e.header,
         coalesce((SELECT json_agg(t.body ORDER BY t.seq) FROM task_runs t WHERE t.execution_id = e.id), '[]') AS task_runs
       FROM executions e WHERE e.id = $1`,
      values: [id],
    });
    const row = rows[0];
    if (row === undefined) return undefined;
    return { ...row.header, taskRunList: row.task_runs, version: row.version };
  }

  /** Executions with their task runs, in one statement; those not found are left out. */
  async getMany(ids: readonly string[]): Promise<Execution[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<HeaderRow & { task_runs: TaskRun[] }>({
      name: 'windhover_get_executions',
      text: `SELECT e.version, e.header,
         coalesce((SELECT json_agg(t.body ORDER BY t.seq) FROM task_runs t WHERE t.execution_id = e.id), '[]') AS task_runs
       FROM executions e WHERE e.id = ANY($1::text[])`,
      values: [[...new Set(ids)]],
    });
    return rows.map((row) => ({ ...row.header, taskRunList: row.task_runs, version: row.version }));
  }

  /**
   * Commits steps in one transaction. Each step's `execution.version` must be
   * `expectedVersion + 1`; every step is checked so the error lists every stale execution.
   */
  async commit(steps: StepCommit[], options: CommitOptions = {}): Promise<ClaimedJob[]> {
    const claim = options.claimFor;
    if (steps.length === 0 && (claim === undefined || claim.limit <= 0)) return [];
    for (const { execution, expectedVersion } of steps) {
      if (execution.version !== expectedVersion + 1) {
        throw new Error(
          `commitSteps: execution ${execution.id} has version ${execution.version}, expected ${expectedVersion + 1} ` +
            '(the caller passes the new execution with its version bumped)',
        );
      }
    }
    // Every step commits without waiting for the WAL flush (index.ts RELAXED_OPTIONS), a step
    // that brings a task run's result handed over in process too, as a worker's completion does
    // (queues.ts completeJobs): one a server crash forgets leaves its job claimed by a worker
    // that no longer runs it, which hands it back (Worker.orphanedClaims), and the task runs
    // again (at-least-once). Waiting for the flush cost a standalone process 1.7-2.5 ms per
    // task on this project's bench machine (bench/pg-hop-floor.ts), against 0.3 ms for a
    // relaxed commit.
    const pool = this.relaxed;
    const only = steps.length === 1 ? steps[0] : undefined;
    if (only !== undefined && !stepNeedsStatements(only)) {
      // One statement is atomic on its own: no BEGIN, no COMMIT; the claim rides in it.
      const stepClaim =
        claim && claim.limit > 0 ? { ...claim, claimedAt: this.clock().toISOString() } : undefined;
      const { sql, params } = stepStatement(only, headerJson(only.execution), stepClaim);
      const { rows } = await pool.query<{ n: number; claimed?: Array<{ seq: number; body: WorkerJob }> }>(
        prepared(sql, params),
      );
      if (rows[0]?.n !== 1) throw new VersionConflictError([only.execution.id]);
      if (!stepClaim) return [];
      return (rows[0].claimed ?? []).map(({ body }) => ({
        job: body,
        workerId: stepClaim.workerId,
        claimedAt: stepClaim.claimedAt,
      }));
    }
    return transaction(pool, async (client) => {
      await this.commitIn(client, steps);
      return claim && claim.limit > 0
        ? claimJobsIn(client, claim.workerId, claim.limit, this.clock().toISOString())
        : [];
    });
  }

  private async commitIn(client: Queryable, steps: StepCommit[]): Promise<void> {
    // Two batches touching the same executions in different orders would each lock one row and
    // wait for the other's (a deadlock, broken by the server only after deadlock_timeout): the
    // rows are locked first, in one order, whenever a batch spans several executions.
    const ids = [...new Set(steps.map((s) => s.execution.id))];
    if (ids.length > 1) {
      await client.query('SELECT 1 FROM executions WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [ids]);
    }
    let stale: string[] | undefined;
    // The steps that need no statements of their own go in one statement: a group of hundreds
    // of executions costs one round trip, not one each.
    // (One UPDATE cannot change a row twice: two steps of one execution go one by one.)
    const candidates = steps.filter((step) => !stepNeedsStatements(step));
    const batched = new Set(candidates.map((step) => step.execution.id)).size === candidates.length;
    const simple = batched ? candidates : [];
    if (simple.length > 1) {
      const { sql, params } = batchStatement(simple, (step) => headerJson(step.execution));
      const { rows } = await client.query<{ updated: string[] }>(prepared(sql, params));
      const updated = new Set(rows[0]?.updated ?? []);
      for (const step of simple) if (!updated.has(step.execution.id)) (stale ??= []).push(step.execution.id);
    }
    for (const step of steps) {
      const { execution, expectedVersion } = step;
      if (!stepNeedsStatements(step)) {
        if (simple.length > 1) continue; // written above
        // Stale: nothing was written (every part is gated on the UPDATE). A later step's
        // writes are rolled back with the rest when the conflict is thrown.
        const { sql, params } = stepStatement(step, headerJson(execution));
        const { rows } = await client.query<{ n: number }>(prepared(sql, params));
        if (rows[0]?.n !== 1) (stale ??= []).push(execution.id);
        continue;
      }
      // Its events still there: none was consumed by another step (StepCommit.consumedEvents).
      const consumed = [...new Set(step.consumedEvents)];
      const result = await client.query(
        `UPDATE executions SET state = $1, version = $2, labels = $3::jsonb, header = $4::jsonb
         WHERE id = $5 AND version = $6
           AND (SELECT count(*) FROM events WHERE seq = ANY($7::bigint[])) = $8`,
        [
          execution.state.current,
          execution.version,
          JSON.stringify(execution.labels),
          headerJson(execution),
          execution.id,
          expectedVersion,
          consumed,
          consumed.length,
        ],
      );
      if ((result.rowCount ?? 0) === 0) {
        (stale ??= []).push(execution.id);
        continue;
      }
      // Nothing will be committed: the remaining steps are only checked.
      if (stale !== undefined) continue;
      // Removals first: a task run both removed and changed ends up present (the latest word).
      if (step.removedTaskRunIds.length > 0) {
        await client.query('DELETE FROM task_runs WHERE execution_id = $1 AND id = ANY($2::text[])', [
          execution.id,
          step.removedTaskRunIds,
        ]);
      }
      await upsertTaskRuns(client, execution.id, execution.version, step.changedTaskRuns);
      await deleteEvents(client, step.consumedEvents);
      await deleteJobs(client, step.completedJobIds ?? []);
      await insertJobs(client, step.jobs);
      await upsertTimers(client, step.timers);
      await insertEvents(client, step.events satisfies NewEvent[]);
      await writeLogs(client, step.logs);
      await recordTransition(client, execution.id, step.transition);
    }
    // Throwing rolls the whole transaction back.
    if (stale !== undefined) throw new VersionConflictError([...new Set(stale)]);
  }

  /** Executions matching the filter, newest first, one page. */
  async search(filter: ExecutionFilter): Promise<Page<ExecutionSummary>> {
    const where = new Conditions();
    if (filter.namespace !== undefined) where.namespace('namespace', filter.namespace);
    if (filter.flowId !== undefined) where.add('flow_id = ?', filter.flowId);
    // An empty list of states is no filter, like an absent one (a UI with none ticked).
    if (filter.states !== undefined && filter.states.length > 0)
      where.add('state = ANY(?::text[])', filter.states);
    const labels = filter.labels ?? [];
    // Containment of every label at once, answered by the GIN index executions_labels.
    if (labels.length > 0) {
      where.add('labels @> ?::jsonb', JSON.stringify(labels.map(({ key, value }) => ({ key, value }))));
    }
    if (filter.startFrom !== undefined) where.add('start_date >= ?', instant(filter.startFrom, 'startFrom'));
    if (filter.startTo !== undefined) where.add('start_date <= ?', instant(filter.startTo, 'startTo'));
    const conditions = where.where();
    const count = await this.pool.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM executions ${conditions}`,
      where.params,
    );
    const { limit, offset } = pageBounds(filter);
    const page = `LIMIT ${where.next(limit)} OFFSET ${where.next(offset)}`;
    const { rows } = await this.pool.query<HeaderRow>(
      `SELECT version, header FROM executions ${conditions} ORDER BY start_date DESC, seq DESC ${page}`,
      where.params,
    );
    return { results: rows.map(toSummary), total: count.rows[0]?.total ?? 0 };
  }

  /** Executions of a flow holding a concurrency slot. */
  async countActiveExecutions(namespace: string, flowId: string): Promise<number> {
    const { rows } = await this.pool.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM executions
       WHERE namespace = $1 AND flow_id = $2 AND state IN ${ACTIVE_STATES_SQL}`,
      [namespace, flowId],
    );
    return rows[0]?.total ?? 0;
  }

  /** QUEUED executions of a flow, oldest first. */
  async queuedExecutions(namespace: string, flowId: string, limit: number): Promise<ExecutionSummary[]> {
    if (limit <= 0) return [];
    const { rows } = await this.pool.query<HeaderRow>(
      `SELECT version, header FROM executions
       WHERE namespace = $1 AND flow_id = $2 AND state = 'QUEUED' ORDER BY seq LIMIT $3`,
      [namespace, flowId, Math.floor(limit)],
    );
    return rows.map(toSummary);
  }

  /** Ids of executions not in a terminal state, oldest first (the partial index's condition). */
  async unfinishedExecutionIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM executions WHERE state IN ${UNFINISHED_STATES_SQL} ORDER BY seq`,
    );
    return rows.map((row) => row.id);
  }

  /** How many executions are in each state. */
  /** Executions per interval of their start and state (grouped in SQL, on the executions_start index). */
  async countOverTime(request: ExecutionTimelineRequest): Promise<ExecutionTimelineCount[]> {
    const { rows } = await this.pool.query<{ slot: number; state: string; total: number }>(
      `SELECT floor(extract(epoch FROM start_date - $1::timestamptz) * 1000 / $3)::int AS slot, state,
         count(*)::int AS total
       FROM executions WHERE start_date >= $1 AND start_date < $2 GROUP BY slot, state`,
      [instant(request.from, 'from'), instant(request.to, 'to'), request.intervalMs],
    );
    return rows.map((row) => ({ interval: row.slot, state: row.state as State, count: row.total }));
  }

  /** The flows whose ended executions took longest (the end date lives in the header only). */
  async slowestFlows(request: { from: string; to: string; limit: number }): Promise<FlowDurationStats[]> {
    const { rows } = await this.pool.query<{
      namespace: string;
      flow_id: string;
      executions: number;
      max_ms: number;
      avg_ms: number;
    }>(
      `SELECT namespace, flow_id, count(*)::int AS executions, max(ms)::float8 AS max_ms, avg(ms)::float8 AS avg_ms
       FROM (
         SELECT namespace, flow_id,
           round(extract(epoch FROM (header->'state'->>'endDate')::timestamptz - start_date) * 1000) AS ms
         FROM executions
         WHERE start_date >= $1 AND start_date < $2 AND header->'state'->>'endDate' IS NOT NULL
       ) ended
       GROUP BY namespace, flow_id ORDER BY max_ms DESC, avg_ms DESC, namespace, flow_id LIMIT $3`,
      [instant(request.from, 'from'), instant(request.to, 'to'), request.limit],
    );
    return rows.map((row) => ({
      namespace: row.namespace,
      flowId: row.flow_id,
      executions: row.executions,
      maxMs: row.max_ms,
      avgMs: Math.round(row.avg_ms),
    }));
  }

  async countByState(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ state: string; total: number }>(
      'SELECT state, count(*)::int AS total FROM executions GROUP BY state',
    );
    const out: Record<string, number> = {};
    for (const row of rows) out[row.state] = row.total;
    return out;
  }
}
