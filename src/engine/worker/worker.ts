/**
 * The worker: claims jobs from the store, runs many at once, and reports each result with its
 * logs in one atomic completion. A slow task only holds its own slot; the executor never waits.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClaimedJob, JobCompletion } from '../../store/contract.js';
import type { JobResult, WorkerJob } from '../executor/types.js';
import type { Execution, LogEntry } from '../model.js';
import type { AbortReason, WorkerServices } from './jobs.js';
import { abortedResult, errorMessage, executeJob } from './jobs.js';
import { JobAbort } from './job-abort.js';
import { RepeatedFailure } from '../repeated-failure.js';
import type { TriggerPollOutcome } from '../../plugins/context.js';
import { pollTrigger } from './trigger-poll.js';
import type { TriggerPollInput } from './trigger-poll.js';

/** How long a result handed to the executor in process may wait for its commit before its claim is presumed lost. */
const HANDED_OVER_GRACE_MS = 60_000;

/** Attempts to save results once stopping, before giving up (the jobs then run again elsewhere). */
const STOPPING_RESULT_ATTEMPTS = 10;

/** Lines a running job may buffer before they are saved without waiting for the flush timer. */
const MAX_BUFFERED_LOG_LINES = 2000;

export interface WorkerOptions {
  id: string;
  /** Most jobs running at once. */
  concurrency: number;
  /** Called after completions were committed (the executor has events to read). */
  onCompleted?: () => void;
  /**
   * Hands each result straight to an executor in the same process, which commits it with its
   * step (the job stays claimed until then, so a crash re-runs it). Without it, results are
   * committed as completions and the executor reads them as events.
   */
  deliver?: (completion: JobCompletion) => void;
  /** Every log line, as soon as it is written (live views). */
  onLog?: (entry: LogEntry) => void;
  /** How often logs of running jobs are saved (ms). */
  logFlushMs?: number;
  /** Longest wait between claims when nothing wakes it (ms, default 1000). */
  pollMs?: number;
}

interface RunningJob {
  job: WorkerJob;
  abort: JobAbort;
  logs: LogEntry[];
  timer?: NodeJS.Timeout;
  /** The job made its own working directory (removed when it ends). */
  madeDirectory?: boolean;
  /** Its execution, read with the claim (else the job loads it). */
  execution?: Execution;
}

export class Worker {
  private readonly running = new Map<string, RunningJob>();
  private readonly completions: JobCompletion[] = [];
  /** The last log write queued (see saveLogs). */
  private logWrites: Promise<void> = Promise.resolve();
  /** Jobs whose result went to the executor in process, and when. */
  private readonly handedOver = new Map<string, number>();
  /** Jobs held in the store but not here at the last heartbeat (see orphanedClaims). */
  private suspects = new Set<string>();
  private flushing: Promise<void> | undefined;
  private claiming = false;
  private wanted = false;
  /** The last claim filled every free slot: more jobs may be waiting for a slot. */
  private backlog = false;
  private stopped = true;
  private pollTimer: NodeJS.Timeout | undefined;
  private logTimer: NodeJS.Timeout | undefined;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly claimFailures: RepeatedFailure;
  private readonly resultFailures: RepeatedFailure;

  constructor(
    private readonly services: WorkerServices,
    private readonly options: WorkerOptions,
  ) {
    this.claimFailures = new RepeatedFailure(`worker ${options.id}: claiming jobs`);
    this.resultFailures = new RepeatedFailure(`worker ${options.id}: saving results`);
  }

  /** Polls a polling trigger once with this worker's services (see trigger-poll.ts). */
  pollTrigger(input: TriggerPollInput): Promise<TriggerPollOutcome> {
    return pollTrigger(this.services, input);
  }

  /** Starts claiming jobs; `notify()` wakes it, and it polls every `pollMs` anyway. */
  start(): void {
    this.stopped = false;
    this.pollTimer = setInterval(() => this.notify(), this.options.pollMs ?? 1000);
    this.pollTimer.unref();
    this.logTimer = setInterval(() => void this.flushRunningLogs(), this.options.logFlushMs ?? 500);
    this.logTimer.unref();
    this.notify();
  }

  /** There may be jobs to claim. */
  notify(): void {
    if (this.stopped) return;
    this.wanted = true;
    if (!this.claiming) void this.claimLoop();
  }

  get activeCount(): number {
    return this.running.size;
  }

  get id(): string {
    return this.options.id;
  }

  /** How many more jobs it can take now. */
  get freeSlots(): number {
    return this.stopped ? 0 : this.options.concurrency - this.running.size;
  }

