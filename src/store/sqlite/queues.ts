/**
 * The three queues between the executor and the rest: executor events (ordered by an
 * autoincrement seq), worker jobs (claimed by a worker id) and timers (events due at a time).
 * The `insert…`/`delete…` methods are the pieces commitSteps and completeJobs assemble in their
 * transactions; the others are the store's methods.
 */
import type { ClaimedJob, JobCompletion, NewEvent, QueueStats, StoredEvent } from '../contract.js';
import type { ExecutorEvent, Timer, WorkerJob } from '../../engine/executor/types.js';
import type { Database, Statement, Transaction } from './driver.js';
import type { SqliteLogs } from './logs.js';
import { BOUND_LIMIT, instantMs, parseJson } from './shared.js';

interface EventRow {
  seq: number;
  execution_id: string;
  body: string;
}

interface ClaimedRow {
  seq: number;
  body: string;
}

interface QueueStatsRow {
  pending_jobs: number;
  claimed_jobs: number;
  oldest_job_ms: number | null;
  pending_events: number;
  oldest_event_ms: number | null;
}

/** Executor events, worker jobs and timers. */
export class SqliteQueues {
  private readonly insertEventStmt: Statement;
  private readonly deleteEventStmt: Statement;
  private readonly pendingStmt: Statement<EventRow>;
  private readonly insertJobStmt: Statement;
  private readonly completeJobStmt: Statement;
  private readonly unclaimedStmt: Statement<ClaimedRow>;
  private readonly claimStmt: Statement;
  private readonly claimTx: Transaction<[string, number], ClaimedJob[]>;
  private readonly releaseAllStmt: Statement;
  private readonly releaseWorkerStmt: Statement;
  private readonly releaseOneStmt: Statement;
  private readonly cancelStmt: Statement<{ id: string }>;
  private readonly markAbortStmt: Statement;
  private readonly countJobsStmt: Statement<{ pending: number | null; claimed: number | null }>;
  private readonly queueStatsStmt: Statement<QueueStatsRow>;
  private readonly upsertTimerStmt: Statement;
  private readonly queueDueStmt: Statement;
  private readonly deleteDueStmt: Statement;
  private readonly nextTimerStmt: Statement<{ due: number | null }>;
  private readonly appendTx: Transaction<[NewEvent[]], void>;
  private readonly discardTx: Transaction<[number[]], void>;
  private readonly completeTx: Transaction<[JobCompletion[]], void>;
  private readonly cancelTx: Transaction<[string[]], string[]>;
  private readonly fireTx: Transaction<[number], number>;

