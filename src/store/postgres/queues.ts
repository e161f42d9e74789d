/**
 * The three queues between the executor and the rest, on PostgreSQL: executor events (ordered
 * by a bigserial seq), worker jobs (claimed with one `UPDATE … FOR UPDATE SKIP LOCKED`
 * statement, so any number of workers on any number of machines never share a job) and timers.
 * The `insert…`/`delete…` functions are the pieces commitSteps and completeJobs assemble in
 * their transactions; each writes a whole batch in one statement.
 */
import type pg from 'pg';
import type { ClaimedJob, JobCompletion, NewEvent, QueueStats, StoredEvent } from '../contract.js';
import type { ExecutorEvent, Timer, WorkerJob } from '../../engine/executor/types.js';
import type { Execution, TaskRun } from '../../engine/model.js';
import { instant, num, prepared } from './db.js';
import type { Queryable } from './db.js';
import { insertLogsSql, parameters } from './logs.js';
import { WAKE_CHANNELS } from './migrations.js';

interface EventRow {
  seq: string;
  execution_id: string;
  body: ExecutorEvent;
}

/** Queues events in one statement, in the order given. */
export async function insertEvents(db: Queryable, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO events (execution_id, body)
     SELECT e, b FROM unnest($1::text[], $2::json[]) WITH ORDINALITY AS t(e, b, n) ORDER BY n`,
    [events.map((e) => e.executionId), events.map((e) => JSON.stringify(e.event))],
  );
}

/** Deletes consumed events (those gone already are skipped). */
export async function deleteEvents(db: Queryable, seqs: readonly number[]): Promise<void> {
  if (seqs.length > 0) await db.query('DELETE FROM events WHERE seq = ANY($1::bigint[])', [seqs]);
}

/** Queues jobs, unclaimed; a job id already queued keeps its first copy (a re-sent job is harmless). */
export async function insertJobs(db: Queryable, jobs: readonly WorkerJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await db.query(
    `INSERT INTO jobs (id, execution_id, body)
     SELECT i, e, b FROM unnest($1::text[], $2::text[], $3::json[]) WITH ORDINALITY AS t(i, e, b, n) ORDER BY n
     ON CONFLICT (id) DO NOTHING`,
    [jobs.map((j) => j.id), jobs.map((j) => j.executionId), jobs.map((j) => JSON.stringify(j))],
  );
}

/** Removes jobs whose results were handed to the executor in process. */
export async function deleteJobs(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db.query('DELETE FROM jobs WHERE id = ANY($1::text[])', [ids]);
}

/** Sets timers, each replacing its execution's timer of the same key (the last of a batch wins). */
export async function upsertTimers(db: Queryable, timers: readonly Timer[]): Promise<void> {
  if (timers.length === 0) return;
  // One statement cannot update a row twice: keep the last timer of each key, in first-seen order.
  const byKey = new Map<string, Timer>();
  for (const timer of timers) byKey.set(JSON.stringify([timer.executionId, timer.key]), timer);
  const unique = [...byKey.values()];
  await db.query(
    `INSERT INTO timers (execution_id, key, due_at, body)
     SELECT e, k, d, b FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::json[]) WITH ORDINALITY AS t(e, k, d, b, n)
     ORDER BY n
     ON CONFLICT (execution_id, key) DO UPDATE SET due_at = excluded.due_at, body = excluded.body`,
    [
      unique.map((t) => t.executionId),
      unique.map((t) => t.key),
      unique.map((t) => instant(t.at, 'timer.at')),
      unique.map((t) => JSON.stringify(t.event)),
    ],
  );
}

/**
 * Claims up to `limit` of the oldest unclaimed jobs in one statement. SKIP LOCKED passes over
 * rows another claim is taking at this moment, so concurrent claims neither wait for each
 * other nor hand out one job twice.
 */
export async function claimJobsIn(
  db: Queryable,
  workerId: string,
  limit: number,
  claimedAt: string,
): Promise<ClaimedJob[]> {
  if (limit <= 0) return [];
  const { rows } = await db.query<{ seq: string; body: WorkerJob }>(
    `UPDATE jobs SET worker_id = $1, claimed_at = $2
     WHERE seq IN (SELECT seq FROM jobs WHERE worker_id IS NULL ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING seq, body`,
    [workerId, claimedAt, Math.floor(limit)],
  );
  // RETURNING has no order: the contract's is oldest first.
  return rows
    .map((row) => ({ seq: num(row.seq), job: row.body }))
    .sort((a, b) => a.seq - b.seq)
    .map(({ job }) => ({ job, workerId, claimedAt }));
}

/** Most executions kept as bases of later claims, and most task runs in them all. */
const CLAIM_BASES = 64;
const CLAIM_BASE_TASK_RUNS = 20_000;

/** An execution as claimJobs reads it: whole, or what changed since `since`. */
interface ExecutionRead {
  version: number;
  header: Omit<Execution, 'taskRunList' | 'version'>;
  /** The version of the base it was read against; null when read whole. */
  since: number | null;
  /** Every task run's id in order, when read against a base. */
  ids: string[] | null;
  /** Every task run (whole), or those written after `since`. */
  taskRuns: TaskRun[];
}

/**
 * The execution a claim read: whole, or its changes laid over the base it was read against.
 * Undefined when the base lacks a task run it should hold (the job then reads the execution).
 */
function rebuildExecution(read: ExecutionRead, base: Execution | undefined): Execution | undefined {
  const header = { ...read.header, version: read.version };
  if (read.since === null || read.ids === null) return { ...header, taskRunList: read.taskRuns };
  if (base === undefined || base.version !== read.since) return undefined;
  const changed = new Map(read.taskRuns.map((t) => [t.id, t]));
  const kept = new Map(base.taskRunList.map((t) => [t.id, t]));
  const taskRunList: TaskRun[] = [];
  for (const id of read.ids) {
    const taskRun = changed.get(id) ?? kept.get(id);
    if (taskRun === undefined) return undefined;
    taskRunList.push(taskRun);
  }
  return { ...header, taskRunList };
}

/** Executor events, worker jobs and timers. */
export class PostgresQueues {
  /** Executions this process's claims returned lately (least recent first): bases of the next. */
  private readonly claimedExecutions = new Map<string, Execution>();

  constructor(
    private readonly pool: pg.Pool,
    /** Without waiting for the WAL flush (index.ts RELAXED_OPTIONS): claims. */
    private readonly relaxed: pg.Pool,
    private readonly clock: () => Date,
  ) {}

  /** Queues events (one statement: atomic). */
  appendEvents(events: NewEvent[]): Promise<void> {
    return insertEvents(this.pool, events);
  }

  /** Deletes events no step will consume (their execution is gone). */
  discardEvents(seqs: number[]): Promise<void> {
    return deleteEvents(this.pool, seqs);
  }

  /** The oldest pending events. */
  async pendingEvents(limit: number): Promise<StoredEvent[]> {
    if (limit <= 0) return [];
    const { rows } = await this.pool.query<EventRow>(
      'SELECT seq, execution_id, body FROM events ORDER BY seq LIMIT $1',
      [Math.floor(limit)],
    );
    return rows.map((row) => ({ seq: num(row.seq), executionId: row.execution_id, event: row.body }));
  }

  /**
   * Claims the oldest unclaimed jobs for a worker, in one statement, which also reads their
   * executions (once each, in the claim's snapshot: the commit that queued a job is in it). Of an
   * execution a claim of this process returned lately, it reads the header, the ids of its task
   * runs and only the task runs written since (their `version`), and rebuilds the rest from it.
   */
  async claimJobs(workerId: string, limit: number): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const claimedAt = this.clock().toISOString();
    // The bases this statement is read against (the cache may change while it runs).
    const bases = new Map(this.claimedExecutions);
    const { rows } = await this.relaxed.query<{
      seq: string;
      body: WorkerJob;
      execution: ExecutionRead | null;
    }>({
      name: 'windhover_claim_jobs',
      text: `WITH claimed AS (
           UPDATE jobs SET worker_id = $1, claimed_at = $2
           WHERE seq IN (SELECT seq FROM jobs WHERE worker_id IS NULL ORDER BY seq LIMIT $3 FOR UPDATE SKIP LOCKED)
           RETURNING seq, execution_id, body),
         known AS (SELECT * FROM unnest($4::text[], $5::int[]) AS k(id, version))
         SELECT c.seq, c.body,
           CASE WHEN c.seq = min(c.seq) OVER (PARTITION BY c.execution_id) THEN
             (SELECT json_build_object('version', e.version, 'header', e.header, 'since', b.since,
                'ids', CASE WHEN b.since IS NOT NULL THEN
                  coalesce((SELECT json_agg(t.id ORDER BY t.seq) FROM task_runs t WHERE t.execution_id = e.id), '[]') END,
                'taskRuns', coalesce((SELECT json_agg(t.body ORDER BY t.seq) FROM task_runs t WHERE t.execution_id = e.id
                  AND (b.since IS NULL OR t.version IS NULL OR t.version > b.since)), '[]'))
              FROM executions e
              -- A base newer than the store (a restored database) is no base.
              CROSS JOIN LATERAL (SELECT (SELECT k.version FROM known k WHERE k.id = e.id AND k.version <= e.version) AS since) b
              WHERE e.id = c.execution_id)
           END AS execution
         FROM claimed c`,
      values: [
        workerId,
        claimedAt,
        Math.floor(limit),
        [...bases.keys()],
        [...bases.values()].map((e) => e.version),
      ],
    });
    const executions = new Map<string, Execution>();
    for (const { body, execution } of rows) {
      if (!execution) continue;
      const built = rebuildExecution(execution, bases.get(body.executionId));
      if (built) {
        executions.set(body.executionId, built);
        this.rememberClaimed(built);
      }
    }
    // RETURNING has no order: the contract's is oldest first.
    return rows
      .map((row) => ({ seq: num(row.seq), job: row.body }))
      .sort((a, b) => a.seq - b.seq)
      .map(({ job }) => {
        const execution = executions.get(job.executionId);
        return { job, workerId, claimedAt, ...(execution ? { execution } : {}) };
      });
  }

  /** Keeps an execution a claim returned as the base of the next, within the cache's bounds. */
  private rememberClaimed(execution: Execution): void {
    const cache = this.claimedExecutions;
    const cached = cache.get(execution.id);
    if (cached && cached.version > execution.version) return;
    cache.delete(execution.id); // most recent last
    cache.set(execution.id, execution);
    let taskRuns = 0;
    for (const e of cache.values()) taskRuns += e.taskRunList.length;
    for (const [id, e] of cache) {
      if (cache.size <= CLAIM_BASES && taskRuns <= CLAIM_BASE_TASK_RUNS) break;
      cache.delete(id);
      taskRuns -= e.taskRunList.length;
    }
  }

  /** Removes completed jobs and queues their events and logs, in one transaction. */
  async completeJobs(completions: JobCompletion[]): Promise<void> {
    if (completions.length === 0) return;
    // One statement, atomic without a transaction. A job that is gone was completed already (by
    // a worker it was released to) or cancelled: its event is not queued twice, nor twice for
    // one job reported twice in the batch. Its lines are still kept: they happened.
    const { params, param } = parameters();
    const completed = `c AS (SELECT * FROM unnest(${param(completions.map((c) => c.jobId))}::text[],
        ${param(completions.map((c) => c.event.executionId))}::text[],
        ${param(completions.map((c) => JSON.stringify(c.event.event)))}::json[]) WITH ORDINALITY AS t(id, e, b, n)),
      d AS (DELETE FROM jobs WHERE id IN (SELECT id FROM c) RETURNING id),
      firsts AS (SELECT DISTINCT ON (c.id) c.e, c.b, c.n FROM c JOIN d ON d.id = c.id ORDER BY c.id, c.n),
      ev AS (INSERT INTO events (execution_id, body) SELECT e, b FROM firsts ORDER BY n)`;
    const logs = completions.flatMap((c) => c.logs);
    const lines = logs.length > 0 ? `, li AS (${insertLogsSql(logs, param)})` : '';
    // Relaxed (no wait for the WAL flush): a completion a server crash forgets leaves its job
    // claimed by a worker that no longer runs it, which hands it back (Worker.orphanedClaims).
    await this.relaxed.query(prepared(`WITH ${completed}${lines} SELECT 1`, params));
  }

  /** Makes claimed jobs (all, or one worker's) claimable again. */
  async releaseJobs(workerId?: string, jobIds?: string[]): Promise<number> {
    // Released jobs are claimable again: the workers waiting are woken, as for new ones.
    const { rows } = await this.pool.query<{ n: number }>(
      `WITH released AS (
         UPDATE jobs SET worker_id = NULL, claimed_at = NULL
         WHERE worker_id IS NOT NULL AND ($1::text IS NULL OR worker_id = $1)
           AND ($2::text[] IS NULL OR id = ANY($2::text[])) RETURNING 1)
       SELECT n, CASE WHEN n > 0 THEN pg_notify('${WAKE_CHANNELS.jobs}', '') END AS notified
       FROM (SELECT count(*)::int AS n FROM released) counted`,
      [workerId ?? null, jobIds ?? null],
    );
    return rows[0]?.n ?? 0;
  }

  /** Removes jobs not yet claimed; returns the ids removed, in the order asked. */
  async cancelJobs(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    // Claimed ones stay, marked: their worker aborts them when its heartbeat says so (and a
    // worker they are released to, after a crash, does the same).
    const { rows } = await this.pool.query<{ id: string }>(
      `WITH marked AS (UPDATE jobs SET abort_requested = true WHERE id = ANY($1::text[]) AND worker_id IS NOT NULL)
       DELETE FROM jobs WHERE id = ANY($1::text[]) AND worker_id IS NULL RETURNING id`,
      [ids],
    );
    const removed = new Set(rows.map((row) => row.id));
    return ids.filter((id) => removed.delete(id));
  }

  /** Jobs waiting for a worker, and jobs a worker holds. */
  async countJobs(): Promise<{ pending: number; claimed: number }> {
    const { rows } = await this.pool.query<{ pending: number; claimed: number }>(
      `SELECT count(*) FILTER (WHERE worker_id IS NULL)::int AS pending,
              count(*) FILTER (WHERE worker_id IS NOT NULL)::int AS claimed FROM jobs`,
    );
    return { pending: rows[0]?.pending ?? 0, claimed: rows[0]?.claimed ?? 0 };
  }

  /**
   * Depth and lag of both queues in one statement. Ages are the database's clock against the
   * database's `queued_at` defaults, so machines' clocks do not matter. The oldest unclaimed
   * job is found through `jobs_unclaimed` (seq order is queue order).
   */
  async queueStats(): Promise<QueueStats> {
    const { rows } = await this.pool.query<{
      pending_jobs: number;
      claimed_jobs: number;
      job_age: number | null;
      pending_events: number;
      event_age: number | null;
    }>(
      `SELECT
         (SELECT count(*) FROM jobs WHERE worker_id IS NULL)::int AS pending_jobs,
         (SELECT count(*) FROM jobs WHERE worker_id IS NOT NULL)::int AS claimed_jobs,
         extract(epoch FROM clock_timestamp() - (SELECT min(queued_at) FROM jobs WHERE worker_id IS NULL))::float8 AS job_age,
         (SELECT count(*) FROM events)::int AS pending_events,
         extract(epoch FROM clock_timestamp() - (SELECT min(queued_at) FROM events))::float8 AS event_age`,
    );
    const row = rows[0];
    return {
      pendingJobs: row?.pending_jobs ?? 0,
      claimedJobs: row?.claimed_jobs ?? 0,
      oldestPendingJobSeconds: Math.max(0, row?.job_age ?? 0),
      pendingEvents: row?.pending_events ?? 0,
      oldestPendingEventSeconds: Math.max(0, row?.event_age ?? 0),
    };
  }

  /**
   * Turns the timers due at `now` into events, in due order, in one statement: the DELETE locks
   * the rows, so two schedulers firing at once fire each timer once.
   */
  async fireDueTimers(now: Date): Promise<number> {
    const result = await this.pool.query(
      `WITH due AS (DELETE FROM timers WHERE due_at <= $1 RETURNING seq, execution_id, due_at, body)
       INSERT INTO events (execution_id, body) SELECT execution_id, body FROM due ORDER BY due_at, seq`,
      [now.toISOString()],
    );
    return result.rowCount ?? 0;
  }

  /** When the next timer is due. */
  async nextTimerAt(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ due: Date | null }>('SELECT min(due_at) AS due FROM timers');
    const due = rows[0]?.due;
    return due === null || due === undefined ? undefined : due;
  }
}