  /** Results handed over in process and not yet known to be committed (bounded by the executor's commits). */
  get handedOverCount(): number {
    return this.handedOver.size;
  }

  /** Results handed over in process that the executor has committed: no longer held by this worker. */
  forgetHandedOver(jobIds: readonly string[]): void {
    for (const id of jobIds) this.handedOver.delete(id);
  }

  /**
   * Of the jobs the store says this worker holds, those it neither runs nor has results of at
   * two heartbeats in a row: claims whose answer was lost (a store outage). A job whose result
   * was handed to the executor in process and not yet committed is held briefly too, hence
   * twice in a row.
   */
  orphanedClaims(heldJobIds: readonly string[]): string[] {
    const pending = new Set(this.completions.map((c) => c.jobId));
    // Results handed over in process are committed by the executor's next group, unless the
    // store is down: a minute gives it time, then the claim is presumed lost.
    const recent = Date.now() - HANDED_OVER_GRACE_MS;
    for (const [id, at] of this.handedOver) if (at < recent) this.handedOver.delete(id);
    const idle = heldJobIds.filter(
      (id) => !this.running.has(id) && !pending.has(id) && !this.handedOver.has(id),
    );
    const orphans = idle.filter((id) => this.suspects.has(id));
    this.suspects = new Set(idle);
    return orphans;
  }

  /** Runs jobs claimed for it elsewhere (by the executor's commit); `more`: others may wait for a slot. */
  accept(claimed: readonly ClaimedJob[], more: boolean): void {
    if (this.stopped) return; // they stay claimed; released when the process starts again
    for (const claim of claimed) this.begin(claim);
    if (more) {
      this.backlog = true;
      this.notify();
    }
  }

  private async claimLoop(): Promise<void> {
    this.claiming = true;
    try {
      while (this.wanted && !this.stopped) {
        this.wanted = false;
        const free = this.options.concurrency - this.running.size;
        if (free <= 0) continue;
        const claimed = await this.services.store.claimJobs(this.options.id, free);
        this.claimFailures.succeeded();
        for (const claim of claimed) this.begin(claim);
        this.backlog = claimed.length === free;
      }
    } catch (error) {
      // The next poll (a second) retries; while the store is down, one line now and then.
      this.claimFailures.failed(error);
    } finally {
      this.claiming = false;
    }
  }

  private begin(claim: ClaimedJob): void {
    const job = claim.job;
    const entry: RunningJob = {
      job,
      abort: new JobAbort(),
      logs: [],
      ...(claim.execution ? { execution: claim.execution } : {}),
    };
    this.running.set(job.id, entry);
    void this.runJob(entry);
  }

  private async runJob(entry: RunningJob): Promise<void> {
    const { job } = entry;
    const log = (level: LogEntry['level'], message: string) => {
      const line: LogEntry = {
        executionId: job.executionId,
        namespace: job.namespace,
        flowId: job.flowId,
        ...(job.taskId ? { taskId: job.taskId } : {}),
        ...(job.taskRunId ? { taskRunId: job.taskRunId } : {}),
        attemptNumber: job.attempt,
        level,
        message,
        timestamp: new Date().toISOString(),
      };
      entry.logs.push(line);
      this.options.onLog?.(line);
      // A fast writer (a script printing a million lines) must not grow memory until the timer.
      if (entry.logs.length >= MAX_BUFFERED_LOG_LINES) void this.flushJobLogs(entry);
    };
    let result: JobResult | undefined;
    try {
      result = await executeJob(
        this.services,
        job,
        {
          abort: entry.abort,
          log,
          madeDirectory: () => (entry.madeDirectory = true),
          setTimeout: (ms, label) => {
            entry.timer = setTimeout(
              () => entry.abort.abort({ kind: 'timeout', label } satisfies AbortReason),
              ms,
            );
          },
        },
        entry.execution,
      );
    } catch (error) {
      const reason = entry.abort.reason;
      if (reason) result = abortedResult(reason, log);
      else {
        log('ERROR', `Internal error: ${errorMessage(error)}`);
        result = { state: 'FAILED', error: errorMessage(error) };
      }
    } finally {
      if (entry.timer) clearTimeout(entry.timer);
    }
    const reason = entry.abort.reason;
    if (reason?.kind === 'shutdown') {
      // The job goes back to the queue (released at shutdown) and runs again on restart.
      this.running.delete(job.id);
      this.settleIdle();
      return;
    }
    if (reason) result = abortedResult(reason, () => undefined);
    if (entry.madeDirectory && !job.workingDirectoryId) await this.removeWorkingDirectory(job);
    const completion: JobCompletion = {
      jobId: job.id,
      event: {
        executionId: job.executionId,
        event: {
          kind: 'jobResult',
          job: job.purpose,
          ...(job.taskRunId ? { taskRunId: job.taskRunId } : {}),
          attempt: job.attempt,
          result,
        },
      },
      logs: entry.logs,
    };
    entry.logs = [];
    // Its earlier lines are saved first: the result's own lines come last in the log.
    await this.logWrites;
    this.running.delete(job.id);
    if (this.options.deliver) {
      this.handedOver.set(job.id, Date.now());
      this.options.deliver(completion);
    } else {
      this.completions.push(completion);
      this.scheduleFlush();
    }
    this.settleIdle();
    // A freed slot matters only if jobs are waiting for one; new jobs come with a notify().
    if (this.backlog) this.notify();
  }