  constructor(
    db: Database,
    private readonly logs: SqliteLogs,
    private readonly clock: () => Date,
  ) {
    // queued_ms: when it was queued, for the lag in /metrics (the migration could give no default).
    this.insertEventStmt = db.prepare('INSERT INTO events (execution_id, body, queued_ms) VALUES (?, ?, ?)');
    this.deleteEventStmt = db.prepare('DELETE FROM events WHERE seq = ?');
    this.pendingStmt = db.prepare(`SELECT seq, execution_id, body FROM events ORDER BY seq ${BOUND_LIMIT}`);

    // A job id already queued is the same work: keeping the first copy makes a re-sent job harmless.
    this.insertJobStmt = db.prepare(
      `INSERT INTO jobs (id, execution_id, body, queued_ms, worker_id, claimed_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.completeJobStmt = db.prepare('DELETE FROM jobs WHERE id = ?');
    // One statement claims: SQLite has one writer at a time, so no two claims see the same rows.
    // Claiming is a read then updates inside one write transaction: SQLite has one writer at a
    // time, so no two claims see the same rows. (One UPDATE … WHERE seq IN (SELECT …) RETURNING
    // builds two temporary tables per call and costs ~4× as much.)
    this.unclaimedStmt = db.prepare(
      `SELECT seq, body FROM jobs WHERE worker_id IS NULL ORDER BY seq ${BOUND_LIMIT}`,
    );
    this.claimStmt = db.prepare('UPDATE jobs SET worker_id = ?, claimed_at = ? WHERE seq = ?');
    this.releaseAllStmt = db.prepare(
      'UPDATE jobs SET worker_id = NULL, claimed_at = NULL WHERE worker_id IS NOT NULL',
    );
    this.releaseWorkerStmt = db.prepare(
      'UPDATE jobs SET worker_id = NULL, claimed_at = NULL WHERE worker_id IS NOT NULL AND worker_id = ?',
    );
    this.releaseOneStmt = db.prepare(
      'UPDATE jobs SET worker_id = NULL, claimed_at = NULL WHERE id = ? AND worker_id IS NOT NULL AND (? IS NULL OR worker_id = ?)',
    );
    this.cancelStmt = db.prepare('DELETE FROM jobs WHERE id = ? AND worker_id IS NULL RETURNING id');
    // Claimed ones stay, marked for their worker to abort (its heartbeat tells it).
    this.markAbortStmt = db.prepare(
      'UPDATE jobs SET abort_requested = 1 WHERE id = ? AND worker_id IS NOT NULL',
    );
    this.countJobsStmt = db.prepare(
      'SELECT sum(worker_id IS NULL) AS pending, sum(worker_id IS NOT NULL) AS claimed FROM jobs',
    );
    this.queueStatsStmt = db.prepare(
      `SELECT coalesce(sum(worker_id IS NULL), 0) AS pending_jobs,
              coalesce(sum(worker_id IS NOT NULL), 0) AS claimed_jobs,
              min(CASE WHEN worker_id IS NULL THEN queued_ms END) AS oldest_job_ms,
              (SELECT count(*) FROM events) AS pending_events,
              (SELECT min(queued_ms) FROM events) AS oldest_event_ms
       FROM jobs`,
    );

    this.upsertTimerStmt = db.prepare(
      `INSERT INTO timers (execution_id, key, due_ms, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (execution_id, key) DO UPDATE SET due_ms = excluded.due_ms, body = excluded.body`,
    );
    // A timer's body is its event, stored as the events table stores events: firing is a copy.
    this.queueDueStmt = db.prepare(
      'INSERT INTO events (execution_id, body, queued_ms) SELECT execution_id, body, ? FROM timers WHERE due_ms <= ? ORDER BY due_ms, seq',
    );
    this.deleteDueStmt = db.prepare('DELETE FROM timers WHERE due_ms <= ?');
    this.nextTimerStmt = db.prepare('SELECT min(due_ms) AS due FROM timers');

    this.appendTx = db.transaction((events: NewEvent[]) => {
      for (const event of events) this.insertEvent(event.executionId, event.event);
    });
    this.discardTx = db.transaction((seqs: number[]) => {
      for (const seq of seqs) this.deleteEventStmt.run(seq);
    });
    this.completeTx = db.transaction((completions: JobCompletion[]) => {
      for (const completion of completions) {
        // A job that is gone was completed already (by a worker it was released to) or
        // cancelled: its event is not queued twice. Its lines are still kept: they happened.
        if (this.completeJobStmt.run(completion.jobId).changes > 0) {
          this.insertEvent(completion.event.executionId, completion.event.event);
        }
        this.logs.write(completion.logs);
      }
    });
    this.claimTx = db.transaction((workerId: string, limit: number) =>
      this.claimJobsInTransaction(workerId, limit),
    );
    this.cancelTx = db.transaction((ids: string[]) => {
      const cancelled: string[] = [];
      for (const id of ids) {
        if (this.cancelStmt.get(id) !== undefined) cancelled.push(id);
        else this.markAbortStmt.run(id);
      }
      return cancelled;
    });
    this.fireTx = db.transaction((nowMs: number) => {
      this.queueDueStmt.run(this.clock().getTime(), nowMs);
      return this.deleteDueStmt.run(nowMs).changes;
    });
  }

  // ---- pieces of larger transactions ----

  /** Queues an event; the caller holds the transaction. */
  insertEvent(executionId: string, event: ExecutorEvent): void {
    this.insertEventStmt.run(executionId, JSON.stringify(event), this.clock().getTime());
  }

  /** Deletes a consumed event; false if it was gone already. */
  deleteEvent(seq: number): boolean {
    return this.deleteEventStmt.run(seq).changes > 0;
  }

  /** Queues a job, unclaimed or already claimed by `claim`; false if its id was queued already. */
  insertJob(job: WorkerJob, claim?: { workerId: string; claimedAt: string }): boolean {
    return (
      this.insertJobStmt.run(
        job.id,
        job.executionId,
        JSON.stringify(job),
        this.clock().getTime(),
        claim?.workerId ?? null,
        claim?.claimedAt ?? null,
      ).changes > 0
    );
  }

  /** The store's clock. */
  now(): Date {
    return this.clock();
  }

  /** Removes a job whose result was handed to the executor in process. */
  deleteJob(id: string): void {
    this.completeJobStmt.run(id);
  }

  /** Sets a timer, replacing the execution's timer of the same key. */
  upsertTimer(timer: Timer): void {
    this.upsertTimerStmt.run(
      timer.executionId,
      timer.key,
      instantMs(timer.at, 'timer.at'),
      JSON.stringify(timer.event),
    );
  }

  // ---- store methods ----

  /** Queues events in one transaction. */
  appendEvents(events: NewEvent[]): void {
    if (events.length > 0) this.appendTx.immediate(events);
  }

  /** Deletes events no step will consume (their execution is gone). */
  discardEvents(seqs: number[]): void {
    if (seqs.length > 0) this.discardTx.immediate(seqs);
  }

  /** The oldest pending events. */
  pendingEvents(limit: number): StoredEvent[] {
    if (limit <= 0) return [];
    return this.pendingStmt.all(Math.floor(limit)).map((row) => ({
      seq: row.seq,
      executionId: row.execution_id,
      event: parseJson<ExecutorEvent>(row.body),
    }));
  }

  /** Claims the oldest unclaimed jobs for a worker, in one statement. */
  claimJobs(workerId: string, limit: number): ClaimedJob[] {
    if (limit <= 0) return [];
    return this.claimTx.immediate(workerId, limit);
  }

  /** claimJobs, for a caller already in a write transaction (commitSteps). */
  claimJobsInTransaction(workerId: string, limit: number): ClaimedJob[] {
    if (limit <= 0) return [];
    const rows = this.unclaimedStmt.all(Math.floor(limit));
    if (rows.length === 0) return [];
    const claimedAt = this.clock().toISOString();
    for (const row of rows) this.claimStmt.run(workerId, claimedAt, row.seq);
    return rows.map((row) => ({ job: parseJson<WorkerJob>(row.body), workerId, claimedAt }));
  }

  /** Removes completed jobs and queues their events and logs, in one transaction. */
  completeJobs(completions: JobCompletion[]): void {
    if (completions.length > 0) this.completeTx.immediate(completions);
  }

  /** Makes claimed jobs (all, or one worker's) claimable again. */
  releaseJobs(workerId?: string, jobIds?: string[]): number {
    if (jobIds !== undefined) {
      let released = 0;
      for (const id of jobIds)
        released += this.releaseOneStmt.run(id, workerId ?? null, workerId ?? null).changes;
      return released;
    }
    const result = workerId === undefined ? this.releaseAllStmt.run() : this.releaseWorkerStmt.run(workerId);
    return result.changes;
  }

  /** Removes jobs not yet claimed; returns the ids removed. */
  cancelJobs(ids: string[]): string[] {
    return ids.length === 0 ? [] : this.cancelTx.immediate(ids);
  }

  /** Jobs waiting for a worker, and jobs a worker holds. */
  countJobs(): { pending: number; claimed: number } {
    const row = this.countJobsStmt.get();
    return { pending: row?.pending ?? 0, claimed: row?.claimed ?? 0 };
  }

  /** Depth and lag of both queues, in one read; ages against the store's clock. */
  queueStats(): QueueStats {
    const row = this.queueStatsStmt.get();
    const now = this.clock().getTime();
    const age = (ms: number | null | undefined) =>
      ms === null || ms === undefined ? 0 : Math.max(0, (now - ms) / 1000);
    return {
      pendingJobs: row?.pending_jobs ?? 0,
      claimedJobs: row?.claimed_jobs ?? 0,
      oldestPendingJobSeconds: age(row?.oldest_job_ms),
      pendingEvents: row?.pending_events ?? 0,
      oldestPendingEventSeconds: age(row?.oldest_event_ms),
    };
  }

  /** Turns the timers due at `now` into events; returns how many. */
  fireDueTimers(now: Date): number {
    return this.fireTx.immediate(now.getTime());
  }

  /** When the next timer is due. */
  nextTimerAt(): Date | undefined {
    const due = this.nextTimerStmt.get()?.due;
    return due === null || due === undefined ? undefined : new Date(due);
  }
}