  private async removeWorkingDirectory(job: WorkerJob): Promise<void> {
    await rm(join(this.services.workRoot, `${job.taskRunId ?? job.executionId}-${job.attempt}`), {
      recursive: true,
      force: true,
    });
  }

  /** Completions are committed in batches: one transaction for all that ended meanwhile. */
  private scheduleFlush(): void {
    if (this.flushing) return;
    this.flushing = (async () => {
      try {
        while (this.completions.length > 0) {
          const batch = this.completions.splice(0, this.completions.length);
          try {
            await this.services.store.completeJobs(batch);
            this.resultFailures.succeeded();
          } catch (error) {
            // The results are the only record of work done: kept, and saved again once the
            // store answers (a completion the store took already is not queued twice). Given up
            // only when stopping: the jobs stay claimed and run again elsewhere.
            this.completions.unshift(...batch);
            this.resultFailures.failed(error);
            if (this.stopped && this.resultFailures.count >= STOPPING_RESULT_ATTEMPTS) return;
            await new Promise((resolve) =>
              setTimeout(resolve, Math.min(100 * 2 ** (this.resultFailures.count - 1), 2_000)),
            );
            continue;
          }
          this.options.onCompleted?.();
        }
      } finally {
        this.flushing = undefined;
        this.settleIdle();
      }
    })();
  }

  /** Saves the logs one running job has buffered so far. */
  private flushJobLogs(entry: RunningJob): Promise<void> {
    const logs = entry.logs;
    entry.logs = [];
    return this.saveLogs(logs);
  }

  /**
   * Saves lines after those saved before them, one write at a time: a store with several
   * connections (PostgreSQL) would otherwise commit two writes, and number their lines, in
   * either order.
   */
  private saveLogs(logs: LogEntry[]): Promise<void> {
    if (logs.length === 0) return this.logWrites;
    this.logWrites = this.logWrites.then(() =>
      this.services.store
        .appendLogs(logs)
        .catch((e: unknown) => console.error(`worker: saving logs failed: ${errorMessage(e)}`)),
    );
    return this.logWrites;
  }

  /** Saves the logs of jobs still running, so that long tasks can be followed. */
  private async flushRunningLogs(): Promise<void> {
    const logs: LogEntry[] = [];
    for (const entry of this.running.values()) {
      if (entry.logs.length === 0) continue;
      logs.push(...entry.logs);
      entry.logs = [];
    }
    await this.saveLogs(logs);
  }

  /** Aborts running jobs (kill): they report KILLED. */
  abort(jobIds: readonly string[]): void {
    for (const id of jobIds) this.running.get(id)?.abort.abort({ kind: 'kill' } satisfies AbortReason);
  }

  /** Removes a WorkingDirectory's shared directory. */
  async releaseWorkingDirectory(id: string): Promise<void> {
    await rm(join(this.services.workRoot, id), { recursive: true, force: true });
  }

  /**
   * Stops claiming, waits for running jobs up to `graceMs`, then aborts the rest (they are
   * released to run again after a restart) and saves the results that came in.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.logTimer) clearInterval(this.logTimer);
    const deadline = Date.now() + graceMs;
    while (this.running.size > 0 && Date.now() < deadline)
      await this.waitIdle(Math.max(1, deadline - Date.now()));
    for (const entry of this.running.values()) entry.abort.abort({ kind: 'shutdown' } satisfies AbortReason);
    while (this.running.size > 0) await this.waitIdle(100);
    await this.flushRunningLogs();
    this.scheduleFlush();
    await this.flushing;
  }

  private waitIdle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private settleIdle(): void {
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }
}
